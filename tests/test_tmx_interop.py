"""Other tools read our TMX: translate-toolkit's TMX store, and OmegaT in console mode."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from aligner.common.formats import AlignedPair
from tmx.write import write_tmx

# Single-sentence Chinese sources, so that OmegaT's own segmentation keeps each one whole.
PAIRS = [
    ("主席：我宣布裁军谈判会议第1261次全体会议开始。",
     "The President: I declare open the 1261st plenary meeting of the Conference on Disarmament."),
    ("我们支持关于<无核武器国家>安全保证的“有效国际安排”＆讨论😀",
     'We support the discussion of "effective international arrangements" & <security> '
     "assurances 😀"),
    ("下一位发言者是澳大利亚代表伍尔科特先生。",
     "The next speaker is Mr. Woolcott of Australia. I give him the floor."),
]
UNTRANSLATED = "这句话不在翻译记忆库里。"


def our_tmx(path: Path) -> Path:
    pairs = [AlignedPair((i,), tuple(range(i, i + 1 + (i == 2))), zh, en, 0.9 - i / 10,
                         {"speaker": "主席"}) for i, (zh, en) in enumerate(PAIRS)]
    write_tmx(path, pairs, document="CD/PV.1261", note="demonstration translation")
    return path


def test_translate_toolkit_sees_the_same_units(tmp_path: Path) -> None:
    from translate.storage.tmx import tmxfile

    path = our_tmx(tmp_path / "tm.tmx")
    with path.open("rb") as fh:
        store = tmxfile(fh)
    assert store.sourcelanguage == "zh-CN"
    assert [(u.source, u.target) for u in store.units] == PAIRS
    assert [u.getid() for u in store.units] == ["1", "2", "3"]


def _omegat_jar() -> Path | None:
    for candidate in (os.environ.get("OMEGAT_JAR"), "/usr/share/omegat/OmegaT.jar",
                      "/opt/omegat/OmegaT.jar"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


PROJECT_FILE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>zh-CN</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
    <external_command></external_command>
  </project>
</omegat>
"""


def test_omegat_console_translate_uses_our_tmx(tmp_path: Path) -> None:
    jar, java = _omegat_jar(), shutil.which("java")
    if jar is None or java is None:
        pytest.skip("OmegaT not found (no /usr/share/omegat/OmegaT.jar, OMEGAT_JAR or java): "
                    "apt-get install omegat")
    project = tmp_path / "project"
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT_FILE, encoding="utf-8")
    our_tmx(project / "tm" / "auto" / "un-aligner.tmx")
    lines = [zh for zh, _ in PAIRS] + [UNTRANSLATED]
    (project / "source" / "record.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    config = tmp_path / "config"
    config.mkdir()
    result = subprocess.run(
        [java, "-Djava.awt.headless=true", "-jar", str(jar), str(project),
         "--mode=console-translate", "--disable-project-locking", "--no-team",
         f"--config-dir={config}"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    log = result.stdout + result.stderr
    # OmegaT exits 0 even when a TMX fails to load: judge by its log and its output.
    assert "un-aligner.tmx" in log and "TMXR_INFO_READING_COMPLETE" in log, log[-3000:]
    assert "Source language: zh-CN" in log
    target = project / "target" / "record.txt"
    assert target.is_file(), log[-3000:]
    translated = [line for line in target.read_text(encoding="utf-8").splitlines() if line]
    assert translated == [en for _, en in PAIRS] + [UNTRANSLATED]

"""The package's layout is the pipeline: a stage imports only the stages before it.

common < lexicon < fetch < read < align < quality, terms < pipeline, review < cli. ``tmx`` is
its own package and may lean on ``aligner.common`` alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RANK = {"common": 0, "lexicon": 1, "fetch": 1.5, "read": 2, "align": 3, "quality": 4, "terms": 4,
        "pipeline": 5, "review": 5, "cli": 6}


def _stage(module: str) -> str | None:
    """``aligner.align.dp`` -> ``align``; the package root (``aligner``) has no stage."""
    parts = module.split(".")
    return parts[1] if parts[0] == "aligner" and len(parts) > 1 else None


def _imports(path: Path, package: str | None = None) -> list[str]:
    """Every module a file imports from the project, as an absolute dotted name."""
    if package is None:
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # ``from . import features`` imports a module, not a name.
            found += [f"{module}.{a.name}" for a in node.names] if not node.module else [module]
    return [m for m in found if m.split(".")[0] in ("aligner", "tmx")]


def _files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_every_stage_imports_only_earlier_stages():
    wrong = []
    for path in _files("aligner"):
        rel = path.relative_to(ROOT / "aligner")
        own = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        if own not in RANK:
            continue  # __init__.py, __main__.py: the package root
        for module in _imports(path):
            stage = _stage(module)
            if stage is None or stage == own or module.startswith("tmx"):
                continue
            if stage in RANK and RANK[stage] >= RANK[own]:
                wrong.append(f"{rel}: {module}")
    assert not wrong, "imports that run up the pipeline:\n" + "\n".join(wrong)


def test_tmx_package_leans_on_the_shared_layer_only():
    wrong = [f"{p.name}: {m}" for p in _files("tmx") for m in _imports(p)
             if m.startswith("aligner.") and _stage(m) not in ("common", "__version__")]
    assert not wrong, wrong


def test_each_stage_folder_says_what_it_does():
    for stage in RANK:
        init = ROOT / "aligner" / stage / "__init__.py"
        if not init.parent.is_dir():
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        summary = doc.split("\n\n")[0] if doc else ""
        assert 1 <= len(summary.splitlines()) <= 2, f"{init}: no two-line summary"


def test_the_check_itself_sees_an_upward_import(tmp_path):
    # The rule must catch what it is meant to: a relative import of a later stage.
    probe = tmp_path / "probe.py"
    probe.write_text("from ..align.dp import search\nfrom . import turns\n", encoding="utf-8")
    found = _imports(probe, package="aligner.read")
    assert found == ["aligner.align.dp", "aligner.read.turns"]
    assert RANK[_stage(found[0])] > RANK["read"]

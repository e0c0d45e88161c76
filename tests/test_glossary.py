"""The glossary library: the curated file, loading and its errors, finding terms, lookup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aligner.common.errors import AlignerError
from aligner.lexicon.glossary import (
    COLUMNS,
    Glossary,
    default_glossary_path,
    load_glossary,
    normalise_en,
    parse_glossary,
)

ROOT = Path(__file__).resolve().parents[1]
HEADER = "\t".join(COLUMNS)


@pytest.fixture(scope="module")
def gl() -> Glossary:
    return load_glossary()


def entry(g: Glossary, zh: str):
    return next(e for e in g.entries if e.zh == zh)


def write(tmp_path: Path, *rows: str, header: bool = True) -> Path:
    path = tmp_path / "g.tsv"
    path.write_text("\n".join(([HEADER] if header else []) + list(rows)) + "\n", encoding="utf-8")
    return path


# --- The curated glossary --------------------------------------------------------------------

def test_default_path_is_the_repository_glossary():
    assert default_glossary_path() == ROOT / "corpora" / "glossary.tsv"
    assert default_glossary_path().is_file()


def test_curated_glossary_size_and_complete_rows(gl):
    assert len(gl) >= 120
    for e in gl.entries:
        assert e.pos and e.subject and e.source, f"line {e.line}: pos, subject, source needed"
    zh = [e.zh for e in gl.entries]
    assert len(zh) == len(set(zh)), "one entry per Chinese term"


def test_curated_glossary_has_the_issue_pairs(gl):
    pairs = {(e.zh, e.en) for e in gl.entries}
    for pair in [
        ("消极安全保证", "negative security assurances"),
        ("无核武器国家", "non-nuclear-weapon States"),
        ("核武器国家", "nuclear-weapon States"),
        ("大不列颠及北爱尔兰联合王国", "United Kingdom of Great Britain and Northern Ireland"),
        ("伊朗伊斯兰共和国", "Islamic Republic of Iran"),
        ("美利坚合众国", "United States of America"),
        ("俄罗斯联邦", "Russian Federation"),
        ("联合国裁军研究所", "United Nations Institute for Disarmament Research"),
        ("全面彻底裁军", "general and complete disarmament"),
        ("工作计划", "programme of work"),
        ("议事规则", "rules of procedure"),
        ("防止外层空间军备竞赛", "prevention of an arms race in outer space"),
    ]:
        assert pair in pairs, pair
    assert "裁研所" in entry(gl, "联合国裁军研究所").variants_zh
    npt = entry(gl, "不扩散核武器条约")
    assert "不扩散条约" in npt.variants_zh and "NPT" in npt.variants_en


def test_curated_glossary_lists_all_65_cd_members(gl):
    members = [e for e in gl.entries if "CD member States" in e.subject]
    assert len(members) == 65
    assert len({e.en for e in members}) == 65


def test_country_names_in_the_record_are_in_the_glossary(gl):
    # Speaker labels of the Chinese record: 伍尔科特先生(澳大利亚) -> 澳大利亚
    text = re.sub(r"\s+", "", (ROOT / "corpora" / "CD_PV.1261_zh.txt").read_text("utf-8"))
    countries = set(re.findall(r"(?:先生|女士)\(([^()]+)\)", text))
    assert len(countries) >= 10
    forms = {f for e in gl.entries for f in e.zh_forms}
    assert countries <= forms, countries - forms


def test_un_english_capitalises_states(gl):
    for e in gl.entries:
        for form in e.en_forms:
            for word in re.findall(r"[A-Za-z]+", form):
                if word.lower() in ("state", "states"):
                    assert word[0] == "S", f"line {e.line}: {form!r} should write 'State(s)'"


# --- Loading and bad input ---------------------------------------------------------------------

def test_parse_splits_variants_by_script(tmp_path):
    g = load_glossary(write(tmp_path, "不扩散核武器条约\tTreaty on the Non-Proliferation of "
                                      "Nuclear Weapons\t不扩散条约; NPT ;\tnoun\tdisarmament\t\tx"))
    e = g.entries[0]
    assert e.variants_zh == ("不扩散条约",) and e.variants_en == ("NPT",)
    assert e.line == 2


@pytest.mark.parametrize("rows, message", [
    (["消极安全保证\tnegative security assurances\tnoun"], "line 2: expected 7 columns, found 3"),
    (["\tnegative security assurances\t\tnoun\t\t\t"], "line 2: empty Chinese term"),
    (["消极安全保证\t\t\tnoun\t\t\t"], "line 2: empty English term"),
    (["negative\tnegative security assurances\t\tnoun\t\t\t"], "no Chinese character"),
    (["消极安全保证\tnegative security assurances\t\t\t\t\t",
      "# a comment",
      "消极安全保证\tnegative security assurances\t\t\t\t\t"],
     "line 4: duplicate of the entry on line 2"),
])
def test_malformed_lines_are_reported_with_their_number(tmp_path, rows, message):
    path = write(tmp_path, *rows)
    with pytest.raises(AlignerError) as err:
        load_glossary(path)
    assert message in err.value.reason
    assert err.value.path == str(path)


def test_missing_header_and_missing_file(tmp_path):
    with pytest.raises(AlignerError, match="line 1: expected the header row"):
        parse_glossary("消极安全保证\tnegative security assurances\t\t\t\t\t\n")
    with pytest.raises(AlignerError, match="no header row"):
        parse_glossary("# only a comment\n")
    with pytest.raises(AlignerError, match="no such file"):
        load_glossary(tmp_path / "absent.tsv")


def test_edited_file_is_read_again(tmp_path):
    path = write(tmp_path, "裁谈会\tCD\t\tnoun\tx\t\tx")
    assert load_glossary(path).entries[0].en == "CD"
    path.write_text(HEADER + "\n裁谈会\tConference on Disarmament\t\tnoun\tx\t\tx\n"
                    "议程\tagenda\t\tnoun\tx\t\tx\n", encoding="utf-8")
    assert [e.en for e in load_glossary(path).entries] == ["Conference on Disarmament", "agenda"]


# --- Finding terms in text ---------------------------------------------------------------------

def test_find_in_zh_prefers_the_longest_term(gl):
    found = gl.find_in_zh("许多无核武器国家希望得到消极安全保证。")
    assert [e.zh for e in found] == ["无核武器国家", "消极安全保证"]
    # 核武器国家 and 安全保证 sit inside the longer terms and are not reported.
    assert entry(gl, "核武器国家") in gl.find_in_zh("核武器国家和无核武器国家")


def test_find_in_zh_finds_variants_and_terms_broken_across_lines(gl):
    assert entry(gl, "不扩散核武器条约") in gl.find_in_zh("《不扩散条约》审议大会")
    assert entry(gl, "消极安全保证") in gl.find_in_zh("关于消极安全\n保证的讨论")


def test_en_present_is_case_and_number_insensitive(gl):
    nsa = entry(gl, "消极安全保证")
    assert gl.en_present(nsa, "a Negative Security Assurance was given")
    assert gl.en_present(nsa, "NSAs remain on the agenda")
    assert not gl.en_present(nsa, "positive security assurances")
    states = entry(gl, "无核武器国家")
    assert gl.en_present(states, "each non-nuclear-weapon State party")
    assert gl.en_present(states, "non nuclear weapon states")
    treaty = entry(gl, "无核武器区条约")
    assert gl.en_present(treaty, "all nuclear-weapon-free zone treaties")


def test_en_present_does_not_find_a_term_inside_a_longer_compound(gl):
    nws = entry(gl, "核武器国家")
    assert not gl.en_present(nws, "assurances to non-nuclear-weapon States")
    assert gl.en_present(nws, "the nuclear-weapon States and the non-nuclear-weapon States")


def test_accented_names_and_former_names(gl):
    turkey = entry(gl, "土耳其")
    assert gl.en_present(turkey, "the representative of Türkiye")
    assert gl.en_present(turkey, "Mr. Oskiper (Turkey)")
    assert not gl.en_present(turkey, "the representative of Tunisia")


def test_acronyms_keep_their_case(gl):
    npt = entry(gl, "不扩散核武器条约")
    assert gl.en_present(npt, "the NPT review cycle")
    assert gl.en_present(npt, "the Non-Proliferation Treaty")
    assert not gl.en_present(npt, "the npt")


def test_found_in_text_counts_occurrences(gl):
    text = "消极安全保证很重要。我们讨论了消极安全保证和《不扩散条约》。澳大利亚发言。"
    counts = {e.zh: n for e, n in gl.found_in_text(text)}
    assert counts == {"消极安全保证": 2, "不扩散核武器条约": 1, "澳大利亚": 1}
    en = {e.zh: n for e, n in gl.found_in_text("The NPT and the NPT. Australia spoke.")}
    assert en == {"不扩散核武器条约": 2, "澳大利亚": 1}


def test_words_and_pairs_for_the_aligner(gl):
    words = gl.jieba_words()
    assert "消极安全保证" in words and "裁研所" in words and "NPT" not in words
    pairs = set(gl.translation_pairs())
    assert ("不扩散条约", "NPT") in pairs
    assert ("不扩散核武器条约", "Treaty on the Non-Proliferation of Nuclear Weapons") in pairs
    assert all(isinstance(z, str) and isinstance(e, str) for z, e in pairs)


# --- Lookup ----------------------------------------------------------------------------------

def test_normalise_en_folds_case_number_and_hyphens():
    assert normalise_en("Nuclear-Weapon States") == normalise_en("nuclear weapon state")
    assert normalise_en("treaties") == normalise_en("Treaty")


def test_lookup_ranks_exact_then_variant_then_partial(gl):
    matches = gl.lookup("消极安全保证")
    assert matches[0].how == "exact" and matches[0].entry.en == "negative security assurances"
    assert all(m.how == "partial" for m in matches[1:])
    npt = gl.lookup("npt")
    assert npt[0].how == "variant" and npt[0].entry.zh == "不扩散核武器条约"
    cited = gl.lookup("《不扩散条约》")
    assert cited[0].how == "variant" and cited[0].entry.zh == "不扩散核武器条约"
    zh_variant = gl.lookup("裁研所")
    assert zh_variant[0].entry.en == "United Nations Institute for Disarmament Research"


def test_lookup_english_ignores_case_and_number(gl):
    m = gl.lookup("Negative Security Assurance")
    assert m[0].how == "exact" and m[0].entry.zh == "消极安全保证"
    m = gl.lookup("nuclear weapon state")
    assert m[0].entry.zh == "核武器国家" and m[0].how == "exact"


def test_lookup_partial_lists_several_ranked(gl):
    m = gl.lookup("assurances")
    found = [x.entry.zh for x in m]
    assert {"安全保证", "消极安全保证", "积极安全保证"} <= set(found)
    assert found[0] == "安全保证"  # covers the most of its term
    scores = [x.score for x in m]
    assert scores == sorted(scores, reverse=True)


def test_fuzzy_lookup_and_suggestions(gl):
    assert gl.lookup("negative securty asurances") == []
    fuzzy = gl.lookup("negative securty asurances", fuzzy=True)
    assert fuzzy and fuzzy[0].how == "fuzzy" and fuzzy[0].entry.zh == "消极安全保证"
    near = gl.suggest("消极安全保障")
    assert near[0].entry.zh == "消极安全保证"

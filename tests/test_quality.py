"""Quality flags and summary on small hand-written alignments (no benchmark data)."""

from __future__ import annotations

import pytest

from aligner.common.errors import AlignerError
from aligner.common.formats import AlignedPair
from aligner.lexicon.glossary import Entry, Glossary
from aligner.quality.flags import (
    Flag,
    en_speaker_label,
    fit_length_model,
    flag_pairs,
    number_mismatch,
    read_hypothesis,
    summarise,
    translation_scores,
    untranslated,
)

# Ten ordinary sentence pairs of a disarmament debate, written for these tests.
PAIRS = [
    ("我们支持立即开始谈判禁止生产裂变材料条约。",
     "We support the immediate start of negotiations on a fissile material cut-off treaty."),
    ("裁军谈判会议应当尽快通过一项工作计划。",
     "The Conference on Disarmament should adopt a programme of work as soon as possible."),
    ("各国代表团欢迎主席作出的努力。",
     "Delegations welcomed the efforts made by the President."),
    ("无核武器国家希望得到具有法律约束力的安全保证。",
     "Non-nuclear-weapon States wish to receive legally binding security assurances."),
    ("我国始终支持全面彻底的核裁军。",
     "My country has always supported general and complete nuclear disarmament."),
    ("外层空间不应成为军备竞赛的新场所。",
     "Outer space should not become a new arena for an arms race."),
    ("我们感谢联合国裁军研究所提供的背景说明。",
     "We thank the United Nations Institute for Disarmament Research for its background note."),
    ("这一问题已经在议程上存在了很多年。",
     "This issue has been on the agenda for many years."),
    ("我们愿意与所有代表团进行建设性合作。",
     "We are ready to cooperate constructively with all delegations."),
    ("最后，我祝愿主席工作顺利。",
     "Finally, I wish the President every success in her work."),
]


def pair(i: int, zh: str, en: str, *, src=None, tgt=None, score=0.9, **extra) -> AlignedPair:
    return AlignedPair(tuple(src if src is not None else [i]),
                       tuple(tgt if tgt is not None else [i]), zh, en, score, extra)


def doc(rows=PAIRS) -> list[AlignedPair]:
    return [pair(i, zh, en) for i, (zh, en) in enumerate(rows)]


def codes(flags: list[Flag]) -> set[str]:
    return {f.code for f in flags}


# ------------------------------------------------------------------ numbers and symbols

@pytest.mark.parametrize("zh, en", [
    ("我宣布裁军谈判会议第1261次全体会议开始。",
     "I declare open the 1261st plenary meeting of the Conference on Disarmament."),
    ("我宣布裁军谈判会议第 1261 次全体会议开始。", "the 1261st plenary meeting"),
    ("载于 CD/WP.571/Rev.1 号文件", "contained in document CD/WP.571/Rev.1."),
    ("我于 5 月 31 日宣布", "On 31 May I announced"),
    ("二〇一二年六月十二日", "12 June 2012"),
    ("大会第六十五届会议", "the 65th session of the General Assembly"),
    ("3 000 万人", "30 million people"),
    ("上午10时15分", "at 10.15 a.m."),
    ("百分之五十", "50 per cent"),
    ("从 1960 年代末起", "since the late 1960s"),
    ("有６５个成员国", "sixty-five member States"),  # full-width digits
])
def test_numbers_that_agree_are_not_flagged(zh, en):
    assert number_mismatch(zh, en) is None


@pytest.mark.parametrize("zh, en, expect", [
    ("1978年，大会第一届特别会议通过了最后文件。",
     "In 1979, the first special session adopted its Final Document.", ["1978", "1979"]),
    ("载于 CD/WP.571 号文件", "contained in document CD/WP.571/Rev.1", ["CD/WP.571/REV.1"]),
    ("第1261次全体会议", "the 1262nd plenary meeting", ["1261", "1262"]),
    ("有 65 个成员国", "The Conference has members.", ["65 only in Chinese"]),
])
def test_numbers_that_disagree_are_flagged_with_the_culprits(zh, en, expect):
    why = number_mismatch(zh, en)
    assert why is not None
    for part in expect:
        assert part in why


# ------------------------------------------------------------------ untranslated

def test_untranslated_and_wrong_script():
    assert untranslated("Thank you.", "Thank you.") == "the same text on both sides"
    assert "no Chinese" in untranslated("We support the treaty.", "We support the treaty!")
    assert "Chinese characters" in untranslated("我们支持条约。", "We support 条约.")
    # a bare document symbol or number is the same in both languages
    assert untranslated("CD/PV.1261", "CD/PV.1261") is None
    assert untranslated("1.", "1.") is None
    assert untranslated(*PAIRS[0]) is None


# ------------------------------------------------------------------ bead shapes

def test_omissions_and_many_to_many():
    rows = doc()
    rows[3] = pair(3, PAIRS[3][0], "", tgt=[])
    rows[4:] = [pair(0, "", PAIRS[3][1], src=[], tgt=[3])] + [
        pair(i, zh, en) for i, (zh, en) in enumerate(PAIRS[4:], 4)]
    joined = AlignedPair((4, 5), (4, 5), PAIRS[4][0] + PAIRS[5][0],
                         PAIRS[4][1] + " " + PAIRS[5][1], 0.5, {})
    rows = rows[:5] + [joined] + rows[7:]
    flags = flag_pairs(rows, lexicon=None)
    assert [codes(f) for f in flags][:3] == [set(), set(), set()]
    assert "Chinese sentence with no English" in flags[3][0].reason
    assert "English sentence with no Chinese" in flags[4][0].reason
    assert "many-to-many" in codes(flags[5])
    assert "2-2" in next(f.reason for f in flags[5] if f.code == "many-to-many")


# ------------------------------------------------------------------ length ratio

def test_length_outlier_is_measured_against_the_documents_own_ratio():
    probe_zh = "我们支持这项决定。"
    probe_en = ("We support this decision, which the Conference on Disarmament adopted after "
                "long and difficult consultations with all regional groups and observers.")
    normal = doc() + [pair(10, probe_zh, probe_en)]
    flags = flag_pairs(normal, lexicon=None)
    assert "length-ratio" in codes(flags[10])
    assert not any("length-ratio" in codes(f) for f in flags[:10])

    # The same probe in a document whose English runs about twice as long is typical:
    # the ratio is estimated from the document, not fixed.
    verbose = [pair(i, zh, f"{en} {en}") for i, (zh, en) in enumerate(PAIRS)]
    verbose.append(pair(10, probe_zh, probe_en))
    model_normal, model_verbose = fit_length_model(normal), fit_length_model(verbose)
    assert model_verbose.ratio == pytest.approx(2 * model_normal.ratio, rel=0.15)
    flags = flag_pairs(verbose, lexicon=None)
    assert "length-ratio" not in codes(flags[10])


def test_length_ratio_needs_enough_beads_to_estimate():
    rows = doc()[:3] + [pair(3, "是。", "Yes, and I should like to add a few words of explanation "
                                        "on behalf of the Group of 21.")]
    assert fit_length_model(rows) is None
    assert not any("length-ratio" in codes(f) for f in flag_pairs(rows, lexicon=None))


def test_speaker_label_does_not_count_as_length():
    zh, en = PAIRS[2]
    rows = doc() + [pair(10, zh, "Mr. Akram (Pakistan) (spoke in French): " + en,
                         speaker="阿克拉姆先生(巴基斯坦)")]
    assert "length-ratio" not in codes(flag_pairs(rows, lexicon=None)[10])


# ------------------------------------------------------------------ speakers and glossary

@pytest.fixture()
def glossary() -> Glossary:
    return Glossary([
        Entry("澳大利亚", "Australia"),
        Entry("巴基斯坦", "Pakistan"),
        Entry("消极安全保证", "negative security assurance", variants_en=("NSA",)),
        Entry("裁军谈判会议", "Conference on Disarmament", variants_zh=("裁谈会",)),
        Entry("芬兰", "Finland"),
    ])


def test_english_speaker_label():
    assert en_speaker_label("Mr. Akram (Pakistan): Thank you.") == ("Mr. Akram", "Pakistan")
    assert en_speaker_label("The President (spoke in French): I thank") == ("The President", None)
    assert en_speaker_label("The Conference decided: to adopt") is None


def test_speaker_mismatch_compares_countries_through_the_glossary(glossary):
    zh = "谢谢主席女士。"
    rows = doc() + [
        pair(10, zh, "Mr. Akram (Pakistan): Thank you, Madam President.",
             speaker="伍尔科特先生(澳大利亚)"),
        pair(11, zh, "Mr. Woolcott (Australia): Thank you, Madam President.",
             speaker="伍尔科特先生（澳大利亚）"),
        pair(12, "我宣布会议开始。", "Mr. Woolcott (Australia): I declare the meeting open.",
             speaker="主席"),
        pair(13, "我宣布会议开始。", "The President: I declare the meeting open.", speaker="主席"),
    ]
    flags = flag_pairs(rows, glossary, lexicon=None)
    speaker = [next((f.reason for f in fl if f.code == "speaker"), None) for fl in flags[10:]]
    assert speaker[0] is not None and "Pakistan" in speaker[0] and "澳大利亚" in speaker[0]
    assert speaker[1] is None
    assert speaker[2] is not None
    assert speaker[3] is None


def test_glossary_term_without_its_english_is_flagged(glossary):
    zh = "我们讨论了消极安全保证问题。"
    rows = doc() + [pair(10, zh, "We discussed negative security assurances."),
                    pair(11, zh, "We discussed the NSA issue."),
                    pair(12, zh, "We discussed guarantees for non-nuclear States.")]
    flags = flag_pairs(rows, glossary, lexicon=None)
    assert "glossary" not in codes(flags[10])
    assert "glossary" not in codes(flags[11])
    reason = next(f.reason for f in flags[12] if f.code == "glossary")
    assert "消极安全保证" in reason and "negative security assurance" in reason
    assert "glossary" not in codes(flag_pairs(rows, None, lexicon=None)[12])


def test_glossary_check_spares_short_forms_and_adjectives(glossary):
    rows = doc() + [
        pair(10, "裁谈会应当通过工作计划。", "The Conference should adopt a programme of work."),
        pair(11, "裁军谈判会议应当通过工作计划。", "The Conference should adopt a programme of work."),
        pair(12, "在芬兰担任主席期间", "during the Finnish presidency"),
        pair(13, "在芬兰担任主席期间", "during the Swedish presidency"),
    ]
    flags = flag_pairs(rows, glossary, lexicon=None)
    assert [("glossary" in codes(f)) for f in flags[10:]] == [False, True, False, True]


# ------------------------------------------------------------------ lexical coverage

def _lexicon():
    from aligner.lexicon.dictionary import Lexicon, en_content_stems

    words = {"我们": "we", "支持": "support", "立即": "immediate", "开始": "start begin",
             "谈判": "negotiate negotiations", "条约": "treaty", "核武器": "nuclear weapons",
             "禁止": "ban prohibit", "工作": "work", "计划": "programme plan",
             "通过": "adopt", "会议": "conference meeting", "应当": "should"}
    table = {zh: tuple(en_content_stems(en)) for zh, en in words.items()}
    return Lexicon(table)


def test_low_lexical_coverage_is_flagged_against_the_documents_rate():
    lex = _lexicon()
    good = [("我们支持立即开始谈判禁止核武器条约。",
             "We support the immediate start of negotiations on a treaty banning nuclear weapons."),
            ("会议应当通过工作计划。", "The conference should adopt a programme of work.")]
    rows = [pair(i, *good[i % 2]) for i in range(10)]
    rows.append(pair(10, good[0][0],
                     "Outer space should not become a new arena for an arms race, she said."))
    flags = flag_pairs(rows, lexicon=lex)
    assert "low-coverage" in codes(flags[10])
    assert "0 of" in next(f.reason for f in flags[10] if f.code == "low-coverage")
    assert not any("low-coverage" in codes(f) for f in flags[:10])
    # without a lexicon the check is skipped, not failed
    assert "low-coverage" not in codes(flag_pairs(rows, lexicon=None)[10])


# ------------------------------------------------------------------ summary

def test_summary_counts():
    rows = doc()[:4] + [pair(4, PAIRS[4][0], "", tgt=[], score=0.2),
                        AlignedPair((5, 6), (4,), PAIRS[5][0] + PAIRS[6][0], PAIRS[5][1], 0.4, {})]
    flags = flag_pairs(rows, lexicon=None)
    s = summarise(rows, flags)
    assert s["beads"] == 6
    assert s["sentences"] == {"zh": 7, "en": 5}
    assert s["bead_types"] == {"1-1": 4, "1-0": 1, "2-1": 1}
    assert s["coverage"]["zh"] == pytest.approx(6 / 7)
    assert s["coverage"]["en"] == pytest.approx(1.0)
    assert s["mean_score"] == pytest.approx((4 * 0.9 + 0.2 + 0.4) / 6)
    assert s["low_confidence"] == 2
    assert sum(s["score_histogram"]) == 6 and s["score_histogram"][2] == 1
    assert s["flagged"] == sum(1 for f in flags if f) and s["flags"]["omission"] == 1


# ------------------------------------------------------------------ MT metrics

def test_translation_scores_join_hypothesis_lines_per_bead(tmp_path):
    rows = [pair(0, PAIRS[0][0], PAIRS[0][1]),
            AlignedPair((1, 2), (1,), PAIRS[1][0] + PAIRS[2][0],
                        PAIRS[1][1] + " " + PAIRS[2][1], 0.8, {}),
            pair(3, PAIRS[3][0], "", tgt=[])]
    hyp = tmp_path / "hyp.txt"
    hyp.write_text(f"{PAIRS[0][1]}\n{PAIRS[1][1]}\n{PAIRS[2][1]}\nanything\n", encoding="utf-8")
    lines = read_hypothesis(hyp, 4)
    scores = translation_scores(rows, lines)
    assert scores["segments"] == 2
    assert scores["metrics"]["BLEU"]["score"] == pytest.approx(100.0)
    assert scores["metrics"]["chrF"]["score"] == pytest.approx(100.0)
    assert scores["metrics"]["TER"]["score"] == pytest.approx(0.0)
    assert "nrefs:1" in scores["metrics"]["BLEU"]["signature"]
    worse = translation_scores(rows, ["We support talks.", "Adopt a plan.", "Thanks.", ""])
    assert worse["metrics"]["BLEU"]["score"] < 30
    assert worse["metrics"]["TER"]["score"] > 50
    with pytest.raises(AlignerError, match="4 lines, but the alignment has 5"):
        read_hypothesis(hyp, 5)

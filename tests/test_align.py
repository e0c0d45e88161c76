"""The aligner core on small hand-made pairs: bead types, anchors, gaps, bad input."""

from __future__ import annotations

import random

import pytest

from aligner.align.passes import align_sentences
from aligner.common.errors import AlignerError
from aligner.common.types import Bead

# Hand-written Chinese-English sentence pairs (disarmament domain); test_align_cli uses them too.
PAIRS = [
    ("主席宣布裁军谈判会议第1261次全体会议开会。",
     "The President declared open the 1261st plenary meeting of the Conference on Disarmament."),
    ("澳大利亚代表发言。", "The representative of Australia took the floor."),
    ("他提到了1978年举行的第一届裁军特别联大。",
     "He referred to the first special session on disarmament, held in 1978."),
    ("安全理事会第984(1995)号决议仍然有效。",
     "Security Council resolution 984 (1995) remains valid."),
    ("工作文件CD/WP.571/Rev.1已经分发给各代表团。",
     "Working paper CD/WP.571/Rev.1 has been distributed to all delegations."),
    ("核裁军是本会议的优先事项。", "Nuclear disarmament is a priority for this Conference."),
    ("我们支持立即开始谈判禁止生产裂变材料的条约。",
     "We support the immediate start of negotiations on a treaty banning the production of "
     "fissile material."),
    ("谢谢主席先生。", "Thank you, Mr. President."),
    ("下一次全体会议将于星期四上午十时举行。",
     "The next plenary meeting will be held on Thursday at 10 a.m."),
    ("吴海涛先生代表中国发言。", "Mr. Wu Haitao spoke on behalf of China."),
    ("天野先生感谢秘书处的工作。", "Mr. Amano thanked the secretariat for its work."),
    ("外层空间不应成为军备竞赛的场所。", "Outer space should not become an arena for an arms race."),
    ("各国应当履行核不扩散条约规定的义务。",
     "States should fulfil their obligations under the Non-Proliferation Treaty."),
    ("会议于中午12时散会。", "The meeting rose at 12 noon."),
]

ZH = [z for z, _ in PAIRS]
EN = [e for _, e in PAIRS]


def links(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src_ids, b.tgt_ids) for b in beads]


def check_cover(beads: list[Bead], n: int, m: int) -> None:
    """Monotone, in order, every sentence of both sides in exactly one bead."""
    src = [i for b in beads for i in b.src_ids]
    tgt = [j for b in beads for j in b.tgt_ids]
    assert src == list(range(n))
    assert tgt == list(range(m))
    assert all(b.src_ids or b.tgt_ids for b in beads)


def test_one_to_one():
    beads = align_sentences(ZH, EN)
    assert links(beads) == [((i,), (i,)) for i in range(len(ZH))]
    assert all(0.0 <= b.score <= 1.0 for b in beads)
    assert all("lex" in b.features for b in beads)


def test_one_to_two():
    en = EN[:6] + ["We support the immediate start of negotiations.",
                   "The treaty would ban the production of fissile material."] + EN[7:]
    beads = align_sentences(ZH, en)
    check_cover(beads, len(ZH), len(en))
    assert ((6,), (6, 7)) in links(beads)
    assert ((5,), (5,)) in links(beads) and ((7,), (8,)) in links(beads)


def test_two_to_one():
    zh = ZH[:1] + ["澳大利亚代表发言。", "他谈到了外层空间的军备竞赛问题。"] + ZH[2:]
    en = EN[:1] + ["The representative of Australia took the floor and spoke about the arms "
                   "race in outer space."] + EN[2:]
    beads = align_sentences(zh, en)
    check_cover(beads, len(zh), len(en))
    assert ((1, 2), (1,)) in links(beads)
    assert ((3,), (2,)) in links(beads)


def test_one_to_three():
    en = EN[:4] + ["A working paper was issued.", "Its symbol is CD/WP.571/Rev.1.",
                   "It has been distributed to all delegations."] + EN[5:]
    beads = align_sentences(ZH, en)
    check_cover(beads, len(ZH), len(en))
    assert ((4,), (4, 5, 6)) in links(beads)


def test_deleted_sentence():
    # the English translation leaves out sentence 6; its neighbours must stay right
    en = EN[:6] + EN[7:]
    beads = align_sentences(ZH, en)
    check_cover(beads, len(ZH), len(en))
    got = links(beads)
    for i in range(len(ZH)):
        if i in (5, 6, 7):
            continue
        assert ((i,), (i if i < 6 else i - 1,)) in got
    assert not any(b.src_ids == (6,) and b.tgt_ids == (6,) for b in beads)


def test_inserted_sentence():
    en = EN[:3] + ["(The speaker then left the room for a moment while the interpreters "
                   "were being replaced by the afternoon team.)"] + EN[3:]
    beads = align_sentences(ZH, en)
    check_cover(beads, len(ZH), len(en))
    got = links(beads)
    assert ((0,), (0,)) in got and ((5,), (6,)) in got and ((13,), (14,)) in got
    assert ((3,), (4,)) in got


def test_numbers_decide_which_sentence_is_missing():
    zh = ["该条约于1968年开放供签署。", "该条约于1970年生效。", "该条约于1995年无限期延长。"]
    en = ["The treaty was opened for signature in 1968.",
          "The treaty was extended indefinitely in 1995."]
    beads = align_sentences(zh, en)
    check_cover(beads, 3, 2)
    # 1995 is only in the last pair: whatever becomes of 1970, 1995 finds its partner
    assert ((2,), (1,)) in links(beads)
    assert any(0 in b.src_ids and 0 in b.tgt_ids for b in beads)


def test_document_symbol_is_an_anchor():
    zh = ["文件CD/1864已分发。", "文件CD/WP.571/Rev.1已分发。"]
    en = ["Document CD/WP.571/Rev.1 has been circulated."]
    beads = align_sentences(zh, en)
    check_cover(beads, 2, 1)
    assert any(1 in b.src_ids and 0 in b.tgt_ids for b in beads)


def test_unmatched_number_lowers_the_score():
    from aligner.align.features import en_features, zh_features
    from aligner.align.passes import _lexicon

    zf = zh_features(["该条约于1970年生效。"], _lexicon())
    ef = en_features(["The treaty entered into force in 1970."])
    assert "n:1970" in zf.keys[0] and "n:1970" in ef.keys[0]
    assert int(zf.anchor_bits[0]) and int(ef.anchor_bits[0])


@pytest.mark.parametrize("seed", range(6))
def test_random_pairs_cover_everything(seed):
    rng = random.Random(seed)
    zh = [rng.choice(ZH) for _ in range(rng.randint(1, 25))]
    en = [rng.choice(EN) for _ in range(rng.randint(1, 25))]
    beads = align_sentences(zh, en)
    check_cover(beads, len(zh), len(en))
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def test_empty_side_is_an_error():
    with pytest.raises(AlignerError, match="empty"):
        align_sentences(ZH, [])
    with pytest.raises(AlignerError, match="empty"):
        align_sentences(["  ", ""], EN)


def test_same_language_is_an_error():
    with pytest.raises(AlignerError, match="same language"):
        align_sentences(EN, EN)
    with pytest.raises(AlignerError, match="same language"):
        align_sentences(ZH, ZH)


def test_align_segments_keeps_turns_and_covers():
    from aligner.align.passes import align_segments
    from aligner.common.types import Segment

    src = [Segment(i, z, paragraph=i // 4, turn=i // 4) for i, z in enumerate(ZH)]
    tgt = [Segment(i, e, paragraph=i // 4, turn=i // 4) for i, e in enumerate(EN)]
    beads = align_segments(src, tgt)
    assert links(beads) == [((i,), (i,)) for i in range(len(ZH))]


def test_repeated_text_stays_on_the_diagonal():
    # the same sentences over and over: every rare word recurs, yet the band must not drift
    # onto another repetition
    zh, en = ZH * 25, EN * 25
    del en[200]
    beads = align_sentences(zh, en)
    check_cover(beads, len(zh), len(en))
    got = set(links(beads))
    right = sum(((i,), (i if i < 200 else i - 1,)) in got for i in range(len(zh)))
    assert right >= len(zh) - 3


def test_clause_prior_is_measured_on_the_pair():
    # a path where the two-clause sentences became two English ones, the others one
    from aligner.align.passes import BEAD_TYPES, INITIAL_PRIOR, N_BUCKETS, _clause_prior

    path = [(1, 1), (1, 2), (1, 1), (1, 2), (1, 1), (0, 1)]
    clauses = __import__("numpy").array([0, 1, 0, 1, 0])
    cp = _clause_prior(path, clauses, dict(INITIAL_PRIOR), alpha=1.0)
    assert set(cp) == set(BEAD_TYPES) and all(len(v) == N_BUCKETS for v in cp.values())
    assert cp[(1, 2)][1] > cp[(1, 1)][1]  # one clause mark: 1-2 is the document's habit
    assert cp[(1, 1)][0] > cp[(1, 2)][0]
    assert all((v > 0).all() for v in cp.values())  # backed off: nothing impossible


def test_one_to_five():
    en = EN[:4] + ["A working paper was issued.", "Its symbol is CD/WP.571/Rev.1.",
                   "It is a revision.", "It has been distributed.",
                   "All delegations have it."] + EN[5:]
    beads = align_sentences(ZH, en)
    check_cover(beads, len(ZH), len(en))
    assert ((4,), (4, 5, 6, 7, 8)) in links(beads)
    assert ((3,), (3,)) in links(beads) and ((5,), (9,)) in links(beads)


def test_without_clause_prior_or_long_beads():
    beads = align_sentences(ZH, EN, clause_alpha=0, max_run=4)
    assert links(beads) == [((i,), (i,)) for i in range(len(ZH))]


def test_stray_sentence_is_a_calibration_feature():
    # a bead that took the English sentence of its neighbour: that sentence's best match is
    # the next Chinese sentence, outside the bead
    from aligner.align import features as A
    from aligner.align.passes import _lexicon, _path_evidence

    zf, ef = A.zh_features(ZH[:3], _lexicon()), A.en_features(EN[:3])
    flat = A.FlatKeys.build(zf, ef)

    def stray(path):  # of the path's first bead
        return _path_evidence(zf, ef, flat, path, 1.3, 7.0)[2][0]

    assert stray([(1, 1), (1, 1), (1, 1)]) == 0.0
    assert stray([(1, 2), (1, 0), (1, 1)]) > 0.0
    assert stray([(1, 0), (2, 3)]) == 0.0
    beads = align_sentences(ZH, EN)
    assert all("stray" in b.features for b in beads)


def test_context_features_for_calibration():
    # features beyond the bead: merging with a neighbour, the neighbours, the document
    beads = align_sentences(ZH, EN, clause_alpha=0, max_run=4)
    assert all(len(b.src_ids) == len(b.tgt_ids) == 1 for b in beads)
    assert all(b.features["doc_side"] == 1.0 for b in beads)
    assert beads[0].features["edge"] == 0.0
    assert all(0.0 <= b.features["edge"] <= 0.5 for b in beads)
    # two 1-1 beads merge into a 2-2, which a clean 1-1 document makes costly
    assert all(-3.0 <= b.features["merge_gain"] < 0.0 for b in beads)
    assert all(b.features["nb_skip"] == 0.0 for b in beads)


def test_quotation_ends_on_both_sides():
    # the English closes the President's speech one sentence later than the Chinese sentence
    # boundary suggests; its last sentence shares a word with the next Chinese sentence, and
    # only the closing quotation mark says where it belongs
    zh = ZH[:3] + ["主席说：“会议明天继续。就这样吧。”", "代表们都表示同意。"] + ZH[3:]
    en = EN[:3] + ["The President said, 'The meeting will continue tomorrow.",
                   "The representatives may decide.'", "The representatives all agreed."] + EN[3:]
    beads = align_sentences(zh, en)
    check_cover(beads, len(zh), len(en))
    assert ((3,), (3, 4)) in links(beads) and ((4,), (5,)) in links(beads)
    assert ((3,), (3, 4)) not in links(align_sentences(zh, en, w_quote=0))


def test_speech_tag_goes_with_the_sentence_that_introduces_the_speech():
    # the English tag sentence ("...,' he said.") shares its words with the next Chinese
    # sentence, which continues the speech: only the speech the Chinese opens in the one
    # before says where the tag belongs
    zh = ZH[:3] + ["主席站了起来，说：“今天就到这里。", "代表们，会议明天继续，请回去休息吧。”"] + ZH[3:]
    en = EN[:3] + ["The President stood up.", "'Rest now, representatives,' he said.",
                   "'Please go back.'"] + EN[3:]
    beads = align_sentences(zh, en)
    check_cover(beads, len(zh), len(en))
    assert ((3,), (3, 4)) in links(beads) and ((4,), (5,)) in links(beads)
    assert ((3,), (3, 4)) not in links(align_sentences(zh, en, w_tag=0))


def test_speech_introductions_and_tags():
    from aligner.align.features import en_speech_tag, zh_opens_speech

    assert zh_opens_speech("韦小宝笑道：“我一定不做坏事。") and zh_opens_speech("他说: 「好。」")
    assert not zh_opens_speech("再说，只消做得几件坏事。") and not zh_opens_speech("“好。”")
    assert en_speech_tag("'I promise,' he said.") and en_speech_tag("'Why?' asked Gu.")
    assert en_speech_tag("That would be terrible, ' said Trinket.")
    assert en_speech_tag('"Go home," the old eunuch muttered.')
    # an opening mark before the verb, or a verb without a quotation, is not a tag
    assert not en_speech_tag("'You said it made you cough.'")
    assert not en_speech_tag("She said it was no sin.")


def test_closing_quotation_marks():
    from aligner.align.features import en_ends_quote, zh_ends_quote

    assert zh_ends_quote("他说：“我去。”") and zh_ends_quote("「好。」 ")
    assert not zh_ends_quote("他说：“我去。”然后走了。")
    assert en_ends_quote("'I am going.'") and en_ends_quote('He said, "Go."')
    assert en_ends_quote("'Who is there?' ") and en_ends_quote("“Fine.”")
    assert not en_ends_quote("'I am going,' he said.")
    assert not en_ends_quote("He didn't go.") and not en_ends_quote("'")
    # a closing mark typeset with a space before it ("..., ' said Gu.") still closes
    assert en_ends_quote("That would be terrible, '") and en_ends_quote("Go away. '")


def test_spaced_closing_single_quote_is_a_quotation_mark():
    from aligner.align.features import en_features

    units = en_features(["'Right, ' said Trinket.", "the girls' books"]).units
    assert units[0].count(["p:q"]) == 2
    assert ["p:q"] not in units[1]


def test_quotation_cue_is_off_when_one_side_never_closes_quotes():
    # the Chinese quotes its speakers, the English reports their speech: the quotation marks
    # of one side must not push the beads around, however much the cue is trusted (unguarded,
    # a weight of 1 merges the quoted sentence with its neighbour into a 2-3 bead)
    from aligner.align.passes import _quote_balance

    zh = ZH[:3] + ["主席说：“会议明天继续。就这样吧。”", "代表们都表示同意。"] + ZH[3:]
    en = EN[:3] + ["The President said that the meeting would continue the next day.",
                   "The representatives could decide.", "The representatives all agreed."
                   ] + EN[3:]
    assert links(align_sentences(zh, en, w_quote=1)) == links(align_sentences(zh, en, w_quote=0))
    assert _quote_balance([True, False], [False, False]) == 0.0
    assert _quote_balance([True, True, False], [True, False, True]) == 1.0
    assert _quote_balance([True] * 4, [True, False, False, False]) == 0.5

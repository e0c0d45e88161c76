"""Constrained re-alignment: fixed beads stay, the stretches between them are aligned again."""

from __future__ import annotations

import pytest

from aligner.align.passes import align_sentences
from aligner.align.realign import confirmed_pairs, realign, stretches
from aligner.common.types import Bead

import records
from reviewing import CUT, MERGED, ids, planted_beads

SRC, TGT = records.sentences("zh"), records.sentences("en")


def test_stretches_are_the_runs_between_fixed_beads():
    beads = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((3,), ()), Bead((), (2,)),
             Bead((4,), (3, 4))]
    got = stretches(beads, [False, True, False, False, True])
    assert [(s.first, s.last, s.src, s.tgt) for s in got] == [
        (0, 1, range(0, 1), range(0, 1)), (2, 4, range(3, 4), range(2, 3))]
    assert stretches(beads, [True] * 5) == []
    assert len(stretches(beads, [False] * 5)) == 1


def test_nothing_fixed_is_the_aligner_itself():
    free = align_sentences(SRC, TGT)
    got = realign(SRC, TGT, planted_beads(), [False] * len(planted_beads()))
    assert ids(got) == ids(free)


def test_planted_mistakes_between_fixed_beads_are_repaired():
    beads = planted_beads()
    fixed = [k in (CUT - 1, CUT + 3, MERGED - 2, MERGED + 2) for k in range(len(beads))]
    got = realign(SRC, TGT, beads, fixed)
    assert ids(got) == ids(records.gold_beads())
    for k, b in enumerate(beads):
        if fixed[k]:
            assert any(g is b for g in got)  # kept as it was, score and all


def test_a_fixed_bead_the_aligner_would_not_choose_is_kept_and_the_rest_fits_round_it():
    gold = records.gold_beads()
    # a reviewer insists that gold beads 20 and 21 are one bead
    forced = Bead(gold[20].src_ids + gold[21].src_ids, gold[20].tgt_ids + gold[21].tgt_ids, 1.0)
    beads = [*gold[:20], forced, *gold[22:]]
    fixed = [b is forced for b in beads]
    got = realign(SRC, TGT, beads, fixed)
    assert forced in got
    k = got.index(forced)
    # every sentence still in exactly one bead, in order, around the forced one
    assert [i for b in got for i in b.src_ids] == list(range(len(SRC)))
    assert [j for b in got for j in b.tgt_ids] == list(range(len(TGT)))
    assert ids(got[:k]) == ids(gold[:20]) and ids(got[k + 1:]) == ids(gold[22:])


def test_only_re_aligns_the_stretch_holding_the_bead():
    beads = planted_beads()
    fixed = [k == 20 for k in range(len(beads))]
    got = realign(SRC, TGT, beads, fixed, only=MERGED + 1)
    assert ids(got[:21]) == ids(beads[:21])  # the first stretch is left as it was
    assert ids(got[21:]) == ids(records.gold_beads()[20:])


def test_a_stretch_with_one_side_empty_becomes_unmatched_sentences():
    beads = [Bead((0,), (0,)), Bead((1, 2), ()), Bead((3,), (1,))]
    src = ["我们欢迎他。", "谢谢。", "会议开始。", "散会。"]
    tgt = ["We welcome him.", "The meeting rose."]
    got = realign(src, tgt, beads, [True, False, True])
    assert ids(got) == [((0,), (0,)), ((1,), ()), ((2,), ()), ((3,), (1,))]


def test_beads_that_do_not_cover_the_text_are_refused():
    with pytest.raises(ValueError):
        realign(["一。", "二。"], ["One."], [Bead((0,), (0,))], [False])
    with pytest.raises(ValueError):
        realign(["一。"], ["One."], [Bead((1,), (0,))], [False])


def test_confirmed_beads_teach_word_pairs_the_dictionary_lacks():
    src = ["兹沃格先生发言。", "我们欢迎兹沃格的报告。", "主席感谢兹沃格。"]
    tgt = ["Mr. Zwog spoke.", "We welcome the Zwog report.", "The President thanked him."]
    beads = [Bead((k,), (k,)) for k in range(3)]
    learned = confirmed_pairs(src, tgt, beads, [True, True, False])
    assert any("zwog" in ys for ys in learned.values())
    assert confirmed_pairs(src, tgt, beads, [False, False, False]) == {}


def test_what_the_confirmations_teach_is_evidence_in_the_stretches():
    src = ["兹沃格先生发言。", "我们欢迎兹沃格的报告。", "兹沃格感谢主席。"]
    tgt = ["Mr. Zwog spoke.", "We welcome the Zwog report.", "Zwog thanked the President."]
    beads = [Bead((k,), (k,)) for k in range(3)]
    fixed = [True, True, False]
    taught = realign(src, tgt, beads, fixed)[2].features
    untaught = realign(src, tgt, beads, fixed, learned={})[2].features
    assert taught["cz"] > untaught["cz"] and taught["lex"] > untaught["lex"]

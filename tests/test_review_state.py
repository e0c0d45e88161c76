"""The alignment under review: operations, saving, the undo history and what survives a crash."""

from __future__ import annotations

import json

import pytest

from aligner.common.errors import AlignerError
from aligner.common.formats import join_sentences, read_alignment_jsonl
from aligner.review.state import BadOperation, Conflict, Review, sidecar_path

import records
from reviewing import CUT, MERGED, ids, planted_beads, read_jsonl, write_alignment_file


@pytest.fixture
def path(tmp_path):
    return write_alignment_file(tmp_path / "rec.jsonl")


def check_file(path, review=None):
    """The file reads back as a valid alignment covering every sentence once, each bead's
    text being its sentences joined, and (given ``review``) as the review holds it."""
    pairs = read_alignment_jsonl(path)
    src, tgt = records.sentences("zh"), records.sentences("en")
    assert sum(len(p.src_ids) for p in pairs) == len(src)
    assert sum(len(p.tgt_ids) for p in pairs) == len(tgt)
    for p in pairs:
        assert p.src == join_sentences([src[i] for i in p.src_ids], "zh")
        assert p.tgt == join_sentences([tgt[j] for j in p.tgt_ids], "en")
        assert p.extra["status"] in ("auto", "confirmed")
        assert p.extra["src_sentences"] == [src[i] for i in p.src_ids]
    if review is not None:
        assert ids(read_jsonl(path)) == ids(review.beads)
    return pairs


def test_writer_keeps_its_keys_and_adds_each_sentence(path):
    rec = read_jsonl(path)[0]
    assert list(rec)[:6] == ["src_ids", "tgt_ids", "src", "tgt", "score", "kind"]
    assert rec["src_sentences"] == [records.sentences("zh")[0]]
    assert rec["tgt_sentences"] == [records.sentences("en")[0]]


def test_open_shows_every_bead_auto_with_flags(path):
    review = Review(path)
    snap = review.snapshot()
    assert snap["version"] == 0 and len(snap["beads"]) == len(planted_beads())
    assert {b["status"] for b in snap["beads"]} == {"auto"}
    cut_tail = snap["beads"][CUT + 1]
    assert cut_tail["src_ids"] == [] and "omission" in cut_tail["flags"]
    assert any(r.startswith("omission: ") for r in cut_tail["reasons"])
    assert snap["beads"][0]["speaker"] == "主席"


def test_confirm_is_saved_at_once_with_its_history(path):
    review = Review(path)
    review.apply(0, "confirm", 3)
    assert read_jsonl(path)[3]["status"] == "confirmed"
    assert [r["status"] for r in read_jsonl(path)].count("confirmed") == 1
    side = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    assert side["version"] == 1 and len(side["undo"]) == 1
    again = Review(path)
    assert again.version == 1 and len(again.undo) == 1
    assert again.beads[3]["status"] == "confirmed"
    again.apply(1, "unconfirm", 3)
    assert read_jsonl(path)[3]["status"] == "auto"


def test_fixing_the_planted_mistakes_gives_the_gold_alignment(path):
    review = Review(path)
    v = review.version
    # the cut 1-2 bead: merge its two halves back
    review.apply(v, "merge", CUT)
    # the 2-2 bead (now at MERGED, one bead fewer before it): split it into its two 1-1s
    review.apply(review.version, "split", MERGED)
    pairs = check_file(path, review)
    assert ids(pairs_to_dicts(pairs)) == ids(records.gold_beads())


def pairs_to_dicts(pairs):
    return [{"src_ids": p.src_ids, "tgt_ids": p.tgt_ids} for p in pairs]


def test_shift_moves_one_sentence_into_the_neighbour(path):
    review = Review(path)
    before = ids(review.beads)
    # the unmatched English sentence after the cut bead goes up into it: a 1-2 again
    review.apply(0, "shift", CUT + 1, side="tgt", direction="up")
    after = ids(review.beads)
    assert len(after) == len(before) - 1  # the emptied bead is gone
    assert after[CUT] == (before[CUT][0], before[CUT][1] + before[CUT + 1][1])
    check_file(path, review)
    # and down again: the last English sentence of bead CUT into bead CUT + 1
    review.apply(review.version, "shift", CUT, side="tgt", direction="down")
    assert ids(review.beads)[CUT] == before[CUT]
    assert ids(review.beads)[CUT + 1][1][0] == before[CUT + 1][1][0]
    check_file(path, review)


def test_shift_on_the_chinese_side(path):
    review = Review(path)
    before = ids(review.beads)
    review.apply(0, "shift", 5, side="src", direction="up")
    assert ids(review.beads)[4] == (before[4][0] + before[5][0], before[4][1])
    assert ids(review.beads)[5] == ((), before[5][1])
    check_file(path, review)


def test_unmatch_takes_a_sentence_out_on_either_side(path):
    review = Review(path)
    before = ids(review.beads)
    review.apply(0, "unmatch", 2, side="src", at="last")
    assert ids(review.beads)[2:4] == [((), before[2][1]), (before[2][0], ())]
    review.apply(review.version, "unmatch", 6, side="tgt", at="first")
    assert ids(review.beads)[6:8] == [((), before[5][1]), (before[5][0], ())]
    check_file(path, review)


def test_undo_and_redo_walk_the_whole_history_even_after_reopening(path):
    original = path.read_bytes()
    review = Review(path)
    states = [ids(review.beads)]
    for op, k, args in [("confirm", 0, {}), ("merge", 4, {}), ("split", 4, {}),
                        ("shift", 8, {"side": "src", "direction": "down"}),
                        ("unmatch", 15, {"side": "tgt", "at": "last"})]:
        review.apply(review.version, op, k, **args)
        states.append(ids(review.beads))
    review = Review(path)  # a new process would see the same
    assert len(review.undo) == 5
    for expected in reversed(states[:-1]):
        review.apply(review.version, "undo")
        assert ids(review.beads) == expected
        assert ids(read_jsonl(path)) == expected
    with pytest.raises(BadOperation):
        review.apply(review.version, "undo")
    # back to the original beads (the file gained only the review's own keys)
    assert [(r["src_ids"], r["tgt_ids"], r["score"]) for r in read_jsonl(path)] == \
        [(json.loads(x)["src_ids"], json.loads(x)["tgt_ids"], json.loads(x)["score"])
         for x in original.decode().splitlines()]
    review = Review(path)
    for expected in states[1:]:
        review.apply(review.version, "redo")
        assert ids(review.beads) == expected
    # a new operation after undo drops the redo stack
    review.apply(review.version, "undo")
    review.apply(review.version, "confirm", 1)
    with pytest.raises(BadOperation):
        review.apply(review.version, "redo")


def test_a_stale_version_is_refused_and_nothing_written(path):
    review = Review(path)
    review.apply(0, "confirm", 1)
    saved = path.read_bytes()
    with pytest.raises(Conflict, match="reload: the alignment changed"):
        review.apply(0, "merge", 1)
    assert path.read_bytes() == saved


def test_a_file_changed_behind_the_server_is_reloaded_not_overwritten(path):
    review = Review(path)
    review.apply(0, "confirm", 1)
    other = Review(path)          # a second server on the same file
    other.apply(1, "confirm", 2)
    with pytest.raises(Conflict):
        review.apply(1, "merge", 5)
    assert review.beads[2]["status"] == "confirmed"   # it now sees the other's change
    assert read_jsonl(path)[2]["status"] == "confirmed"
    review.apply(review.version, "merge", 5)           # and works on from there
    assert read_jsonl(path)[2]["status"] == "confirmed"


def test_killed_between_the_two_writes_the_step_is_finished_on_reopening(path):
    review = Review(path)
    review.apply(0, "confirm", 0)
    before = path.read_bytes()
    review.apply(1, "merge", 7)
    expected = ids(review.beads)
    # the sidecar reached the disk, the alignment did not: put the old alignment back
    path.write_bytes(before)
    again = Review(path)
    assert ids(again.beads) == expected and ids(read_jsonl(path)) == expected
    assert again.notice and "resumed" in again.notice
    # the finished step wrote what the history expects: the next opening is a plain one
    third = Review(path)
    assert third.notice is None and len(third.undo) == 2
    third.apply(third.version, "undo")
    assert ids(read_jsonl(path)) == ids(read_jsonl_bytes(before))


def read_jsonl_bytes(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode().splitlines()]


def test_an_alignment_edited_by_hand_starts_a_new_history(path):
    review = Review(path)
    review.apply(0, "confirm", 0)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-1] + [lines[-1].replace('"auto"', '"confirmed"')]) + "\n",
                    encoding="utf-8")
    again = Review(path)
    assert again.undo == [] and "changed outside" in again.notice
    assert again.beads[-1]["status"] == "confirmed" and again.beads[0]["status"] == "confirmed"


def test_bad_operations_are_refused_without_a_change(path):
    review = Review(path)
    saved = path.read_bytes()
    n = len(review.beads)
    for op, k, args in [("explode", 0, {}), ("merge", n - 1, {}), ("confirm", n, {}),
                        ("confirm", -1, {}), ("split", 0, {}),
                        ("shift", 0, {"side": "src", "direction": "up"}),
                        ("shift", 0, {"side": "left", "direction": "up"}),
                        ("unmatch", CUT + 1, {"side": "tgt"}), ("redo", None, {})]:
        with pytest.raises(BadOperation):
            review.apply(0, op, k, **args)
    assert path.read_bytes() == saved and review.version == 0


def test_an_old_file_without_sentences_opens_when_every_side_is_one_sentence(tmp_path):
    path = write_alignment_file(tmp_path / "old.jsonl")
    rows = read_jsonl(path)
    for r in rows:
        del r["src_sentences"], r["tgt_sentences"]
    one = [r for r in rows if len(r["src_ids"]) <= 1 and len(r["tgt_ids"]) <= 1]
    assert len(one) < len(rows)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    with pytest.raises(AlignerError, match="without (src|tgt)_sentences"):
        Review(path)


def test_realign_keeps_confirmed_beads_and_repairs_between(path):
    review = Review(path)
    gold = ids(records.gold_beads())
    # confirm the beads either side of the two planted mistakes (file numbering)
    for k in (CUT - 1, CUT + 3, MERGED - 2, MERGED + 2):
        review.apply(review.version, "confirm", k)
    confirmed = {ids(review.beads)[k] for k in (CUT - 1, CUT + 3, MERGED - 2, MERGED + 2)}
    review.apply(review.version, "realign", None)
    after = ids(review.beads)
    assert after == gold
    assert confirmed <= set(after)
    assert [b["status"] for b in review.beads].count("confirmed") == 4
    check_file(path, review)
    review.apply(review.version, "undo")
    assert ids(review.beads) == ids(planted_beads())


def test_flags_written_by_aligner_run_stand_and_their_reasons_come_when_asked(tmp_path):
    beads = planted_beads()
    path = write_alignment_file(tmp_path / "run.jsonl", beads)
    rows = read_jsonl(path)
    # as aligner run writes them: codes on the flagged beads only
    rows[CUT + 1]["flags"] = ["omission"]
    rows[4]["flags"] = ["low-coverage"]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    review = Review(path)
    snap = review.snapshot()
    assert [b["flags"] for b in snap["beads"]].count([]) == len(rows) - 2
    assert snap["beads"][CUT + 1]["reasons"] == []          # not worked out yet
    assert review.reasons(CUT + 1) == ["omission: English sentence with no Chinese partner"]
    assert review.reasons(4)[0].startswith("low-coverage: ")
    assert json.loads(review.snapshot_json())["beads"][CUT + 1]["reasons"] == \
        ["omission: English sentence with no Chinese partner"]
    # a changed bead is flagged afresh
    review.apply(0, "merge", CUT)
    assert review.snapshot()["beads"][CUT]["flags"] == []


def test_an_edited_bead_is_saved_with_its_flags(path):
    review = Review(path)
    review.apply(0, "unmatch", 7, side="src", at="first")
    assert read_jsonl(path)[7].get("flags") == ["omission"]
    assert Review(path).snapshot()["beads"][7]["flags"] == ["omission"]


def test_snapshot_json_is_the_snapshot(path):
    review = Review(path)
    assert json.loads(review.snapshot_json()) == review.snapshot()
    review.apply(0, "merge", 3)
    review.apply(1, "confirm", 7)
    assert json.loads(review.snapshot_json()) == review.snapshot()


def test_killed_during_the_very_first_operation(path):
    before = path.read_bytes()
    review = Review(path)
    review.apply(0, "split", MERGED + 1)
    expected = path.read_bytes()
    path.write_bytes(before)          # the alignment's rename never happened
    again = Review(path)
    assert "resumed" in again.notice and path.read_bytes() == expected
    assert Review(path).notice is None


@pytest.mark.parametrize("speakers", [True, False])
def test_realign_of_a_record_finds_a_sentence_one_version_leaves_out(tmp_path, speakers):
    # the English leaves out "I have four delegations ..."; the file has its Chinese merged
    # into the next bead. A record's alignment (speakers named) is re-aligned with the
    # records' settings, which give the sentence its own 1-0 bead; lines the user gave keep
    # the general ones, under which it stays merged
    from aligner.common.formats import write_alignment
    from aligner.common.types import Bead

    k = records.SENTENCES_EN.index("I have four delegations on the list of speakers for today.")
    tgt = records.SENTENCES_EN[:k] + records.SENTENCES_EN[k + 1:]
    gold, planted, pending = [], [], ()
    for zh, en in records.ALIGNMENT:
        bead = (zh, tuple(j - (j > k) for j in en if j != k))
        gold.append(bead)
        if not bead[1]:
            pending = zh  # the untranslated sentence goes into the next bead
            continue
        planted.append((pending + bead[0], bead[1]))
        pending = ()
    skipped = [b for b in gold if not b[1]]
    assert len(skipped) == 1 and skipped[0] not in planted
    beads = [Bead(zh, en, 0.9) for zh, en in planted]
    extras = [{"speaker": "主席"} for _ in beads] if speakers else None
    path = tmp_path / "r.jsonl"
    write_alignment(path, beads, records.SENTENCES_ZH, tgt, "jsonl", extras)
    review = Review(path)
    assert review.record is speakers
    review.apply(review.version, "realign", None)
    assert (ids(review.beads) == gold) is speakers

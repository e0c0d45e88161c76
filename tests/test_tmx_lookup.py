"""Fuzzy lookup: the index finds what a full scan finds, in both directions."""

from __future__ import annotations

import random
import re

import pytest
from rapidfuzz.distance import Levenshtein

from tmx.lookup import TmIndex, is_chinese

ZH_WORDS = ["裁军", "会议", "核武器", "国家", "安全", "保证", "讨论", "主席", "代表团", "条约",
            "外层空间", "军备竞赛", "工作", "问题", "我们", "支持", "发言", "国际", "安排", "有效"]
EN_WORDS = ["disarmament", "conference", "nuclear", "weapons", "states", "security", "the",
            "assurances", "discussion", "president", "delegation", "treaty", "outer", "space",
            "arms", "race", "work", "issue", "we", "support", "of", "and", "international"]


def memory(n: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        k = rng.randint(4, 12)
        zh = "".join(rng.choice(ZH_WORDS) for _ in range(k)) + "。"
        en = " ".join(rng.choice(EN_WORDS) for _ in range(k)).capitalize() + "."
        pairs.append((zh, en))
    return pairs


def mutate(text: str, rng: random.Random, words: list[str], chinese: bool) -> str:
    if chinese:
        chars = list(text)
        chars[rng.randrange(len(chars))] = rng.choice("的了在是")
        return "".join(chars)
    tokens = text.split()
    tokens[rng.randrange(len(tokens))] = rng.choice(words)
    return " ".join(tokens)


def brute_force(pairs, query: str, side: int, threshold: float) -> dict[int, int]:
    if side == 0:
        key = re.sub(r"\s+", "", query)
        keys = [re.sub(r"\s+", "", p[0]) for p in pairs]
    else:
        key = re.findall(r"\w+", query.lower())
        keys = [re.findall(r"\w+", p[1].lower()) for p in pairs]
    sims = {i: Levenshtein.normalized_similarity(key, k) for i, k in enumerate(keys)}
    return {i: round(100 * s) for i, s in sims.items() if s >= threshold}


@pytest.mark.parametrize("side", [0, 1])
def test_index_agrees_with_full_scan(side: int) -> None:
    pairs = memory(3000)
    index = TmIndex(pairs)
    rng = random.Random(3)
    for _ in range(25):
        original = pairs[rng.randrange(len(pairs))][side]
        query = mutate(original, rng, EN_WORDS, chinese=side == 0)
        expected = brute_force(pairs, query, side, 0.8)
        got = index.lookup(query, n=1000, threshold=0.8)
        assert {m.index: m.percent for m in got} == expected
        assert [m.percent for m in got] == sorted((m.percent for m in got), reverse=True)


def test_direction_follows_script() -> None:
    pairs = [("我宣布会议开始。", "I declare the meeting open."),
             ("会议现在休会。", "The meeting is adjourned.")]
    index = TmIndex(pairs, "zh-CN", "en-GB", tuids=["a", "b"], scores=[0.9, None])
    (zh,) = index.lookup("我宣布会议开始", threshold=0.8)
    assert (zh.source, zh.target, zh.source_lang, zh.target_lang) == \
        ("我宣布会议开始。", "I declare the meeting open.", "zh-CN", "en-GB")
    assert zh.percent == 88 and zh.tuid == "a" and zh.score == 0.9
    (en,) = index.lookup("the meeting is ADJOURNED!", threshold=0.9)
    assert (en.source, en.target, en.source_lang, en.percent) == \
        ("The meeting is adjourned.", "会议现在休会。", "en-GB", 100)


def test_source_side_may_be_english() -> None:
    index = TmIndex([("I declare the meeting open.", "我宣布会议开始。")], "en-US", "zh-CN")
    assert index.lookup("我宣布会议开始。")[0].target == "I declare the meeting open."
    assert index.lookup("I declare the meeting open")[0].target == "我宣布会议开始。"


def test_threshold_n_and_no_match() -> None:
    pairs = memory(500)
    index = TmIndex(pairs)
    query = pairs[10][0]
    best = index.lookup(query, n=3, threshold=0.0001)
    assert len(best) == 3 and best[0].percent == 100 and best[0].source == query
    assert all(m.percent >= 50 for m in index.lookup(query, n=50, threshold=0.5))
    assert index.lookup("完全无关的句子，没有任何重合", threshold=0.75) == []
    assert index.lookup("zebra quokka", threshold=0.5) == []
    assert index.lookup("   ") == []


def test_single_character_query_scans() -> None:
    index = TmIndex([("好", "Good."), ("好的", "OK."), ("不", "No.")])
    assert [m.target for m in index.lookup("好", threshold=0.5)] == ["Good.", "OK."]


def test_is_chinese() -> None:
    assert is_chinese("CD/PV.1261 号文件") and not is_chinese("CD/PV.1261, page 3")

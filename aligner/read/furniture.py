"""Page furniture: what the printed page adds to the speeches (running heads with the symbol,
page and job numbers, the cover block, the first page's correction footnote).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .turns import find_turn

# A UN document symbol: CD/PV.1261, CD/WP.571/Rev.1, A/RES/67/56, S/2012/1.
SYMBOL = r"[A-Z]{1,8}(?:/[A-Za-z0-9.\-]+)+"
_FURNITURE = [re.compile(p) for p in (
    rf"^(?:\d{{1,3}}\s+)?{SYMBOL}(?:\s+\d{{1,3}})?$",  # running head, maybe with page number
    # job number, maybe with a page number, and on a first page the issue dates: GE.12-63627
    # (E) 180712 190712
    r"^(?:\d{1,3}\s+)?GE\.\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6}){0,2}(?:\s+\d{1,3})?$",
    r"^(?:page\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?$",  # bare page number
    r"^-\s*\d{1,3}\s*-$",  # - 3 -
    r"^\*\d{7,}\*$",  # bar code text
    r"^Please recycle$",
)]
# Cover-page lines, dropped only before the first speaker turn.
_COVER = [re.compile(p, re.IGNORECASE) for p in (
    r"^Conference on Disarmament$", r"^裁军谈判会议$", r"^United Nations$", r"^联合国$",
    r"^(English|Chinese|French|Russian|Spanish|Arabic|中文|英文)$",
    r"^Original\s*:", r"^原文\s*[:：]",
    r"^\d{1,2} (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4}$",
    r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$",
    r"^(Final|Provisional) record of the", r"最后记录$", r"^第.{1,20}次全体会议",
    r"^Held at the Palais des Nations", r"在日内瓦万国宫举行",
    r"\.{6,}|…{3,}|_{6,}",  # dot leaders of the cover's "President: ....... (Finland)"
    r"^This record contains", r"^Corrections (to this record )?should", r"^本记录",
    r"^Distr\.", r"^GE\.",
)]
# The first page's footnote on how to correct the record: it sits at the foot of the page, so
# in extracted text it interrupts the speech that runs on to the next page.
_FOOTNOTE = re.compile(r"^(This record contains|This record is subject to correction|"
                       r"Corrections (to this record )?should be submitted|本记录)")
_FOOTNOTE_MAX_LINES = 8
_CONTINUED = re.compile(r"^\(?(continued|续)\)?$", re.IGNORECASE)


def is_furniture(line: str) -> bool:
    s = line.strip()
    return bool(s) and any(p.match(s) for p in _FURNITURE)


def is_footnote(line: str) -> bool:
    return bool(_FOOTNOTE.match(line.strip()))


def is_continued(line: str) -> bool:
    """A ``(continued)`` / ``（续）`` line under a running head."""
    return bool(_CONTINUED.match(line.strip()))


def drop_cover(paragraphs: list[str], lang: str) -> list[str]:
    """Remove cover-page matter that stands before the first speaker turn."""
    first_turn = next((i for i, p in enumerate(paragraphs) if find_turn(p, lang)), None)
    if first_turn is None:
        return paragraphs
    head = [p for p in paragraphs[:first_turn] if not any(c.search(p) for c in _COVER)]
    return head + paragraphs[first_turn:]


def drop_footnotes(lines: list[str]) -> list[str]:
    """Drop the correction footnote: from its first line to the page furniture that follows."""
    out: list[str] = []
    skip = 0
    for line in lines:
        if skip and (is_furniture(line) or not line.strip()):
            skip = 0
        if skip:
            skip -= 1
            continue
        if _FOOTNOTE.match(line.strip()):
            skip = _FOOTNOTE_MAX_LINES - 1
            continue
        out.append(line)
    return out


def find_symbol(lines: Iterable[str]) -> str | None:
    """The document symbol most often repeated as a running head."""
    heads = Counter()
    for ln in lines:
        m = re.match(rf"^(?:\d{{1,3}}\s+)?({SYMBOL})(?:\s+\d{{1,3}})?$", ln.strip())
        if m:
            heads[m.group(1)] += 1
    return heads.most_common(1)[0][0] if heads else None

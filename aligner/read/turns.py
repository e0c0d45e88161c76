"""Speaker turns: the label that opens a speech, in Chinese and in English records.

``伍尔科特先生(澳大利亚)：`` and ``Mr. Woolcott (Australia):`` name the same turn; the officer's
label (``主席：`` / ``The President:``) marks the President's.
"""

from __future__ import annotations

import re

from ..common.types import Turn

_ZH_OFFICER = r"(?:代理主席|临时主席|主席|秘书长兼[^：:()（）]{1,20}|副秘书长|秘书长|临时秘书长)"
_ZH_TURN = re.compile(
    rf"^(?P<label>(?P<officer>{_ZH_OFFICER})|"
    r"(?P<person>[^\s，。：:()（）]{1,20}?(?:先生|女士|夫人|小姐|阁下|大使|法官|教授|博士))"
    r"[(（](?P<country>[^()（）]{1,40})[)）]"
    r"(?:[(（](?P<note>以[^()（）]{1,10}发言)[)）])?)"
    r"(?P<colon>[：:])?"
)
_EN_OFFICER = (r"(?:The (?:Acting |Temporary )?(?:President|Chair|Chairperson|Secretary-General"
               r"|Deputy Secretary-General|Acting Secretary-General|Secretary))")
_EN_TITLE = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Lord|Lady|Archbishop|Monsignor|H\.E)\.?"
_EN_TURN = re.compile(
    rf"^(?P<label>(?P<officer>{_EN_OFFICER})|"
    rf"(?P<person>{_EN_TITLE}\s+[^():\n]{{1,60}}?)\s*\((?P<country>[^()]{{1,60}})\)"
    r"(?:\s*\((?P<note>(?:spoke|speaking) in [A-Za-z]+)\))?)"
    r"\s*(?P<colon>:)"
)


def find_turn(text: str, lang: str) -> tuple[Turn, int] | None:
    """A speaker label at the start of ``text``: the turn (index 0) and where the label ends.

    A Chinese label may have lost its colon in extraction
    (``纽尔季列乌奥夫先生(哈萨克斯坦)哈萨克斯坦作为…``); an officer's label (主席) without a
    colon is not a label but an address (主席先生，…).
    """
    m = (_ZH_TURN if lang == "zh" else _EN_TURN).match(text)
    if not m or (m.group("officer") and not m.group("colon")):
        return None
    if lang == "zh" and m.group("officer") and m.end() < len(text) and text[m.end()] in "先，":
        return None
    officer = m.group("officer")
    turn = Turn(
        index=0,
        label=m.group("label").strip(),
        person=(officer or m.group("person")).strip(),
        country=m.group("country"),
        language_note=m.group("note"),
        is_president=bool(officer) and ("主席" in officer or "President" in officer
                                        or "Chair" in officer),
    )
    return turn, m.end()

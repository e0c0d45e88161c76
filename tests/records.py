"""A short fictional CD plenary record, CD/PV.9999, in English and Chinese, as test fixtures.

The record is written for this project (it is not a UN text). It is built to look like what
the reader meets in real records: speaker labels in the official style, document symbols,
numbers and years, hyphenated compounds that wrap across lines, a paragraph that crosses a
page break, running heads and job numbers. The files are made with the real libraries
(reportlab, python-docx), so a test that reads them exercises the real extraction path.

What a test can rely on:

- ``RECORD_EN`` / ``RECORD_ZH``: turns as ``(label, paragraphs)``. ``label`` is the speaker
  label without its colon (``Mr. Woolcott (Australia)``, ``伍尔科特先生(澳大利亚)``) or
  ``None`` for text before the first speaker; the paragraphs do not repeat the label.
- ``PARAGRAPHS_EN`` / ``PARAGRAPHS_ZH``: every paragraph as printed, the label (with ``: ``
  or ``：``) at the start of a turn's first paragraph.
- ``SENTENCES_EN`` / ``SENTENCES_ZH``: the expected sentences in order, the label at the start
  of each turn's first sentence as in the record. Chinese is as printed, with spaces around
  Latin runs (``第 9999 次``, ``载于 CD/1864 号``) as the real record has them; a reader that
  drops those spaces should compare after the same normalisation.
- ``TURNS``: ``{"en": [...], "zh": [...]}``, the speaker labels in order (no ``None``).
- ``ALIGNMENT`` (``(zh ids, en ids)`` pairs) and ``gold_beads()``: the true correspondence,
  mostly 1-1, with exactly one 1-2 and one 2-1.
- ``write_pdf``, ``write_docx``, ``write_txt``: the record as a PDF, a DOCX or extracted text.

Import it from a test as ``import records`` (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from aligner.common.fileio import atomic_write
from aligner.common.types import Bead

SYMBOL = "CD/PV.9999"
JOB_NUMBER = "GE.13-60123"
LANGS = ("en", "zh")

# Each turn: (zh label, en label, paragraphs); each paragraph: aligned units (zh, en), where a
# side is one sentence or a tuple of sentences (the 1-2 and 2-1 places).
_Side = str | tuple[str, ...]
_SPEC: list[tuple[str | None, str | None, list[list[tuple[_Side, _Side]]]]] = [
    (None, None, [
        [("上午10时10分开会。", "The meeting was called to order at 10.10 a.m.")],
    ]),
    ("主席", "The President", [
        [
            ("我宣布裁军谈判会议第 9999 次全体会议开始。",
             "I declare open the 9999th plenary meeting of the Conference on Disarmament."),
            ("根据载于 CD/WP.571/Rev.1 号文件的经修订的活动时间表，今天的全体会议将重点讨论"
             "议程项目 4，即保证不对无核武器国家使用或威胁使用核武器的有效国际安排。",
             "In accordance with the revised schedule of activities contained in document "
             "CD/WP.571/Rev.1, today's plenary meeting will focus on agenda item 4, effective "
             "international arrangements to assure non-nuclear-weapon States against the use "
             "or threat of use of nuclear weapons."),
        ],
        [
            ("在我们开始讨论之前，我谨宣读联合国秘书长的致辞。",
             "Before we begin our discussion, I should like to read out a message from the "
             "Secretary-General of the United Nations."),
            ("秘书长在致辞中指出，裁谈会作为唯一的多边裁军谈判论坛，已有十多年未能商定工作"
             "方案。",
             "In his message, the Secretary-General notes that the Conference, as the single "
             "multilateral disarmament negotiating forum, has been unable to agree on a "
             "programme of work for more than a decade."),
            ("他敦促所有成员国展现必要的政治意愿，以便裁谈会能够在 2013 年届会结束之前恢复"
             "实质性工作。",
             "He urges all member States to demonstrate the political will necessary for the "
             "Conference to resume substantive work before the end of its 2013 session."),
            ("秘书长还回顾了载于 CD/1864 号文件的 2009 年工作方案决定，并认为该决定仍可作为"
             "进一步讨论的基础。",
             "The Secretary-General also recalls the 2009 decision on a programme of work "
             "contained in document CD/1864 and considers that it could still serve as a "
             "basis for further discussion."),
        ],
        [
            ("今天的发言名单上有四个代表团。",
             "I have four delegations on the list of speakers for today."),
            ("我首先请澳大利亚代表伍尔科特大使发言。",
             "I now give the floor to the representative of Australia, Ambassador Woolcott."),
        ],
    ]),
    ("伍尔科特先生(澳大利亚)", "Mr. Woolcott (Australia)", [
        [
            ("主席先生，谢谢。", "Thank you, Mr. President."),
            ("首先，请允许我祝贺你就任主席，并向你保证澳大利亚代表团将给予全力支持。",
             "Allow me first to congratulate you on your assumption of the presidency and to "
             "assure you of the full support of the Australian delegation."),
        ],
        [
            ("澳大利亚一贯认为，消极安全保证是《不扩散核武器条约》所确立的基本平衡的重要组成"
             "部分，放弃了核武器选择的无核武器国家理应得到不受核武器攻击或威胁的保证。",
             ("Australia has always regarded negative security assurances as an important "
              "part of the basic bargain established by the Treaty on the Non-Proliferation "
              "of Nuclear Weapons.",
              "Non-nuclear-weapon States that have forsworn the nuclear option are entitled "
              "to assurances that they will not be attacked or threatened with nuclear "
              "weapons.")),
            ("安全理事会第 984 号决议(1995 年)注意到了五个核武器国家的单方面声明，但这些声明"
             "并不具有法律约束力。",
             "Security Council resolution 984 (1995) took note of the unilateral statements "
             "made by the five nuclear-weapon States, but those statements are not legally "
             "binding."),
            ("此外，其中若干声明还附有条件和保留。",
             "Moreover, several of them are subject to conditions and reservations."),
        ],
        [
            ("澳大利亚支持在裁谈会内设立一个附属机构，在不排除任何问题的前提下讨论这一议题。",
             "Australia supports the establishment of a subsidiary body within the Conference "
             "to discuss this issue without excluding any question."),
            ("与此同时，我们认为建立无核武器区的条约的各项议定书是提供具有法律约束力保证的"
             "切实途径。",
             "At the same time, we believe that the protocols to the treaties establishing "
             "nuclear-weapon-free zones offer a practical means of providing legally binding "
             "assurances."),
            ("目前，全世界已有 110 多个国家属于这类区域。",
             "More than 110 States now belong to such zones."),
            ("谢谢。", "Thank you."),
        ],
    ]),
    ("主席", "The President", [
        [
            ("我感谢澳大利亚代表的发言以及对主席的客气话。",
             "I thank the representative of Australia for his statement and for the kind "
             "words addressed to the Chair."),
            ("现在请美利坚合众国代表肯尼迪大使发言。",
             "I now give the floor to the representative of the United States of America, "
             "Ambassador Kennedy."),
        ],
    ]),
    ("肯尼迪女士(美利坚合众国)", "Ms. Kennedy (United States of America)", [
        [
            ("主席先生，谢谢。", "Thank you, Mr. President."),
            (("美国重视今天的讨论。", "我们愿意以建设性的方式参与讨论。"),
             "The United States values today's discussion and is ready to engage in it "
             "constructively."),
        ],
        [
            ("2010 年，美国在《核态势评估报告》中加强了其消极安全保证。",
             "In 2010, the United States strengthened its negative security assurance in its "
             "Nuclear Posture Review."),
            ("美国宣布，不会对遵守核不扩散义务的《不扩散条约》无核武器缔约国使用或威胁使用"
             "核武器。",
             "The United States declared that it will not use or threaten to use nuclear "
             "weapons against non-nuclear-weapon States that are party to the NPT and in "
             "compliance with their nuclear non-proliferation obligations."),
            ("我们已向参议院提交了《佩林达巴条约》和《拉罗汤加条约》的议定书，供其提出意见并"
             "同意批准。",
             "We have submitted the protocols to the Treaty of Pelindaba and the Treaty of "
             "Rarotonga to the Senate for its advice and consent to ratification."),
            ("我们还准备签署《中亚无核武器区条约》议定书。",
             "We are also prepared to sign the protocol to the Treaty on a "
             "Nuclear-Weapon-Free Zone in Central Asia."),
        ],
        [
            ("有人问，为什么裁谈会不谈判一项具有法律约束力的普遍文书？",
             "Why, some ask, should the Conference not negotiate a universal and legally "
             "binding instrument?"),
            ("我们的回答是，区域方法已经证明是有效的，而且能够考虑到各区域的具体安全情况。",
             "Our answer is that the regional approach has proved effective and can take "
             "account of the specific security situation in each region."),
            ("我们愿意继续就这个问题与所有代表团进行对话。",
             "We remain willing to continue a dialogue with all delegations on this question."),
        ],
    ]),
    ("主席", "The President", [
        [
            ("我感谢美利坚合众国代表的发言。",
             "I thank the representative of the United States of America for her statement."),
            ("下面请俄罗斯联邦代表瓦西里耶夫先生发言。",
             "I now give the floor to the representative of the Russian Federation, "
             "Mr. Vasiliev."),
        ],
    ]),
    ("瓦西里耶夫先生(俄罗斯联邦)(以俄语发言)", "Mr. Vasiliev (Russian Federation) (spoke in Russian)", [
        [
            ("主席先生，俄罗斯联邦赞同前几位发言者的看法，即消极安全保证问题值得裁谈会认真"
             "关注。",
             "Mr. President, the Russian Federation shares the view of previous speakers that "
             "the question of negative security assurances deserves the serious attention of "
             "the Conference."),
            ("俄罗斯已在 1995 年 4 月 5 日的声明中提供了这种保证，该声明已作为安全理事会正式"
             "文件分发。",
             "Russia provided such assurances in its statement of 5 April 1995, which was "
             "circulated as an official document of the Security Council."),
        ],
        [
            ("我们还批准了《特拉特洛尔科条约》、《拉罗汤加条约》和《佩林达巴条约》的议定书。",
             "We have also ratified the protocols to the Treaty of Tlatelolco, the Treaty of "
             "Rarotonga and the Treaty of Pelindaba."),
            ("我们认为，有必要制定一项具有法律约束力的国际文书，但这项工作应当在裁谈会商定的"
             "平衡的工作方案框架内进行。",
             "In our view, a legally binding international instrument is needed, but that "
             "work should be carried out within the framework of a balanced programme of work "
             "agreed by the Conference."),
            ("俄罗斯代表团准备在这方面与所有伙伴合作。",
             "The Russian delegation stands ready to cooperate with all partners to that end."),
            ("谢谢。", "Thank you."),
        ],
    ]),
    ("主席", "The President", [
        [
            ("我感谢俄罗斯联邦代表的发言。",
             "I thank the representative of the Russian Federation for his statement."),
            ("现在请中国代表吴海涛大使发言。",
             "I now give the floor to the representative of China, Ambassador Wu Haitao."),
        ],
    ]),
    ("吴海涛先生(中国)(以中文发言)", "Mr. Wu Haitao (China) (spoke in Chinese)", [
        [
            ("主席先生，中国代表团感谢你为推动今天的专题讨论所作的努力。",
             "Mr. President, the Chinese delegation thanks you for your efforts to advance "
             "today's thematic discussion."),
            ("中国自 1964 年拥有核武器的第一天起，就郑重宣布在任何时候和任何情况下都不首先"
             "使用核武器。",
             "From the very first day it possessed nuclear weapons in 1964, China solemnly "
             "declared that it would not be the first to use nuclear weapons at any time or "
             "under any circumstances."),
            ("中国还无条件地承诺不对无核武器国家和无核武器区使用或威胁使用核武器。",
             "China has also unconditionally undertaken not to use or threaten to use nuclear "
             "weapons against non-nuclear-weapon States or nuclear-weapon-free zones."),
        ],
        [
            ("中国认为，在彻底销毁核武器之前，核武器国家应当无条件地向所有无核武器国家提供"
             "消极安全保证。",
             "China believes that, pending the complete elimination of nuclear weapons, the "
             "nuclear-weapon States should unconditionally provide negative security "
             "assurances to all non-nuclear-weapon States."),
            ("中国支持裁谈会早日就此问题谈判并缔结一项具有法律约束力的国际文书。",
             "China supports the Conference in negotiating and concluding at an early date a "
             "legally binding international instrument on this question."),
            ("谢谢主席。", "Thank you, Mr. President."),
        ],
    ]),
    ("主席", "The President", [
        [
            ("我感谢中国代表的发言。", "I thank the representative of China for his statement."),
            ("发言名单上已没有其他发言者。", "That concludes my list of speakers for today."),
            ("是否还有其他代表团希望在此阶段发言？",
             "Does any other delegation wish to take the floor at this stage?"),
            ("似乎没有。", "I see none."),
            ("裁谈会下一次全体会议将于 2013 年 6 月 11 日星期二上午 10 时在本会议室举行。",
             "The next plenary meeting of the Conference will be held on Tuesday, 11 June "
             "2013, at 10 a.m. in this Council Chamber."),
            ("散会。", "The meeting is adjourned."),
        ],
    ]),
]


def _sentences(side: _Side) -> list[str]:
    return [side] if isinstance(side, str) else list(side)


def _join(sentences: list[str], lang: str) -> str:
    return (" " if lang == "en" else "").join(sentences)


def _label_prefix(label: str, lang: str) -> str:
    return f"{label}: " if lang == "en" else f"{label}："


def _build() -> dict[str, object]:
    out: dict[str, object] = {}
    alignment: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    counts = {"en": 0, "zh": 0}
    record: dict[str, list] = {"en": [], "zh": []}
    sentences: dict[str, list[str]] = {"en": [], "zh": []}
    paragraphs: dict[str, list[str]] = {"en": [], "zh": []}
    for zh_label, en_label, paras in _SPEC:
        labels = {"zh": zh_label, "en": en_label}
        turn_paras: dict[str, list[str]] = {"en": [], "zh": []}
        for p_index, units in enumerate(paras):
            per_lang: dict[str, list[str]] = {"en": [], "zh": []}
            for zh, en in units:
                ids = {}
                for lang, side in (("zh", zh), ("en", en)):
                    sents = _sentences(side)
                    ids[lang] = tuple(range(counts[lang], counts[lang] + len(sents)))
                    counts[lang] += len(sents)
                    per_lang[lang].extend(sents)
                alignment.append((ids["zh"], ids["en"]))
            for lang in LANGS:
                body = _join(per_lang[lang], lang)
                turn_paras[lang].append(body)
                first = list(per_lang[lang])
                if p_index == 0 and labels[lang] is not None:
                    prefix = _label_prefix(labels[lang], lang)
                    first[0] = prefix + first[0]
                    body = prefix + body
                sentences[lang].extend(first)
                paragraphs[lang].append(body)
        for lang in LANGS:
            record[lang].append((labels[lang], turn_paras[lang]))
    out["record"] = record
    out["sentences"] = sentences
    out["paragraphs"] = paragraphs
    out["alignment"] = alignment
    return out


_BUILT = _build()
RECORD_EN: list[tuple[str | None, list[str]]] = _BUILT["record"]["en"]
RECORD_ZH: list[tuple[str | None, list[str]]] = _BUILT["record"]["zh"]
PARAGRAPHS_EN: list[str] = _BUILT["paragraphs"]["en"]
PARAGRAPHS_ZH: list[str] = _BUILT["paragraphs"]["zh"]
SENTENCES_EN: list[str] = _BUILT["sentences"]["en"]
SENTENCES_ZH: list[str] = _BUILT["sentences"]["zh"]
TURNS: dict[str, list[str]] = {
    "en": [label for label, _ in RECORD_EN if label is not None],
    "zh": [label for label, _ in RECORD_ZH if label is not None],
}
ALIGNMENT: list[tuple[tuple[int, ...], tuple[int, ...]]] = _BUILT["alignment"]
del _BUILT


def gold_beads() -> list[Bead]:
    """The true alignment of ``SENTENCES_ZH`` (source) to ``SENTENCES_EN`` (target)."""
    return [Bead(zh, en) for zh, en in ALIGNMENT]


def record(lang: str) -> list[tuple[str | None, list[str]]]:
    return {"en": RECORD_EN, "zh": RECORD_ZH}[_check_lang(lang)]


def paragraphs(lang: str) -> list[str]:
    return {"en": PARAGRAPHS_EN, "zh": PARAGRAPHS_ZH}[_check_lang(lang)]


def sentences(lang: str) -> list[str]:
    return {"en": SENTENCES_EN, "zh": SENTENCES_ZH}[_check_lang(lang)]


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    return lang


# ---------------------------------------------------------------------------------------------
# Line breaking. Both languages break greedily; what differs is where a break may fall.

_CLOSING = set("。，、；：？！）》」』”’…")
_OPENING = set("（《「『“‘")
_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z]-)(?=[A-Za-z])")


def _pieces_en(text: str) -> list[tuple[str, str]]:
    """Unbreakable pieces with the separator that precedes each (dropped at a line break).

    A compound breaks after its hyphen, as typesetters do, so ``non-nuclear-`` can end a line
    and ``weapon States`` begin the next: the reader must rejoin it without a space.
    """
    pieces: list[tuple[str, str]] = []
    for word in text.split(" "):
        for i, part in enumerate(_HYPHEN_BREAK.split(word)):
            pieces.append((part, " " if i == 0 and pieces else ""))
    return pieces


def _pieces_zh(text: str) -> list[tuple[str, str]]:
    """Break only between two CJK characters, never before closing or after opening punctuation.

    Latin runs (``CD/WP.571/Rev.1``, ``第 9999 次``) stay whole with their spaces, so a line
    never starts with a space that would look like a paragraph indent.
    """
    pieces: list[str] = []
    start = 0
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if a.isascii() or b.isascii() or b in _CLOSING or a in _OPENING:
            continue
        pieces.append(text[start:i])
        start = i
    pieces.append(text[start:])
    return [(p, "") for p in pieces]


def wrap(text: str, lang: str, fits: Callable[[str, bool], bool]) -> list[str]:
    """Greedy line breaking; ``fits(line, is_first_line)`` says whether a line is short enough."""
    pieces = _pieces_en(text) if lang == "en" else _pieces_zh(text)
    lines: list[str] = []
    line = pieces[0][0]
    for piece, sep in pieces[1:]:
        candidate = line + sep + piece
        if fits(candidate, not lines):
            line = candidate
        else:
            lines.append(line)
            line = piece
    lines.append(line)
    return lines


def _columns(text: str) -> float:
    """Width in em of monospaced-ish extracted text: a CJK character is two Latin ones."""
    return sum(0.5 if c.isascii() else 1.0 for c in text)


def _printed_paragraphs(lang: str) -> list[tuple[str, int]]:
    """Each paragraph as printed, with the length of its leading speaker label (0 if none)."""
    out = []
    for label, paras in record(lang):
        for i, body in enumerate(paras):
            prefix = _label_prefix(label, lang) if label is not None and i == 0 else ""
            out.append((prefix + body, len(prefix.rstrip())))
    return out


# ---------------------------------------------------------------------------------------------
# Text as extracted from a PDF.

# The real extracted Chinese record wraps at about 35 em; English PDFs at about 75 characters.
_TXT_WIDTH = {"en": 75.0, "zh": 35.0}
_TXT_LINES_PER_PAGE = {"en": 32, "zh": 25}


def _page_furniture_lines(page: int) -> list[str]:
    """What pdftotext-like extraction leaves where a new page starts (cf. the real record)."""
    number = f"{page} {JOB_NUMBER}" if page % 2 == 0 else f"{JOB_NUMBER} {page}"
    return ["", "", f"{SYMBOL} ", "", f"{number} ", ""]


def txt_lines(lang: str, *, noisy: bool | None = None) -> list[str]:
    """The record as lines of extracted text, without line terminators.

    Paragraphs start with one space and are separated by a blank line; every
    ``_TXT_LINES_PER_PAGE`` text lines a running-head block (symbol, page number and job
    number) interrupts the text, wherever it is, even mid-sentence. ``noisy`` (default: on for
    Chinese) imitates the real extracted Chinese record further: stray blank lines inside
    paragraphs and a trailing space after each paragraph.
    """
    _check_lang(lang)
    noisy = (lang == "zh") if noisy is None else noisy
    width = _TXT_WIDTH[lang]

    measure = len if lang == "en" else _columns

    def fits(line: str, first: bool) -> bool:
        return measure(line) + (1 if first else 0) <= width

    out: list[str] = []
    text_lines = 0
    page = 1
    for p_index, (para, _) in enumerate(_printed_paragraphs(lang)):
        if out:
            out.append("")
        wrapped = wrap(para, lang, fits)
        for i, line in enumerate(wrapped):
            if text_lines and text_lines % _TXT_LINES_PER_PAGE[lang] == 0:
                page += 1
                out.extend(_page_furniture_lines(page))
            text_lines += 1
            last = i == len(wrapped) - 1
            out.append((" " if i == 0 else "") + line + (" " if last and noisy else ""))
            # a deterministic sprinkle of blank lines, as pdftotext leaves in the real record
            if noisy and not last and (p_index + i) % 3 == 1:
                out.append("")
    return out


def write_txt(path: str | Path, lang: str, encoding: str = "utf-8", *,
              noisy: bool | None = None, newline: str = "\n") -> Path:
    """Write the record as extracted text in ``encoding`` (utf-8, utf-8-sig, utf-16, gb18030...)."""
    data = (newline.join(txt_lines(lang, noisy=noisy)) + newline).encode(encoding)
    with atomic_write(path, "wb") as fh:
        fh.write(data)
    return Path(path)


# ---------------------------------------------------------------------------------------------
# PDF with reportlab: A4, running heads alternating left/right, job number in the footer.

# font, bold font for speaker labels, size, leading; no bold CID font exists for Chinese
_PDF_FONT = {
    "en": ("Times-Roman", "Times-Bold", 12.0, 16.0),
    "zh": ("STSong-Light", None, 12.0, 21.0),
}
_MARGIN_LEFT, _MARGIN_RIGHT, _BODY_TOP, _BODY_BOTTOM = 90.0, 72.0, 100.0, 90.0
_INDENT = 24.0
_PARAGRAPH_GAP = 6.0


def _register_cjk_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


def write_pdf(path: str | Path, lang: str) -> int:
    """Write the record as a PDF (text drawn line by line, so it has real line breaks).

    Returns the number of pages (at least 2, and a paragraph crosses a page break).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    _check_lang(lang)
    if lang == "zh":
        _register_cjk_font()
    regular, bold, size, leading = _PDF_FONT[lang]
    page_w, page_h = A4
    body_w = page_w - _MARGIN_LEFT - _MARGIN_RIGHT

    def fits(line: str, first: bool) -> bool:
        return stringWidth(line, regular, size) + (_INDENT if first else 0.0) <= body_w

    with atomic_write(path, "wb") as fh:
        pdf = canvas.Canvas(fh, pagesize=A4, invariant=True)
        pdf.setTitle(SYMBOL)
        page = 1

        def furniture() -> None:
            pdf.setFont(regular if lang == "zh" else "Times-Roman", 10)
            head_y, foot_y = page_h - 50, 45
            if page % 2:  # odd pages: outer edge on the right
                pdf.drawRightString(page_w - _MARGIN_RIGHT, head_y, SYMBOL)
                if page == 1:  # the first page carries the bare job number, bottom left
                    pdf.drawString(_MARGIN_LEFT, foot_y, JOB_NUMBER)
                else:
                    pdf.drawRightString(page_w - _MARGIN_RIGHT, foot_y, f"{JOB_NUMBER} {page}")
            else:
                pdf.drawString(_MARGIN_LEFT, head_y, SYMBOL)
                pdf.drawString(_MARGIN_LEFT, foot_y, f"{page} {JOB_NUMBER}")

        furniture()
        y = page_h - _BODY_TOP
        for para, label_len in _printed_paragraphs(lang):
            for i, line in enumerate(wrap(para, lang, fits)):
                if y < _BODY_BOTTOM:
                    pdf.showPage()
                    page += 1
                    furniture()
                    y = page_h - _BODY_TOP
                x = _MARGIN_LEFT + (_INDENT if i == 0 else 0.0)
                if i == 0 and label_len and bold:
                    # UN records set the speaker's name in bold
                    label, rest = line[:label_len], line[label_len:]
                    pdf.setFont(bold, size)
                    pdf.drawString(x, y, label)
                    x += stringWidth(label, bold, size)
                    line = rest
                pdf.setFont(regular, size)
                pdf.drawString(x, y, line)
                y -= leading
            y -= _PARAGRAPH_GAP
        pdf.showPage()
        pdf.save()
    return page


# ---------------------------------------------------------------------------------------------
# DOCX with python-docx: one Word paragraph per record paragraph, no hard wraps.


def write_docx(path: str | Path, lang: str) -> Path:
    """Write the record as a DOCX: symbol in the header, job number in the footer."""
    import docx
    from docx.shared import Mm, Pt

    _check_lang(lang)
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.header.paragraphs[0].text = SYMBOL
    section.footer.paragraphs[0].text = JOB_NUMBER
    for para, label_len in _printed_paragraphs(lang):
        p = document.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(_INDENT)
        if label_len:
            p.add_run(para[:label_len]).bold = True
            p.add_run(para[label_len:])
        else:
            p.add_run(para)
    with atomic_write(path, "wb") as fh:
        document.save(fh)
    return Path(path)

"""The few shared types that flow through the pipeline.

document -> paragraphs/turns -> segments -> beads -> TMX / glossary / report
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Turn:
    """A speaker turn: the label as printed and what it says about the speaker."""

    index: int
    # As in the record, without the colon: 伍尔科特先生(澳大利亚) / Mr. Woolcott (Australia)
    label: str
    person: str | None = None  # 伍尔科特先生 / Mr. Woolcott / 主席 / The President
    country: str | None = None  # 澳大利亚 / Australia
    language_note: str | None = None  # 以俄语发言 / spoke in Russian
    is_president: bool = False


@dataclass(frozen=True)
class Paragraph:
    index: int
    text: str
    turn: int | None = None  # index into Document.turns, None before the first turn


@dataclass
class Document:
    path: str
    lang: str  # "zh" or "en"
    paragraphs: list[Paragraph]
    turns: list[Turn]
    symbol: str | None = None  # e.g. CD/PV.1261, when the furniture names it


@dataclass(frozen=True)
class Segment:
    """One sentence of a document."""

    id: int
    text: str
    paragraph: int = 0
    turn: int | None = None
    speaker: str | None = None  # the turn label, without its colon


@dataclass(frozen=True)
class Bead:
    """An alignment unit: source (Chinese) ids, target (English) ids, confidence in [0, 1].

    Either side may be empty (an unmatched sentence). ``features`` carries what the aligner
    measured for the bead, for calibration and quality flags.
    """

    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    score: float = 1.0
    features: dict[str, float] = field(default_factory=dict, compare=False, hash=False)

    @property
    def kind(self) -> str:
        """The bead type as aligners name it: ``1-1``, ``2-1``, ``0-1`` ..."""
        return f"{len(self.src_ids)}-{len(self.tgt_ids)}"

"""The HTML review report: one self-contained file, readable offline in any browser.

The plots are SVG written here rather than drawn by a plotting library: SVG inlines into
the page with no external fetch, stays crisp at any zoom, costs no heavy dependency
(matplotlib would be the only user of a 50 MB stack) and is plain DOM, so a test can count
its points and bars. The page's CSS and JS live beside the template and are inlined too.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from html import escape
from pathlib import Path

from ..common.fileio import atomic_write_text
from ..common.formats import AlignedPair
from .flags import Flag

_TEMPLATES = Path(__file__).parent / "templates"


def score_colour(score: float) -> str:
    """Red (0) through amber to green (1): the hue a reviewer reads as confidence."""
    s = min(1.0, max(0.0, float(score)))
    return f"hsl({round(120 * s)},70%,{round(42 + 6 * (1 - abs(2 * s - 1)))}%)"


def ids_label(ids: Sequence[int]) -> str:
    """0 / 3–5: sentence ids run consecutively inside a bead, so a range says it all."""
    if not ids:
        return ""
    return str(ids[0]) if len(ids) == 1 else f"{ids[0]}–{ids[-1]}"


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def path_svg(pairs: Sequence[AlignedPair], size: int = 440) -> str:
    """The alignment path: Chinese sentence index across, English index up, one dot a bead.

    A good alignment hugs a monotone line; gaps, jumps and red dots are where to look.
    """
    pad = 36
    n_src = max(1, sum(len(p.src_ids) for p in pairs))
    n_tgt = max(1, sum(len(p.tgt_ids) for p in pairs))
    inner = size - 2 * pad
    sx, sy = inner / n_src, inner / n_tgt

    def xy(src: float, tgt: float) -> tuple[str, str]:
        return _fmt(pad + src * sx), _fmt(size - pad - tgt * sy)

    radius = _fmt(max(1.6, min(4.5, 600 / (len(pairs) + 1) ** 0.9 + 1.4)))
    parts = [f'<svg class="plot" id="path-plot" viewBox="0 0 {size} {size}" width="{size}" '
             f'height="{size}" role="img" aria-label="Alignment path">',
             f'<rect x="{pad}" y="{pad}" width="{inner}" height="{inner}" class="frame"/>',
             f'<line x1="{pad}" y1="{size - pad}" x2="{size - pad}" y2="{pad}" class="diag"/>']
    line: list[str] = []
    points: list[str] = []
    next_src = next_tgt = 0
    for i, p in enumerate(pairs):
        # An empty side sits at the boundary where its partner would have been.
        cs = (p.src_ids[0] + p.src_ids[-1] + 1) / 2 if p.src_ids else next_src
        ct = (p.tgt_ids[0] + p.tgt_ids[-1] + 1) / 2 if p.tgt_ids else next_tgt
        next_src += len(p.src_ids)
        next_tgt += len(p.tgt_ids)
        x, y = xy(cs, ct)
        line.append(f"{x},{y}")
        points.append(
            f'<circle class="pt" data-i="{i}" cx="{x}" cy="{y}" r="{radius}" '
            f'fill="{score_colour(p.score)}"><title>bead {i + 1} ({p.kind}), '
            f'score {p.score:.2f}</title></circle>')
    parts.append(f'<polyline class="path" points="{" ".join(line)}"/>')
    parts.extend(points)
    parts.append(f'<text x="{size / 2}" y="{size - 8}" class="axis">Chinese sentence '
                 f'(0–{n_src})</text>')
    parts.append(f'<text x="12" y="{size / 2}" class="axis" transform="rotate(-90 12 '
                 f'{size / 2})">English sentence (0–{n_tgt})</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram_svg(hist: Sequence[int], width: int = 440, height: int = 220) -> str:
    """Bars of bead counts per confidence bin, coloured like the path's dots."""
    pad_l, pad_b, pad_t = 40, 30, 14
    bins = max(1, len(hist))
    top = max(hist) if hist else 0
    bw = (width - pad_l - 10) / bins
    ih = height - pad_b - pad_t
    parts = [f'<svg class="plot" id="score-hist" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Confidence histogram">',
             f'<line x1="{pad_l}" y1="{height - pad_b}" x2="{width - 10}" '
             f'y2="{height - pad_b}" class="frame"/>']
    for k, count in enumerate(hist):
        h = ih * count / top if top else 0
        x = pad_l + k * bw
        lo, hi = k / bins, (k + 1) / bins
        parts.append(
            f'<rect class="bar" data-count="{count}" x="{_fmt(x + 1)}" '
            f'y="{_fmt(height - pad_b - h)}" width="{_fmt(bw - 2)}" height="{_fmt(h)}" '
            f'fill="{score_colour((lo + hi) / 2)}"><title>score {lo:.1f}–{hi:.1f}: {count} '
            f'beads</title></rect>')
        if count:
            parts.append(f'<text class="lbl" x="{_fmt(x + bw / 2)}" '
                         f'y="{_fmt(height - pad_b - h - 3)}">{count}</text>')
    for k in range(0, bins + 1, max(1, bins // 5)):
        parts.append(f'<text class="tick" x="{_fmt(pad_l + k * bw)}" y="{height - pad_b + 16}">'
                     f'{k / bins:.1f}</text>')
    parts.append(f'<text class="axis" x="{width / 2}" y="{height - 1}">confidence</text>')
    parts.append("</svg>")
    return "".join(parts)


def types_svg(types: dict[str, int], width: int = 440) -> str:
    """Horizontal bars, one per bead type, most frequent first."""
    row, pad_l = 24, 52
    items = list(types.items())
    height = row * len(items) + 10
    top = max(types.values()) if types else 0
    parts = [f'<svg class="plot" id="type-bars" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Bead types">']
    for k, (kind, count) in enumerate(items):
        w = (width - pad_l - 60) * count / top if top else 0
        y = 5 + k * row
        parts.append(f'<text class="tlabel" x="{pad_l - 8}" y="{y + 15}">{escape(kind)}</text>')
        parts.append(f'<rect class="bar tbar" data-kind="{escape(kind)}" data-count="{count}" '
                     f'x="{pad_l}" y="{y + 2}" width="{_fmt(max(w, 1))}" height="{row - 6}"/>')
        parts.append(f'<text class="lbl-left" x="{_fmt(pad_l + max(w, 1) + 6)}" y="{y + 15}">'
                     f'{count}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_report(pairs: Sequence[AlignedPair], flags: Sequence[Sequence[Flag]], summary: dict,
                  title: str, note: str | None = None) -> str:
    """The report as one HTML string."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    pairs = list(pairs)
    if len(flags) != len(pairs):
        raise ValueError(f"{len(flags)} flag lists for {len(pairs)} pairs")
    rows = []
    previous = None
    for i, (p, fl) in enumerate(zip(pairs, flags, strict=True)):
        speaker = p.extra.get("speaker") if isinstance(p.extra, dict) else None
        rows.append({"i": i, "p": p, "flags": fl, "codes": " ".join(sorted({f.code for f in fl})),
                     "colour": score_colour(p.score),
                     "src_label": ids_label(p.src_ids), "tgt_label": ids_label(p.tgt_ids),
                     # the turn label once, where the turn starts, not on every sentence
                     "speaker": speaker if speaker and speaker != previous else None,
                     # set by aligner review; an alignment nobody reviewed is all "auto"
                     "status": "confirmed" if isinstance(p.extra, dict)
                     and p.extra.get("status") == "confirmed" else "auto"})
        previous = speaker or previous
    return env.get_template("report.html.j2").render(
        title=title, note=note, summary=summary, rows=rows,
        generated=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        # Our own files and SVG built above from escaped values: safe to inline as markup.
        css=Markup((_TEMPLATES / "report.css").read_text(encoding="utf-8")),
        js=Markup((_TEMPLATES / "report.js").read_text(encoding="utf-8")),
        path_plot=Markup(path_svg(pairs)),
        histogram=Markup(histogram_svg(summary.get("score_histogram", []))),
        type_bars=Markup(types_svg(summary.get("bead_types", {}))),
        codes=sorted({f.code for fl in flags for f in fl}),
        kinds=list(summary.get("bead_types", {})),
        confirmed=sum(1 for r in rows if r["status"] == "confirmed"),
    )


def write_report(path: str | Path, pairs: Sequence[AlignedPair], flags: Sequence[Sequence[Flag]],
                 summary: dict, title: str, note: str | None = None) -> None:
    """Write the HTML report to ``path`` atomically."""
    atomic_write_text(path, render_report(pairs, flags, summary, title, note))

"""The HTML report, rendered in headless Chromium and checked from the DOM after its JS ran.

Chromium is driven by flags alone (``--dump-dom``, ``--screenshot``): the filter state is in
the URL hash, so loading ``report.html#filter=flagged`` and dumping the DOM shows the result
of filtering without a driver or a websocket client.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from aligner.common.formats import AlignedPair
from aligner.quality.flags import flag_pairs, summarise
from aligner.quality.report import render_report, write_report

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser",
                                                        "google-chrome")) if p), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None,
                                    reason="no Chromium found (apt-get install chromium)")

NOTE = "Demonstration translation, not the official UN text"
ROWS = [
    ("我宣布裁军谈判会议第1261次全体会议开始。",
     "I declare open the 1261st plenary meeting of the Conference on Disarmament."),
    ("今天的全体会议将重点讨论消极安全保证问题。",
     "Today's plenary meeting will focus on negative security assurances."),
    ("1978年，大会第一届裁军特别会议通过了最后文件。",
     "In 1979, the first special session devoted to disarmament adopted its Final Document."),
    ("许多无核武器国家希望得到安全保证。",
     "Many non-nuclear-weapon States wished to obtain security assurances."),
    ("外层空间不应成为军备竞赛的新场所。",
     "Outer space should not become a new arena for an arms race."),
    ("我们感谢联合国裁军研究所提供的背景说明。",
     "We thank the United Nations Institute for Disarmament Research for its note."),
    ("这一问题已经在议程上存在了很多年。",
     "This issue has been on the agenda for many years."),
    ("我们愿意与所有代表团进行建设性合作。",
     "We are ready to cooperate constructively with all delegations <script>alert(1)</script>."),
]


def make_pairs(n_docs: int = 1) -> list[AlignedPair]:
    """The rows repeated ``n_docs`` times, with an omission and a 2-1 bead in each copy."""
    pairs: list[AlignedPair] = []
    s = t = 0
    for rep in range(n_docs):
        for k, (zh, en) in enumerate(ROWS):
            score = ((k * 37 + rep * 11) % 100) / 100
            if k == 3:  # Chinese sentence without a partner
                pairs.append(AlignedPair((s,), (), zh, "", score, {}))
                s += 1
            elif k == 5:  # two Chinese sentences for one English
                pairs.append(AlignedPair((s, s + 1), (t,), zh + ROWS[6][0], en, score, {}))
                s, t = s + 2, t + 1
            elif k == 6:
                continue
            else:
                pairs.append(AlignedPair((s,), (t,), zh, en, score, {"speaker": "主席"}))
                s, t = s + 1, t + 1
    return pairs


def chromium(url: str, tmp: Path, *extra: str) -> str:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", *extra, url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def rendered(report: Path, tmp: Path, fragment: str = "") -> lxml.html.HtmlElement:
    dom = chromium(report.as_uri() + fragment, tmp, "--dump-dom")
    return lxml.html.fromstring(dom)


def visible_rows(root) -> list:
    return [tr for tr in root.xpath('//table[@id="beads"]/tbody/tr') if tr.get("hidden") is None]


@pytest.fixture()
def report(tmp_path: Path) -> tuple[Path, list[AlignedPair], list]:
    pairs = make_pairs()
    flags = flag_pairs(pairs, lexicon=None)
    path = tmp_path / "report.html"
    write_report(path, pairs, flags, summarise(pairs, flags), "CD/PV.1261 test", note=NOTE)
    return path, pairs, flags


def test_report_is_self_contained_and_escaped(report):
    path, pairs, _ = report
    html = path.read_text(encoding="utf-8")
    root = lxml.html.fromstring(html)
    # nothing fetched from anywhere: no external scripts, styles, images or fonts
    assert not root.xpath("//script[@src] | //link | //img | //iframe")
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html
    # text from the record is escaped, never run
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert root.xpath('string(//*[@id="note"])').strip().endswith(NOTE)
    assert len(root.xpath('//table[@id="beads"]/tbody/tr')) == len(pairs)


def test_evaluation_and_translation_scores_are_shown():
    pairs = make_pairs()
    flags = flag_pairs(pairs, lexicon=None)
    summary = summarise(pairs, flags)
    summary["evaluation"] = {"strict_p": 0.8125, "strict_r": 0.75, "strict_f1": 0.78,
                             "lax_p": 0.9375, "lax_r": 0.875, "lax_f1": 0.905}
    summary["mt"] = {"segments": 6, "metrics": {"BLEU": {"score": 31.25, "signature":
                                                          "nrefs:1|case:mixed|tok:13a"}}}
    root = lxml.html.fromstring(render_report(pairs, flags, summary, "t"))
    assert "0.8125" in root.xpath('string(//table[@id="evaluation"])')
    mt = root.xpath('string(//table[@id="mt"])')
    assert "31.25" in mt and "tok:13a" in mt
    assert not root.xpath('//*[@id="note"]')  # no note given, none shown
    ids = [td.text_content() for td in root.xpath('//table[@id="beads"]/tbody/tr/td[2]')]
    assert ids[5] == "5–6" and ids[3] == "3"


def test_rows_must_match_flags():
    pairs = make_pairs()
    with pytest.raises(ValueError):
        render_report(pairs, [[]], summarise(pairs, [[] for _ in pairs]), "x")


@needs_chromium
def test_rendered_report_plots_and_filters(report, tmp_path):
    path, pairs, flags = report
    root = rendered(path, tmp_path)
    assert len(root.xpath('//table[@id="beads"]/tbody/tr')) == len(pairs)
    assert len(visible_rows(root)) == len(pairs)
    assert root.xpath('string(//*[@id="status"]/@data-shown)') == str(len(pairs))
    # plots: one dot per bead in the path, ten bins in the histogram with the right total
    assert len(root.xpath('//svg[@id="path-plot"]//circle[@class="pt"]')) == len(pairs)
    bars = root.xpath('//svg[@id="score-hist"]//rect[contains(@class, "bar")]')
    assert len(bars) == 10
    assert sum(int(b.get("data-count")) for b in bars) == len(pairs)
    assert any(float(b.get("height")) > 0 for b in bars)
    kinds = {b.get("data-kind"): int(b.get("data-count"))
             for b in root.xpath('//svg[@id="type-bars"]//rect')}
    assert kinds == {"1-1": 5, "1-0": 1, "2-1": 1}

    flagged = [i for i, f in enumerate(flags) if f]
    assert 0 < len(flagged) < len(pairs)
    shown = visible_rows(rendered(path, tmp_path, "#filter=flagged"))
    assert [int(tr.get("data-i")) for tr in shown] == flagged

    low = [i for i, p in enumerate(pairs) if p.score < 0.5]
    assert 0 < len(low) < len(pairs)
    shown = visible_rows(rendered(path, tmp_path, "#maxscore=0.5"))
    assert [int(tr.get("data-i")) for tr in shown] == low

    shown = visible_rows(rendered(path, tmp_path, "#q=Outer%20SPACE"))
    assert [tr.get("data-i") for tr in shown] == ["4"]
    numbers = [i for i, f in enumerate(flags) if any(x.code == "number" for x in f)]
    assert numbers  # 1978 / 1979
    shown = visible_rows(rendered(path, tmp_path, "#code=number&flagged=1"))
    assert [int(tr.get("data-i")) for tr in shown] == numbers

    # sorting: #sort=-score opens the table sorted by descending score
    rows = rendered(path, tmp_path, "#sort=-score").xpath('//table[@id="beads"]/tbody/tr')
    scores = [float(tr.get("data-score")) for tr in rows]
    assert scores == sorted((p.score for p in pairs), reverse=True)

    shot = tmp_path / "report.png"
    chromium(path.as_uri(), tmp_path, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


@needs_chromium
def test_a_few_thousand_beads(tmp_path):
    pairs = make_pairs(400)  # 2800 beads
    flags = flag_pairs(pairs, lexicon=None)
    path = tmp_path / "big.html"
    write_report(path, pairs, flags, summarise(pairs, flags), "big")
    root = rendered(path, tmp_path, "#filter=flagged")
    assert len(root.xpath('//table[@id="beads"]/tbody/tr')) == len(pairs)
    assert len(visible_rows(root)) == sum(1 for f in flags if f)
    assert len(root.xpath('//svg[@id="path-plot"]//circle')) == len(pairs)

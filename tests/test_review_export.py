"""What a review leaves behind: ``tmx build --confirmed-only``, ``x-status`` and the report."""

from __future__ import annotations

import lxml.etree
import lxml.html
import pytest

from aligner.review.state import Review

from reviewing import write_alignment_file


@pytest.fixture
def reviewed(tmp_path):
    path = write_alignment_file(tmp_path / "CD_PV.9999.jsonl")
    review = Review(path)
    for k in (3, 8, 20):
        review.apply(review.version, "confirm", k)
    review.apply(review.version, "unconfirm", 8)
    return path, review


def statuses(tmx_path):
    units = lxml.etree.parse(str(tmx_path)).getroot().findall(".//tu")
    return [u.findtext("prop[@type='x-status']") for u in units], units


def test_tmx_build_marks_every_unit_and_keeps_only_confirmed_when_asked(reviewed, cli, tmp_path):
    path, review = reviewed
    out = tmp_path / "all.tmx"
    result = cli("tmx", "build", path, "-o", out)
    assert result.returncode == 0, result.stderr
    got, units = statuses(out)
    assert None not in got and got.count("confirmed") == 2
    assert set(got) == {"auto", "confirmed"}
    out2 = tmp_path / "confirmed.tmx"
    result = cli("tmx", "build", path, "--confirmed-only", "-o", out2)
    assert result.returncode == 0, result.stderr
    got, units = statuses(out2)
    assert got == ["confirmed", "confirmed"]
    wanted = [review.bead_view(k)["src"] for k in (3, 20)]
    assert [u.findtext("tuv[1]/seg") for u in units] == wanted
    assert "2 units written (of" in result.stderr


def test_the_report_shows_the_review_status(reviewed, cli, tmp_path):
    path, _ = reviewed
    report = tmp_path / "r.html"
    result = cli("score", path, "--report", report)
    assert result.returncode == 0, result.stderr
    doc = lxml.html.parse(str(report)).getroot()
    rows = doc.xpath("//table[@id='beads']/tbody/tr")
    assert [r.get("data-status") for r in rows].count("confirmed") == 2
    assert rows[3].get("data-status") == "confirmed" and rows[8].get("data-status") == "auto"
    assert rows[20].xpath("td[@class='status status-confirmed']")[0].text == "confirmed"
    assert doc.xpath("//div[@id='review-status']/div[@class='v']")[0].text.strip() == "2"

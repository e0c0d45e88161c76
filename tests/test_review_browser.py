"""The review page in a real headless Chromium (Selenium with Debian's chromium-driver), driven
through the keyboard against a real server: confirm, merge, shift, undo, redo, re-align,
reload. It also writes the README's screenshot, ``build/review.png``."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import records
from reviewing import CUT, HOSTILE, MERGED, ids, read_jsonl, review_server, write_alignment_file

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser",
                                                        "google-chrome")) if p), None)
DRIVER = shutil.which("chromedriver")
selenium = pytest.importorskip("selenium", reason="selenium is not installed (pip install "
                               "-e '.[test]')")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="no Chromium and chromedriver (apt-get install chromium chromium-driver)")
SCREENSHOT = Path(__file__).resolve().parents[1] / "build" / "review.png"


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium fetch a driver
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,900",
                "--lang=en-GB"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver, condition, timeout=90.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = driver.execute_script(condition)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {condition}")


def press(driver, keys: str, version_after: int | None = None) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(keys).perform()
    if version_after is not None:
        wait(driver, f"return state.version === {version_after} && !busy")


def cursor_bead(driver) -> int:
    return driver.execute_script("return currentBead()")


def go(driver, k: int) -> None:
    press(driver, "g" + "j" * k)
    assert cursor_bead(driver) == k


def test_review_by_keyboard(tmp_path, browser):
    path = write_alignment_file(tmp_path / "CD_PV.9999.jsonl", hostile=True)
    gold = ids(records.gold_beads())
    with review_server(path) as server:
        browser.get(server.url("/"))
        wait(browser, "return document.body.dataset.ready === '1'")
        n = len(read_jsonl(path))
        assert browser.execute_script("return state.beads.length") == n
        # the token left the address bar once the cookie carried it
        assert "token=" not in browser.current_url
        # hostile text is shown as text, never run
        assert browser.execute_script("return window.pwned") is None
        rows = browser.find_elements("css selector", "#rows .bead")
        assert 0 < len(rows) < n + 1
        assert HOSTILE in rows[1].find_element("css selector", ".en").text

        # "next likely wrong": flagged first, then the lowest confidence
        press(browser, "n")
        beads = browser.execute_script("return state.beads")
        order = sorted(range(n), key=lambda k: (not beads[k]["flags"], beads[k]["score"], k))
        assert cursor_bead(browser) == order[0]

        # merge the cut 1-2 bead back together, then confirm it
        go(browser, CUT)
        press(browser, "m", version_after=1)
        assert ids(read_jsonl(path))[CUT] == gold[CUT]
        press(browser, "c", version_after=2)
        assert read_jsonl(path)[CUT]["status"] == "confirmed"
        assert "confirmed" in browser.find_element("css selector", ".bead.cursor").text

        # shift bead 5's Chinese sentence up into bead 4, undo, redo, undo
        go(browser, 5)
        press(browser, "[", version_after=3)
        assert ids(read_jsonl(path))[4] == (gold[4][0] + gold[5][0], gold[4][1])
        press(browser, "z", version_after=4)
        assert ids(read_jsonl(path))[:CUT + 1] == gold[:CUT + 1]
        press(browser, "y", version_after=5)
        assert ids(read_jsonl(path))[4] == (gold[4][0] + gold[5][0], gold[4][1])
        press(browser, "z", version_after=6)

        # re-align the stretch after the confirmed bead: the planted 2-2 comes apart
        go(browser, MERGED)
        assert browser.execute_script("return state.beads[currentBead()].kind") == "2-2"
        press(browser, "r", version_after=7)
        assert ids(read_jsonl(path)) == gold
        assert read_jsonl(path)[CUT]["status"] == "confirmed"

        # the help overlay
        press(browser, "?")
        assert browser.find_element("id", "help").is_displayed()
        press(browser, "\ue00c")  # Escape
        assert not browser.find_element("id", "help").is_displayed()

        # reload: the same state, the cursor where it was
        go(browser, CUT)
        browser.refresh()
        wait(browser, "return document.body.dataset.ready === '1'")
        assert browser.execute_script("return state.version") == 7
        assert cursor_bead(browser) == CUT
        assert ids(browser.execute_script("return state.beads")) == gold
        # merge, confirm, re-align (the undone shift went with the redo stack)
        assert browser.execute_script("return [state.undo, state.redo]") == [3, 0]


def test_a_stale_tab_is_told_to_reload_and_nothing_is_overwritten(tmp_path, browser):
    path = write_alignment_file(tmp_path / "CD_PV.9999.jsonl")
    with review_server(path) as server:
        browser.get(server.url("/"))
        wait(browser, "return document.body.dataset.ready === '1'")
        # another tab (here: a script) confirms bead 0 first
        assert server.op({"version": 0, "op": "confirm", "bead": 0})[0] == 200
        saved = path.read_bytes()
        go(browser, 3)
        press(browser, "m")
        wait(browser, "return !document.getElementById('banner').hidden")
        assert "reload: the alignment changed" in browser.find_element("id", "banner").text
        assert path.read_bytes() == saved
        # the page has reloaded the state: the next operation goes through
        wait(browser, "return state.version === 1")
        press(browser, "m", version_after=2)
        assert read_jsonl(path)[0]["status"] == "confirmed"

        # the README's screenshot: two beads confirmed, the cursor on the second most likely
        # wrong bead (the English sentence cut off the 1-2 bead, just after them)
        go(browser, CUT - 3)
        press(browser, "c", version_after=3)
        press(browser, "j")
        press(browser, "c", version_after=4)
        press(browser, "nn")
        assert browser.execute_script("return state.beads[currentBead()].kind") == "0-1"
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))
        assert SCREENSHOT.stat().st_size > 10_000


def test_the_mouse_works_too_and_reasons_arrive_for_flags_from_the_file(tmp_path, browser):
    import json

    path = write_alignment_file(tmp_path / "CD_PV.9999.jsonl")
    rows = read_jsonl(path)
    rows[CUT + 1]["flags"] = ["omission"]  # as aligner run writes it: the code, no reason
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    with review_server(path) as server:
        browser.get(server.url("/"))
        wait(browser, "return document.body.dataset.ready === '1'")
        row = browser.find_element("css selector", f'#rows .bead[data-bead="{CUT + 1}"]')
        row.click()
        assert cursor_bead(browser) == CUT + 1
        wait(browser, "return document.querySelector('#detail .reason') !== null")
        assert browser.find_element("css selector", "#detail .reason").text == \
            "omission: English sentence with no Chinese partner"
        browser.find_element("css selector", 'button[data-key="c"]').click()
        wait(browser, "return state.version === 1 && !busy")
        assert read_jsonl(path)[CUT + 1]["status"] == "confirmed"

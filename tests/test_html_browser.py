"""The HTML diff in a real browser: Debian's chromium, headless, driven by Playwright.

Locally the test is skipped when chromium or Playwright is missing; in CI
(CI=true, where .ci/run installs chromium) it fails instead, so it can never
pass by not running.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _browser_or_skip():
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if chromium is None or sync_playwright is None:
        missing = "chromium" if chromium is None else "playwright"
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing in CI: .ci/run must install it")
        pytest.skip(f"{missing} is not installed")
    return chromium, sync_playwright


def open_alone(browser, url: str, width: int = 1280):
    """A self-contained page opened at width: it must load nothing but itself, and log no error
    or warning to the console; returns the page."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    assert requests == [url], "the page must load nothing but itself"
    assert errors == []
    return page


def _transparent(color: str) -> bool:
    return color in ("transparent", "rgba(0, 0, 0, 0)")


def test_html_diff_in_headless_chromium(osaid, history_repo, tmp_path):
    chromium, sync_playwright = _browser_or_skip()
    page_file = tmp_path / "diff.html"
    assert osaid("diff", "v0.0.5", "v0.0.6", "--format", "html", "-o", str(page_file), cwd=history_repo).code == 0
    url = page_file.as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for width in (1280, 390):  # a desktop, then a phone
                page = open_alone(browser, url, width)
                # the typo fix: the changed word is highlighted on both sides
                ins = page.locator("#definition-clause-why-open-source-ai .new ins")
                assert ins.inner_text() == "definition"
                assert not _transparent(ins.evaluate("e => getComputedStyle(e).backgroundColor"))
                dele = page.locator("#definition-clause-why-open-source-ai .old del")
                assert dele.inner_text() == "defintion"
                assert not _transparent(dele.evaluate("e => getComputedStyle(e).backgroundColor"))
                # the anchor of a change leads to it
                assert page.locator('#definition-clause-use a[href="#definition-clause-use"]').count() == 1
                old_box = page.locator("#definition-clause-use .old").bounding_box()
                new_box = page.locator("#definition-clause-use .new").bounding_box()
                if width > 700:
                    assert new_box["x"] > old_box["x"] and abs(new_box["y"] - old_box["y"]) < 1  # side by side
                else:
                    assert new_box["y"] > old_box["y"] and abs(new_box["x"] - old_box["x"]) < 1  # stacked
                    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
                page.screenshot(path=str(tmp_path / f"diff-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()

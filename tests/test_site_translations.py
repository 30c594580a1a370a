"""The site's translation pages (issue 15 item 5), built by the installed script from the fixture
history with the Japanese test catalog (tests/test_translations.py), and read in Debian's chromium:
each language's version of the definition for each release with a catalog and the working draft,
stale and missing clauses marked in words with the English beside them, and the feed's entries."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import commit_reviewed, edit, git, run_console
from test_html_browser import CHROMIUM_ARGS, _browser_or_skip
from test_site import AXE, _links
from test_translations import DEF, FIXTURE, entries

USE = "Use the system for any purpose without having to ask for permission."  # the English since 0.0.6
STUDY = "Study how the system works and inspect its components."
STUDY_09 = "Study how the system works and inspect each of its components."


def _history_with_japanese(root: Path) -> None:
    """0.0.8 with the fixture catalog brought up to date (the clause `use` stale since 0.0.6),
    released as 0.0.9 with the clause `study` reworded; the draft's catalog updated after it."""
    (root / "translations/ja").mkdir(parents=True)
    shutil.copy(FIXTURE, root / DEF)
    assert run_console("translations", "update", "ja", cwd=root).returncode == 1
    edit(root / "definition/definition.yaml", "version: 0.0.8", "version: 0.0.9")
    edit(root / "definition/what-is-open-source-ai.yaml", STUDY, STUDY_09)
    commit_reviewed(root, "Draft 0.0.9, with a Japanese catalog")
    git(root, "tag", "-a", "v0.0.9", "-m", "Release v0.0.9")
    assert run_console("translations", "update", "ja", cwd=root).returncode == 1  # the draft's catalog changes


def test_translation_pages_and_feed(writable_history, tmp_path):
    root = writable_history
    _history_with_japanese(root)
    assert entries(root)["what-is-open-source-ai/study.text"].fuzzy
    site = tmp_path / "published" / "osaid"
    r = run_console("site", "-o", str(site), "--base-url", "https://example.org/osaid/", cwd=root)
    assert r.returncode == 0, r.stderr
    built = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    # releases before the catalog existed have no page in Japanese
    assert {p for p in built if p.startswith("translations/")} == {
        "translations/index.html", "translations/ja/0.0.9/index.html", "translations/ja/draft/index.html"}
    # the feed: one entry per version whose catalog changed, linking to its page
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(site / "feed.xml").getroot()
    found = {e.find("a:title", ns).text: (e.find("a:link", ns).get("href"), e.find("a:summary", ns).text)
             for e in feed.findall("a:entry", ns)}
    href, summary = found["Translation ja of the definition 0.0.9"]
    assert href == "https://example.org/osaid/translations/ja/0.0.9/index.html"
    assert summary.startswith("The first catalog: ") and " stale, " in summary
    href, summary = found["Translation ja of the definition 0.0.9 (working draft)"]
    assert href == "https://example.org/osaid/translations/ja/draft/index.html"
    assert summary.startswith("The catalog changed: ")

    chromium, sync_playwright = _browser_or_skip()
    base = site.as_uri() + "/"
    mine = sorted(base + p for p in built if p.startswith("translations/"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            outside, problems = [], []
            page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            # the index links to the translations; each translation page's links resolve, anchors too
            page.goto(base + "index.html")
            assert base + "translations/index.html" in _links(page)
            anchors = {u: set(page.goto(u) and page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
                       for u in mine}
            for url in mine:
                page.goto(url)
                for link in _links(page):
                    target, _, frag = link.partition("#")
                    assert target.startswith(base) and Path(unquote(urlsplit(target).path)).is_file(), (url, link)
                    assert not frag or target not in anchors or frag in anchors[target], (url, link)
            page.goto(base + "translations/index.html")
            assert sorted({u for u in _links(page) if "/translations/ja/" in u}) == [u for u in mine if u != base + "translations/index.html"]
            assert (outside, problems) == ([], [])

            # the release: `use` stale (reworded in 0.0.6, flagged by the update at 0.0.8; marked in words), `study` stale against 0.0.9's English
            page.goto(base + "translations/ja/0.0.9/index.html")
            use = page.locator("#use")
            assert "Stale translation" in use.inner_text() and "(stale since 0.0.8)" in use.inner_text()
            assert use.locator('[lang="ja"]').inner_text() == "許可を求めることなく、あらゆる目的のためにシステムを使用すること。"
            english = use.locator('[lang="en"]').all_inner_texts()
            assert english == ["Use the system for any purpose and without having to ask for permission.", USE]
            study = page.locator("#study")
            assert "Stale translation" in study.inner_text()
            assert study.locator('[lang="en"]').all_inner_texts() == [STUDY, STUDY_09]
            # a missing clause: said so, the English shown
            missing = page.locator(".clause.missing").first
            assert "Not translated" in missing.inner_text() and missing.locator('[lang="en"]').count() == 1
            # a translated one, in Japanese and marked as such
            assert page.locator('.clause.translated [lang="ja"]').count() >= 1
            assert page.locator('h1 [lang="ja"]').inner_text() == "オープンソースAIの定義"
            # the draft: update flagged `study` too, recording the English it was translated from
            page.goto(base + "translations/ja/draft/index.html")
            assert "Stale translation" in page.locator("#study").inner_text()
            assert page.locator("#study [lang=en]").all_inner_texts() == [STUDY, STUDY_09]
            # the index of translations: each version's numbers
            page.goto(base + "translations/index.html")
            rows = page.locator("tbody tr").all_inner_texts()
            assert rows[0].startswith("ja\t0.0.9 (working draft)\t") and rows[1].startswith("ja\t0.0.9\t")
            # axe-core (if installed) and a phone's width on each kind of page
            for rel in ("translations/index.html", "translations/ja/0.0.9/index.html"):
                page.goto(base + rel)
                if AXE.is_file():
                    page.add_script_tag(path=str(AXE))
                    found = page.evaluate("axe.run().then(r => r.violations.filter("
                                          "v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + "
                                          "v.nodes.map(n => n.target.join(' ')).join(', ')))")
                    assert found == [], f"{rel}: {found}"
                page.set_viewport_size({"width": 390, "height": 900})
                assert page.evaluate("document.documentElement.scrollWidth") <= 390, rel
                page.set_viewport_size({"width": 1280, "height": 900})
        finally:
            browser.close()


def test_no_translation_no_pages(history_repo):
    from osaid.site import build as site

    files = site.build(str(history_repo), use_cache=False)
    assert not [p for p in files if p.startswith("translations/")]
    assert b"translations/index.html" not in files["index.html"] and b"Translation" not in files["feed.xml"]


def test_what_a_catalog_holds_is_shown_as_text_and_a_broken_one_never_stops_the_site(writable_history):
    """A translation is data from translators: markup and invisible characters are shown as text, a
    catalog that does not parse is said so (the English shown), an odd folder name makes no page."""
    import polib

    from osaid.site import build as site

    root = writable_history
    (root / "translations/ja").mkdir(parents=True)
    shutil.copy(FIXTURE, root / DEF)
    assert run_console("translations", "update", "ja", cwd=root).returncode == 1
    po = polib.pofile(str(root / DEF), wrapwidth=78)
    for e in po:
        if e.msgctxt == "what-is-open-source-ai/study.text":
            e.msgstr = "<script>alert(1)</script> 研究\u202e"
    po.save()
    odd = root / "translations" / 'x"><b>x'
    odd.mkdir()
    shutil.copy(root / DEF, odd / "definition.po")
    page = site.build(str(root), use_cache=False)["translations/ja/draft/index.html"].decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 研究" in page and "<script" not in page
    assert "\u202e" not in page
    files = site.build(str(root), use_cache=False)
    assert sorted(p for p in files if p.startswith("translations/")) == [
        "translations/index.html", "translations/ja/draft/index.html"]
    (root / DEF).write_text((root / DEF).read_text(encoding="utf-8") + "\nmsgstr unquoted\n", encoding="utf-8")
    page = site.build(str(root), use_cache=False)["translations/ja/draft/index.html"].decode("utf-8")
    assert "The catalog of this version does not parse" in page
    assert 'lang="ja"' not in page and 'class="clause translated"' not in page
    assert page.count("<strong>Not translated</strong>") == 13  # every clause of 0.0.8 in English, each said so

"""The HTML diff with hostile text: escaped, no script runs, nothing loads, every change in
its own box; checked as a parser sees it and as headless chromium renders it."""

from __future__ import annotations

from html.parser import HTMLParser

from test_html_browser import CHROMIUM_ARGS, _browser_or_skip

from osaid import visible
from osaid.changes.compare import DocumentDiff
from osaid.changes.diff import Change
from osaid.changes.words import word_diff
from osaid.render import html

INJECTIONS = [
    "<script>window.pwned = 1</script>",
    "<img src=x onerror=\"window.pwned = 2\">",
    "</div></div></article></section><script>window.pwned = 3</script>",
    "\"><svg onload=\"window.pwned = 4\">",
    "' onmouseover='window.pwned = 5",
    "<a href=\"javascript:window.pwned = 6\">click</a>",
    "<style>body { display: none }</style>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<!-- comment --> &lt;already escaped&gt; &amp;",
    "<base href=\"https://evil.example/\"><link rel=stylesheet href=x.css>",
    "\u202eevil\u202c and a\x1b[8mb\r",
]
TEXT = " ".join(INJECTIONS)


def _page() -> tuple[str, int]:
    old = "Use the system for any purpose."
    changes = [
        Change("definition", "clause", "use", ("sec", "use"), "modified", "text", old, TEXT, "normative",
               tuple(word_diff(old, TEXT))),
        Change("definition", "clause", "added", ("sec", "added"), "added", None, None, TEXT, "substantive", None,
               note=TEXT),
        Change("definition", "clause", "gone", ("sec", "gone"), "removed", None, TEXT, None, "substantive", None),
        Change("definition", "section", "sec", ("sec",), "modified", "title", "Title", TEXT, "editorial", None),
    ]
    diffs = [DocumentDiff("definition", "v1", "HEAD", "1.0", TEXT, changes, {"sec": TEXT}, None),
             DocumentDiff("checklist", None, "HEAD", None, None, [], {}, skipped=TEXT)]
    return html.render(diffs, title=TEXT), len(changes)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def test_hostile_text_is_only_text_for_an_html_parser():
    page, n = _page()
    parser = _Tags()
    parser.feed(page)
    tags = {t for t, _ in parser.tags}
    assert tags <= {"html", "head", "meta", "title", "style", "body", "h1", "p", "section", "h2", "h3", "article",
                    "div", "span", "a", "del", "ins"}, tags
    assert sum(t == "style" for t, _ in parser.tags) == 1 and sum(t == "article" for t, _ in parser.tags) == n
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on") and "javascript:" not in (value or ""), (tag, name, value)
            if tag == "a" and name == "href":
                assert (value or "").startswith("#"), value
    assert visible.HIDDEN.search(page) is None


def test_hostile_text_in_headless_chromium(tmp_path):
    chromium, sync_playwright = _browser_or_skip()
    page_html, n = _page()
    page_file = tmp_path / "hostile.html"
    page_file.write_text(page_html, encoding="utf-8")
    url = page_file.as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            requests, errors, dialogs = [], [], []
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(url, wait_until="load")
            page.locator("#definition-clause-added").hover()  # an injected onmouseover would fire now
            assert requests == [url], "the page must load nothing but itself"
            assert (errors, dialogs) == ([], [])
            assert page.evaluate("typeof window.pwned") == "undefined"
            assert page.locator("script, img, svg, iframe, base, link").count() == 0
            assert page.locator("article.change").count() == n
            assert page.locator("body").is_visible()  # the injected style did not apply
            assert page.locator("#definition-clause-added .new ins").inner_text() == visible.escape(TEXT)
            assert page.locator("#definition-clause-use .new").inner_text().endswith(visible.escape(TEXT).split()[-1])
            assert page.title() == visible.escape(TEXT)
        finally:
            browser.close()

"""osaid site: the published site, built from the fixture history by the installed script,
then read in Debian's chromium (Playwright): every page, every link, the keyboard, axe-core."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import REPO, commit_reviewed, git, run_console
from test_html_browser import CHROMIUM_ARGS, _browser_or_skip

AXE = REPO / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
# Made-up endorsements of 0.0.8, only for the chart's numbers: (group, how many)
ENDORSED = {"regulator": 3, "licensee": 1, "system-creator": 5}


def _endorse(root: Path) -> None:
    p = root / "governance/endorsements.yaml"
    text = p.read_text(encoding="utf-8").replace("endorsements: []", "endorsements:")
    n = 0
    for group, count in ENDORSED.items():
        for _ in range(count):
            n += 1
            text += (f"\n  - id: person-{n}\n    kind: endorsement\n    name: Person {n}\n    group: {group}\n    version: 0.0.8\n"
                     f"    date: '2024-05-01'\n    statement_url: https://example.org/e{n}")
    p.write_text(text + "\n", encoding="utf-8")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_site_is_reproducible_and_check_says_when_it_is_stale(writable_history, tmp_path):
    root = writable_history
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_console("site", "-o", str(a), cwd=root).returncode == 0
    # without the cache of old versions' pages, the same bytes
    cache = Path(git(root, "rev-parse", "--git-path", "osaid-site").strip())
    cache = cache if cache.is_absolute() else root / cache
    assert cache.is_dir()
    import shutil
    shutil.rmtree(cache)
    assert run_console("site", "-o", str(b), cwd=root, env={"SOURCE_DATE_EPOCH": "1900000000"}).returncode == 0
    assert _tree(a) == _tree(b)
    assert {"index.html", "0.0.5/index.html", "draft/index.html", "compare/0.0.5..0.0.6.html", "feed.xml",
            "road/index.html", "clause/use.html", "checklist/0.0.2/index.html",
            "schemas/section.schema.json"} <= set(_tree(a))
    assert (a / "schemas/section.schema.json").read_bytes() == \
        (REPO / "tools/osaid/schemas/section.schema.json").read_bytes()
    ok = run_console("site", "--check", str(a), cwd=root)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # a page edited by hand, a page left over, a page missing: each named
    (a / "index.html").write_text("edited", encoding="utf-8")
    (a / "old.html").write_text("left over", encoding="utf-8")
    (a / "road/index.html").unlink()
    stale = run_console("site", "--check", str(a), cwd=root)
    assert stale.returncode == 1
    assert stale.stdout.splitlines() == [f"{a / p}: not current: run osaid site -o {a}"
                                         for p in ("index.html", "old.html", "road/index.html")]
    # a new release: the site is stale until rebuilt, and the rebuild rewrites only what changed
    _endorse(root)
    assert run_console("site", "--check", str(b), cwd=root).returncode == 1
    rebuilt = run_console("site", "-o", str(b), cwd=root)
    assert rebuilt.returncode == 0 and rebuilt.stdout == f"wrote {b}: 1 of {len(_tree(b))} files changed, 0 removed\n"
    assert run_console("site", "--check", str(b), cwd=root).returncode == 0
    # a new release, rebuilt from the cache (old pages, old changelog entries): the bytes of a build without it
    from conftest import edit
    edit(root / "definition/definition.yaml", "version: 0.0.8", "version: 0.0.9")
    edit(root / "definition/preamble.yaml", "why the world needs a definition", "why the world needs one definition")
    commit_reviewed(root, "Draft 0.0.9")
    git(root, "tag", "-a", "v0.0.9", "-m", "Release v0.0.9")
    assert (cache / "entries.pickle").is_file() and (cache / "pages.json").is_file()
    assert run_console("site", "-o", str(b), cwd=root).returncode == 0
    shutil.rmtree(cache)
    c = tmp_path / "c"
    assert run_console("site", "-o", str(c), cwd=root).returncode == 0
    assert _tree(b) == _tree(c) and "compare/0.0.8..0.0.9.html" in _tree(c)


def test_feed_lists_every_release_with_absolute_links_under_a_base_url(history_repo, tmp_path):
    import xml.etree.ElementTree as ET

    out = tmp_path / "site"
    assert run_console("site", "-o", str(out), "--base-url", "https://example.org/osaid", cwd=history_repo).returncode == 0
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(out / "feed.xml").getroot()
    titles = [e.find("a:title", ns).text for e in feed.findall("a:entry", ns)]
    assert titles == ["Definition 0.0.8", "Definition 0.0.7", "Definition 0.0.6", "Checklist 0.0.2",
                      "Definition 0.0.5", "Checklist 0.0.1"]  # newest first; on one day, the definition first
    links = [e.find("a:link", ns).get("href") for e in feed.findall("a:entry", ns)]
    assert links[0] == "https://example.org/osaid/0.0.8/index.html"
    assert feed.find("a:updated", ns).text == "2024-03-15T00:00:00Z"
    for link in links:
        assert (out / link.removeprefix("https://example.org/osaid/")).is_file()


def _links(page) -> list[str]:
    """The page's links into the site (a discussion thread, rel=external, is a link out: never crawled)."""
    return page.eval_on_selector_all("a[href]:not([rel~=external])", "els => els.map(e => e.href)")


def check_page(page, rel: str, shots: Path) -> None:
    """Tab reaches every link; axe-core finds no serious violation; no sideways scroll at
    1280 and 390 px (a screenshot of each kept in shots)."""
    links = set(_links(page))
    reached = set()
    for _ in range(len(page.locator("a[href], select, button, input, [tabindex]").all()) + 3):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.href || ''"))
    assert links <= reached, f"{rel}: not reached by Tab: {links - reached}"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("axe.run().then(r => r.violations.filter("
                          "v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + "
                          "v.nodes.map(n => n.target.join(' ')).join(', ')))")
    assert found == [], f"{rel}: {found}"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{rel} at {width} px"
        page.screenshot(path=str(shots / f"{rel.replace('/', '_')}-{width}.png"), full_page=True)


def test_site_in_chromium(writable_history, tmp_path):
    chromium, sync_playwright = _browser_or_skip()
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail("axe-core is missing in CI: .ci/run must install it into .tools/")
        pytest.skip("axe-core is not installed (.ci/run installs it into .tools/)")
    root = writable_history
    _endorse(root)
    commit_reviewed(root, "Record endorsements")
    site = tmp_path / "published" / "osaid"  # a sub-path, as on GitHub Pages
    assert run_console("site", "-o", str(site), "--base-url", "https://example.org/osaid/", cwd=root).returncode == 0
    base = site.as_uri() + "/"
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            requests, errors = [], []
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            # the crawler: every link from the index, breadth first
            todo, seen, ids, wanted = [base + "index.html"], set(), {}, []
            while todo:
                url = todo.pop(0)
                if url in seen:
                    continue
                seen.add(url)
                path = Path(unquote(urlsplit(url).path))
                assert path.is_file(), f"broken link to {url}"
                if not url.endswith(".html"):
                    continue
                page.goto(url, wait_until="load")
                ids[url] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
                for link in _links(page):
                    assert link.startswith(base), f"{url} links outside the site: {link}"
                    target, _, frag = link.partition("#")
                    if frag:
                        wanted.append((url, target, frag))
                    todo.append(target)
            assert errors == []
            assert all(r.startswith(base) for r in requests), [r for r in requests if not r.startswith(base)]
            htmls = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
            assert {u[len(base):] for u in seen if u.endswith(".html")} == htmls, "every page is reachable"
            for url, target, frag in wanted:
                assert frag in ids[target], f"{url} links to #{frag}, which {target} lacks"
            # the chart: the numbers as text, in the SVG and the table
            page.goto(base + "road/index.html")
            for group, count in ENDORSED.items():
                assert page.locator(f'#endorsements g[data-group="{group}"] text.count').text_content() == str(count)
            assert page.locator('#endorsements g[data-group="end-user"] text.count').text_content() == "0"
            rows = page.locator("#endorsement-numbers tbody tr").all_inner_texts()
            assert "Regulator\t3\t0\t3\t0 more\t2 more" in rows and "System Creator\t5\t0\t5\t0 more\t0 more" in rows
            widths = {g: page.locator(f'#endorsements g[data-group="{g}"] rect:not(.supported)').bounding_box()["width"]
                      for g in ENDORSED}
            assert widths["system-creator"] > widths["regulator"] > widths["licensee"] > 0
            assert "RC 2" in page.locator("#endorsements").text_content()
            # a clause: its permanent anchor, and its history across the rename
            page.goto(base + "0.0.7/index.html#preferred-form-text")
            assert page.locator("#preferred-form-text a", has_text="history").get_attribute("href") == \
                "../clause/preferred-form-text.html"
            page.goto(base + "clause/preferred-form-text.html")
            assert "renamed clause preferred-form-question → preferred-form-text" in page.inner_text("main")
            page.goto(base + "compare/0.0.5..0.0.6.html")
            assert page.locator("#clause-why-open-source-ai .new ins").inner_text() == "definition"
            # keyboard, axe, widths, on one page of each kind
            samples = ["index.html", "0.0.6/index.html", "compare/0.0.5..0.0.6.html", "clause/use.html",
                       "checklist/0.0.2/index.html", "road/index.html", "compare/index.html", "draft/index.html"]
            for rel in samples:
                page.goto(base + rel)
                check_page(page, rel, shots)
                page.set_viewport_size({"width": 1280, "height": 900})
                page.emulate_media(media="print")
                assert page.locator("header nav").is_hidden()
                page.emulate_media(media="screen")
            # (axe-core itself fetches the style sheet, which chromium refuses from file://: its
            # console errors are not the site's; the crawl above asserted that there were none)
        finally:
            browser.close()
    assert len(list(shots.glob("*.png"))) == 2 * len(samples)


def test_the_pages_workflow_builds_the_site(history_repo, tmp_path):
    """Run the workflow's own 'Build the site' step on a checkout of the fixture history."""
    import subprocess
    import sys

    from test_workflows import workflow

    wf = workflow(REPO / ".github/workflows/pages.yml")
    step = next(s for s in wf["jobs"]["build"]["steps"] if s.get("name") == "Build the site")
    upload = next(s for s in wf["jobs"]["build"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(history_repo), str(checkout))
    (checkout / ".venv").symlink_to(Path(sys.prefix))
    env = {**os.environ, "OWNER": "osaid", "REPOSITORY": "osaid"}
    r = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=checkout, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    built = checkout / upload["with"]["path"]
    assert (built / "index.html").is_file()
    assert '<link rel="canonical" href="https://osaid.github.io/osaid/index.html">' in \
        (built / "index.html").read_text(encoding="utf-8")


def test_site_never_writes_into_a_folder_it_did_not_build(history_repo, tmp_path):
    """A rebuild removes the files left over, so -o must never be a folder of something else."""
    for name in ("docs", "repo-like"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "notes.txt").write_text("mine", encoding="utf-8")
        if name == "repo-like":
            (folder / "index.html").write_text("<!doctype html><title>my page</title>", encoding="utf-8")
        r = run_console("site", "-o", str(folder), cwd=history_repo)
        assert r.returncode == 2 and r.stdout == ""
        assert r.stderr == (f"osaid: {folder} is not empty and holds no site built by osaid site (its index.html "
                            "says so): give a new or empty folder, so that nothing else in it is overwritten or "
                            "removed\n")
        assert sorted(p.name for p in folder.iterdir()) == (["notes.txt"] if name == "docs" else
                                                            ["index.html", "notes.txt"])
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_console("site", "-o", str(empty), cwd=history_repo).returncode == 0
    assert run_console("site", "-o", str(empty), cwd=history_repo).stdout.startswith(f"wrote {empty}: 0 of ")


def test_site_shows_markup_in_the_data_as_text_and_refuses_invalid_data(writable_history, tmp_path):
    from conftest import edit

    root = writable_history
    edit(root / "definition/preamble.yaml", "why the world needs a definition",
         "why the world needs a <script>alert(1)</script> definition & <b>more</b>")
    out = tmp_path / "site"
    assert run_console("site", "-o", str(out), cwd=root).returncode == 0
    draft = (out / "draft/index.html").read_text(encoding="utf-8")
    assert "needs a &lt;script&gt;alert(1)&lt;/script&gt; definition &amp; &lt;b&gt;more&lt;/b&gt;" in draft
    change = (out / "compare/0.0.8..draft.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in change
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8").replace('<script src="chooser.js"></script>', "")  # the site's own
        assert "<script" not in text, page
    # data that does not validate: a message naming the file, nothing written
    edit(root / "definition/preamble.yaml", "definition & <b>more</b>", "definition\u202e reversed")
    again = tmp_path / "again"
    r = run_console("site", "-o", str(again), cwd=root)
    assert r.returncode == 1 and "definition/preamble.yaml:" in r.stderr and "GOV-2" in r.stderr
    assert not again.exists()


def test_pages_built_elsewhere_plug_in_and_are_linked_from_the_index(history_repo, monkeypatch):
    """The extension point for the tally heatmap and the evaluations: a page builder in PAGE_BUILDERS."""
    from osaid.site import build as site
    from osaid.site import common

    seen = []

    def tally(ctx):
        seen.append([v.version for v in ctx.definition])
        return {"tally/index.html": b"<!doctype html><title>tally</title>"}

    monkeypatch.setattr(site, "PAGE_BUILDERS", [common.Extension("Working-group tally", "tally/index.html", tally)])
    files = site.build(str(history_repo), use_cache=False)
    assert files["tally/index.html"] == b"<!doctype html><title>tally</title>"
    assert seen == [["0.0.5", "0.0.6", "0.0.7", "0.0.8", "0.0.8"]]  # the releases, then the working draft
    assert b'<li><a href="tally/index.html">Working-group tally</a></li>' in files["index.html"]


def test_every_link_resolves_before_any_release(git_repo, tmp_path):
    """A fresh repository (no tag): the working draft alone, and still no broken link (checked
    statically here; the browser crawl covers a history)."""
    from html.parser import HTMLParser

    out = tmp_path / "site"
    assert run_console("site", "-o", str(out), cwd=git_repo).returncode == 0

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "a" and "href" in a:
                self.hrefs.append(a["href"])
            if "id" in a:
                self.ids.add(a["id"])

    parsed = {}
    for page in out.rglob("*.html"):
        parsed[page] = Links()
        parsed[page].feed(page.read_text(encoding="utf-8"))
    assert (out / "clause").is_dir()
    for page, links in parsed.items():
        for href in links.hrefs:
            target, _, frag = href.partition("#")
            dest = (page.parent / target).resolve() if target else page
            assert dest.is_file() and out.resolve() in dest.parents, f"{page}: {href}"
            if frag and dest.suffix == ".html":
                assert frag in parsed[Path(os.path.normpath(page.parent / target)) if target else page].ids, href

"""osaid history credits each change to the commit that made it (not the release commit),
with its author, date, Discussion: and Reviewed-by: trailers, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import edit, git
from history_fixture import set_version

WHAT = "definition/what-is-open-source-ai.yaml"
USE_TEXT = "Use the system for any purpose without having to ask for permission."
HOSTILE = "https://x.example/a) [owned](https://evil.example"


def _commit(root: Path, message: str, *trailers: str) -> str:
    git(root, "add", "-A")
    args = [a for t in trailers for a in ("--trailer", t)]
    git(root, "commit", "-q", "-m", message, *args)
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def made_repo(tmp_path_factory, history_repo):
    """The fixture history, then 0.0.9 made of three commits and a separate release commit:
    `use` reworded (discussed, reviewed), `share` reworded with a hostile discussion URL,
    `study` edited in the same file as `use` after it (must not be credited for `use`)."""
    from conftest import hermetic_env

    mp = hermetic_env(tmp_path_factory)
    root = tmp_path_factory.mktemp("made") / "repo"
    git(root.parent, "clone", "-q", str(history_repo), str(root))
    shas = {}
    edit(root / WHAT, USE_TEXT, "Use the system for any purpose, without asking for permission.")
    shas["use"] = _commit(root, "Reword the freedom to use", "Discussion: https://discuss.example.org/t/use-42",
                          "Reviewed-by: Stefano Maffulli <stefano@example.org>", "Reviewed-by: Mer Joyce <mer@example.org>")
    edit(root / WHAT, "Share the system with or without modifications", "Share the system, modified or not,")
    shas["share"] = _commit(root, "Reword the freedom to share", f"Discussion: {HOSTILE}",
                            "Discussion: javascript:alert(1)")
    edit(root / WHAT, "Study how the system works", "Study how the whole system works")
    shas["study"] = _commit(root, "Study: the whole system", "Discussion: https://discuss.example.org/t/study-7")
    edit(root / WHAT, "Modify the system", "Change the system")
    shas["modify"] = _commit(root, "Modify\x1b[8m quietly", "Discussion: https://d.example/\x1b[8mhidden",
                             "Reviewed-by: Eve \u202elive")
    set_version(root, "definition/definition.yaml", "0.0.9", "2024-04-01")
    shas["release"] = _commit(root, "Release definition 0.0.9")
    git(root, "tag", "-a", "v0.0.9", "-m", "Release v0.0.9")
    yield root, shas
    mp.undo()


def _history(osaid, root, *args):
    r = osaid("history", *args, cwd=root)
    assert r.code == 0, r.err
    return r.out


def test_release_history_credits_the_commit_that_made_the_change(osaid, made_repo):
    root, shas = made_repo
    h = json.loads(_history(osaid, root, "use", "--format", "json"))
    last = h["events"][-1]
    assert (last["state"], last["commit"]) == ("v0.0.9", shas["release"])
    assert last["made"] == {"commit": shas["use"], "author": "Ada Editor", "date": last["made"]["date"],
                            "subject": "Reword the freedom to use",
                            "discussion": ["https://discuss.example.org/t/use-42"],
                            "reviewed_by": ["Stefano Maffulli <stefano@example.org>", "Mer Joyce <mer@example.org>"]}
    # the later commit to the same file (study) is not credited for use, and study gets its own
    assert json.loads(_history(osaid, root, "study", "--format", "json"))["events"][-1]["made"]["commit"] == shas["study"]
    assert json.loads(_history(osaid, root, "share", "--format", "json"))["events"][-1]["made"]["commit"] == shas["share"]
    # a release made in one commit credits that commit (no trailers in the fixture)
    first = h["events"][0]
    assert first["made"]["commit"] == first["commit"] and first["made"]["discussion"] == []


def test_text_names_the_commit_its_discussion_and_reviewers(osaid, made_repo):
    root, shas = made_repo
    out = _history(osaid, root, "use")
    block = out.split("\n\n")[-1]
    assert block.splitlines()[:4] == [
        block.splitlines()[0],
        f"  made in {shas['use'][:10]}  {block.splitlines()[1].split('  ')[2]}  Ada Editor  Reword the freedom to use",
        "  Discussion: https://discuss.example.org/t/use-42",
        "  Reviewed-by: Stefano Maffulli <stefano@example.org>"]
    assert block.splitlines()[0].startswith("0.0.9  v0.0.9  ")
    # with --commits the event is the commit itself: only its trailers are added
    out = _history(osaid, root, "use", "--commits")
    block = out.split("\n\n")[-2 if out.split("\n\n")[-1].startswith("0.0.9") else -1]
    assert f"{shas['use'][:10]}" in block.splitlines()[0]
    assert "made in" not in block
    assert "  Discussion: https://discuss.example.org/t/use-42" in block.splitlines()


def test_markdown_and_html_link_the_discussion_and_only_a_web_url(osaid, made_repo):
    root, _ = made_repo
    md = _history(osaid, root, "use", "--format", "markdown")
    assert "Discussion: [https:&#8203;//discuss.example.org/t/use-42](https://discuss.example.org/t/use-42)" in md
    assert "Reviewed-by: Stefano Maffulli &lt;stefano@&#8203;example.org&gt;" in md
    md = _history(osaid, root, "share", "--format", "markdown")
    assert "](https://evil.example" not in md and "](javascript" not in md
    assert "Discussion: https:&#8203;//x.example/a) \\[owned\\](https:&#8203;//evil.example" in md
    page = _history(osaid, root, "use", "--format", "html")
    assert ('<a href="https://discuss.example.org/t/use-42" rel="nofollow noopener">'
            'https://discuss.example.org/t/use-42</a>') in page
    assert page.startswith("<!doctype html>") and "<h1>History of use in the definition</h1>" in page
    page = _history(osaid, root, "share", "--format", "html")
    assert 'href="javascript' not in page and 'href="https://x.example' not in page
    assert "Discussion: javascript:alert(1)" in page


def test_hostile_trailers_reach_no_output_unescaped(osaid, made_repo):
    from osaid import visible

    root, shas = made_repo
    for fmt in ("text", "markdown", "json", "html"):
        out = _history(osaid, root, "modify", "--format", fmt)
        assert visible.HIDDEN.search(out) is None, (fmt, out)
        assert "d.example/" in out and 'href="https://d.example' not in out and "](https://d.example" not in out
    made = json.loads(_history(osaid, root, "modify", "--format", "json"))["events"][-1]["made"]
    assert made["commit"] == shas["modify"] and made["reviewed_by"] == ["Eve \u202elive"]
    assert "  Reviewed-by: Eve \\u202elive" in _history(osaid, root, "modify")


def test_history_page_in_headless_chromium(osaid, made_repo, tmp_path):
    from test_html_browser import CHROMIUM_ARGS, _browser_or_skip, open_alone

    chromium, sync_playwright = _browser_or_skip()
    root, shas = made_repo
    page_file = tmp_path / "history.html"
    page_file.write_text(_history(osaid, root, "use", "--format", "html"), encoding="utf-8")
    url = page_file.as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = open_alone(browser, url)
            links = page.locator("section:last-of-type .made a")
            assert links.count() == 1
            assert links.get_attribute("href") == "https://discuss.example.org/t/use-42"
            made = page.locator("section:last-of-type .made").inner_text()
            assert made.startswith(f"made in {shas['use'][:10]}") and "Reviewed-by: Mer Joyce <mer@example.org>" in made
            ins = page.locator("section:last-of-type .change .new ins")
            assert ins.count() >= 1
        finally:
            browser.close()

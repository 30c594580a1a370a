"""The Markdown PR comment against hostile text, read back by a real Markdown parser.

markdown-it-py (CommonMark, GFM tables and strikethrough, HTML, linkify
configured as GitHub links: a scheme or www., not bare domains) parses the
comment; the assertions are on its token stream, not on strings:

- structure: a comment whose texts are hostile has exactly the blocks and
  inline markup of the same comment with plain texts (every entry one list
  item; no heading, rule, table, fence, quote, HTML block or extra list from
  the text; only our own <ins>/<del>/<details>/<summary>/<br> as HTML);
- no link, image or code from the text, and nothing GitHub would turn into a
  mention, a reference or a link (@user, @org/team, #1, GH-1, owner/repo#1,
  commit hashes, URLs, www.);
- fidelity: the text a reader sees is the text of the data (line breaks as
  <br>, hidden characters escaped as \\x1b, zero-width spaces aside).
"""

from __future__ import annotations

import re

import markdown_it
import pytest

from osaid import visible
from osaid.changes.compare import DocumentDiff
from osaid.changes.diff import Change
from osaid.changes.words import word_diff
from osaid.render import markdown

HOSTILE = [
    # mentions and references
    "@octocat please look", "cc @github/security-team and @Org/Team-1", "thanks,@user.", "mail me: ada@example.org",
    "fixes #1", "see owner/repo#123 and org/r.e-po#9", "GH-42 and gh-7", "commit 0123456789abcdef0123456789abcdef01234567",
    "short sha 1a2b3c4 and owner/repo@1a2b3c4d", "user@deadbeef1",
    # links and autolinks
    "https://evil.example/pwn", "ftp://x.example", "www.evil.example", "<https://evil.example>", "<ada@example.org>",
    "[click](https://evil.example)", "![img](https://evil.example/x.png)", "[ref]\n\n[ref]: https://evil.example",
    "javascript:alert(1)", "[x][1]\n[1]: <https://evil.example>",
    # block structure injected by line breaks
    "first\n- injected item\n- another", "first\n\n* star item", "first\n+ plus item", "first\n1. ordered\n2) ordered",
    "first\n# heading", "first\n## heading ##", "first\n---", "first\n***", "first\n___", "first\n===", "first\n   ---",
    "| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n--|--", "first\n```\ncode\n```", "first\n~~~\ncode", "first\n\n    indented code",
    "first\n> quote", "first\n>> nested", "- starts with a dash", "1. starts with a number", "    four spaces first",
    "\ttab first", "+ plus first", "= equals first", "---", "# hash first", "> quote first", "1) paren first",
    "first\n\n\n\nafter blank lines", "trailing spaces  \nhard break", "trailing backslash\\\nbreak", "first\r\nCRLF",
    "- [ ] task\n- [x] done",
    # HTML and our own tags
    "</details>\n\n## escaped", "</summary></details><script>alert(1)</script>", "<!-- osaid-diff -->",
    "</ins> after </del>", "<details open><summary>x</summary>", "<img src=x onerror=alert(1)>", "<div>\n\n**bold**\n\n</div>",
    "&lt;script&gt; and &#64;user and &amp;", "<br><br>", "<p>para</p>",
    # inline markup
    "*em* _em_ **strong** __strong__ ~~strike~~ ~single~", "`code` and ``double``", "a * b * c", "x_y_z", "$x^2$ and $$math$$",
    "footnote[^1]\n\n[^1]: hidden", ":warning: emoji", "> [!WARNING]\n> alert", "\\*escaped\\*", "a\\", "\\",
    # hidden characters
    "a\x1b[8mb\r\x1b[2K", "\u202eevil\u202c", "zero\u200bwidth", "nel\x85here", "bell\x07",
]

GITHUB_LINKS = re.compile(
    r"@[A-Za-z0-9]"                     # mentions (and emails)
    r"|#[0-9]"                          # #1, owner/repo#1
    r"|(?i:\bGH-[0-9])"                 # GH-1
    r"|\b[0-9A-Fa-f]{7,40}\b"           # commit hashes
    r"|[A-Za-z][A-Za-z0-9+.-]*://"      # URLs with a scheme
    r"|(?i:\bwww\.)"                    # www. autolinks
)
OUR_HTML = {"<ins>", "</ins>", "<del>", "</del>", "<br>", "<details>", "</details>", "<summary>", "</summary>"}


def _parser():
    md = markdown_it.MarkdownIt("gfm-like")  # CommonMark + tables + strikethrough + linkify, HTML on
    md.linkify.set({"fuzzy_link": False})  # as GitHub: a link needs a scheme or www. (checked by GITHUB_LINKS)
    return md


def _diffs(text: str, long: bool) -> list[DocumentDiff]:
    """Every place a renderer shows data: words, values, notes, titles, labels, skip reasons."""
    pad = " " + "plain words " * 40 if long else ""
    t = text + pad
    old = "Use the system for any purpose." + pad
    changes = [
        Change("definition", "clause", "use", ("sec", "use"), "modified", "text", old, t, "normative",
               tuple(word_diff(old, t))),
        Change("definition", "clause", "added", ("sec", "added"), "added", None, None, {"text": t, "kind": "prose"},
               "substantive", None, note=text),
        Change("definition", "clause", "gone", ("sec", "gone"), "removed", None, t, None, "substantive", None),
        Change("definition", "section", "sec", ("sec",), "modified", "title", "Title", t, "editorial", None),
        # the text first and unchanged: it starts the folded body's line
        Change("definition", "clause", "lead", ("sec", "lead"), "modified", "text", text + " old" * (60 if long else 1),
               text + " new" * (60 if long else 1), "substantive",
               tuple(word_diff(text + " old" * (60 if long else 1), text + " new" * (60 if long else 1)))),
    ]
    return [DocumentDiff("definition", "v1", "HEAD", "1.0", "1.1", changes, {"sec": text}, None),
            DocumentDiff("checklist", None, "HEAD", None, None, [], {}, skipped=text)]


PROSE = {"<ins>", "</ins>", "<del>", "</del>", "<br>"}


def _signature(tokens) -> list:
    """The structure of a token stream: blocks and inline markup, without the text (a run of
    text, <ins>, <del> and <br> is one "prose": the word diff of each text differs)."""
    out = []
    for t in tokens:
        if t.type == "inline":
            kids, open_tag = [], None
            for k in t.children:
                if k.type == "text" or (k.type == "html_inline" and k.content in PROSE):
                    if k.type == "text":
                        pass
                    elif k.content in ("<ins>", "<del>"):
                        assert open_tag is None, "nested <ins>/<del>"
                        open_tag = k.content
                    elif k.content in ("</ins>", "</del>"):
                        assert open_tag == k.content.replace("/", ""), "unbalanced <ins>/<del>"
                        open_tag = None
                    if kids[-1:] != ["prose"]:
                        kids.append("prose")
                else:
                    kids.append((k.type, k.content if k.type == "html_inline" else ""))
            assert open_tag is None, "unclosed <ins>/<del>"
            out.append(("inline", t.level, tuple(kids)))
        else:
            out.append((t.type, t.tag, t.nesting, t.level, t.content.strip() if t.type == "html_block" else ""))
    return out


def _texts(tokens) -> list[str]:
    return [k.content for t in tokens if t.type == "inline" for k in t.children if k.type == "text"]


@pytest.mark.parametrize("long", [False, True], ids=["inline", "folded"])
def test_hostile_text_keeps_the_comment_structure(long):
    md = _parser()
    plain = md.parse(markdown.render(_diffs("plain", long)))
    assert sum(t.type == "list_item_open" for t in plain) == 5
    assert sum(t.type == "html_block" and t.content.startswith("<details>") for t in plain) == (4 if long else 0)
    expected = _signature(plain)
    for text in HOSTILE:
        comment = markdown.render(_diffs(text, long))
        tokens = md.parse(comment)
        assert _signature(tokens) == expected, f"{text!r} changed the structure:\n{comment}"
        for t in tokens:
            assert t.type not in ("fence", "code_block", "hr", "blockquote_open", "table_open"), (text, t.type)
            for k in t.children or []:
                assert k.type not in ("link_open", "image", "code_inline", "s_open", "softbreak", "hardbreak"), (text, k)
                if k.type == "html_inline":
                    assert k.content in OUR_HTML, (text, k.content)
        for shown in _texts(tokens):
            assert not GITHUB_LINKS.search(shown), f"{text!r}: GitHub would link {shown!r}"
            assert visible.HIDDEN.search(shown.replace("\u200b", "")) is None, (text, shown)


def test_the_reader_sees_the_text_of_the_data():
    """Between <ins> and </ins> of the added clause: the text itself, line breaks as <br>."""
    md = _parser()
    for text in HOSTILE:
        tokens = md.parse(markdown.render(_diffs(text, False)))
        entry = next(t for t in tokens if t.type == "inline" and "added clause added" in "".join(_texts([t])))
        seen, inside = [], False
        for k in entry.children:
            if k.type == "html_inline" and k.content in ("<ins>", "</ins>"):
                inside = k.content == "<ins>"
            elif inside:
                seen.append("\n" if k.type == "html_inline" and k.content == "<br>" else k.content)
        want = visible.escape(f"text: {text}; kind: prose")
        assert "".join(seen).replace("\u200b", "") == want, text


def test_mentions_and_references_are_broken_in_the_source():
    """What GitHub sees before rendering: a zero-width space after @ and #, inside GH-1, hashes, URLs."""
    assert markdown.md("@octocat @org/team #12 GH-3 https://x.example www.x.example") == (
        "@&#8203;octocat @&#8203;org/team \\#&#8203;12 GH&#8203;-3 https:&#8203;//x.example www&#8203;.x.example")
    assert markdown.md("0123456789abcdef0123456789abcdef01234567") == "&#8203;".join(
        ["012345", "6789ab", "cdef01", "234567", "89abcd", "ef0123", "4567"])
    assert markdown.md("cafe 2024 beef 65536 Ada") == "cafe 2024 beef 65536 Ada"  # short words untouched

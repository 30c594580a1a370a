"""The shortcuts that make walks over many versions cheap give what the plain way gives.

Each shortcut here skips work when it can prove the answer: a hidden-character walk
skipped for a text with none, a section's items reused when its data is the same object,
a diff passing over items that are the same objects, a trailer log asked of git once.
Each test compares the shortcut with the plain computation on inputs where it applies
and where it must not.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from osaid import visible
from osaid.changes import diff
from osaid.data import document, validate
from osaid.data.pieces import Pieces

SECTION = "definition/s.yaml"


def _section(texts: list[str]) -> bytes:
    lines = ["# yaml-language-server: $schema=../tools/osaid/schemas/section.schema.json",
             "id: s", "title: S", "clauses:"]
    for n, text in enumerate(texts):
        lines += [f"  - id: c{n}", f"    text: {text}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=0, max_size=40))
def test_none_in_is_the_search_over_hidden(text):
    """visible.none_in (str methods for ASCII text) answers as the search over HIDDEN does."""
    assert visible.none_in(text) == (visible.first(text) is None)


def test_none_in_on_every_character_of_the_first_planes():
    for n in range(0x3100):
        ch = chr(n)
        assert visible.none_in(f"a{ch}b") == (visible.first(f"a{ch}b") is None), hex(n)


def test_a_hidden_character_written_as_an_escape_is_still_found():
    """The walk over the data is skipped only for a text without a backslash: an escape in a
    double-quoted string makes a hidden character out of visible text."""
    raw = _section(['"a zero-width\\u200bspace"', "plain"])
    problems = [p.text() for p in validate.check({SECTION: raw}, cross=False).problems]
    assert problems == [f"{SECTION}:6:11: GOV-2 text has U+200B ZERO WIDTH SPACE (\\u200b) at character 13: "
                        "control and invisible characters can hide a change in a diff or a terminal; remove it"]
    for agree, pieces in ((True, None), (False, None), (False, Pieces())):
        again = validate.check({SECTION: raw}, cross=False, agree=agree, pieces=pieces).problems
        assert [p.text() for p in again] == problems


def test_parts_give_the_same_documents_and_the_same_diffs():
    """document.Parts reuses a section's items when its data is the same object; the document
    and every diff are what building from scratch gives, and a changed section is rebuilt."""
    texts = [f"clause number {n} of the section" for n in range(6)]
    before = validate.check({SECTION: _section(texts)}, cross=False, agree=False, pieces=Pieces()).data
    meta = {"title": "T", "version": "0.0.1", "sections": ["s"]}
    parts = document.Parts()
    old = document.definition({"definition/definition.yaml": meta, **before}, parts)
    same = document.definition({"definition/definition.yaml": {**meta, "version": "0.0.2"}, **before}, parts)
    plain = document.definition({"definition/definition.yaml": meta, **before})
    assert old is not None and same is not None and plain is not None
    assert old.items == plain.items and old.order == plain.order and old.kinds == plain.kinds
    assert all(same.items[k] is old.items[k] for k in old.items if k[0] != "metadata")  # reused
    changed = {SECTION: {**before[SECTION], "clauses": [*before[SECTION]["clauses"][:5],
                                                       {"id": "c5", "text": "a clause of another meaning"}]}}
    new = document.definition({"definition/definition.yaml": meta, **changed}, parts)
    new_plain = document.definition({"definition/definition.yaml": meta, **changed})
    assert new is not None and new_plain is not None
    assert new.items == new_plain.items
    got = [c.as_dict() for c in diff.compare(old, new)]
    assert got == [c.as_dict() for c in diff.compare(plain, new_plain)]
    assert [(c["id"], c["field"]) for c in got] == [("c5", "text")]
    assert diff.compare(old, same) == diff.compare(plain, document.definition(
        {"definition/definition.yaml": {**meta, "version": "0.0.2"}, **before}))


def test_a_diff_of_two_documents_with_the_same_items_but_another_order():
    """Keys compared as sets (in C) for 'nothing came or went': a reorder is still a move."""
    meta = {"title": "T", "version": "0.0.1", "sections": ["s"]}
    a = document.definition({"definition/definition.yaml": meta, SECTION: {
        "id": "s", "title": "S", "clauses": [{"id": "x", "text": "one"}, {"id": "y", "text": "two"},
                                             {"id": "z", "text": "three"}]}})
    b = document.definition({"definition/definition.yaml": meta, SECTION: {
        "id": "s", "title": "S", "clauses": [{"id": "z", "text": "three"}, {"id": "x", "text": "one"},
                                             {"id": "y", "text": "two"}]}})
    moves = [(c.id, c.kind, c.before, c.after) for c in diff.compare(a, b)]
    assert moves == [("z", "moved", 3, 1)]


def test_a_release_date_written_into_a_file_read_both_ways_is_checked_the_short_way():
    """load.replace_top_level(agreed=True) reads the result by libyaml (all of its data must be the
    text's but the new values) and the new lines both ways: what the full reading accepts, it
    accepts; what would break the file, it refuses too."""
    import pytest

    from osaid.data import load

    text = "# c\ntitle: T\nversion: 0.0.5\nsections:\n  - a\n"
    dated = "# c\ntitle: T\nversion: 0.0.5\ndate: '2026-11-28'\nsections:\n  - a\n"
    for agreed in (False, True):
        assert load.replace_top_level(text, {"date": "2026-11-28"}, missing_after="version", agreed=agreed) == dated
        assert load.replace_top_level(dated, {"date": "2026-11-29"}, agreed=agreed) == dated.replace("28", "29")
    # the version written over two lines: a date put on the line after its key lands inside it
    folded = "title: T\nversion: >-\n  0.0.5\nsections: [a]\n"
    for agreed in (False, True):
        with pytest.raises(ValueError, match="must each be written on one line"):
            load.replace_top_level(folded, {"date": "2026-11-28"}, missing_after="version", agreed=agreed)


def _md_plain(text: str) -> str:
    """render.markdown.md as it was written before its shortcuts: every step on every text."""
    import html

    from osaid.render.markdown import _AUTOLINKS, _HASH, ZWSP

    text = html.escape(visible.escape(str(text)), quote=False)
    for ch in "\\`*_[]|#~$":
        text = text.replace(ch, "\\" + ch)
    text = _AUTOLINKS.sub(ZWSP, text)
    text = _HASH.sub(lambda m: ZWSP.join(m.group()[i:i + 6] for i in range(0, len(m.group()), 6)), text)
    return text.replace("\n", "<br>")


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("@#:/.-_ gGhHwW019aAfF\n\u200b\u00e9\u212a\u0130<>&*`")), max_size=30))
def test_md_with_its_shortcuts_is_md_without(text):
    """md skips the escape of hidden characters for text with none, and the autolink breaking for
    text that holds none of what an autolink follows: the same output as every step on every text."""
    from osaid.render.markdown import md

    assert md(text) == _md_plain(text)
    for known in ("see GH-12", "www.example.org", "gh-1", "https://x", "a@b", "#12", "WwW.x", "Gh-9"):
        assert md(known) == _md_plain(known)

"""One test per severity rule of GOVERNANCE.md ("Severity of a change")."""

from __future__ import annotations

import pytest

from osaid.changes import diff, words
from osaid.data.document import Document


def definition(*clauses) -> Document:
    d = Document("definition", "0.0.5")
    d.add("section", "s", ("s",), "sections", {"title": "Section"})
    for cid, kind, text in clauses:
        d.add("clause", cid, ("s", cid), "clauses:s", {"kind": kind, "text": text})
    return d


def checklist(rows=(), components=(("c1", "code"), ("c2", "data"))) -> Document:
    d = Document("checklist", "0.0.1")
    for cid, cat in components:
        d.add("component", cid, ("components", cid), "components", {"name": cid, "category": cat, "description": "D."})
    for cid, use, legal in rows:
        d.add("row", cid, ("rows", cid), "rows", {"legal_framework": legal, "requirements.use": use, "note": None})
    return d


def severities(old, new) -> list[tuple[str, str, str]]:
    return [(c.kind, c.id, c.severity) for c in diff.compare(old, new)]


FREEDOM = "Use the system for any purpose and without having to ask for permission."
PROSE = "This definition uses the term AI system as the OECD defines it."


@pytest.mark.parametrize("kind", ["freedom", "requirement", "term"])
def test_normative_clause_text(kind):
    assert severities(definition(("a", kind, FREEDOM)), definition(("a", kind, FREEDOM.replace("any", "a lawful")))) == \
        [("modified", "a", "normative")]


def test_normative_clause_kind_changed():
    assert severities(definition(("a", "prose", PROSE)), definition(("a", "term", PROSE))) == [("modified", "a", "normative")]


@pytest.mark.parametrize("kind,severity", [("freedom", "normative"), ("prose", "substantive")])
def test_clause_added_or_removed(kind, severity):
    base, more = definition(("a", "prose", PROSE)), definition(("a", "prose", PROSE), ("b", kind, "Share it, always."))
    assert severities(base, more) == [("added", "b", severity)]
    assert severities(more, base) == [("removed", "b", severity)]


def test_normative_requirement_and_legal_framework():
    old = checklist([("c1", "TBD", "TBD")])
    assert severities(old, checklist([("c1", "required", "TBD")])) == [("modified", "c1", "normative")]
    assert severities(old, checklist([("c1", "TBD", "Copyright")])) == [("modified", "c1", "normative")]


def test_normative_component_category():
    assert severities(checklist(components=(("c1", "code"),)), checklist(components=(("c1", "model"),))) == \
        [("modified", "c1", "normative")]


def test_required_component_added_or_removed_is_normative_otherwise_substantive():
    without = checklist([("c1", "required", "TBD")], components=(("c1", "code"),))
    required = checklist([("c1", "required", "TBD"), ("c2", "required", "TBD")])
    optional = checklist([("c1", "required", "TBD"), ("c2", "optional", "TBD")])
    assert sorted(severities(without, required)) == [("added", "c2", "normative"), ("added", "c2", "normative")]
    assert sorted(severities(without, optional)) == [("added", "c2", "substantive"), ("added", "c2", "substantive")]
    assert sorted(severities(required, without)) == [("removed", "c2", "normative"), ("removed", "c2", "normative")]


@pytest.mark.parametrize("after", [
    "Use the system for any purpose and without having to ask for  permission.",   # whitespace
    "use the system for any purpose and without having to ask for permission.",    # case
    "Use the system, for any purpose and without having to ask for permission!",   # punctuation
    "Use the system for any purpose and without having to ask for “permission”.",  # quote style
    "Use the system — for any purpose — and without having to ask for permission.",  # dash style
    "Use the system for any purpsoe and without having to ask for permission.",    # a spelling slip ...
], ids=["whitespace", "case", "punctuation", "quotes", "dashes", "spelling"])
def test_editorial_even_in_a_freedom(after):
    before = FREEDOM
    if "purpsoe" in after:  # ... fixed: a spelling fix turns a non-word into a word, never the other way
        before, after = after, FREEDOM
    assert severities(definition(("a", "freedom", before)), definition(("a", "freedom", after))) == \
        [("modified", "a", "editorial")]


@pytest.mark.parametrize("old,new", [
    ("models must ship weights", "models may ship weights"),     # a protected word
    ("model weights are shared", "model weight are shared"),     # a change of number
    ("any use is allowed", "no use is allowed"),                 # short words never count as slips
    ("the data is open", "the data is opened here"),             # words added
])
def test_not_a_spelling_fix(old, new):
    assert not words.editorial(old, new)


def test_substantive_plain_prose_title_and_move_between_sections():
    old = definition(("a", "prose", PROSE))
    assert severities(old, definition(("a", "prose", PROSE.replace("OECD", "United Nations")))) == \
        [("modified", "a", "substantive")]
    moved = Document("definition", "0.0.5")
    moved.add("section", "s", ("s",), "sections", {"title": "Section"})
    moved.add("section", "t", ("t",), "sections", {"title": "Other"})
    moved.add("clause", "a", ("t", "a"), "clauses:t", {"kind": "prose", "text": PROSE})
    assert ("moved", "a", "substantive") in severities(old, moved)


def test_editorial_reorder_and_rename_with_same_content():
    ab = definition(("a", "prose", PROSE), ("b", "prose", "Another clause of prose."))
    ba = definition(("b", "prose", "Another clause of prose."), ("a", "prose", PROSE))
    assert {s for _, _, s in severities(ab, ba)} == {"editorial"}
    renamed = definition(("z", "prose", PROSE), ("b", "prose", "Another clause of prose."))
    assert severities(ab, renamed) == [("renamed", "z", "editorial")]


def test_rename_with_changed_content_reports_both():
    old = definition(("a", "freedom", FREEDOM))
    new = definition(("z", "freedom", FREEDOM.replace("permission", "leave")))
    # a rename never lowers what else happened: as serious as its text change (issue 8, item 3)
    assert severities(old, new) == [("renamed", "z", "normative"), ("modified", "z", "normative")]

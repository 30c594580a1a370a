"""What changed between two states of a document, in meaning. No I/O.

(old Document, new Document) -> list[Change], keyed by ID, never by
position. Kinds: added, removed, modified (one field), moved (to another
container, or to another place in its own), renamed (an ID gone and a new
one with the same or nearly the same content). Each change has a severity
by the rules in GOVERNANCE.md (Severity): normative, substantive, editorial.
"""

from __future__ import annotations

import difflib
import functools
from typing import Any, NamedTuple

from osaid import words
from osaid.document import NORMATIVE_CLAUSES, Document, Item, required_components

SEVERITIES = ("editorial", "substantive", "normative")  # ascending
KINDS = ("added", "removed", "modified", "moved", "renamed")
_SORT = {"renamed": 0, "added": 1, "removed": 2, "moved": 3, "modified": 4}  # per item: the rename first
RENAME_MIN = 0.8  # similarity at or above which a removed + added pair is a rename

# Fields whose values are prose: diffed word by word, editorial if only style changed.
PROSE = {"title", "text", "description", "name", "note", "comment", "legal_framework", "affiliation"}


class Change(NamedTuple):
    document: str
    item: str  # what kind of thing: clause, section, component, row ...
    id: str
    id_path: tuple
    kind: str  # added | removed | modified | moved | renamed
    field: str | None
    before: Any
    after: Any
    severity: str
    words: tuple | None  # word diff (words.Op ...) for modified prose
    note: str | None = None

    def as_dict(self) -> dict:
        d = self._asdict()
        d["id_path"] = list(self.id_path)
        d["words"] = [list(op) for op in self.words] if self.words else None
        return d


def rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def content_of(item: Item) -> str:
    return " ".join(f"{k}={v}" for k, v in item.fields.items() if v is not None)


def _is_normative_field(doc_name: str, item: Item | None, other: Item | None, field: str) -> bool:
    kind = item.item if item else other.item
    if kind == "clause":
        clause_kinds = {x.fields.get("kind") for x in (item, other) if x}
        return field == "kind" or bool(clause_kinds & NORMATIVE_CLAUSES) and field == "text"
    if kind == "row":
        return field.startswith("requirements.") or field == "legal_framework"
    if kind == "component":
        return field == "category"
    return False


def _field_severity(doc: str, old: Item, new: Item, field: str, before: Any, after: Any, terms=(),
                    used=None) -> str:
    if old.item == "metadata" and field in ("version", "date"):
        return "editorial"
    if isinstance(before, str) and isinstance(after, str) and field in PROSE and \
            words.editorial(before, after, terms, used):
        return "editorial"
    if _is_normative_field(doc, old, new, field):
        return "normative"
    return "substantive"


def presence_severity(doc: Document, item: Item, required: set[str]) -> str:
    if item.item == "clause" and item.fields.get("kind") in NORMATIVE_CLAUSES:
        return "normative"
    if item.item in ("component", "row") and item.id in required:
        return "normative"
    if item.item == "row" and any(k.startswith("requirements.") and v == "required" for k, v in item.fields.items()):
        return "normative"
    return "substantive"


def compare(old: Document | None, new: Document | None, terms=frozenset()) -> list[Change]:
    """Every change from old to new (either may be None: everything added or removed).
    terms: defined terms besides those of old and new (the definition's, for the checklist)."""
    name = (new or old).name  # type: ignore[union-attr]
    old_items = old.items if old else {}
    new_items = new.items if new else {}
    required_old = required_components(old) if old else set()
    required_new = required_components(new) if new else set()
    terms = defined_terms(old, new) | frozenset(terms)
    used = functools.lru_cache(maxsize=1)(lambda: used_words(new))  # only for a candidate spelling fix
    changes: list[Change] = []

    removed = [k for k in old_items if k not in new_items]
    added = [k for k in new_items if k not in old_items]
    renames = pair_renames(old_items, new_items, removed, added)
    for old_key, new_key, sim in renames:
        o, n = old_items[old_key], new_items[new_key]
        changes.append(Change(name, n.item, n.id, n.path, "renamed", "id", o.id, n.id,
                              "editorial" if sim == 1.0 else "substantive", None,
                              f"similarity {sim:.2f}"))
        changes.extend(field_changes(name, o, n, terms, used))
    renamed_old = {o for o, _, _ in renames}
    renamed_new = {n for _, n, _ in renames}

    for key in removed:
        if key in renamed_old:
            continue
        changes.append(presence("removed", old, old_items[key], required_old))  # type: ignore[arg-type]
    for key in added:
        if key in renamed_new:
            continue
        changes.append(presence("added", new, new_items[key], required_new))  # type: ignore[arg-type]

    for key, n in new_items.items():
        o = old_items.get(key)
        if o is None:
            continue
        if o.container != n.container:
            changes.append(Change(name, n.item, n.id, n.path, "moved", "container",
                                  container_label(o), container_label(n), "substantive", None))
        changes.extend(field_changes(name, o, n, terms, used))

    if old and new:
        changes.extend(reorders(name, old, new, renames))
    position = {k: i for i, k in enumerate(old_items)}
    position.update({k: i for i, k in enumerate(new_items)})  # new order wins; removed items keep their old place
    return sorted(changes, key=lambda c: (position.get((c.item, c.id), 0), c.id_path, _SORT[c.kind], c.field or ""))


def presence(kind: str, doc: Document, item: Item, required: set[str] | None = None, note: str | None = None) -> Change:
    """The change of an item added to doc, or removed from it (kind), with its fields and severity.
    required: the components some freedom requires in doc (computed when not given)."""
    if required is None:
        required = required_components(doc) if item.item in ("component", "row") else set()
    fields = {k: v for k, v in item.fields.items() if v is not None}
    before, after = (fields, None) if kind == "removed" else (None, fields)
    return Change(doc.name, item.item, item.id, item.path, kind, None, before, after,
                  presence_severity(doc, item, required), None, note)


def container_label(item: Item) -> str:
    return item.container.split(":", 1)[-1] if ":" in item.container else item.container


def defined_terms(*docs: Document | None) -> frozenset[str]:
    """The terms defined by the `term` clauses of these states of a document (words.defined_terms)."""
    return words.defined_terms(it.fields["text"] for d in docs if d for it in d.items.values()
                               if it.item == "clause" and it.fields.get("kind") == "term")


def used_words(*docs: Document | None) -> frozenset[str]:
    """The words these states of a document use, in all their prose (words.used_words)."""
    return words.used_words(v for d in docs if d for it in d.items.values()
                            for k, v in it.fields.items() if k in PROSE and isinstance(v, str))


def field_changes(name: str, o: Item, n: Item, terms=(), used=None) -> list[Change]:
    """terms: the defined terms (defined_terms), whose change of case is not editorial;
    used: a function returning the words of the new state (used_words): a word still used is no typo."""
    out = []
    for field in list(dict.fromkeys([*o.fields, *n.fields])):
        before, after = o.fields.get(field), n.fields.get(field)
        if before == after:
            continue
        ops = None
        if isinstance(before, str) and isinstance(after, str) and field in PROSE:
            ops = tuple(words.word_diff(before, after))
        out.append(Change(name, n.item, n.id, n.path, "modified", field, before, after,
                          _field_severity(name, o, n, field, before, after, terms, used), ops))
    return out


def pair_renames(old_items: dict, new_items: dict, removed: list, added: list) -> list[tuple]:
    """Pairs (old key, new key, similarity) of the same item kind, best first."""
    candidates = []
    for ok in removed:
        for nk in added:
            if ok[0] != nk[0] or ok[0] == "metadata":
                continue
            o, n = old_items[ok], new_items[nk]
            a, b = content_of(o), content_of(n)
            if a == b:
                sim = 1.0
            else:
                sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
                if sm.real_quick_ratio() < RENAME_MIN or sm.quick_ratio() < RENAME_MIN:
                    continue
                sim = round(words.similarity(a, b), 4)
            if sim >= RENAME_MIN:
                candidates.append((sim, ok, nk))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_old, used_new, pairs = set(), set(), []
    for sim, ok, nk in candidates:
        if ok in used_old or nk in used_new:
            continue
        used_old.add(ok)
        used_new.add(nk)
        pairs.append((ok, nk, sim))
    return pairs


def reorders(name: str, old: Document, new: Document, renames: list) -> list[Change]:
    """Items that changed place within the same container (order carries no meaning: editorial)."""
    alias = {o[1]: n[1] for o, n, _ in renames}
    out = []
    for container, new_ids in new.order.items():
        old_ids = [alias.get(i, i) for i in old.order.get(container, [])]
        common_old = [i for i in old_ids if i in set(new_ids)]
        common_new = [i for i in new_ids if i in set(common_old)]
        if common_old == common_new:
            continue
        stayed = _lcs(common_old, common_new)
        kind = new.kinds[container]
        for i in common_new:
            if i in stayed:
                continue
            it = new.items[(kind, i)]
            out.append(Change(name, it.item, it.id, it.path, "moved", "position",
                              common_old.index(i) + 1, common_new.index(i) + 1, "editorial", None))
    return out


def _lcs(a: list, b: list) -> set:
    """The items of a longest common subsequence of a and b (the ones that stayed
    in place); among equally long ones, the one keeping most items at their index."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = table[i], table[i + 1]
        for j in range(m - 1, -1, -1):
            if a[i] == b[j]:
                row[j] = below[j + 1] + 1000 + (i == j)
            else:
                row[j] = max(below[j], row[j + 1])
    out, i, j = set(), 0, 0
    while i < n and j < m:
        if a[i] == b[j] and table[i][j] == table[i + 1][j + 1] + 1000 + (i == j):
            out.add(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def summary(changes: list[Change]) -> dict[str, int]:
    out = {s: 0 for s in reversed(SEVERITIES)}
    for c in changes:
        out[c.severity] += 1
    return out


def highest(changes: list[Change]) -> str | None:
    return max((c.severity for c in changes), key=rank, default=None)

"""What changed between two states of a document, in meaning. No I/O.

(old Document, new Document) -> list[Change], keyed by ID, never by
position. Kinds: added, removed, modified (one field), moved (to another
container, or to another place in its own), renamed (an ID gone and a new
one with the same or nearly the same content). Each change has a severity
by the rules in GOVERNANCE.md (Severity): normative, substantive, editorial.
"""

from __future__ import annotations

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
        if words.whitespace_only(self.words):
            d["whitespace"] = True  # only present when true: the schema's documents stay valid
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
    if kind == "choice":  # an "at least one of" group is a requirement
        return field in ("freedoms", "components")
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
    if item.item == "choice" or item.item in ("component", "row") and item.id in required:
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
        changes.extend(rename_changes(name, old_items[old_key], new_items[new_key], sim, terms, used))
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


def rename_changes(name: str, o: Item, n: Item, sim: float, terms: frozenset[str] = frozenset(),
                   used=None) -> list[Change]:
    """An item renamed from o to n: the rename, its move to another container, its field changes.
    A rename never lowers what else happened to the item: it carries the severity of the worst part."""
    parts = []
    if o.container != n.container:
        parts.append(Change(name, n.item, n.id, n.path, "moved", "container",
                            container_label(o), container_label(n), "substantive", None))
    parts.extend(field_changes(name, o, n, terms, used))
    own = "editorial" if sim == 1.0 else "substantive"
    severity = max([own, *(c.severity for c in parts)], key=rank)
    note = f"similarity {sim:.2f}"
    if rank(severity) > rank(own):
        worst = [c for c in parts if c.severity == severity][0]
        note += f"; {severity}: " + ("it also moved" if worst.kind == "moved" else f"its {worst.field} changed too")
    return [Change(name, n.item, n.id, n.path, "renamed", "id", o.id, n.id, severity, None, note), *parts]


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
    from osaid import matching

    candidates: list[tuple] = []
    for kind in sorted({k[0] for k in removed} & {k[0] for k in added} - {"metadata"}):
        old = [(k, content_of(old_items[k])) for k in removed if k[0] == kind]
        new = [(k, content_of(new_items[k])) for k in added if k[0] == kind]
        candidates += matching.similar_pairs(old, new, RENAME_MIN)
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
    from osaid import matching

    alias = {o[1]: n[1] for o, n, _ in renames}
    out = []
    for container, new_ids in new.order.items():
        old_ids = [alias.get(i, i) for i in old.order.get(container, [])]
        in_new = set(new_ids)
        common_old = [i for i in old_ids if i in in_new]
        in_old = set(common_old)
        common_new = [i for i in new_ids if i in in_old]
        if common_old == common_new:
            continue
        stayed = matching.stayed(common_old, common_new)
        place = {i: n for n, i in enumerate(common_old, 1)}
        kind = new.kinds[container]
        for n, i in enumerate(common_new, 1):
            if i in stayed:
                continue
            it = new.items[(kind, i)]
            out.append(Change(name, it.item, it.id, it.path, "moved", "position", place[i], n, "editorial", None))
    return out



def summary(changes: list[Change]) -> dict[str, int]:
    out = {s: 0 for s in reversed(SEVERITIES)}
    for c in changes:
        out[c.severity] += 1
    return out


def highest(changes: list[Change]) -> str | None:
    return max((c.severity for c in changes), key=rank, default=None)

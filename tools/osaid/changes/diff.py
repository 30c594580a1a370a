"""What changed between two states of a document, in meaning. No I/O.

(old Document, new Document) -> list[Change], keyed by ID, never by
position. Kinds: added, removed, modified (one field), moved (to another
container, or to another place in its own), renamed (an ID gone and a new
one with the same or nearly the same content). Each change has a severity
by the rules in GOVERNANCE.md (Severity): normative, substantive, editorial.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, NamedTuple

from osaid.changes import words
from osaid.data.document import (
    NORMATIVE_CLAUSES,
    Document,
    Item,
    required_components,
    term_texts,
)

SEVERITIES = ("editorial", "substantive", "normative")  # ascending
CHANGE_KINDS = ("added", "removed", "modified", "moved", "renamed")
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


def _is_normative_field(doc_name: str, item: Item, other: Item, field: str) -> bool:
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


def _field_severity(doc: str, old: Item, new: Item, field: str, before: Any, after: Any,
                    terms: Iterable[str] = (), used: words.UsedWords | None = None) -> str:
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


def compare(old: Document | None, new: Document | None, terms: Iterable[str] = frozenset()) -> list[Change]:
    """Every change from old to new (either may be None: everything added or removed).
    terms: defined terms besides those of old and new (the definition's, for the checklist)."""
    name = (new or old).name  # type: ignore[union-attr]  # never both None: there is a document to compare
    old_items = old.items if old else {}
    new_items = new.items if new else {}
    required_old = required_components(old) if old else set()
    required_new = required_components(new) if new else set()
    terms = defined_terms(old, new) | frozenset(terms)
    used = functools.lru_cache(maxsize=1)(lambda: used_words(new))  # only for a candidate spelling fix
    changes: list[Change] = []

    if old_items.keys() == new_items.keys():  # (compared in C) the usual case: no item came or went
        removed: list = []
        added: list = []
    else:
        removed = [k for k in old_items if k not in new_items]
        added = [k for k in new_items if k not in old_items]
    renames = pair_renames(old_items, new_items, removed, added, new.declared_pairs() if new else {})
    for old_key, new_key, sim, how in renames:
        changes.extend(rename_changes(name, old_items[old_key], new_items[new_key], sim, terms, used, how))
    renamed_old = {r[0] for r in renames}
    renamed_new = {r[1] for r in renames}

    for key in removed:
        if key in renamed_old:
            continue
        changes.append(presence("removed", old, old_items[key], required_old))  # type: ignore[arg-type]  # old has items
    for key in added:
        if key in renamed_new:
            continue
        changes.append(presence("added", new, new_items[key], required_new))  # type: ignore[arg-type]  # new has items

    for key, n in new_items.items():
        o = old_items.get(key)
        if o is None or o is n:  # the same object: built once from the same data (document.Parts)
            continue
        changes.extend(item_changes(name, o, n, terms, used))

    if old and new:
        changes.extend(reorders(name, old, new, renames))
    if len(changes) < 2:
        return changes
    position = _positions(old, new, {(c.item, c.id) for c in changes})
    return sorted(changes, key=lambda c: (position.get((c.item, c.id), 0), c.id_path, _SORT[c.kind], c.field or ""))


def _positions(old: Document | None, new: Document | None, wanted: set) -> dict:
    """{key: its place} of the wanted keys: in new, else (removed) in old; each document's
    places found once (a walk over releases compares each with the one before and after)."""
    new_at, old_at = _places(new), _places(old)
    return {k: new_at[k] if k in new_at else old_at[k] for k in wanted if k in new_at or k in old_at}


def _places(doc: Document | None) -> dict:
    if doc is None:
        return {}
    got = doc.derived.get("places")
    if got is None:
        got = doc.derived["places"] = {k: i for i, k in enumerate(doc.items)}
    return got


def item_changes(name: str, o: Item, n: Item, terms: frozenset[str] = frozenset(), used: Any = None) -> list[Change]:
    """What happened to an item that is in both versions (under the same ID, or renamed): its move
    to another container (substantive), then its field changes."""
    moved = [Change(name, n.item, n.id, n.path, "moved", "container", container_label(o), container_label(n),
                    "substantive", None)] if o.container != n.container else []
    return moved + field_changes(name, o, n, terms, used)


def position_move(name: str, it: Item, before: int, after: int) -> Change:
    """An item that changed place within its container: editorial (order carries no meaning)."""
    return Change(name, it.item, it.id, it.path, "moved", "position", before, after, "editorial", None)


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
                   used: words.UsedWords | None = None, how: str = "content") -> list[Change]:
    """An item renamed from o to n: the rename, its move to another container, its field changes.
    A rename never lowers what else happened to the item: it carries the severity of the worst part.
    how: "declared" (renamed_from), or what was similar enough (pair_renames)."""
    parts = item_changes(name, o, n, terms, used)
    own = "editorial" if sim == 1.0 else "substantive"
    severity = max([own, *(c.severity for c in parts)], key=rank)
    note = f"declared (renamed_from), similarity {sim:.2f}" if how == "declared" else \
        f"similarity{'' if how == 'content' else ' of its ' + how} {sim:.2f}"
    if rank(severity) > rank(own):
        worst = [c for c in parts if c.severity == severity][0]
        note += f"; {severity}: " + ("it also moved" if worst.kind == "moved" else f"its {worst.field} changed too")
    if how != "declared":
        note += f"; undeclared: declare it with renamed_from: [{o.id}]" + (" on its component" if o.item == "row" else "")
    return [Change(name, n.item, n.id, n.path, "renamed", "id", o.id, n.id, severity, None, note), *parts]


def container_label(item: Item) -> str:
    return item.container.split(":", 1)[-1] if ":" in item.container else item.container


def defined_terms(*docs: Document | None) -> frozenset[str]:
    """The terms defined by the `term` clauses of these states of a document (words.defined_terms)."""
    return words.defined_terms(text for d in docs if d for text in term_texts(d))


def used_words(*docs: Document | None) -> frozenset[str]:
    """The words these states of a document use, in all their prose (words.used_words)."""
    return words.used_words(v for d in docs if d for it in d.items.values()
                            for k, v in it.fields.items() if k in PROSE and isinstance(v, str))


def field_changes(name: str, o: Item, n: Item, terms: Iterable[str] = (),
                  used: words.UsedWords | None = None) -> list[Change]:
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


def pair_renames(old_items: dict, new_items: dict, removed: list, added: list,
                 declared: dict | None = None) -> list[tuple]:
    """Pairs (old key, new key, similarity, how) of the same item kind: the declared renames
    ({old key: new key}, Document.declared_pairs) first, whatever their similarity; then the
    undeclared ones, best first, where the whole content, or one prose field alone (a title,
    a text: how names it), is similar enough."""
    from osaid.changes import matching

    used_old, used_new, pairs = set(), set(), []
    in_removed, in_added = set(removed), set(added)
    for ok, nk in sorted((declared or {}).items()):
        if ok in in_removed and nk in in_added and nk not in used_new:
            sim = round(words.similarity(content_of(old_items[ok]), content_of(new_items[nk])), 4)
            used_old.add(ok)
            used_new.add(nk)
            pairs.append((ok, nk, sim, "declared"))
    best: dict[tuple, tuple[float, str]] = {}
    for kind in sorted({k[0] for k in removed} & {k[0] for k in added} - {"metadata"}):
        olds = [k for k in removed if k[0] == kind and k not in used_old]
        news = [k for k in added if k[0] == kind and k not in used_new]
        if not olds or not news:
            continue
        prose = sorted({f for k in olds + news for f, v in (old_items.get(k) or new_items[k]).fields.items()
                        if f in PROSE and isinstance(v, str)})
        for how in ["content", *prose]:
            def text(item: Item, how: str = how) -> str | None:
                return content_of(item) if how == "content" else item.fields.get(how)
            old = [(k, text(old_items[k])) for k in olds if isinstance(text(old_items[k]), str)]
            new = [(k, text(new_items[k])) for k in news if isinstance(text(new_items[k]), str)]
            for sim, ok, nk in matching.similar_pairs(old, new, RENAME_MIN):
                if sim > best.get((ok, nk), (-1.0, ""))[0]:
                    best[(ok, nk)] = (sim, how)
    for (ok, nk), (sim, how) in sorted(best.items(), key=lambda c: (-c[1][0], c[0])):
        if ok in used_old or nk in used_new:
            continue
        used_old.add(ok)
        used_new.add(nk)
        pairs.append((ok, nk, sim, how))
    return pairs


def moves(old_ids: list, new_ids: list, alias: dict | None = None) -> list[tuple]:
    """[(ID, old place, new place)] of the items of a container that changed place: those out of
    the longest run that kept its order (matching.stayed); places count from 1 in the whole old
    and new lists, as a reader counts them. alias: {old ID: new ID} of renamed items.
    The one computation of a move for diff and history."""
    from osaid.changes import matching

    if not alias and old_ids == new_ids:
        return []
    alias = alias or {}
    old_ids = [alias.get(i, i) for i in old_ids]
    in_new = set(new_ids)
    common_old = [i for i in old_ids if i in in_new]
    in_old = set(common_old)
    common_new = [i for i in new_ids if i in in_old]
    if common_old == common_new:
        return []
    stayed = matching.stayed(common_old, common_new)
    old_place = {i: n for n, i in enumerate(old_ids, 1)}
    new_place = {i: n for n, i in enumerate(new_ids, 1)}
    return [(i, old_place[i], new_place[i]) for i in common_new if i not in stayed]


def reorders(name: str, old: Document, new: Document, renames: list) -> list[Change]:
    """Items that changed place within the same container (order carries no meaning: editorial)."""
    alias = {r[0][1]: r[1][1] for r in renames}
    out = []
    for container, new_ids in new.order.items():
        kind = new.kinds[container]
        for i, before, after in moves(old.order.get(container, []), new_ids, alias):
            out.append(position_move(name, new.items[(kind, i)], before, after))
    return out


def of_meaning(changes: list[Change]) -> list[Change]:
    """The changes that change meaning: substantive and normative (what needs a discussion and a review)."""
    return [c for c in changes if c.severity != "editorial"]


def without_version_stamp(changes: list[Change]) -> list[Change]:
    """The changes but the version and the date of a document's metadata (a release or a bump sets them)."""
    return [c for c in changes if not (c.item == "metadata" and c.field in ("version", "date"))]


def summary(changes: list[Change]) -> dict[str, int]:
    out = {s: 0 for s in reversed(SEVERITIES)}
    for c in changes:
        out[c.severity] += 1
    return out


def highest(changes: list[Change]) -> str | None:
    return max((c.severity for c in changes), key=rank, default=None)


# --- a change in one line, for messages and every rendering -------------------------

ITEM_NAMES = {"metadata": "metadata", "section": "section", "clause": "clause", "category": "category",
              "component": "component", "row": "checklist row", "system": "system", "member": "member",
              "vote": "vote", "notes": "notes", "policy": "policy", "maintainer": "maintainer",
              "group": "stakeholder group", "rule": "rule",
              "choice": "at-least-one-of group", "tally": "tally"}


def headline(c: Change) -> str:
    what = f"{ITEM_NAMES.get(c.item, c.item)} {c.id}"
    if values_in_headline(c):
        return f"policy {c.id}: {value_text(c.before)} → {value_text(c.after)}"
    if c.kind == "modified":
        return f"modified {what} ({c.field}{', whitespace' if words.whitespace_only(c.words) else ''})"
    if c.kind == "renamed":
        return f"renamed {ITEM_NAMES.get(c.item, c.item)} {c.before} → {c.after} ({c.note})"
    if c.kind == "moved" and c.field == "position":
        return f"moved {what} from place {c.before} to {c.after}"
    if c.kind == "moved":
        return f"moved {what} from {c.before} to {c.after}"
    return f"{c.kind} {what}"


def values_in_headline(c: Change) -> bool:
    """Whether the headline already says the old and the new value (a policy value)."""
    return c.item == "policy" and c.kind == "modified" and c.field == "value"


def value_text(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

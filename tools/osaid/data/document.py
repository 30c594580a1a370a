"""The two versioned documents as ID-keyed items: what diffs, history and
changelogs compare. No I/O.

An item is one addressable thing (a clause, a component, a checklist row, a
vote ...), keyed by (item kind, ID) so that positions never matter. Each item
knows its path (the IDs from the top: section then clause) and its parent
container, so moves between containers and within them are seen.
"""

from __future__ import annotations

from typing import Any, NamedTuple

DOCUMENTS = ("definition", "checklist")
NORMATIVE_CLAUSES = frozenset({"freedom", "requirement", "term"})


class Item(NamedTuple):
    item: str  # section, clause, component, row ...
    id: str
    path: tuple  # IDs from the top of the document, e.g. (section, clause)
    container: str  # the ordered list it sits in, e.g. "clauses:preamble"
    fields: dict


class Document:
    """One document at one state: its items, and the order of each container."""

    def __init__(self, name: str, version: str | None):
        self.name = name
        self.version = version
        self.items: dict[tuple[str, str], Item] = {}
        self.order: dict[str, list[str]] = {}
        self.kinds: dict[str, str] = {}  # container -> the kind of item it holds
        self.declared: dict[tuple[str, str], tuple[str, ...]] = {}  # (kind, ID) -> its renamed_from, newest first
        self.derived: dict[str, Any] = {}  # facts computed from the items once (no item changes after a build)

    def add(self, item: str, id_: str, path: tuple, container: str, fields: dict,
            renamed_from: list[str] | None = None) -> None:
        self.items[(item, id_)] = Item(item, id_, path, container, fields)
        self.order.setdefault(container, []).append(id_)
        self.kinds[container] = item
        if renamed_from:
            self.declared[(item, id_)] = tuple(renamed_from)

    def include(self, part: "Document") -> None:
        """Add the items of part (built on its own, see Parts), the same objects: a diff passes over
        an item that is the same object in both states without looking at its fields."""
        self.items.update(part.items)
        for container, ids in part.order.items():
            self.order.setdefault(container, []).extend(ids)
        self.kinds.update(part.kinds)
        self.declared.update(part.declared)

    def declared_pairs(self) -> dict[tuple[str, str], tuple[str, str]]:
        """{(kind, old ID): (kind, new ID)} for every rename this state declares (renamed_from)."""
        return {(kind, old): (kind, new) for (kind, new), olds in self.declared.items() for old in olds}

    def find(self, id_: str) -> list[Item]:
        return [it for (kind, i), it in self.items.items() if i == id_]

    def __len__(self) -> int:
        return len(self.items)


def _get(data: dict, key: str) -> Any:
    return data.get(key) if data else None


class Parts:
    """The items built from each section's data, kept by the data object (a run reads a file's
    bytes once, so the same bytes give the same object): a walk over a hundred releases builds
    each distinct section once, and their diffs skip the items that are the same objects."""

    LIMIT = 20_000  # sections kept; past it, emptied

    def __init__(self) -> None:
        self._parts: dict[int, tuple[Any, str, Document]] = {}

    def get(self, key: str, data: Any) -> Document | None:
        got = self._parts.get(id(data))
        return got[2] if got is not None and got[0] is data and got[1] == key else None

    def put(self, key: str, data: Any, part: Document) -> None:
        if len(self._parts) >= self.LIMIT:
            self._parts.clear()
        self._parts[id(data)] = (data, key, part)  # data kept alive: its id is not reused meanwhile


def definition(files: dict[str, Any], parts: Parts | None = None) -> Document | None:
    """The definition from checked data files ({rel: data}), or None if absent.
    parts: the sections built before in this run (Parts), reused when their data is the same object."""
    meta = files.get("definition/definition.yaml")
    if meta is None:
        return None
    doc = Document("definition", meta["version"])
    doc.add("metadata", "definition", (), "", {"title": meta["title"], "version": meta["version"],
                                              "date": meta.get("date")})
    terms: list[str] = []
    for sid in meta["sections"]:
        sec = files.get(f"definition/{sid}.yaml")
        if sec is None:
            continue
        part = parts.get(sid, sec) if parts is not None else None
        if part is None:
            part = Document("definition", None)
            part.add("section", sid, (sid,), "sections", {"title": sec["title"]}, sec.get("renamed_from"))
            for c in sec["clauses"]:
                part.add("clause", c["id"], (sid, c["id"]), f"clauses:{sid}",
                         {"kind": c.get("kind", "prose"), "text": c["text"]}, c.get("renamed_from"))
            if parts is not None:
                parts.put(sid, sec, part)
        doc.include(part)
        terms += term_texts(part)
    doc.derived["term_texts"] = terms
    doc.order["sections"] = list(meta["sections"])  # every place, even of sections not loaded (history)
    doc.kinds["sections"] = "section"
    return doc


def checklist(files: dict[str, Any]) -> Document | None:
    """The checklist (components, rows, system analyses) from checked data files."""
    meta = files.get("checklist/checklist.yaml")
    comps = files.get("checklist/components.yaml")
    if meta is None and comps is None:
        return None
    doc = Document("checklist", meta["version"] if meta else None)
    if meta is not None:
        doc.add("metadata", "checklist", (), "", {"version": meta["version"], "date": meta.get("date"),
                                                  "definition_version": meta["definition_version"]})
    renamed: dict[str, list[str] | None] = {}
    if comps is not None:
        for c in comps["categories"]:
            doc.add("category", c["id"], ("categories", c["id"]), "categories",
                    {"name": c["name"], "description": c["description"], **_source(c)})
        for c in comps["components"]:
            doc.add("component", c["id"], ("components", c["id"]), "components",
                    {"name": c["name"], "category": c["category"], "description": c["description"], **_source(c)},
                    c.get("renamed_from"))
            renamed.setdefault(c["id"], c.get("renamed_from"))  # a component's row follows its rename
    if meta is not None:
        for r in meta["rows"]:
            fields = {"legal_framework": r["legal_framework"]}
            for freedom, value in r["requirements"].items():
                fields[f"requirements.{freedom}"] = value
            for freedom, o in r.get("overrides", {}).items():
                fields[f"overrides.{freedom}"] = f"{o['reason']} ({o['discussion']})"
            fields["note"] = r.get("note")
            doc.add("row", r["component"], ("rows", r["component"]), "rows", fields, renamed.get(r["component"]))
        for g in meta.get("at_least_one_of", []):
            doc.add("choice", g["id"], ("at_least_one_of", g["id"]), "at_least_one_of",
                    {"freedoms": ", ".join(g["freedoms"]), "components": ", ".join(g["components"]),
                     "note": g.get("note")})
    for rel in sorted(files):
        if not (rel.startswith("checklist/systems/") and rel.endswith(".yaml")):
            continue
        s = files[rel]
        sid = s["id"]
        doc.add("system", sid, ("systems", sid), "systems",
                {"name": s["name"], "status": s.get("status"), "date": s.get("date"),
                 "checklist_version": s.get("checklist_version")})
        for m in s["members"]:
            doc.add("member", f"{sid}/{m['initials']}", ("systems", sid, "members", m["initials"]),
                    f"members:{sid}", {"name": m["name"], "affiliation": m["affiliation"],
                                       "role": m["role"], "attended": m["attended"]})
        for v in s["votes"]:
            vid = f"{sid}/{v['component']}/{v['freedom']}"
            doc.add("vote", vid, ("systems", sid, "votes", f"{v['component']}/{v['freedom']}"), f"votes:{sid}",
                    {verdict: ", ".join(sorted(v.get(verdict, []))) or None
                     for verdict in ("necessary", "nice_to_have", "not_necessary")}
                    | {k: v.get(k) for k in ("comment", "quote", "ambiguous", "note")})
    return doc


def build(files: dict[str, Any], parts: Parts | None = None) -> dict[str, Document]:
    """Both documents (those present) from checked data files (parts: see definition)."""
    out = {}
    for name, doc in (("definition", definition(files, parts)), ("checklist", checklist(files))):
        if doc is not None:
            out[name] = doc
    return out


def _source(entry: dict) -> dict:
    """{"source": ...} where a description says where its text comes from (townhall or editors)."""
    return {"source": entry["source"]} if "source" in entry else {}


def description_sources(comps: dict | None) -> dict[str, list[str]]:
    """{source: [IDs of the categories and components whose description has it]};
    'not recorded' for those that do not say."""
    found: dict[str, list[str]] = {}
    for c in (comps or {}).get("categories", []) + (comps or {}).get("components", []):
        found.setdefault(c.get("source", "not recorded"), []).append(c["id"])
    return found


def term_texts(doc: Document) -> list[str]:
    """The texts of a document's `term` clauses (found once per document, and per section part)."""
    got = doc.derived.get("term_texts")
    if got is None:
        got = doc.derived["term_texts"] = [it.fields["text"] for it in doc.items.values()
                                            if it.item == "clause" and it.fields.get("kind") == "term"]
    return got


def required_components(doc: Document) -> set[str]:
    """Components that at least one freedom requires (checklist rows); computed once per document."""
    if "rows" not in doc.order:
        return set()  # rows are the checklist's
    got = doc.derived.get("required")
    if got is None:
        got = doc.derived["required"] = frozenset(
            it.id for (kind, _), it in doc.items.items()
            if kind == "row" and any(k.startswith("requirements.") and v == "required" for k, v in it.fields.items()))
    return set(got)

"""Validation of a whole repository: strict YAML, schemas, IDs and references.

The input is a mapping of repository-relative paths to bytes (the work tree
today; a git tree or the index later), so the same checks run everywhere.
Findings are collected with JSON paths first and located (line, col) at the
end, with one round-trip parse per file that has findings.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterable

from osaid import layout, load, schema
from osaid.errors import Problem

DEFAULT_MAX_BYTES = 262_144


class Repository:
    """The data files of one state of the repository, parsed and checked."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.data: dict[str, Any] = {}  # only files that parsed and match their schema
        self.problems: list[Problem] = []

    def get(self, rel: str) -> Any:
        return self.data.get(rel)

    @property
    def definition(self) -> Any:
        return self.data.get(layout.MARKER)

    @property
    def policy(self) -> Any:
        return self.data.get(layout.POLICY)


class _Findings:
    """Unlocated findings: (file, JSON path, rule, message)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, tuple, str, str, bool]] = []

    def add(self, rel: str, jpath: Iterable, rule: str, message: str, at_key: bool = False) -> None:
        """at_key: point at the last key of jpath itself rather than at its value."""
        self.items.append((rel, tuple(jpath), rule, message, at_key))


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def check(files: dict[str, bytes | None], released: Callable[[str], set[str]] | None = None,
          cross: bool = True, cache: Any = None,
          previous_ids: Callable[[str], set[str]] | None = None) -> Repository:
    """Check every file; released(document) gives the released versions (tags).

    cross=False skips the checks between files (for one file on its own).
    A file that maps to None exists but could not be read (its reader said why).
    cache: a cache.ParseCache, or None; it saves the parse and schema check of
    files that were valid before with the same bytes.
    previous_ids(document): the IDs of the document's latest release, which
    notes on the working version may name (a removed clause, say).
    """
    repo = Repository()
    found = _Findings()
    released = functools.cache(released) if released is not None else (lambda document: set())

    # the policy first: it sets the size limit for the others
    max_bytes = DEFAULT_MAX_BYTES
    order = sorted(files, key=lambda r: (r != layout.POLICY, r))
    for rel in order:
        raw = files[rel]
        if raw is None:
            continue
        kind = layout.kind_of(rel)
        data = cache.get(rel, kind, raw) if cache is not None and len(raw) <= max_bytes else None
        if data is not None:
            repo.texts[rel] = raw.decode("utf-8-sig")
            _hidden_characters(rel, data, found)
        else:
            data = _load_and_check_schema(rel, kind, raw, max_bytes, repo, found)
            if data is None:
                continue
            if cache is not None:
                cache.put(rel, kind, raw, data)
        repo.data[rel] = data
        FILE_CHECKS.get(kind, _nothing)(rel, data, found)
        if rel == layout.POLICY:
            max_bytes = data["limits"]["max_file_bytes"]

    if cross:
        _cross_checks(repo, files, found, released, previous_ids or (lambda document: set()))
    repo.problems.extend(_locate(repo.texts, found))
    repo.problems.sort()
    if cache is not None:
        cache.save(set(files))
    return repo


def _load_and_check_schema(rel: str, kind: str | None, raw: bytes, max_bytes: int,
                           repo: Repository, found: _Findings) -> Any:
    """The file's data if it loads strictly and matches its schema, else None."""
    text, problems = load.decode(rel, raw, max_bytes)
    if text is None:
        repo.problems.extend(problems)
        return None
    repo.texts[rel] = text
    if kind is None:
        repo.problems.append(Problem(rel, 0, 0, "GOV-2", _unknown_kind(rel)))
        return None
    data, problems = load.parse(rel, text)
    if problems:
        repo.problems.extend(problems)
        return None
    _hidden_characters(rel, data, found)
    errors = schema.validate(data, schema.load_schema(layout.schema_file(kind)))
    for e in errors:
        rule, message = _schema_message(e)
        found.add(rel, e.path, rule, message, at_key=e.keyword in schema.KEY_KEYWORDS)
    return None if errors else data


def check_worktree(root: str, rels: list[str] | None = None) -> Repository:
    """The work tree's data files checked, the same way for every command: with the
    release tags (read only if a version must be looked up), the latest releases' IDs
    for notes (read only if a note names an ID the working version lacks), and the
    parse cache. rels: the files to read (default: every data file)."""
    from osaid import git
    from osaid.cache import ParseCache

    rels = layout.discover(root) if rels is None else rels
    files, read_problems = layout.read(root, rels)
    repo = check(files, git.released_versions(root), cache=ParseCache(root), previous_ids=previous_release_ids(root))
    repo.problems = sorted(read_problems + repo.problems)
    return repo


def previous_release_ids(root: str) -> Callable[[str], set[str]]:
    """previous_ids for check: the IDs of a document's latest release (read from git when asked)."""

    def previous_ids(document: str) -> set[str]:
        from osaid.changes import latest_release_ids

        return latest_release_ids(root, document)

    return previous_ids


def _unknown_kind(rel: str) -> str:
    if rel.endswith(".yml"):
        return "osaid data files end in .yaml: rename the file"
    known = ", ".join(p for p, _ in layout.KINDS)
    return f"no schema for this path (osaid data files are: {known}): move or remove the file"


def _schema_message(e: schema.Error) -> tuple[str, str]:
    where = _jpath_text(e.path)
    if e.keyword == "type" and "must be a string" in e.message and e.value is not None and not isinstance(e.value, (dict, list)):
        # YAML read a version, date or ID as another type: say how to keep it a string
        shown = e.value.isoformat() if hasattr(e.value, "isoformat") else e.value
        if isinstance(shown, bool):
            shown = str(shown).lower()
        return "GOV-1", (f"{where} is read by YAML as {schema.yaml_type_name(e.value)}, not a string: "
                         f"quote it, e.g. '{shown}'")
    if e.keyword in schema.KEY_KEYWORDS:
        where = _jpath_text(e.path[:-1])
    return "GOV-2", f"{where}: {e.message}" if where else e.message


def _jpath_text(jpath: tuple) -> str:
    out = ""
    for step in jpath:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _locate(texts: dict[str, str], found: _Findings) -> list[Problem]:
    by_file: dict[str, list[tuple[tuple, str, str, bool]]] = {}
    for rel, jp, rule, msg, at_key in found.items:
        by_file.setdefault(rel, []).append((jp, rule, msg, at_key))
    out = []
    for rel, items in by_file.items():
        text = texts.get(rel)
        wanted = [(jp, at_key) for jp, _rule, _msg, at_key in items]
        positions = load.locate(text, wanted) if text is not None else [(0, 0)] * len(items)
        for (_jp, rule, msg, _at_key), (line, col) in zip(items, positions):
            out.append(Problem(rel, line, col, rule, msg))
    return out


# --- checks inside one file ---------------------------------------------------


def _hidden_characters(rel: str, data: Any, found: _Findings, jpath: tuple = ()) -> None:
    """GOV-2: no control or invisible format character in any key or string (visible.HIDDEN)."""
    from osaid import visible

    def check(text: str, where: tuple, at_key: bool) -> None:
        hit = visible.first(text)
        if hit is not None:
            i, ch = hit
            what = "key" if at_key else "text"
            found.add(rel, where, "GOV-2", f"{what} has {visible.describe(ch)} ({visible.code(ch)}) at character "
                      f"{i + 1}: control and invisible characters can hide a change in a diff or a terminal; "
                      "remove it", at_key=at_key)

    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(k, str):
                check(k, jpath + (k,), True)
            _hidden_characters(rel, v, found, jpath + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            _hidden_characters(rel, v, found, jpath + (i,))
    elif isinstance(data, str):
        check(data, jpath, False)



def _dupes(rel: str, items: list, key: str, base: tuple, found: _Findings, what: str,
           seen: dict | None = None, skip_same_file: bool = False) -> dict:
    """Report values of key used twice; seen carries them across lists and files.

    skip_same_file: a repeat within one file was reported by the file's own check.
    """
    seen = {} if seen is None else seen
    for i, item in enumerate(items):
        value = item[key]
        here = base + (i, key)
        if value in seen:
            first_rel, first_path = seen[value]
            if not (skip_same_file and first_rel == rel):
                at = f"{_jpath_text(first_path)}" if first_rel == rel else f"{first_rel} {_jpath_text(first_path)}"
                found.add(rel, here, "GOV-3", f"{what} {value!r} is already used at {at}: "
                          "IDs are unique in their document; choose another")
        else:
            seen[value] = (rel, here)
    return seen


def _nothing(rel: str, data: Any, found: _Findings) -> None:
    return None


def _section(rel: str, sec: dict, found: _Findings) -> None:
    seen = {sec["id"]: (rel, ("id",))}
    _dupes(rel, sec["clauses"], "id", ("clauses",), found, "clause ID", seen)


def _components(rel: str, comps: dict, found: _Findings) -> None:
    seen = _dupes(rel, comps["categories"], "id", ("categories",), found, "category ID")
    _dupes(rel, comps["components"], "id", ("components",), found, "component ID", seen)
    cats = {c["id"] for c in comps["categories"]}
    for i, c in enumerate(comps["components"]):
        if c["category"] not in cats:
            found.add(rel, ("components", i, "category"), "GOV-4",
                      f"unknown category {c['category']!r} (known: {', '.join(sorted(cats))})")


def _checklist(rel: str, checklist: dict, found: _Findings) -> None:
    first: dict = {}
    for i, row in enumerate(checklist["rows"]):
        c = row["component"]
        if c in first:
            found.add(rel, ("rows", i, "component"), "GOV-3",
                      f"a second row for component {c!r} (the first is rows[{first[c]}]): one row per component; merge them")
        first.setdefault(c, i)


def _system(rel: str, sysd: dict, found: _Findings) -> None:
    stem = _stem(rel)
    if sysd["id"] != stem:
        found.add(rel, ("id",), "GOV-4", f"id {sysd['id']!r} differs from the file name: make it {stem!r}")
    _dupes(rel, sysd["members"], "initials", ("members",), found, "member initials")
    members = {m["initials"] for m in sysd["members"]}
    asked: dict = {}
    for i, v in enumerate(sysd["votes"]):
        q = (v["component"], v["freedom"])
        if q in asked:
            found.add(rel, ("votes", i), "GOV-3",
                      f"a second entry for {q[0]!r} and {q[1]!r} (the first is votes[{asked[q]}]): merge them")
        else:
            asked[q] = i
        if v.get("ambiguous"):
            missing = [k for k in ("quote", "note") if k not in v]
            if missing:
                found.add(rel, ("votes", i, "ambiguous"), "GOV-2",
                          f"votes[{i}] is ambiguous but has no {' and no '.join(missing)}: an ambiguous record "
                          "keeps the record's words (quote) and the editors' reading (note); add them")
        voters: dict = {}
        for verdict in ("necessary", "nice_to_have", "not_necessary"):
            for j, who in enumerate(v.get(verdict, [])):
                if who not in members:
                    found.add(rel, ("votes", i, verdict, j), "GOV-4",
                              f"{who!r} is not a member of this working group (members: {', '.join(sorted(members))})")
                elif who in voters:
                    found.add(rel, ("votes", i, verdict, j), "GOV-3",
                              f"{who} votes twice on this question (also {voters[who]}): keep one")
                else:
                    voters[who] = verdict


def _ids(list_key: str, what: str):
    def check_ids(rel: str, data: dict, found: _Findings) -> None:
        _dupes(rel, data[list_key], "id", (list_key,), found, what)
    return check_ids


def _endorsements(rel: str, ends: dict, found: _Findings) -> None:
    _dupes(rel, ends["endorsements"], "id", ("endorsements",), found, "endorsement ID")
    for i, e in enumerate(ends["endorsements"]):
        w = e.get("withdrawn")
        if w is not None and w["date"] < e["date"]:
            found.add(rel, ("endorsements", i, "withdrawn", "date"), "GOV-4",
                      f"withdrawn on {w['date']}, before the endorsement's date {e['date']}: fix one of the dates")


def _notes(rel: str, notes: dict, found: _Findings) -> None:
    want = f"{notes['document']}-{notes['version']}"
    if _stem(rel) != want:
        found.add(rel, ("version",), "GOV-4", f"notes on {notes['document']} {notes['version']} belong in "
                  f"notes/{want}.yaml: rename the file, or fix document and version")


FILE_CHECKS: dict[str, Callable[[str, Any, _Findings], None]] = {
    "notes": _notes,
    "section": _section,
    "components": _components,
    "checklist": _checklist,
    "system": _system,
    "stakeholders": _ids("groups", "group ID"),
    "maintainers": _ids("maintainers", "maintainer ID"),
    "endorsements": _endorsements,
}


# --- checks between files -------------------------------------------------------


def _cross_checks(repo: Repository, files: dict[str, bytes], found: _Findings,
                  released: Callable[[str], set[str]], previous_ids: Callable[[str], set[str]]) -> None:
    d = repo.data
    definition = d.get(layout.MARKER)
    freedoms: set[str] | None = None

    # definition: section list <-> section files; IDs unique across the definition
    if definition is not None:
        listed = definition["sections"]
        seen: dict = {}
        freedoms = set()
        for i, sid in enumerate(listed):
            rel = f"definition/{sid}.yaml"
            if rel not in files:
                found.add(layout.MARKER, ("sections", i), "GOV-4",
                          f"section {sid!r} has no file: create {rel}, or remove it from the list")
                continue
            sec = d.get(rel)
            if sec is None:
                continue
            if sec["id"] != sid:
                found.add(rel, ("id",), "GOV-4", f"id {sec['id']!r} differs from the file name: make it {sid!r}")
            _dupes(rel, [sec], "id", (), found, "section ID", seen, skip_same_file=True)
            _dupes(rel, sec["clauses"], "id", ("clauses",), found, "clause ID", seen, skip_same_file=True)
            freedoms.update(c["id"] for c in sec["clauses"] if c.get("kind") == "freedom")
        for rel in sorted(r for r in files if layout.kind_of(r) == "section"):
            sid = _stem(rel)
            if sid not in listed:
                found.add(rel, (), "GOV-4",
                          f"section file is not in the sections of {layout.MARKER}: add {sid!r} there, or delete the file")

    comps = d.get("checklist/components.yaml")
    component_ids = {c["id"] for c in comps["components"]} if comps is not None else None

    def known_freedom(rel: str, jpath: tuple, freedom: str, at_key: bool = False) -> None:
        if freedoms is not None and freedom not in freedoms:
            found.add(rel, jpath, "GOV-4",
                      f"unknown freedom {freedom!r} (the definition's freedoms: {', '.join(sorted(freedoms))})",
                      at_key=at_key)

    def known_component(rel: str, jpath: tuple, cid: str) -> None:
        if component_ids is not None and cid not in component_ids:
            found.add(rel, jpath, "GOV-4",
                      f"unknown component {cid!r}: add it to checklist/components.yaml, or fix the ID")

    def known_version(rel: str, jpath: tuple, version: str) -> None:
        if definition is not None and version != definition["version"] and version not in released("definition"):
            found.add(rel, jpath, "GOV-4",
                      f"version {version!r} of the definition does not exist (the definition is at "
                      f"{definition['version']!r}, and there is no tag v{version})")

    checklist = d.get("checklist/checklist.yaml")
    if checklist is not None:
        rel = "checklist/checklist.yaml"
        for i, row in enumerate(checklist["rows"]):
            known_component(rel, ("rows", i, "component"), row["component"])
            for f in row["requirements"]:
                known_freedom(rel, ("rows", i, "requirements", f), f, at_key=True)
            for f in sorted((freedoms or set()) - set(row["requirements"])):
                found.add(rel, ("rows", i, "requirements"), "GOV-4",
                          f"no requirement for freedom {f!r}: add '{f}: TBD' if it is undecided")
        if component_ids is not None:
            for cid in sorted(component_ids - {r["component"] for r in checklist["rows"]}):
                found.add(rel, ("rows",), "GOV-4",
                          f"component {cid!r} has no checklist row: add one (with TBD where undecided)")
        known_version(rel, ("definition_version",), checklist["definition_version"])
        for i, row in enumerate(checklist["rows"]):
            for f in row.get("overrides", {}):
                if f not in row["requirements"]:
                    found.add(rel, ("rows", i, "overrides", f), "GOV-4", f"override for freedom {f!r}, which "
                              "has no requirement in this row: fix the freedom, or remove the override", at_key=True)

    for rel in sorted(r for r in d if layout.kind_of(r) == "system"):
        for i, v in enumerate(d[rel]["votes"]):
            known_component(rel, ("votes", i, "component"), v["component"])
            known_freedom(rel, ("votes", i, "freedom"), v["freedom"])
    # GOV-21 once the votes' references resolve (a typo in a vote is its own problem, not a tally's)
    tally_inputs_clean = not any(r.startswith("checklist/systems/") for r, *_ in found.items)
    if checklist is not None and repo.policy is not None and "tally" in repo.policy and tally_inputs_clean:
        _agrees_with_tally("checklist/checklist.yaml", checklist, d, found)

    groups = d.get("governance/stakeholders.yaml")
    ends = d.get("governance/endorsements.yaml")
    if ends is not None:
        rel = "governance/endorsements.yaml"
        group_ids = {g["id"] for g in groups["groups"]} if groups is not None else None
        for i, e in enumerate(ends["endorsements"]):
            if group_ids is not None and e["group"] not in group_ids:
                found.add(rel, ("endorsements", i, "group"), "GOV-4",
                          f"unknown stakeholder group {e['group']!r} (known: {', '.join(sorted(group_ids))})")
            known_version(rel, ("endorsements", i, "version"), e["version"])

    # notes on a working version name IDs of that version or of the latest release
    docs = None
    for rel in sorted(r for r in d if layout.kind_of(r) == "notes"):
        notes = d[rel]
        name = notes["document"]
        if docs is None:
            from osaid import document

            docs = document.build(d)
        doc = docs.get(name)
        if doc is None or doc.version != notes["version"]:
            continue  # notes on a released version are checked by osaid changelog, against its tag
        known = {i for (_, i) in doc.items}
        if any(ref not in known for note in notes.get("notes", []) for ref in note.get("ids", [])):
            known |= previous_ids(name)  # only now: it reads git
        for i, r in enumerate(notes.get("reclassify", [])):
            if r["id"] not in known and r["id"] not in previous_ids(name):
                found.add(rel, ("reclassify", i, "id"), "GOV-4",
                          f"reclassifies {r['id']!r}, which is in neither {name} {doc.version} nor its latest "
                          "release: fix the ID")
        for i, note in enumerate(notes.get("notes", [])):
            for j, ref in enumerate(note.get("ids", [])):
                if ref not in known:
                    found.add(rel, ("notes", i, "ids", j), "GOV-4",
                              f"note names {ref!r}, which is in neither {name} {doc.version} nor its latest "
                              "release: fix the ID")


def _agrees_with_tally(rel: str, checklist: dict, data: dict, found: _Findings) -> None:
    """GOV-21: each requirement is what the working groups' tally gives, or carries an override."""
    from osaid import tally

    result = tally.compute(data)
    for i, row in enumerate(checklist["rows"]):
        overrides = row.get("overrides", {})
        for f, value in row["requirements"].items():
            cell = result.cells.get((row["component"], f))
            if cell is None:
                continue
            where = f"{row['component']!r} ({f})"
            if value != cell.requirement and f not in overrides:
                found.add(rel, ("rows", i, "requirements", f), "GOV-21",
                          f"{where} is {value}, but the tally gives tier {cell.tier} ({cell.why}), which calls for "
                          f"{cell.requirement}: set it to {cell.requirement}, or add overrides.{f} with the reason "
                          "and the discussion URL where it was decided")
            elif value == cell.requirement and f in overrides:
                found.add(rel, ("rows", i, "overrides", f), "GOV-21",
                          f"{where} agrees with the tally ({cell.requirement}), so its override explains nothing: "
                          "remove it", at_key=True)

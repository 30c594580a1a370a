"""Validation of a whole repository: strict YAML, schemas, IDs and references.

The input is a mapping of repository-relative paths to bytes (the work tree
today; a git tree or the index later), so the same checks run everywhere.
Findings are collected with JSON paths first and located (line, col) at the
end, with one round-trip parse per file that has findings.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol

from osaid import visible
from osaid.data import layout, load, schema
from osaid.errors import Problem
from osaid.releases.version import tag_name

if TYPE_CHECKING:
    from osaid.data.pieces import Pieces

DEFAULT_MAX_BYTES = layout.DEFAULT_MAX_BYTES


class CheckedFiles:
    """The data files of one state of the repository, parsed and checked."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.data: dict[str, Any] = {}  # only files that parsed and match their schema
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []  # what cannot be checked here (a clone without tags): never blocks

    def get(self, rel: str) -> Any:
        return self.data.get(rel)

    @property
    def definition(self) -> Any:
        return self.data.get(layout.DEFINITION_FILE)

    @property
    def policy(self) -> Any:
        return self.data.get(layout.POLICY)


class _Findings:
    """Unlocated findings: (file, JSON path, rule, message)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, tuple, str, Any, bool]] = []  # message: str, or (as written) -> str

    def add(self, rel: str, jpath: Iterable, rule: str, message: Any, at_key: bool = False) -> None:
        """at_key: point at the last key of jpath itself rather than at its value."""
        self.items.append((rel, tuple(jpath), rule, message, at_key))


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


class FileCache(Protocol):
    """Where check() keeps the data of files found valid, by their exact bytes (cache.ParseCache, states.Memo)."""

    def get(self, rel: str, kind: str | None, raw: bytes) -> Any: ...

    def put(self, rel: str, kind: str | None, raw: bytes, data: Any) -> None: ...

    def save(self, keep: set[str]) -> None: ...


def check(files: dict[str, bytes | None], released: Callable[[str], set[str]] | None = None,
          cross: bool = True, cache: FileCache | None = None,
          previous_ids: Callable[[str], set[str]] | None = None,
          tags_hint: Callable[[], str | None] | None = None, agree: bool = True,
          release_data: Callable[[str], dict | None] | None = None,
          pieces: Pieces | None = None) -> CheckedFiles:
    """Check every file; released(document) gives the released versions (tags).

    cross=False skips the checks between files (for one file on its own).
    A file that maps to None exists but could not be read (its reader said why).
    cache: a cache.ParseCache, or None; it saves the parse and schema check of
    files that were valid before with the same bytes.
    previous_ids(document): the IDs of the document's latest release, which
    notes on the working version may name (a removed clause, say).
    tags_hint(): why the release tags may be missing here (git.missing_tags_hint), or
    None; a version without a tag is then a warning (repo.warnings), not a problem.
    agree=False: YAML read by libyaml only (load.parse), for committed states read
    by the hundred; what it parses is cached apart from what both readings accepted.
    release_data(tag): the data files of a release (None if it is not there or invalid), for
    system analyses made against an earlier checklist version (checklist_version).
    pieces: a data.pieces.Pieces, with agree=False: long lists read (and checked) once per
    distinct entry across the versions this run reads.
    """
    repo = CheckedFiles()
    found = _Findings()
    warned = _Findings()
    released = functools.cache(released) if released is not None else (lambda document: set())

    # the policy first: it sets the size limit for the others
    max_bytes = DEFAULT_MAX_BYTES
    order = sorted(files, key=lambda r: (r != layout.POLICY, r))
    for rel in order:
        raw = files[rel]
        if raw is None:
            continue
        kind = layout.file_kind(rel)
        data = _file_data(rel, kind, raw, max_bytes, repo, found, cache, agree, pieces)
        if data is None:
            continue
        repo.data[rel] = data
        if rel == layout.POLICY:
            max_bytes = data["limits"]["max_file_bytes"]

    if cross:
        refs = _Refs(repo, files, found, warned, released, previous_ids or (lambda document: set()),
                     functools.cache(tags_hint or (lambda: None)), release_data or (lambda tag: None))
        for cross_check in CROSS_CHECKS:
            cross_check(refs)
    repo.problems.extend(_locate(repo.texts, found))
    repo.warnings = sorted(_locate(repo.texts, warned))
    repo.problems.sort()
    if cache is not None:
        cache.save(set(files))
    return repo


def _load_and_check_schema(rel: str, kind: str | None, raw: bytes, max_bytes: int,
                           repo: CheckedFiles, found: _Findings, agree: bool = True,
                           pieces: Pieces | None = None) -> Any:
    """The file's data if it loads strictly and matches its schema, else None."""
    text, problems = load.decode(rel, raw, max_bytes)
    if text is None:
        repo.problems.extend(problems)
        return None
    repo.texts[rel] = text
    if kind is None:
        repo.problems.append(Problem(rel, 0, 0, "GOV-2", _unknown_kind(rel)))
        return None
    data = pieces.parse(rel, text) if pieces is not None and not agree else None
    if data is None:
        data, problems = load.parse(rel, text, agree)
        if problems:
            repo.problems.extend(problems)
            return None
    if "\\" in text or not visible.none_in(text):  # else no string of the data can hold one:
        _hidden_characters(rel, data, found, clean=pieces.clean if pieces is not None else None)  # (no escape)
    errors = schema.validate(data, schema.load_schema(layout.schema_file(kind)),
                             valid=pieces.valid if pieces is not None else None)
    for e in errors:
        rule, message = _schema_message(e)
        found.add(rel, e.path, rule, message, at_key=e.keyword in schema.KEY_KEYWORDS)
    return None if errors else data


def _file_data(rel: str, kind: str | None, raw: bytes, max_bytes: int, repo: CheckedFiles, found: _Findings,
               cache: Any, agree: bool, pieces: Pieces | None = None) -> Any:
    """One file's data, from the parse cache when it holds these bytes, else loaded and checked
    against its schema (and cached when nothing was found in it); None when it is not valid."""
    data = None
    if cache is not None and len(raw) <= max_bytes:
        if agree:
            data = cache.get(rel, kind, raw)
        else:  # read by libyaml for a committed state: that first, then a file valid both ways (serves either)
            data = cache.get(rel, f"{kind} (libyaml)", raw)
            if data is None:
                data = cache.get(rel, kind, raw)
    if data is not None:  # cached only when nothing was found in it (GOV-2: schema, hidden characters, FILE_CHECKS)
        repo.texts[rel] = raw.decode("utf-8-sig")
        return data
    before = len(found.items)
    data = _load_and_check_schema(rel, kind, raw, max_bytes, repo, found, agree, pieces)
    if data is not None:
        FILE_CHECKS.get(kind, _nothing)(rel, data, found)
    if data is not None and cache is not None and len(found.items) == before:
        cache.put(rel, kind if agree else f"{kind} (libyaml)", raw, data)
    return data


def _unknown_kind(rel: str) -> str:
    if rel.endswith(".yml"):
        return "osaid data files end in .yaml: rename the file"
    known = ", ".join(p for p, _ in layout.FILE_KINDS)
    return f"no schema for this path (osaid data files are: {known}): move or remove the file"


def _schema_message(e: schema.Error) -> tuple[str, str | Callable[[str | None], str]]:
    where = _jpath_text(e.path)
    if e.keyword == "type" and "must be a string" in e.message and e.value is not None and not isinstance(e.value, (dict, list)):
        # YAML read a version, date or ID as another type: say how to keep it a string
        shown = e.value.isoformat() if hasattr(e.value, "isoformat") else e.value
        if isinstance(shown, bool):
            shown = str(shown).lower()
        name = schema.yaml_type_name(e.value)
        # as written (1.10, not the number's 1.1), once the value is located (see _locate)
        return "GOV-1", lambda written: (f"{where} is read by YAML as {name}, not a string: "
                                         f"quote it, e.g. '{written or shown}'")
    if e.keyword in schema.KEY_KEYWORDS:
        where = _jpath_text(e.path[:-1])
    return "GOV-2", f"{where}: {e.message}" if where else e.message


_jpath_text = load.jpath_text


def _locate(texts: dict[str, str], found: _Findings) -> list[Problem]:
    by_file: dict[str, list[tuple[tuple, str, str, bool]]] = {}
    for rel, jp, rule, msg, at_key in found.items:
        by_file.setdefault(rel, []).append((jp, rule, msg, at_key))
    out = []
    for rel, items in by_file.items():
        text = texts.get(rel)
        wanted = [(jp, at_key) for jp, _rule, _msg, at_key in items]
        positions = load.locate(text, wanted) if text is not None else [(0, 0)] * len(items)
        for (_jp, rule, msg, _at_key), (line, col) in zip(items, positions, strict=True):
            if callable(msg):
                msg = msg(load.plain_scalar_at(text, line, col) if text is not None else None)
            out.append(Problem(rel, line, col, rule, msg))
    return out


# --- checks inside one file ---------------------------------------------------


def _hidden_characters(rel: str, data: Any, found: _Findings, jpath: tuple = (), clean: dict | None = None) -> None:
    """GOV-2: no control or invisible format character in any key or string (visible.HIDDEN).
    clean: {id(value): value} of the entries of lists found clean before (data.pieces)."""
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
            _hidden_characters(rel, v, found, jpath + (k,), clean)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            if clean is not None and isinstance(v, dict):
                if id(v) not in clean:
                    before = len(found.items)
                    _hidden_characters(rel, v, found, jpath + (i,))
                    if len(found.items) == before:
                        clean[id(v)] = v
            else:
                _hidden_characters(rel, v, found, jpath + (i,), clean)
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
    _dupes(rel, checklist.get("at_least_one_of", []), "id", ("at_least_one_of",), found, "group ID",
           {r["component"]: (rel, ("rows", i, "component")) for i, r in enumerate(checklist["rows"])})


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


def _ids(list_key: str, what: str) -> Callable[[str, dict, _Findings], None]:
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


def _definition(rel: str, meta: dict, found: _Findings) -> None:
    for i, sid in enumerate(meta["sections"]):
        if f"definition/{sid}.yaml" == layout.DEFINITION_FILE:
            found.add(rel, ("sections", i), "GOV-4", f"{sid!r} cannot be a section: {layout.DEFINITION_FILE} is the "
                      "definition's own file (title, version, sections); give the section another ID")
def _evaluation(rel: str, ev: dict, found: _Findings) -> None:
    from osaid.checklist import evaluate

    for jpath, rule, message in evaluate.file_problems(_stem(rel), ev):
        found.add(rel, jpath, rule, message)


FILE_CHECKS: dict[str | None, Callable[[str, Any, _Findings], None]] = {  # by layout.file_kind
    "definition": _definition,
    "notes": _notes,
    "evaluation": _evaluation,
    "section": _section,
    "components": _components,
    "checklist": _checklist,
    "system": _system,
    "stakeholders": _ids("groups", "group ID"),
    "maintainers": _ids("maintainers", "maintainer ID"),
    "endorsements": _endorsements,
}


# --- checks between files -------------------------------------------------------


REQUIRED = {  # the files every repository has besides the definition, and what needs each
    "checklist/checklist.yaml": "the checklist's version and its rows",
    "checklist/components.yaml": "the components the checklist rows name",
    "governance/stakeholders.yaml": "the groups whose endorsements the release gates count",
    "governance/endorsements.yaml": "what the release gates count, even when empty",
    "governance/maintainers.yaml": "who may review a change of meaning",
    "governance/policy.yaml": "every number the rules use",
}


@dataclass
class _Refs:
    """What the cross-reference checks share: the checked data, where findings go, the
    definition's freedoms and the components (None when their file is missing or invalid, so
    nothing is checked against them), and what git can tell, read only when a check asks."""
    repo: CheckedFiles
    files: dict[str, bytes | None]
    found: _Findings
    warned: _Findings
    released: Callable[[str], set[str]]
    previous_ids: Callable[[str], set[str]]
    tags_hint: Callable[[], str | None]
    release_data: Callable[[str], dict | None]
    freedoms: set[str] | None = None
    component_ids: set[str] | None = None

    def __post_init__(self) -> None:
        d = self.repo.data
        if self.definition is not None:
            self.freedoms = {c["id"] for rel in self.section_files() if d.get(rel) is not None
                             for c in d[rel]["clauses"] if c.get("kind") == "freedom"}
        comps = d.get("checklist/components.yaml")
        self.component_ids = {c["id"] for c in comps["components"]} if comps is not None else None

    @property
    def d(self) -> dict[str, Any]:
        return self.repo.data

    @property
    def definition(self) -> dict | None:
        return self.d.get(layout.DEFINITION_FILE)

    @property
    def checklist(self) -> dict | None:
        return self.d.get("checklist/checklist.yaml")

    def section_files(self) -> list[str]:
        """The files of the listed sections that exist (the definition's own file is never one)."""
        if self.definition is None:
            return []
        return [rel for sid in self.definition["sections"] if (rel := f"definition/{sid}.yaml") != layout.DEFINITION_FILE
                and rel in self.files]

    def of_kind(self, kind: str) -> list[str]:
        return sorted(r for r in self.d if layout.file_kind(r) == kind)

    def known_freedom(self, rel: str, jpath: tuple, freedom: str, at_key: bool = False) -> None:
        if self.freedoms is not None and freedom not in self.freedoms:
            self.found.add(rel, jpath, "GOV-4",
                           f"unknown freedom {freedom!r} (the definition's freedoms: {', '.join(sorted(self.freedoms))})",
                           at_key=at_key)

    def known_component(self, rel: str, jpath: tuple, cid: str) -> None:
        if self.component_ids is not None and cid not in self.component_ids:
            self.found.add(rel, jpath, "GOV-4",
                           f"unknown component {cid!r}: add it to checklist/components.yaml, or fix the ID")

    def known_version(self, rel: str, jpath: tuple, version: str) -> None:
        definition = self.definition
        if definition is not None and version != definition["version"] and version not in self.released("definition"):
            hint = self.tags_hint()
            if hint:  # the tag may exist where the tags are: say how to get them, block nothing
                self.warned.add(rel, jpath, "GOV-4", f"version {version!r} of the definition cannot be checked: "
                                f"there is no tag v{version} here, and {hint} (osaid release and osaid verify need "
                                "the tags)")
                return
            self.found.add(rel, jpath, "GOV-4",
                           f"version {version!r} of the definition does not exist (the definition is at "
                           f"{definition['version']!r}, and there is no tag v{version})")


def _sections(r: _Refs) -> None:
    """The definition's section list and its section files agree; IDs unique across the definition."""
    if r.definition is None:
        return
    listed = r.definition["sections"]
    seen: dict = {}
    for i, sid in enumerate(listed):
        rel = f"definition/{sid}.yaml"
        if rel == layout.DEFINITION_FILE:
            continue  # reported by _definition
        if rel not in r.files:
            r.found.add(layout.DEFINITION_FILE, ("sections", i), "GOV-4",
                        f"section {sid!r} has no file: create {rel}, or remove it from the list")
            continue
        sec = r.d.get(rel)
        if sec is None:
            continue
        if sec["id"] != sid:
            r.found.add(rel, ("id",), "GOV-4", f"id {sec['id']!r} differs from the file name: make it {sid!r}")
        _dupes(rel, [sec], "id", (), r.found, "section ID", seen, skip_same_file=True)
        _dupes(rel, sec["clauses"], "id", ("clauses",), r.found, "clause ID", seen, skip_same_file=True)
    for rel in sorted(f for f in r.files if layout.file_kind(f) == "section"):
        sid = _stem(rel)
        if sid not in listed:
            r.found.add(rel, (), "GOV-4", f"section file is not in the sections of {layout.DEFINITION_FILE}: "
                        f"add {sid!r} there, or delete the file")


def _required_files(r: _Refs) -> None:
    if r.definition is None:
        return
    for rel in REQUIRED:
        if rel not in r.files:
            r.found.add(rel, (), "GOV-4", f"{rel} is missing: every osaid repository has one ({REQUIRED[rel]}); "
                        f"restore it (git checkout -- {rel}) or create it (schema: {layout.SCHEMAS_DIR}/"
                        f"{layout.schema_file(layout.file_kind(rel) or '')})")


def _checklist_refs(r: _Refs) -> None:
    """Each row names a component and the definition's freedoms; each component has a row."""
    checklist, rel = r.checklist, "checklist/checklist.yaml"
    if checklist is None:
        return
    for i, row in enumerate(checklist["rows"]):
        r.known_component(rel, ("rows", i, "component"), row["component"])
        for f in row["requirements"]:
            r.known_freedom(rel, ("rows", i, "requirements", f), f, at_key=True)
        for f in sorted((r.freedoms or set()) - set(row["requirements"])):
            r.found.add(rel, ("rows", i, "requirements"), "GOV-4",
                        f"no requirement for freedom {f!r}: add '{f}: TBD' if it is undecided")
    if r.component_ids is not None:
        for cid in sorted(r.component_ids - {row["component"] for row in checklist["rows"]}):
            r.found.add(rel, ("rows",), "GOV-4",
                        f"component {cid!r} has no checklist row: add one (with TBD where undecided)")
    r.known_version(rel, ("definition_version",), checklist["definition_version"])
    for i, row in enumerate(checklist["rows"]):
        for f in row.get("overrides", {}):
            if f not in row["requirements"]:
                r.found.add(rel, ("rows", i, "overrides", f), "GOV-4", f"override for freedom {f!r}, which "
                            "has no requirement in this row: fix the freedom, or remove the override", at_key=True)
    for i, g in enumerate(checklist.get("at_least_one_of", [])):
        for j, cid in enumerate(g["components"]):
            r.known_component(rel, ("at_least_one_of", i, "components", j), cid)
        for j, f in enumerate(g["freedoms"]):
            r.known_freedom(rel, ("at_least_one_of", i, "freedoms", j), f)


def _evaluation_refs(r: _Refs) -> None:
    """An evaluation names components, freedoms and a checklist version that exist."""
    checklist = r.checklist
    for rel in r.of_kind("evaluation"):
        ev = r.d[rel]
        for i, c in enumerate(ev["components"]):
            r.known_component(rel, ("components", i, "component"), c["component"])
            for f in c.get("freedoms", {}):
                r.known_freedom(rel, ("components", i, "freedoms", f), f, at_key=True)
        v = ev["checklist_version"]
        if checklist is not None and v != checklist["version"] and v not in r.released("checklist"):
            r.found.add(rel, ("checklist_version",), "GOV-4",
                        f"checklist version {v!r} does not exist (the checklist is at {checklist['version']!r}, "
                        f"and there is no tag checklist-v{v})")


def _system_refs(r: _Refs) -> None:
    """An analysis's votes name components and freedoms of its checklist version (the working one, or a release)."""
    checklist = r.checklist
    for rel in r.of_kind("system"):
        version = r.d[rel].get("checklist_version")
        if version is None or checklist is not None and version == checklist["version"]:
            for i, v in enumerate(r.d[rel]["votes"]):
                r.known_component(rel, ("votes", i, "component"), v["component"])
                r.known_freedom(rel, ("votes", i, "freedom"), v["freedom"])
        else:
            _votes_of_a_release(rel, r.d[rel], version, checklist, r.found, r.released, r.release_data)


def _tally(r: _Refs) -> None:
    """GOV-21, once the votes' references resolve (a typo in a vote is its own problem, not a tally's)."""
    clean = not any(rel.startswith("checklist/systems/") for rel, *_ in r.found.items)
    policy = r.repo.policy
    if r.checklist is not None and policy is not None and "tally" in policy and clean:
        _agrees_with_tally("checklist/checklist.yaml", r.checklist, r.d, r.found)


def _endorsement_refs(r: _Refs) -> None:
    ends, rel = r.d.get("governance/endorsements.yaml"), "governance/endorsements.yaml"
    if ends is None:
        return
    groups = r.d.get("governance/stakeholders.yaml")
    group_ids = {g["id"] for g in groups["groups"]} if groups is not None else None
    for i, e in enumerate(ends["endorsements"]):
        if group_ids is not None and e["group"] not in group_ids:
            r.found.add(rel, ("endorsements", i, "group"), "GOV-4",
                        f"unknown stakeholder group {e['group']!r} (known: {', '.join(sorted(group_ids))})")
        r.known_version(rel, ("endorsements", i, "version"), e["version"])


def _renames_and_notes(r: _Refs) -> None:
    """Declared renames (GOV-14); notes on a working version name IDs of that version or of the latest release."""
    docs = _declared_renames(r.d, r.found, r.released, r.release_data)
    for rel in r.of_kind("notes"):
        notes = r.d[rel]
        name = notes["document"]
        if docs is None:
            from osaid.data import document

            docs = document.build(r.d)
        doc = docs.get(name)
        if doc is None or doc.version != notes["version"]:
            continue  # notes on a released version are checked by osaid changelog, against its tag
        known = {i for (_, i) in doc.items}
        if any(ref not in known for note in notes.get("notes", []) for ref in note.get("ids", [])):
            known |= r.previous_ids(name)  # only now: it reads git
        for i, rc in enumerate(notes.get("reclassify", [])):
            if rc["id"] not in known and rc["id"] not in r.previous_ids(name):
                r.found.add(rel, ("reclassify", i, "id"), "GOV-4",
                            f"reclassifies {rc['id']!r}, which is in neither {name} {doc.version} nor its latest "
                            "release: fix the ID")
        for i, note in enumerate(notes.get("notes", [])):
            for j, ref in enumerate(note.get("ids", [])):
                if ref not in known:
                    r.found.add(rel, ("notes", i, "ids", j), "GOV-4",
                                f"note names {ref!r}, which is in neither {name} {doc.version} nor its latest "
                                "release: fix the ID")


# The checks across files, in order (the tally's needs the systems' findings before it).
CROSS_CHECKS: tuple[Callable[[_Refs], None], ...] = (
    _sections, _required_files, _checklist_refs, _evaluation_refs, _system_refs, _tally, _endorsement_refs,
    _renames_and_notes)


def _votes_of_a_release(rel: str, sysd: dict, version: str, checklist: dict | None, found: _Findings,
                        released: Callable[[str], set[str]], release_data: Callable[[str], dict | None]) -> None:
    """GOV-4 for an analysis made against checklist version (checklist_version) other than the
    working one: its votes name components and freedoms of that release, which later versions may drop."""
    tag = f"checklist-v{version}"
    then = release_data(tag) if version in released("checklist") else None
    rows = (then or {}).get("checklist/checklist.yaml")
    if rows is None:
        now = f"the checklist is at {checklist['version']!r}, and " if checklist is not None else ""
        found.add(rel, ("checklist_version",), "GOV-4", f"checklist version {version!r} does not exist ({now}there is "
                  f"no release tag {tag}): name a released version, or the working one")
        return
    comps = (then or {}).get("checklist/components.yaml")
    components = {c["id"] for c in comps["components"]} if comps else {r["component"] for r in rows["rows"]}
    freedoms = {f for r in rows["rows"] for f in r["requirements"]}
    for i, v in enumerate(sysd["votes"]):
        if v["component"] not in components:
            found.add(rel, ("votes", i, "component"), "GOV-4", f"unknown component {v['component']!r} in checklist "
                      f"{version} (checklist_version): fix the ID")
        if v["freedom"] not in freedoms:
            found.add(rel, ("votes", i, "freedom"), "GOV-4", f"unknown freedom {v['freedom']!r} in checklist "
                      f"{version} (its freedoms: {', '.join(sorted(freedoms))}): fix the ID")


def _renamed_from_places(d: dict) -> list[tuple[str, str, tuple, str, list[str]]]:
    """(document, file, JSON path of the renamed_from, the new ID, its old IDs) for every declared rename."""
    out: list[tuple[str, str, tuple, str, list[str]]] = []
    for rel in sorted(r for r in d if layout.file_kind(r) == "section"):
        sec = d[rel]
        if sec.get("renamed_from"):
            out.append(("definition", rel, ("renamed_from",), sec["id"], sec["renamed_from"]))
        out += [("definition", rel, ("clauses", i, "renamed_from"), c["id"], c["renamed_from"])
                for i, c in enumerate(sec["clauses"]) if c.get("renamed_from")]
    comps = d.get("checklist/components.yaml")
    if comps is not None:
        out += [("checklist", "checklist/components.yaml", ("components", i, "renamed_from"), c["id"],
                 c["renamed_from"]) for i, c in enumerate(comps["components"]) if c.get("renamed_from")]
    return out


def _declared_renames(d: dict, found: _Findings, released: Callable[[str], set[str]],
                      release_data: Callable[[str], dict | None]) -> dict | None:
    """GOV-14 for renamed_from: each old ID was an item of the same kind in the document's last
    release (or was declared there as an older name of one), is not in use, and is declared by
    one item only. Returns the documents built from d when there was a declaration (the notes'
    checks use them)."""
    places = _renamed_from_places(d)
    if not places:
        return None
    from osaid.data import document

    docs = document.build(d)
    last: dict[str, set] = {}  # document -> {(kind, ID)} of its last release (and its older IDs)

    def last_release(name: str) -> set:
        if name not in last:
            from osaid.releases.version import Version, VersionError

            try:
                versions = sorted(released(name), key=Version.parse)
            except VersionError:
                versions = sorted(released(name))
            then = document.build(release_data(tag_name(name, versions[-1])) or {}).get(name) if versions else None
            last[name] = set() if then is None else set(then.items) | set(then.declared_pairs())
        return last[name]

    claimed: dict[tuple[str, str], str] = {}
    for name, rel, jpath, new, olds in places:
        doc = docs.get(name)
        in_use = {i for (_, i) in doc.items} if doc else set()
        kind = "section" if jpath == ("renamed_from",) else jpath[0][:-1]
        for j, old in enumerate(olds):
            here = (*jpath, j)
            if old in in_use:
                found.add(rel, here, "GOV-14", f"renamed_from names {old!r}, which is still in use in the {name}: "
                          "an ID is renamed from one that is gone; remove it from renamed_from, or rename that one")
            elif not released(name):
                found.add(rel, here, "GOV-14", f"renamed_from names {old!r}, but the {name} has no release yet: "
                          "a rename before the first release needs no declaration; remove renamed_from")
            elif (kind, old) not in last_release(name):
                other = sorted(k for (k, i) in last_release(name) if i == old)
                found.add(rel, here, "GOV-14", f"renamed_from names {old!r}, which is not a {kind} of the last "
                          f"release of the {name}" + (f" (it was a {other[0]}: a rename keeps the kind of item)"
                                                      if other else "") + ": fix the ID, or remove it")
            elif (name, old) in claimed:
                found.add(rel, here, "GOV-14", f"{old!r} is declared as the old ID of {new!r} and of "
                          f"{claimed[(name, old)]!r}: an old ID has one successor; remove one")
            else:
                claimed[(name, old)] = new
    return docs


def _agrees_with_tally(rel: str, checklist: dict, data: dict, found: _Findings) -> None:
    """GOV-21: each requirement is what the working groups' tally gives, or carries an override."""
    from osaid.checklist import tally

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

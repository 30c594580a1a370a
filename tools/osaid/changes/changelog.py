"""The changelog: every released version of each document against its predecessor.

CHANGELOG.md is generated from the tags, never edited by hand below its
marker; text above the marker is kept as written (line endings included).
The same tags always give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from osaid.changes import compare, diff
from osaid.data import document
from osaid.errors import Problem, UsageError
from osaid.releases.version import TAG_PREFIX, tag_name
from osaid.repo import git, release_tags
from osaid.repo.states import States

FILE = "CHANGELOG.md"


@dataclass
class Entry:
    document: str
    version: str
    tag: str
    commit: str
    date: str | None
    previous: str | None  # the previous version, None for the first release
    changes: list[diff.Change] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    notes: list[dict] = field(default_factory=list)
    governance: list[diff.Change] = field(default_factory=list)  # definition entries: the rules changed since
    impact: list[dict] = field(default_factory=list)  # checklist entries: evaluated systems whose verdict changed

    def as_dict(self) -> dict:
        return {"document": self.document, "version": self.version, "tag": self.tag, "commit": self.commit,
                "date": self.date, "previous": self.previous, "summary": diff.summary(self.changes),
                "notes": self.notes, "changes": [c.as_dict() for c in self.changes],
                "governance": [c.as_dict() for c in self.governance]} | ({"impact": self.impact} if self.impact else {})


@dataclass(frozen=True)
class Writer:
    """How CHANGELOG.md and a release tag's message are written from entries: render/changelog.py
    gives the one osaid uses (WRITER). The core takes it as a parameter (verify's GOV-9, release)
    and never imports a renderer; the entry points (cli, hooks, demo) pass it."""
    regenerate: Callable[[str, list[Entry]], tuple[bytes | None, bytes]]  # (the file now, what the tags give)
    tag_message: Callable[[list[Entry], int], str]  # the entries as Markdown, headings at that level


def entries(states: States, documents: tuple[str, ...] = document.DOCUMENTS,
            pending: dict | None = None, reuse: dict | None = None) -> tuple[list[Entry], list[Problem]]:
    """Every release of each document, newest first, with its changes and notes.

    pending: {document: (version, tag, document files, notes files)} for a
    release being made, whose tag does not exist yet (osaid release).
    reuse: entries of an earlier run, keyed by (tag, its commit, previous tag, its commit):
    a release whose key is there is not compared again (osaid site); filled with this run's.
    """
    out: list[Entry] = []
    problems: list[Problem] = []
    try:
        commits = {t.name: t.commit for t in states.tags()}
    except git.GitError as e:
        raise UsageError(f"osaid changelog reads git tags: {e}") from None
    for name in documents:
        releases = release_tags.released(states.root, name)
        extra = (pending or {}).get(name)
        if extra is not None:
            from osaid.releases.version import Version

            releases = releases + [(Version.parse(extra[0]), extra[1])]
        doc_entries = []
        prev_version: str | None = None
        prev_tag: str | None = None
        for version, tag in releases:
            key = (tag, commits.get(tag), prev_tag, None if prev_tag is None else commits.get(prev_tag))
            if reuse is not None and extra is None and key in reuse:  # osaid site's entries of old versions
                doc_entries.append(reuse[key])
                prev_version, prev_tag = str(version), tag
                continue
            is_pending = extra is not None and tag == extra[1]
            entry, found = entry_of(states, name, str(version), tag, prev_version, prev_tag, commits,
                                    extra if is_pending else None)
            entry.commit = commits.get(tag, "")
            problems += found
            doc_entries.append(entry)
            if reuse is not None and extra is None:
                reuse[key] = entry
            prev_version, prev_tag = str(version), tag
        out.extend(reversed(doc_entries))
    return out, problems


def entry_of(states: States, name: str, version: str, tag: str, prev_version: str | None,
             prev_tag: str | None, commits: dict, extra: tuple | None = None) -> tuple[Entry, list[Problem]]:
    """A release's entry and its notes' problems: from the result cache when the two tags' commits
    (and so their trees: documents, notes, governance) were seen before by the same osaid."""
    from osaid.repo import cache

    key = None
    if extra is None and commits.get(tag) and (prev_tag is None or commits.get(prev_tag)):
        key = ("changelog", name, prev_tag, commits.get(prev_tag), tag, commits[tag])
    hit = states.results.get(key) if key else None
    if hit is not None:
        try:
            date, titles, notes, found, gov, probs, impact = hit
            e = Entry(name, version, tag, "", date, prev_version, cache.decode_changes(found), titles,
                      notes, cache.decode_changes(gov))
            e.impact = list(impact)
            return e, [Problem(*p) for p in probs]
        except (TypeError, ValueError):
            pass  # not what this osaid stores: computed again
    e, probs = _entry(states, name, version, tag, prev_version, prev_tag, extra)
    if key:
        states.results.put(key, (e.date, e.titles, e.notes, cache.encode_changes(e.changes),
                                 cache.encode_changes(e.governance), [tuple(p) for p in probs], e.impact))
    return e, probs


def _entry(states: States, name: str, version: str, tag: str, prev_version: str | None,
           prev_tag: str | None, extra: tuple | None) -> tuple[Entry, list[Problem]]:
    """A release's entry (against the release before it) and its notes' problems.
    extra: the pending release's (version, tag, document files, notes files)."""
    problems: list[Problem] = []
    prev_docs = states.documents(prev_tag) if prev_tag is not None else {}  # first: the newer one stays kept
    if extra is not None:
        # the release's files: the work tree, which the release has checked both ways, and the date it writes
        docs = document.build(states.repository(":worktree", extra[2], agree=False).data)
        notes_data = _pending_notes(states, extra[3], name, version)
    else:
        docs = states.documents(tag)
        notes_data = compare.notes_of(states, tag, name, version)
    prev_doc, doc = prev_docs.get(name), docs.get(name)
    notes = list((notes_data or {}).get("notes", []))
    terms = diff.defined_terms(prev_docs.get("definition"), docs.get("definition"))
    found = diff.compare(prev_doc, doc, terms) if prev_doc is not None and doc is not None else []
    # the heading already says the version and the date
    found = diff.without_version_stamp(found)
    found = compare.reclassify(found, notes_data)
    state = ":worktree" if extra is not None else tag
    if name == "checklist" and prev_tag is not None and prev_doc is not None and doc is not None:
        # the working groups' tally, with each state's rubric (policy): tiers crossed (prev_doc implies prev_tag)
        data = compare.with_policy(states, state, states.repository(":worktree", extra[2], agree=False).data
                                   if extra is not None else states.repository(tag).data)
        prev_data = compare.with_policy(states, prev_tag, states.repository(prev_tag).data)
        found += compare.tally_changes(prev_data, data)
    e = Entry(name, version, tag, "", _date(doc), prev_version, found, compare.titles_of(prev_doc, doc), notes)
    if name == "checklist" and prev_doc is not None and doc is not None and found:
        from osaid.checklist import (  # the evaluated systems whose verdict this release changes
            evaluate,
            evaluations,
        )

        evs = evaluations.evaluations_at(states, state)
        e.impact = evaluate.impact(prev_data, {**data, **evs}) if evs else []
    refs = [ref for n in notes for ref in n.get("ids", [])]
    refs += [r["id"] for r in (notes_data or {}).get("reclassify", [])]
    known = {i for d in (prev_doc, doc) if d for (_, i) in d.items} if refs else set()
    for ref in refs:
        if ref not in known:
            problems.append(Problem(f"notes/{name}-{version}.yaml", 0, 0, "GOV-4",
                                    f"note names {ref!r}, which is in neither {version} nor the version "
                                    "before it: fix the ID"))
    problems += _uncovered(name, version, prev_version, found, notes_data, known)
    if name == "definition" and prev_tag is not None:  # the governance of the definition's process
        e.governance = compare.governance_changes(states, prev_tag, ":worktree" if extra is not None else tag)
    return e, problems


def _uncovered(name: str, version: str, prev: str | None, found: list, notes_data: dict | None,
               known: set) -> list[Problem]:
    """GOV-4: a reclassification covers one change of its version; one that covers none is stale."""
    from osaid.changes import reclass

    out = []
    for _, r in reclass.uncovered(found, notes_data):
        if r["id"] not in known:
            continue  # reported above as an unknown ID
        what = f"{r['id']} ({r['field']})" if r.get("field") else r["id"]
        out.append(Problem(f"notes/{name}-{version}.yaml", 0, 0, "GOV-4",
                           f"reclassifies a change of {what} ({r['change']}) that is not the change from "
                           f"{prev or 'nothing'} to {version}: the item changed after it was reclassified, and "
                           f"that change is judged afresh; run osaid reclassify {r['id']} again, or remove the entry"))
    return out


def _date(doc: document.Document | None) -> str | None:
    if doc is None:
        return None
    meta = doc.items.get(("metadata", doc.name))
    return meta.fields.get("date") if meta else None


def _pending_notes(states: States, files: dict, name: str, version: str) -> dict | None:
    rel = f"notes/{name}-{version}.yaml"
    if rel not in files:
        return None
    return states.repository(":worktree", {rel: files[rel]}).data.get(rel)


def select(all_entries: list[Entry], spec: str, document_name: str | None) -> list[Entry]:
    """Entries in A..B (A excluded, B included), by version or tag name."""
    if ".." not in spec:
        raise UsageError(f"{spec!r} is not a range: write A..B, e.g. 0.0.5..0.0.7 or v0.0.5..v0.0.7")
    a, b = spec.split("..", 1)
    doc = document_name
    for prefix_doc, prefix in sorted(TAG_PREFIX.items(), key=lambda p: -len(p[1])):
        if a.startswith(prefix) or b.startswith(prefix):
            doc = doc or prefix_doc
            a, b = a.removeprefix(prefix), b.removeprefix(prefix)
            break
    doc = doc or "definition"
    versions = [e.version for e in all_entries if e.document == doc]
    for v in (a, b):
        if v and v not in versions:
            known = ", ".join(versions) or "none"
            raise UsageError(f"{doc} {v} is not a released version (released: {known})")
    ordered = list(reversed([e for e in all_entries if e.document == doc]))  # oldest first
    idx = {e.version: i for i, e in enumerate(ordered)}
    lo = idx[a] + 1 if a else 0
    hi = idx[b] + 1 if b else len(ordered)
    if a and b and lo > hi - 1:
        tag = tag_name(doc, "")
        raise UsageError(f"{spec!r} is {'empty' if a == b else 'reversed'}: A..B lists the {doc} releases after A up "
                         f"to B, and {f'here A and B are both {a}' if a == b else f'{doc} {a} came after {b}'}"
                         + ("" if a == b else f": write {tag}{b}..{tag}{a}"))
    return list(reversed(ordered[lo:hi]))


def stale() -> Problem:
    """The problem --check reports when CHANGELOG.md is not what the tags give."""
    return Problem(FILE, 0, 0, "GOV-9", "differs from what the release tags give: run osaid changelog")

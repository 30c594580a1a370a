"""The life of one clause, component or checklist row across versions or commits.

Every item with the given ID is followed (a component and its checklist row
share one), across renames (the ID changes, the content stays nearly the
same) and across a removal followed by a re-addition under a new ID with
nearly the same content. Only the followed items are compared at each step,
so walking a thousand commits stays cheap; each file is parsed once per
distinct content (states.Memo).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from osaid import changes as release_info
from osaid import diff, document, git, governance, words
from osaid.document import Document, Item
from osaid.errors import OsaidError, UsageError
from osaid.states import WORKTREE, States


@dataclass
class Event:
    state: str  # a tag, a commit, or ":worktree"
    version: str | None  # the document's version in that state
    commit: str | None
    author: str | None
    date: str | None
    subject: str | None
    changes: list[diff.Change] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"state": self.state, "version": self.version, "commit": self.commit, "author": self.author,
                "date": self.date, "subject": self.subject, "changes": [c.as_dict() for c in self.changes]}


@dataclass
class History:
    id: str
    document: str
    events: list[Event]
    skipped: list[str] = field(default_factory=list)  # states left out, and why
    current: list[str] = field(default_factory=list)  # the IDs followed at the end

    def as_dict(self) -> dict:
        return {"id": self.id, "document": self.document, "current": self.current, "skipped": self.skipped,
                "events": [e.as_dict() for e in self.events]}


class _Step:
    """One state to look at: its files as {path: key}, a key being a blob ID
    (or, for the work tree, the path itself, read from disk)."""

    __slots__ = ("state", "commit", "author", "date", "subject", "files", "changed")

    def __init__(self, state, commit, author, date, subject, files, changed=None):
        self.state, self.commit, self.author, self.date, self.subject, self.files = (
            state, commit, author, date, subject, files)
        self.changed = changed  # the paths changed since the step before (None: not known)


def _version_steps(states: States, name: str, paths: tuple[str, ...]) -> list[_Step]:
    releases = release_info.released(states.root, name)
    if not releases:
        return []
    tags = {t.name: t.commit for t in git.tag_list(states.root)}
    meta = git.commit_info(states.root, [tags[t] for _, t in releases])
    out = []
    for _, tag in releases:
        c = tags[tag]
        author, date, subject = meta.get(c, (None, None, None))
        out.append(_Step(tag, c, author, date, subject, git.ls_tree(states.root, tag, paths)))
    return out


def _commit_steps(states: States, paths: tuple[str, ...]) -> list[_Step]:
    out = []
    blobs: dict[str, str] = {}
    for c in git.log_raw(states.root, paths):
        for path, blob in c.changes:
            if blob is None:
                blobs.pop(path, None)
            else:
                blobs[path] = blob
        out.append(_Step(c.sha, c.sha, c.author, c.date, c.subject, dict(blobs), {path for path, _ in c.changes}))
    return out


def _worktree_step(states: States, paths: tuple[str, ...]) -> _Step:
    files = {}
    found = governance.raw_files(states, WORKTREE) if paths == governance.FILES else states.files(WORKTREE)
    for rel, raw in found.items():
        if raw is not None:
            key = f"worktree:{rel}"
            states._blobs[key] = raw
            files[rel] = key
    return _Step(WORKTREE, None, None, None, None, files)


def follow(states: States, target: str, name: str | None = None, commits: bool = False) -> History:
    """The history of every item whose ID is target, in one document."""
    if git.toplevel(states.root) is None:
        raise UsageError("osaid history reads git history, and this is not a git repository")
    names = (name,) if name else document.DOCUMENTS + (governance.NAME,)
    results = []
    for doc_name in names:
        h = _follow_in(states, target, doc_name, commits)
        if h.events:
            results.append(h)
    if not results:
        hint = " (a shallow clone lacks history: git fetch --unshallow --tags)" if git.is_shallow(states.root) else ""
        raise OsaidError(f"no clause, component or other item has the ID {target!r} in any "
                         f"{'commit' if commits else 'release or the work tree'}{hint}")
    if len(results) > 1:
        raise UsageError(f"{target!r} names items in {' and '.join(h.document for h in results)}: add --document "
                         f"{results[0].document} or --document {results[1].document}")
    return results[0]


# The files every state of a document needs, whatever is followed.
CORE = {"definition": ("definition/definition.yaml",),
        "checklist": ("checklist/checklist.yaml", "checklist/components.yaml"),
        governance.NAME: governance.FILES}  # governance: small files; its steps are the definition's releases


def _follow_in(states: States, target: str, name: str, commits: bool) -> History:
    is_gov = name == governance.NAME
    paths = governance.FILES if is_gov else (name,)
    steps = _commit_steps(states, paths) if commits else _version_steps(states, "definition" if is_gov else name, paths)
    steps.append(_worktree_step(states, paths))
    _prefetch(states, steps)
    h = History(target, name, [])
    followed: set[tuple[str, str]] = set()
    gone: dict[tuple[str, str], Item] = {}  # removed items, by their last content, to catch a re-addition
    prev: _Step | None = None
    prev_doc: Document | None = None
    holders = _Holders(states)
    built: dict = {}  # the partial documents, by the blobs they are built from
    for n, step in enumerate(steps):
        files = {rel: key for rel, key in step.files.items() if rel.endswith(".yaml") or rel in paths}
        if prev is None:
            relevant = set(files)  # the first state: everything, to find the item
        else:
            changed = _changed(step, prev, steps[n - 1], files)
            if not changed:
                continue
            needles = tuple(sorted(i.encode() for i in {target} | {i for (_, i) in followed}))
            holds = holders.between(prev.files, step.files, changed, needles)
            if not is_gov and not gone and not (changed & holds):  # governance IDs (dotted keys) are not in the text
                prev = step  # nothing followed is in what changed: the item is as it was
                continue
            relevant = changed | holds
        cur_doc = _partial_once(built, states, h, step, files, relevant, name)
        if cur_doc is None:
            continue
        before = None
        if prev is None or prev_doc is None:
            for key, it in cur_doc.items.items():
                if it.id == target:
                    followed.add(key)
            found = [diff.presence("added", cur_doc, it) for key, it in cur_doc.items.items() if key in followed]
        else:
            before = _partial_once(built, states, h, prev, {r: k for r, k in prev.files.items()
                                                            if r.endswith(".yaml") or r in paths}, relevant, name)
            found = _step_changes(name, before, cur_doc, target, followed, gone) if before is not None else []
        if is_gov:
            found = governance.rate(found, before, cur_doc)
        if found:
            date = step.date
            if not commits and step.state != WORKTREE:
                meta = cur_doc.items.get(("metadata", name))
                date = meta.fields.get("date") if meta else date
            h.events.append(Event(step.state, cur_doc.version, step.commit, step.author, date, step.subject, found))
        prev, prev_doc = step, cur_doc
    h.current = sorted({i for (_, i) in followed})
    return h


def _changed(step: _Step, prev: _Step, before: _Step, files: dict[str, str]) -> set[str]:
    """The paths whose blob differs from prev to step: the commit's own changes when prev is
    the commit just before it, else a comparison of the two listings."""
    if step.changed is not None and before is prev:
        return {rel for rel in step.changed if rel in files or rel in prev.files}
    return {rel for rel in set(files) | set(prev.files) if files.get(rel) != prev.files.get(rel)}


def _prefetch(states: States, steps: list[_Step]) -> None:
    """Read, in one pipelined exchange, the blobs a walk over commits reads anyway: the first
    state's, and each commit's changed ones (each is searched for the followed IDs)."""
    if not steps or any(s.changed is None for s in steps[1:-1]):
        return  # releases: only what changed between them is read, when it is asked for
    wanted = set(steps[0].files.values())
    for s in steps[1:]:
        if s.changed is not None:
            wanted.update(s.files[rel] for rel in s.changed if rel in s.files)
    states.prefetch(wanted)


class _Holders:
    """Which files hold one of the followed IDs, kept from step to step: only the blobs that
    changed are searched (all of them again only when the followed IDs change)."""

    def __init__(self, states: States):
        self.states = states
        self.memo: dict[tuple, bool] = {}  # (blob key, needles) -> whether the blob holds one
        self.needles: tuple = ()
        self.at: dict | None = None  # the files that self.found is about
        self.found: set[str] = set()

    def between(self, prev: dict[str, str], cur: dict[str, str], changed: set[str],
                needles: tuple[bytes, ...]) -> set[str]:
        """The files that hold a followed ID in prev or in cur (which differ in changed)."""
        if needles != self.needles or self.at is not prev:
            self.states.prefetch(k for k in prev.values() if (k, needles) not in self.memo)
            self.found = {rel for rel, key in prev.items() if self.holds(key, needles)}
        now = set(self.found)
        for rel in changed:
            if self.holds(cur.get(rel), needles):
                now.add(rel)
            else:
                now.discard(rel)
        both = self.found | now
        self.needles, self.at, self.found = needles, cur, now
        return both

    def holds(self, key: str | None, needles: tuple[bytes, ...]) -> bool:
        if key is None:
            return False
        hit = self.memo.get((key, needles))
        if hit is None:
            blob = self.states.blob(key)
            hit = self.memo[(key, needles)] = any(n in blob for n in needles)
        return hit


def _partial_once(built: dict, states: States, h: History, step: _Step, files: dict[str, str],
                  relevant: set[str], name: str) -> Document | None:
    """_partial, built once per set of blobs (a step's document is the next one's 'before');
    only the last few are kept, so memory does not grow with the number of commits."""
    key = tuple(sorted((rel, k) for rel, k in files.items() if rel in relevant or rel in CORE[name]))
    doc = built.pop(key, None)
    if doc is None:
        doc = _partial(states, h, step, files, relevant, name)
        if doc is None:
            return None  # not kept: the next state that has these blobs reports it too
    built[key] = doc
    while len(built) > 4:
        del built[next(iter(built))]
    return doc


def _partial(states: States, h: History, step: _Step, files: dict[str, str], relevant: set[str],
             name: str) -> Document | None:
    """The document at a step, from its core files and the relevant ones only."""
    chosen = {rel: states.blob(key) for rel, key in files.items() if rel in relevant or rel in CORE[name]}
    markdown = chosen.pop(governance.MARKDOWN, None)
    try:
        repo = states.repository(step.state, chosen)
    except OsaidError as e:
        if not any(s.startswith(f"{step.state}:") for s in h.skipped):
            h.skipped.append(f"{step.state}: {str(e).splitlines()[1] if len(str(e).splitlines()) > 1 else e}")
        return None
    if name == governance.NAME:
        return governance.from_data(repo.data, markdown.decode("utf-8", "replace") if markdown is not None else None)
    return document.build(repo.data).get(name)


def _step_changes(name: str, prev: Document, cur: Document, target: str,
                  followed: set, gone: dict) -> list[diff.Change]:
    out: list[diff.Change] = []
    # the ID itself may appear for the first time now (added, or a new kind of item with it)
    for key, it in cur.items.items():
        if it.id == target and key not in followed and key not in prev.items:
            followed.add(key)
            out.append(diff.presence("added", cur, it))
    for key in sorted(followed):
        o, n = prev.items.get(key), cur.items.get(key)
        if o is not None and n is not None:
            if o.container != n.container:
                out.append(diff.Change(name, n.item, n.id, n.path, "moved", "container",
                                       diff.container_label(o), diff.container_label(n), "substantive", None))
            elif prev.order.get(o.container) != cur.order.get(n.container):
                out.extend(c for c in diff.reorders(name, _only(prev, o.container), _only(cur, n.container), [])
                           if c.id == n.id)
            if o.fields != n.fields:  # the defined terms are looked up only then
                out.extend(diff.field_changes(name, o, n, diff.defined_terms(prev, cur), lambda: diff.used_words(cur)))
        elif o is not None and n is None:
            added = [k for k in cur.items if k not in prev.items and k[0] == key[0]]
            pairs = diff.pair_renames(prev.items, cur.items, [key], added)
            if pairs:
                _, new_key, sim = pairs[0]
                nn = cur.items[new_key]
                out.extend(diff.rename_changes(name, o, nn, sim, diff.defined_terms(prev, cur),
                                               lambda: diff.used_words(cur)))
                followed.discard(key)
                followed.add(new_key)
            else:
                out.append(diff.presence("removed", prev, o))
                followed.discard(key)
                gone[key] = o
    # a removed item back under a new ID with nearly the same content
    for old_key, last in list(gone.items()):
        content = diff.content_of(last)
        for key, it in cur.items.items():
            if key[0] != old_key[0] or key in prev.items or key in followed:
                continue
            sim = round(words.similarity(content, diff.content_of(it)), 4)
            if sim >= diff.RENAME_MIN:
                out.append(diff.presence("added", cur, it,
                                         note=f"back under a new ID: was {last.id}, similarity {sim:.2f}"))
                followed.add(key)
                del gone[old_key]
                break
    return out


def _only(doc: Document, container: str) -> Document:
    """A document holding just one container (to compute its reorders)."""
    d = Document(doc.name, doc.version)
    kind = doc.kinds[container]
    for i in doc.order.get(container, []):
        it = doc.items[(kind, i)]
        d.add(it.item, it.id, it.path, it.container, it.fields)
    return d

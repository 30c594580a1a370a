"""The life of one clause, component or checklist row across versions or commits.

Every item with the given ID is followed (a component and its checklist row
share one), across renames (declared with renamed_from, or the ID changes and
the content, title or text stays nearly the same), in both directions: an ID
that was renamed from another is followed from the oldest of its chain, so
any ID of the chain gives the same life; and across a removal followed by a
re-addition under a new ID with nearly the same content. Only the followed items are compared at each step,
so walking a thousand commits stays cheap; each file is parsed once per
distinct content (states.Memo).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from osaid.changes import diff, governance, words
from osaid.data import document
from osaid.data.document import Document, Item
from osaid.errors import OsaidError, UsageError
from osaid.repo import git, release_tags
from osaid.repo.states import WORKTREE, States


@dataclass
class Event:
    state: str  # a tag, a commit, or ":worktree"
    version: str | None  # the document's version in that state
    commit: str | None
    author: str | None
    date: str | None
    subject: str | None
    changes: list[diff.Change] = field(default_factory=list)
    made: git.Made | None = None  # the commit that made the changes, its author, date and trailers (attribute)

    def as_dict(self) -> dict:
        return {"state": self.state, "version": self.version, "commit": self.commit, "author": self.author,
                "date": self.date, "subject": self.subject, "changes": [c.as_dict() for c in self.changes],
                "made": self.made.as_dict() if self.made else None}


@dataclass
class History:
    id: str
    document: str
    events: list[Event]
    skipped: list[str] = field(default_factory=list)  # states left out, and why
    current: list[str] = field(default_factory=list)  # the IDs followed at the end
    earlier: set[str] = field(default_factory=set)  # IDs the followed ones were renamed from

    def as_dict(self) -> dict:
        return {"id": self.id, "document": self.document, "current": self.current, "skipped": self.skipped,
                "events": [e.as_dict() for e in self.events]}


class _Step:
    """One state to look at: its files as {path: key}, a key being a blob ID
    (or, for the work tree, the path itself, read from disk)."""

    __slots__ = ("state", "commit", "author", "date", "subject", "files", "changed")

    def __init__(self, state: str, commit: str | None, author: str | None, date: str | None, subject: str | None,
                 files: dict[str, str], changed: set[str] | None = None):
        self.state, self.commit, self.author, self.date, self.subject, self.files = (
            state, commit, author, date, subject, files)
        self.changed = changed  # the paths changed since the step before (None: not known)


def _version_steps(states: States, name: str, paths: tuple[str, ...]) -> list[_Step]:
    releases = release_tags.released(states.root, name)
    if not releases:
        return []
    tags = {t.name: t.commit for t in states.tags()}
    meta = git.commit_info(states.root, [tags[t] for _, t in releases])
    out = []
    for _, tag in releases:
        c = tags[tag]
        author, date, subject = meta.get(c, (None, None, None))
        out.append(_Step(tag, c, author, date, subject, git.ls_tree(states.root, tag, paths)))
    return out


def _paths(name: str) -> tuple[str, ...]:
    return governance.FILES if name == governance.NAME else (name,)


def _commit_steps(log: list[git.Commit], paths: tuple[str, ...]) -> list[_Step]:
    """The commits of log (one walk for every document) that changed paths, each with its files."""
    out: list[_Step] = []
    blobs: dict[str, str] = {}
    folders = tuple(p + "/" for p in paths)
    for c in log:
        mine = [(path, blob) for path, blob in c.changes if path in paths or path.startswith(folders)]
        if not mine:
            continue
        for path, blob in mine:
            if blob is None:
                blobs.pop(path, None)
            else:
                blobs[path] = blob
        out.append(_Step(c.sha, c.sha, c.author, c.date, c.subject, dict(blobs), {path for path, _ in mine}))
    return out


def _worktree_step(states: States, paths: tuple[str, ...], committed: dict[str, str]) -> _Step:
    """The work tree as a step; committed: the files of the step before ({path: blob})."""
    import hashlib

    files = {}
    found = governance.raw_files(states, WORKTREE) if paths == governance.FILES else states.files(WORKTREE)
    for rel, raw in found.items():
        if paths != governance.FILES and not rel.startswith(tuple(p + "/" for p in paths)):
            continue  # the other document's files: not in its commits' listings either
        if raw is None:
            continue
        blob = committed.get(rel)
        if blob is not None and hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest() == blob:
            files[rel] = blob  # as committed: the same key, so not read or compared again
        else:
            key = f"worktree:{rel}"
            states._blobs[key] = raw
            files[rel] = key
    return _Step(WORKTREE, None, None, None, None, files)


def follow(states: States, target: str, name: str | None = None, commits: bool = False) -> History:
    """The history of every item whose ID is target, in one document."""
    if git.toplevel(states.root) is None:
        raise UsageError("osaid history reads git history, and this is not a git repository")
    names = (name,) if name else document.DOCUMENTS + (governance.NAME,)
    states.memo.limit = MEMO_LIMIT  # a walk may parse thousands of versions: memory stays bounded
    log = None  # the commits, read once for every document and walk (None: the releases are walked)
    if commits:  # a new repository has no commit yet, only the work tree
        log = git.log_raw(states.root, tuple(dict.fromkeys(p for n in names for p in _paths(n)))) \
            if git.head(states.root) is not None else []
    results = []
    for doc_name in names:
        targets = {target}
        while True:  # an ID renamed from another: follow the oldest too, for the whole life
            h = _follow_in(states, target, doc_name, log, targets)
            if h.earlier <= targets:
                break
            targets |= h.earlier
        if h.events:
            results.append(h)
    if not results:
        hint = " (a shallow clone lacks history: git fetch --unshallow --tags)" if git.is_shallow(states.root) else ""
        raise OsaidError(f"no clause, component or other item has the ID {target!r} in any "
                         f"{'commit' if commits else 'release or the work tree'}{hint}")
    if len(results) > 1:
        raise UsageError(f"{target!r} names items in {' and '.join(h.document for h in results)}: add --document "
                         f"{results[0].document} or --document {results[1].document}")
    attribute(states, results[0], commits)
    return results[0]


MEMO_LIMIT = 8 << 20  # bytes of files whose parse is kept during a walk: every version in a usual history
# (a rename's second walk parses nothing again), the recent ones over thousands of commits

# The files every state of a document needs, whatever is followed.
CORE = {"definition": ("definition/definition.yaml",),
        "checklist": ("checklist/checklist.yaml", "checklist/components.yaml"),
        governance.NAME: governance.FILES}  # governance: small files; its steps are the definition's releases


def _follow_in(states: States, target: str, name: str, log: list[git.Commit] | None, targets: set[str]) -> History:
    """target's history; targets: the IDs of its chain known so far (target and older ones);
    log: the commits to walk (git.log_raw), or None to walk the releases."""
    is_gov = name == governance.NAME
    paths = _paths(name)
    commits = log is not None
    steps = _commit_steps(log, paths) if log is not None else _version_steps(states, "definition" if is_gov else name, paths)
    steps.append(_worktree_step(states, paths, steps[-1].files if steps else {}))
    h = History(target, name, [])
    followed: set[tuple[str, str]] = set()
    gone: dict[tuple[str, str], Item] = {}  # removed items, by their last content, to catch a re-addition
    prev: _Step | None = None
    prev_doc: Document | bool | None = None  # True: a document, resumed from the cache (only its being there counts)
    start = 0
    walk = _Walk(states, name, targets, steps) if commits else None
    if walk is not None and walk.saved is not None:
        start, prev, prev_doc, followed, gone = walk.resume(h)
    holders = _Holders(states)
    built: dict = {}  # the partial documents, by the blobs they are built from
    checked: dict = {}  # the data of the files checked lately, by path and blob (see _partial)
    for n in range(start, len(steps)):
        step = steps[n]
        if (n - start) % WINDOW == 0:  # the blobs of the next commits, in one exchange; the older ones let go
            if n > start:
                states.forget({k for s in (steps[n - 1], step, prev, steps[-1]) if s is not None
                               for k in s.files.values()})  # steps[-1]: the work tree, read before the walk
            _prefetch(states, steps, n, n + WINDOW)
        if walk is not None and n == len(steps) - 1:  # the commits are walked: keep where the walk stands
            walk.keep(n, steps.index(prev) if prev is not None else -1, prev_doc is not None, h, followed, gone)
        files = step.files  # the document's data files among them: _data
        if prev is None:  # the first state: the files that hold the item (governance: all, keyed by dotted paths)
            needles = tuple(sorted(i.encode() for i in targets))
            relevant = set(files) if is_gov else {rel for rel, key in files.items() if holders.holds(key, needles)}
        else:
            changed = _changed(step, prev, steps[n - 1], paths)
            if not changed:
                continue
            needles = tuple(sorted(i.encode() for i in targets | {i for (_, i) in followed}))
            holds = holders.between(prev.files, step.files, changed, needles)
            if not is_gov and not gone and not (changed & holds):  # governance IDs (dotted keys) are not in the text
                prev = step  # nothing followed is in what changed: the item is as it was
                continue
            relevant = changed | holds
        cur_doc = _partial_once(built, states, h, step, files, relevant, name, checked)
        if cur_doc is None:
            continue
        before = None
        if prev is None or prev_doc is None:  # the first state that has it: the followed items are added
            followed |= {key for key, it in cur_doc.items.items() if it.id in targets}
            found = [diff.presence("added", cur_doc, it) for key, it in cur_doc.items.items() if key in followed]
        else:
            before = _partial_once(built, states, h, prev, prev.files, relevant, name, checked)
            found = _step_changes(name, before, cur_doc, targets, followed, gone, h.earlier) if before is not None else []
        if is_gov:
            found = governance.rate(found, before, cur_doc)
        if found:
            h.events.append(_event(step, cur_doc, name, found, by_commit=commits))
        prev, prev_doc = step, cur_doc
    h.current = sorted({i for (_, i) in followed})
    return h


def _event(step: _Step, doc: Document, name: str, found: list[diff.Change], by_commit: bool) -> Event:
    """The changes of a step as an event: dated by the commit, or, for a release, by its version's date."""
    date = step.date
    if not by_commit and step.state != WORKTREE:
        meta = doc.items.get(("metadata", name))
        date = meta.fields.get("date") if meta else date
    return Event(step.state, doc.version, step.commit, step.author, date, step.subject, found)


def _data(rel: str, paths: tuple[str, ...]) -> bool:
    """Whether a file of a step's listing is one of the document's data files."""
    return rel.endswith(".yaml") or rel in paths


def _changed(step: _Step, prev: _Step, before: _Step, paths: tuple[str, ...]) -> set[str]:
    """The paths whose blob differs from prev to step (step's files: its data files only): the
    commit's own changes when prev is the commit just before it, else a comparison of the two listings."""
    files = step.files
    if step.changed is not None and before is prev:
        return {rel for rel in step.changed if (rel in files and _data(rel, paths)) or rel in prev.files}
    return {rel for rel in set(files) | set(prev.files)
            if (files.get(rel) if _data(rel, paths) else None) != prev.files.get(rel)}


class _Walk:
    """Where a walk over the commits stood after its last commit (the work tree not yet
    compared), kept in the result cache (cache.ResultCache) under the document and the IDs
    followed: a commit never changes, so a later run resumes after the last commit it
    finds there (the same commits up to it) and reads only the commits made since."""

    def __init__(self, states: States, name: str, targets: set[str], steps: list[_Step]):
        self.states, self.steps = states, steps
        self.key = ("history", name, tuple(sorted(targets)))
        self.saved = None
        stored = states.results.get(self.key)
        if stored is not None:
            n = stored["next"]
            if 0 < n < len(steps) and steps[n - 1].commit == stored["commit"] and self._line(n) == stored["line"]:
                self.saved = stored

    def _line(self, n: int) -> str:
        """The commits before step n, as one digest."""
        import hashlib

        return hashlib.sha1(" ".join(s.state for s in self.steps[:n]).encode()).hexdigest()

    def resume(self, h: History) -> tuple[int, _Step | None, bool | None, set, dict]:
        """Where the stored walk stands (the next step, the step before it, whether it had the document,
        the followed and removed items); h takes its events, skipped states and older IDs."""
        saved = self.saved or {}
        h.events, h.skipped, h.earlier = self.events(), list(saved["skipped"]), set(saved["earlier"])
        prev = self.steps[saved["prev"]] if saved["prev"] >= 0 else None
        return (saved["next"], prev, saved["prev_doc"] or None, {tuple(k) for k in saved["followed"]},
                {tuple(k): Item(*it) for k, it in saved["gone"]})

    def events(self) -> list[Event]:
        from osaid.repo.cache import decode_changes

        saved = self.saved or {"events": []}
        return [Event(state, version, commit, author, date, subject, decode_changes(changes))
                for state, version, commit, author, date, subject, changes in saved["events"]]

    def keep(self, n: int, prev: int, prev_doc: bool, h: History, followed: set, gone: dict) -> None:
        if n == 0 or (self.saved is not None and self.saved["next"] == n):
            return  # no commit, or nothing new since the stored walk
        from osaid.repo.cache import encode_changes

        self.states.results.put(self.key, {
            "next": n, "commit": self.steps[n - 1].commit, "line": self._line(n), "prev": prev, "prev_doc": prev_doc,
            "events": [(e.state, e.version, e.commit, e.author, e.date, e.subject, encode_changes(e.changes))
                       for e in h.events],
            "skipped": list(h.skipped), "earlier": sorted(h.earlier), "followed": sorted(followed),
            "gone": [(k, tuple(it)) for k, it in gone.items()]})


WINDOW = 256  # commits whose blobs are read at once (and kept until the walk is past them)


def _prefetch(states: States, steps: list[_Step], start: int, stop: int) -> None:
    """Read, in one pipelined exchange, the blobs a walk over commits reads anyway: those of
    steps[start] (the first state, or the one a window starts from), and each commit's
    changed ones up to stop (each is searched for the followed IDs)."""
    if not steps or any(s.changed is None for s in steps[1:-1]):
        return  # releases: only what changed between them is read, when it is asked for
    wanted = set(steps[start].files.values()) if start < len(steps) - 1 else set()
    for s in steps[start + 1:stop]:
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
                  relevant: set[str], name: str, checked: dict) -> Document | None:
    """_partial, built once per set of blobs (a step's document is the next one's 'before');
    only the last few are kept, so memory does not grow with the number of commits."""
    key = _chosen(files, relevant, name)
    doc = built.pop(key, None)
    if doc is None:
        doc = _partial(states, h, step, files, relevant, name, checked)
        if doc is None:
            return None  # not kept: the next state that has these blobs reports it too
    built[key] = doc
    while len(built) > 4:
        del built[next(iter(built))]
    return doc


def _chosen(files: dict[str, str], relevant: set[str], name: str) -> tuple:
    """((path, key), ...) of the data files among files that a partial document is built from:
    the core ones and the relevant ones (looked up, not searched for: a state has many files)."""
    paths = _paths(name)
    return tuple(sorted((rel, files[rel]) for rel in relevant.union(CORE[name]) if rel in files and _data(rel, paths)))


CHECKED = 16  # files whose checked data a walk keeps (a core file is checked once while it stays the same)


def _partial(states: States, h: History, step: _Step, files: dict[str, str], relevant: set[str],
             name: str, checked: dict | None = None) -> Document | None:
    """The document at a step, from its core files and the relevant ones only. checked:
    {(path, key, both readings): data} of the files checked lately; a document's files are
    checked each on its own (no check between them; a document's files do not include the
    policy, whose limits apply to the others), so a file that stays the same, such as
    definition.yaml, is checked once, not at every step. A state with an invalid file is
    checked as a whole, for the message of its first problem."""
    pairs = _chosen(files, relevant, name)
    if checked is not None and name != governance.NAME:
        agree = step.state == WORKTREE  # read both ways (states.repository); history has no index state
        data = {}
        for rel, key in pairs:
            got = checked.pop((rel, key, agree), None)
            if got is None:
                try:
                    got = states.repository(step.state, {rel: states.blob(key)}).data[rel]
                except OsaidError:
                    break  # the whole state, below
            checked[(rel, key, agree)] = data[rel] = got  # the most recently used last
            while len(checked) > CHECKED:
                del checked[next(iter(checked))]
        else:
            return document.build(data).get(name)
    chosen = {rel: states.blob(key) for rel, key in pairs}
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


def _step_changes(name: str, prev: Document, cur: Document, targets: set[str],
                  followed: set, gone: dict, earlier: set[str]) -> list[diff.Change]:
    """The changes of the followed items from prev to cur. An item of targets that appears
    renamed from another (declared, or similar enough) adds that one's ID to earlier."""
    out: list[diff.Change] = []
    declared = cur.declared_pairs()
    for key in sorted(followed):
        o, n = prev.items.get(key), cur.items.get(key)
        if o is not None and n is not None:
            if o.container == n.container and prev.order.get(o.container) != cur.order.get(n.container):
                alias = {old[1]: new[1] for old, new in declared.items()}
                out.extend(diff.position_move(name, n, a, b)
                           for i, a, b in diff.moves(prev.order[o.container], cur.order[n.container], alias)
                           if i == n.id)
            if o.container != n.container or o.fields != n.fields:  # the defined terms are looked up only then
                out.extend(diff.item_changes(name, o, n, diff.defined_terms(prev, cur), lambda: diff.used_words(cur)))
        elif o is not None and n is None:
            added = [k for k in cur.items if k not in prev.items and k[0] == key[0]]
            pairs = diff.pair_renames(prev.items, cur.items, [key], added, declared)
            if pairs:
                _, new_key, sim, how = pairs[0]
                nn = cur.items[new_key]
                out.extend(diff.rename_changes(name, o, nn, sim, diff.defined_terms(prev, cur),
                                               lambda: diff.used_words(cur), how))
                followed.discard(key)
                followed.add(new_key)
            else:
                out.append(diff.presence("removed", prev, o))
                followed.discard(key)
                gone[key] = o
    # an ID followed appears for the first time now: added, or renamed from an earlier one
    for key, it in cur.items.items():
        if it.id in targets and key not in followed and key not in prev.items:
            removed = [k for k in prev.items if k not in cur.items and k[0] == key[0]]
            pairs = diff.pair_renames(prev.items, cur.items, removed, [key], declared)
            if pairs:
                earlier.add(pairs[0][0][1])  # follow() starts again from that one
            followed.add(key)
            out.append(diff.presence("added", cur, it))
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



def attribute(states: States, h: History, commits: bool) -> None:
    """Credit each event to the commit that made its changes, with its author, date and its
    Discussion: and Reviewed-by: trailers (event.made). In a history of commits that is the
    event's commit; in a history of releases, the last commit before the tag that touched one
    of the items the event changes (the release commit only when no earlier one did).
    Three git processes whatever the number of releases: one log of the first-parent line up
    to the newest tag, one rev-list of it, one read of the credited commits."""
    made_at = {i: e.commit for i, e in enumerate(h.events) if e.commit}  # the events' own commits
    makers: dict[int, str] = {}
    if commits:
        makers = made_at
    else:
        is_gov = h.document == governance.NAME
        paths = governance.FILES if is_gov else (h.document,)
        tags = [t for _, t in release_tags.released(states.root, "definition" if is_gov else h.document)]
        wanted = [(i, e) for i, e in enumerate(h.events) if i in made_at and e.state in tags]
        if wanted:
            commit_of = {t.name: t.commit for t in states.tags()}
            tip = made_at[max(wanted, key=lambda w: tags.index(w[1].state))[0]]
            line = {sha: n for n, sha in enumerate(reversed(git.first_parent_line(states.root, tip)))}
            walk = git.log_raw(states.root, paths, tip)  # oldest first, with the blobs each changed
            files: dict[str, str] = {}
            seen: list[dict[str, str]] = [{}]
            for c in walk:
                for path, blob in c.changes:
                    if blob is None:
                        files.pop(path, None)
                    else:
                        files[path] = blob
                seen.append(dict(files))
            holder = _Holders(states)  # which blobs hold which IDs, across the releases
            by_release: dict[str, list[tuple[int, Event]]] = {}
            for i, e in wanted:  # the events of one release (several items' histories at once) share its steps
                by_release.setdefault(e.state, []).append((i, e))
            for state, events in by_release.items():
                at = tags.index(state)
                hi = line.get(made_at[events[0][0]])
                lo = line.get(commit_of.get(tags[at - 1], ""), -2) if at else -1
                if hi is None or lo == -2:  # a tag off the first-parent line: credit the tag's commit
                    makers.update((i, made_at[i]) for i, _ in events)
                    continue
                steps = [(c.sha, seen[k], seen[k + 1]) for k, c in enumerate(walk) if lo < line[c.sha] <= hi]
                if len(steps) == 1:  # the one commit that changed the document since the release before made it
                    makers.update((i, steps[0][0]) for i, _ in events)
                    continue
                found = _makers(states, h.document, events, steps, holder)
                makers.update((i, found.get(i) or made_at[i]) for i, _ in events)
    info = _made(states, list(makers.values()))
    for i, sha in makers.items():
        h.events[i].made = info.get(sha)


def _made(states: States, shas: list[str]) -> dict[str, git.Made]:
    """git.made, kept in the result cache under the commits it is about (a commit's author,
    date, subject and trailers never change): a second history of the same commits reads it."""
    import hashlib

    if not shas:
        return {}
    key = ("history-made", hashlib.sha1(" ".join(shas).encode()).hexdigest())
    stored = states.results.get(key)
    if stored is not None:
        return {sha: git.Made(*m) for sha, m in stored.items()}
    info = git.made(states.root, shas)
    states.results.put(key, {sha: (m.sha, m.author, m.date, m.subject, m.discussions, m.reviewers)
                             for sha, m in info.items()})
    return info


def _ids(e: Event) -> set[str]:
    return {c.id for c in e.changes} | {str(v) for c in e.changes if c.kind == "renamed" for v in (c.before, c.after)}


def _makers(states: States, name: str, events: list[tuple[int, Event]], steps: list[tuple[str, dict, dict]],
            holder: _Holders) -> dict[int, str]:
    """For each event of one release, the newest of steps (commit, files before, files after;
    oldest first) after which the items it changes are no longer as they were before it. Each
    step is parsed once for all the events: only steps whose changed files hold one of their
    IDs (governance files, keyed by dotted paths, always do), only the files that matter."""
    pending = {i: (ids, tuple(sorted(x.encode() for x in ids))) for i, e in events for ids in (_ids(e),)}
    is_gov = name == governance.NAME
    scratch = History("", name, [])
    out: dict[int, str] = {}
    for sha, before, after in reversed(steps):
        if not pending:
            break
        changed = {rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel)}
        here = {i: p for i, p in pending.items()
                if is_gov or any(holder.holds(before.get(rel), p[1]) or holder.holds(after.get(rel), p[1])
                                 for rel in changed)}
        if not here:
            continue  # the cheap test first: no changed file holds one of the IDs
        needles = tuple(sorted({n for _, ns in here.values() for n in ns}))
        relevant = changed | {rel for rel in set(before) | set(after) if holder.holds(before.get(rel), needles)
                              or holder.holds(after.get(rel), needles)}
        docs = [_partial(states, scratch, _Step(sha, None, None, None, None, side), side, relevant, name)
                for side in (before, after)]
        for i, (ids, _) in here.items():
            if docs[0] is None or docs[1] is None or _state_of(docs[0], ids) != _state_of(docs[1], ids):
                out[i] = sha
                del pending[i]
    return out


def _state_of(doc: Document, ids: set[str]) -> list:
    """What an item is in a document, for each of the IDs: its fields, container and place."""
    return sorted(((key, it.container, repr(it.fields), doc.order.get(it.container, []).index(it.id)
                    if it.id in doc.order.get(it.container, []) else -1)
                   for key, it in doc.items.items() if it.id in ids), key=repr)

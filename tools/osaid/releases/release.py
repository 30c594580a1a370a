"""osaid release: check everything, then date, changelog, commit and tag, or nothing.

plan() runs every check and computes every write without touching anything;
execute() makes the commit and tag objects, then publishes them in one ref
transaction (all or none), then brings the work tree and the index up to them;
unfinished() and finish() complete a release killed after its publication.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from osaid.changes import changelog
from osaid.data import layout, load, placeholders
from osaid.data.layout import VERSION_FILES
from osaid.data.validate import CheckedFiles
from osaid.errors import Interrupted, OsaidError, UsageError
from osaid.releases import rules
from osaid.releases.version import (
    TAG_PREFIX,
    Version,
    check_transition,
    release_kind,
    tag_name,
)
from osaid.repo import git, release_tags, worktree
from osaid.repo.states import States


@dataclass
class Check:
    name: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Target:
    document: str
    version: str
    tag: str
    stage: str


@dataclass
class ReleasePlan:
    targets: list[Target] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    writes: dict[str, bytes] = field(default_factory=dict)
    originals: dict[str, bytes | None] = field(default_factory=dict)
    message: str = ""
    tag_messages: dict[str, str] = field(default_factory=dict)
    branch: str | None = None
    remote: str = "origin"
    head: str | None = None  # the commit the checks ran on: the release's parent, checked again when it is published

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def push_command(self) -> str:
        return f"git push {self.remote} {self.branch} " + " ".join(t.tag for t in self.targets)


def plan(states: States, documents: tuple[str, ...] | None, date: str, writer: changelog.Writer) -> ReleasePlan:
    """Every check before any write, in steps; a step that fails ends the plan with its problems
    (the plan's checks say which passed). The writes are only computed here: execute() makes them."""
    root = states.root
    if git.toplevel(root) is None:
        raise UsageError("osaid release makes a commit and a tag, and this is not a git repository")
    p = ReleasePlan()
    p.checks.append(_repository_check(root, p))
    rels = layout.discover(root)
    read = layout.read(root, rels)
    files = read[0]  # the bytes the release date is written into
    repo = worktree.check(root, rels, read)
    p.checks.append(_validation_check(repo))
    if not p.checks[-1].ok:
        return p
    p.checks.append(_targets_check(root, repo, documents, p))
    if not p.checks[-1].ok:
        return p
    texts = {r: t for r, t in repo.texts.items() if layout.document_of(r)}
    found = placeholders.find(texts, repo.policy["placeholders"])
    memo: dict = {}
    for t in p.targets:
        p.checks.append(gate_check(states, repo, t, found, memo))
    if p.ok:
        _plan_writes(states, repo, {r: b for r, b in files.items() if b is not None}, date, p, writer)
    return p


def _repository_check(root: str, p: ReleasePlan) -> Check:
    """Step 1: on a branch (noted in p, with its push remote), git's index not locked, nothing uncommitted."""
    check = Check("the repository is clean, on a branch, and not locked")
    p.head, p.branch = git.head(root), git.branch(root)
    if p.branch is None:
        check.problems.append("HEAD is detached: check out the branch to release from (git switch main)")
    else:
        p.remote = git.push_remote(root, p.branch)
    if os.path.exists(git.git_path(root, "index.lock")):
        check.problems.append("git's index is locked (.git/index.lock exists): another git command is running, "
                              "or one crashed; wait for it, or remove the file")
    dirty = git.dirty_paths(root)
    if dirty:
        shown = ", ".join(dirty[:10]) + (f" and {len(dirty) - 10} more" if len(dirty) > 10 else "")
        check.problems.append(f"uncommitted changes: {shown}: commit or stash them first")
    return check


def _validation_check(repo: CheckedFiles) -> Check:
    """Step 2: the whole work tree is valid (osaid validate), with the release tags at hand."""
    check = Check("osaid validate passes")
    check.problems = [pr.text() for pr in repo.problems] + \
        [f"{w.text()}: a release needs the release tags" for w in repo.warnings]
    return check


def _targets_check(root: str, repo: CheckedFiles, documents: tuple[str, ...] | None, p: ReleasePlan) -> Check:
    """Step 3: what to release (p.targets): each document whose working version has no tag yet and
    follows its last release (GOV-13); a document named on the command line that is released is GOV-10."""
    check = Check("there is a version to release, and it follows the last release")
    tag_names = git.tags(root)
    wanted = documents or tuple(VERSION_FILES)
    for doc in wanted:
        version = repo.data[VERSION_FILES[doc]]["version"]
        tag = tag_name(doc, version)
        if tag in tag_names:
            if documents:
                check.problems.append(f"GOV-10 {doc} {version} is already released (tag {tag}): "
                                      f"bump it first (osaid bump --document {doc} auto)")
            continue
        marked = git.object_type(root, f"refs/tags/{tag}")  # a tag that git.tags leaves out: not on a commit
        if marked not in (None, "commit"):
            check.problems.append(f"GOV-12 tag {tag} exists but marks a {marked}, not a commit: delete it "
                                  f"(git tag -d {tag}), then release")
            continue
        v = Version.parse(version)
        releases = release_tags.released(root, doc)
        if releases:
            problem = check_transition(releases[-1][0], v)
            if problem:
                check.problems.append(f"GOV-13 {doc}: {problem}")
        p.targets.append(Target(doc, version, tag, release_kind(v)))
    if not p.targets and check.ok:
        released = ", ".join(f"{d} {repo.data[VERSION_FILES[d]]['version']}" for d in wanted)
        check.problems.append(f"nothing to release: {released} already released; bump a document first (osaid bump)")
    return check


def _plan_writes(states: States, repo: CheckedFiles, files: dict[str, bytes], date: str, p: ReleasePlan,
                 writer: changelog.Writer) -> None:
    """Step 5: the release date in each target's file, then CHANGELOG.md with the new entries and
    each tag's message; a write that cannot be made is a failed check instead."""
    for t in p.targets:
        rel = VERSION_FILES[t.document]
        text = files[rel].decode("utf-8")
        try:
            new = load.replace_top_level(text, {"date": date}, missing_after="version", agreed=True) \
                if repo.data[rel].get("date") != date else text
        except (ValueError, KeyError) as e:
            p.checks.append(Check("the release date can be written", [f"{rel}: {e}"]))
            return
        p.originals[rel] = files[rel]
        if new != text:
            p.writes[rel] = new.encode("utf-8")
    dated = {**files, **p.writes}
    pending = {t.document: (t.version, t.tag, {r: b for r, b in dated.items() if r.startswith(t.document + "/")},
                            {r: b for r, b in dated.items() if r.startswith("notes/")}) for t in p.targets}
    entries, note_problems = changelog.entries(states, pending=pending)
    if note_problems:
        p.checks.append(Check("the notes name existing IDs", [pr.text() for pr in note_problems]))
        return
    try:
        p.originals[changelog.FILE], new_log = writer.regenerate(states.root, entries)
    except OsaidError as e:
        p.checks.append(Check("CHANGELOG.md can be regenerated", [str(e)]))
        return
    if new_log != p.originals[changelog.FILE]:
        p.writes[changelog.FILE] = new_log
    for t in p.targets:
        mine = [e for e in entries if e.document == t.document and e.version == t.version]
        p.tag_messages[t.tag] = f"{t.document.capitalize()} {t.version}\n\n" + writer.tag_message(mine, 3)
    p.message = "Release " + " and ".join(f"{t.document} {t.version}" for t in p.targets)


def gate_check(states: States, repo: CheckedFiles, t: Target, found: list, memo: dict) -> Check:
    """The release gate of one target (rules.release_gate, which osaid status shares): its
    stage's conditions, and GOV-17 and GOV-18 on every commit since the last release (of
    any document: a commit under a release tag was checked then), each offending commit
    listed with its date and subject."""
    releases = release_tags.released(states.root, t.document)
    previous = releases[-1] if releases else None
    check = Check(f"the {t.stage} gate for {t.document} {t.version}")
    check.problems = [f"{b.rule} {b.message}" for b in rules.release_gate(
        states, repo, t.document, t.version, previous, rules.unreleased_history(states.root), found, memo)]
    return check


SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


def _signals() -> list:
    import signal

    return [getattr(signal, name) for name in SIGNALS if hasattr(signal, name)]


_received: list[int] = []  # the signals that came while interruptible() was on


@contextmanager
def interruptible() -> Iterator[None]:
    """While inside, SIGINT, SIGTERM and SIGHUP raise Interrupted (in the main thread), so
    that the release in progress ends the way it should instead of where the signal fell.

    A signal that falls where Python cannot raise (a weakref callback, a __del__) is not lost:
    it is recorded, checked before the release is published, and raised when the block ends."""
    import signal
    import sys
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        _received.append(signum)
        raise Interrupted(signum)

    def unraisable(u: Any) -> None:
        if not isinstance(u.exc_value, Interrupted):
            previous(u)

    _received.clear()
    previous, sys.unraisablehook = sys.unraisablehook, unraisable
    before = {s: signal.signal(s, interrupt) for s in _signals()}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        sys.unraisablehook = previous
    _raise_received()


def _raise_received() -> None:
    if _received:
        raise Interrupted(_received[0])


@contextmanager
def _signals_held() -> Iterator[None]:
    """The signals wait (in this process and in the git it runs) until the block is over: the
    ref transaction and the work-tree update are not cut in the middle, not even by a terminal's
    Ctrl-C sent to git too. A signal that came meanwhile is raised when the block ends."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, _signals())
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _signals())


@contextmanager
def _lock(root: str, wait: float = 30.0) -> Iterator[None]:
    """One osaid release (or its completion) at a time per repository: an flock on git's common
    folder, which the system drops when the process ends, however it ends (no lock file left)."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): the ref transaction still refuses a loser
        yield
        return
    import time

    fd = os.open(git.common_dir(root), os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OsaidError(f"another osaid release has been running in this repository for {wait:.0f} s: "
                                     "wait for it to finish, or stop it, then run osaid release again") from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


NOTHING_CHANGED = "nothing was changed: no commit, no tag, no file (the repository is as it was)"


def execute(root: str, p: ReleasePlan, sign: bool = False) -> str:
    """Carry the plan out in git's own terms; returns the new commit.

    The blobs, the tree, the commit and the tag objects are made first, touching no ref, no index
    and no file. Then the branch and every tag move in ONE `git update-ref --stdin` transaction
    that checks the branch is still where the plan found it and the tags do not exist: a release
    (or commit) that got there first makes this one fail with nothing changed. Only then are the
    work tree and the index brought up to the new commit. Killed before the transaction, the
    release is not there; after it, it is published, and unfinished()/finish() (osaid release run
    again) bring the work tree and the index up to it."""
    if not p.ok:
        raise OsaidError("the release checks failed")
    with _lock(root):
        start = p.head
        if start is None or p.branch is None:
            raise OsaidError("osaid release needs a branch with a commit to release from")
        step, commit, published = "writing the release objects", "", False
        try:
            with _signals_held():  # a git cut short while writing an object leaves a temporary file
                blobs = {rel: git.write_blob(root, rel, data) for rel, data in p.writes.items()}
                step = "committing"
                commit = git.commit_tree(root, git.tree_with(root, start, blobs), start, p.message + "\n")
            bodies = {}
            for t in p.targets:  # signals not held: a signature may wait for a passphrase
                step = f"tagging {t.tag}"
                bodies[t.tag] = git.tag_body(root, t.tag, commit, p.tag_messages[t.tag], sign)
            step = "publishing (moving the branch and creating the tags in one transaction)"
            _raise_received()  # the last moment a signal stops the release
            with _signals_held():
                tags = {name: git.write_tag(root, body) for name, body in bodies.items()}
                git.update_refs(root, [(f"refs/heads/{p.branch}", commit, start)] +
                                [(f"refs/tags/{name}", obj, None) for name, obj in tags.items()],
                                f"osaid release: {p.message}")
                published = True
                step = "updating the work tree and the index"
                _sync(root, p.writes)
                step = ""
        except Interrupted as e:
            raise Interrupted(e.signum, _outcome(p, commit, published, step, str(e))) from None
        except (git.GitError, OsaidError, OSError) as e:
            raise OsaidError(_outcome(p, commit, published, step, f"release failed while {step}: {e}")) from None
        finally:
            git.forget_tags()
        return commit


def _outcome(p: ReleasePlan, commit: str, published: bool, step: str, what: str) -> str:
    if not published:
        return f"{what}\n{NOTHING_CHANGED}"
    tags = ", ".join(t.tag for t in p.targets)
    done = f"the release is published: commit {commit[:10]} on {p.branch}, tag{'s' * (len(p.targets) > 1)} {tags}"
    if not step:
        return f"{what}, after the release was complete; {done}"
    return (f"{what}\n{done}; but the work tree and the index are not up to date with it yet: "
            "run osaid release again to finish")


def _sync(root: str, files: dict[str, bytes]) -> None:
    """Write the released files into the work tree and stage them, so both match the new HEAD."""
    from osaid.fileio import write_atomic

    for rel, data in files.items():
        write_atomic(os.path.join(root, rel), data)
    if files:
        git.stage(root, list(files))


@dataclass
class Unfinished:
    """A published release (its commit is HEAD, its tags point at it) whose work tree or index
    still hold the files as they were before it."""

    commit: str
    tags: list[str]
    paths: list[str]  # the files to bring up to the release
    blobs: dict[str, str | None]  # their blob ids in the release


def unfinished(root: str) -> Unfinished | None:
    """The release left unfinished by an interruption, or None.

    Its mark: HEAD is a release commit (only version files and CHANGELOG.md changed, release tags
    on it) and the index still holds its files as they were before it (they are staged last, in
    one step), or some as released (`git checkout HEAD -- FILE`, which the message below advises).
    Raises OsaidError with what to do if a work-tree file then holds neither the release's version
    nor the one before (an edit is never overwritten)."""
    head = git.head(root)
    if head is None:
        return None
    prefixes = tuple(TAG_PREFIX.values())
    tags = [t.name for t in git.tag_list(root) if t.annotated and t.commit == head and t.name.startswith(prefixes)]
    before = git.parent(root, head) if tags else None
    if before is None:
        return None
    paths = git.changed_paths(root, before, head)
    if not paths or not set(paths) <= {*VERSION_FILES.values(), changelog.FILE}:
        return None  # not a commit that osaid release makes
    new, old = git.ls_tree(root, head, tuple(paths)), git.ls_tree(root, before, tuple(paths))
    index, work = git.ls_index(root, tuple(paths)), git.hash_files(root, paths)
    if any(index.get(r) not in (old.get(r), new.get(r)) for r in paths) or \
            all(index.get(r) == new.get(r) for r in paths):
        return None  # staged edits, or a release whose last step (staging its files) was done
    odd = [r for r in paths if work.get(r) not in (old.get(r), new.get(r))]
    if odd:
        raise OsaidError(f"the release {', '.join(tags)} (commit {head[:10]}) is published, but {', '.join(odd)} "
                         "in the work tree is neither the release's version nor the one before it: "
                         f"keep a copy of your edit, take the release's version (git checkout HEAD -- "
                         f"{' '.join(odd)}), then run osaid release again to finish the release")
    behind = [r for r in paths if index.get(r) != new.get(r) or work.get(r) != new.get(r)]
    return Unfinished(head, tags, behind, {r: new.get(r) for r in behind})


def finish(root: str, u: Unfinished) -> None:
    """Bring the work tree and the index up to the published release (what an interruption
    left undone), and remove the temporary files the interrupted writes left."""
    import re

    from osaid.fileio import write_atomic

    with _lock(root), _signals_held():
        now = unfinished(root)
        if now is None:
            raise OsaidError(f"another osaid release finished this release meanwhile; {NOTHING_CHANGED}")
        if now != u:
            raise OsaidError("the repository changed while this release was being finished (run osaid release "
                             f"again); {NOTHING_CHANGED}")
        work = git.hash_files(root, u.paths)
        for rel in u.paths:
            blob = u.blobs[rel]
            if blob is not None and work[rel] != blob:
                write_atomic(os.path.join(root, rel), git.worktree_bytes(root, rel, blob))
        for rel in {*VERSION_FILES.values(), changelog.FILE}:
            folder, name = os.path.split(os.path.join(root, rel))
            stray = re.compile(rf"\.{re.escape(name)}\.[A-Za-z0-9_]{{8}}\.tmp")  # fileio.write_atomic's
            for entry in os.listdir(folder) if os.path.isdir(folder) else ():
                if stray.fullmatch(entry):
                    os.unlink(os.path.join(folder, entry))
        git.stage(root, u.paths)

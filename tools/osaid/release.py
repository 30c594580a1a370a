"""osaid release: check everything, then date, changelog, commit and tag, or nothing.

plan() runs every check and computes every write without touching anything;
execute() carries a plan out and, if any step fails, puts back the files, the
index, HEAD and the tags as they were.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from osaid import changelog, changes, git, layout, load, placeholders, rules, validate
from osaid.layout import VERSION_FILES
from osaid.errors import OsaidError, UsageError
from osaid.render import headline
from osaid.states import WORKTREE, States
from osaid.version import Version, check_transition


def release_stage(v: Version) -> str:
    if v.stage == "final":
        return "errata" if v.patch else "final"
    return v.stage  # draft | rc


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

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def push_command(self) -> str:
        return f"git push {self.remote} {self.branch} " + " ".join(t.tag for t in self.targets)


def plan(states: States, documents: tuple[str, ...] | None, date: str) -> ReleasePlan:
    root = states.root
    if git.toplevel(root) is None:
        raise UsageError("osaid release makes a commit and a tag, and this is not a git repository")
    p = ReleasePlan()

    # 1. the repository: on a branch, no lock, nothing uncommitted
    repo_check = Check("the repository is clean, on a branch, and not locked")
    p.branch = git.branch(root)
    if p.branch is None:
        repo_check.problems.append("HEAD is detached: check out the branch to release from (git switch main)")
    else:
        p.remote = git.push_remote(root, p.branch)
    if os.path.exists(git.git_path(root, "index.lock")):
        repo_check.problems.append("git's index is locked (.git/index.lock exists): another git command is running, "
                                   "or one crashed; wait for it, or remove the file")
    dirty = git.dirty_paths(root)
    if dirty:
        shown = ", ".join(dirty[:10]) + (f" and {len(dirty) - 10} more" if len(dirty) > 10 else "")
        repo_check.problems.append(f"uncommitted changes: {shown}: commit or stash them first")
    p.checks.append(repo_check)

    # 2. validation of the whole repository
    rels = layout.discover(root)
    files, _ = layout.read(root, rels)  # the bytes the release date is written into
    tag_names = git.tags(root)
    repo = validate.check_worktree(root, rels)
    valid = Check("osaid validate passes")
    valid.problems = [pr.text() for pr in repo.problems] + \
        [f"{w.text()}: a release needs the release tags" for w in repo.warnings]
    p.checks.append(valid)
    if not valid.ok:
        return p

    # 3. what to release
    which = Check("there is a version to release, and it follows the last release")
    wanted = documents or tuple(VERSION_FILES)
    for doc in wanted:
        version = repo.data[VERSION_FILES[doc]]["version"]
        tag = git.tag_name(doc, version)
        releases = changes.released(root, doc)
        if tag in tag_names:
            if documents:
                which.problems.append(f"GOV-10 {doc} {version} is already released (tag {tag}): "
                                      f"bump it first (osaid bump --document {doc} auto)")
            continue
        marked = git.object_type(root, f"refs/tags/{tag}")  # a tag that git.tags leaves out: not on a commit
        if marked not in (None, "commit"):
            which.problems.append(f"GOV-12 tag {tag} exists but marks a {marked}, not a commit: delete it "
                                  f"(git tag -d {tag}), then release")
            continue
        v = Version.parse(version)
        if releases:
            problem = check_transition(releases[-1][0], v)
            if problem:
                which.problems.append(f"GOV-13 {doc}: {problem}")
        p.targets.append(Target(doc, version, tag, release_stage(v)))
    if not p.targets and which.ok:
        released = ", ".join(f"{d} {repo.data[VERSION_FILES[d]]['version']}" for d in wanted)
        which.problems.append(f"nothing to release: {released} already released; bump a document first (osaid bump)")
    p.checks.append(which)
    if not which.ok:
        return p

    # 4. the gate of each target's stage
    policy = repo.policy
    markers = policy["placeholders"]
    found = placeholders.find({r: t for r, t in repo.texts.items() if layout.document_of(r)}, markers)
    for t in p.targets:
        gate = Check(f"the {t.stage} gate for {t.document} {t.version}")
        count = sum(1 for ph in found if layout.document_of(ph.path) == t.document)
        counts = None
        if t.document == "definition":
            counts = rules.endorsement_counts(repo.data["governance/stakeholders.yaml"],
                                              repo.data["governance/endorsements.yaml"], t.version)
        kind = {"rc": "rc", "final": "final"}.get(t.stage)
        if kind:
            gate.problems += [f"{b.rule} {b.message}" for b in rules.gates(
                t.document, kind, placeholders=count, markers=markers, counts=counts, policy=policy,
                version=t.version)]
        if t.stage in ("final", "errata"):
            gate.problems += _form_only(states, t)
        p.checks.append(gate)
    if not p.ok:
        return p

    # 5. the writes: the release date, then the changelog with the new entries
    pending = {}
    for t in p.targets:
        rel = VERSION_FILES[t.document]
        text = files[rel].decode("utf-8")
        try:
            new = load.replace_top_level(text, {"date": date}) if repo.data[rel]["date"] != date else text
        except (ValueError, KeyError) as e:
            p.checks.append(Check("the release date can be written", [f"{rel}: {e}"]))
            return p
        p.originals[rel] = files[rel]
        if new != text:
            p.writes[rel] = new.encode("utf-8")
    dated = {**files, **p.writes}
    for t in p.targets:
        pending[t.document] = (t.version, t.tag, {r: b for r, b in dated.items() if r.startswith(t.document + "/")},
                               {r: b for r, b in dated.items() if r.startswith("notes/")})
    entries, note_problems = changelog.entries(states, pending=pending)
    if note_problems:
        p.checks.append(Check("the notes name existing IDs", [pr.text() for pr in note_problems]))
        return p
    try:
        p.originals[changelog.FILE], new_log = changelog.regenerate(root, entries)
    except OsaidError as e:
        p.checks.append(Check("CHANGELOG.md can be regenerated", [str(e)]))
        return p
    if new_log != p.originals[changelog.FILE]:
        p.writes[changelog.FILE] = new_log
    for t in p.targets:
        mine = [e for e in entries if e.document == t.document and e.version == t.version]
        p.tag_messages[t.tag] = f"{t.document.capitalize()} {t.version}\n\n" + changelog.render_markdown(mine, 3)
    p.message = "Release " + " and ".join(f"{t.document} {t.version}" for t in p.targets)
    return p


def _form_only(states: States, t: Target) -> list[str]:
    """A final follows an RC of the same version, an errata a final; both change only form."""
    releases = changes.released(states.root, t.document)
    v = Version.parse(t.version)
    if not releases:
        return [f"GOV-15 {t.document} {t.version} is a {t.stage} version, but nothing was released before it"]
    prev, prev_tag = releases[-1]
    if t.stage == "final" and not (prev.stage == "rc" and (prev.major, prev.minor) == (v.major, v.minor)):
        return [f"GOV-15 a final version follows a release candidate of it: the last release of the "
                f"{t.document} is {prev}, not {v.major}.{v.minor}-RCn (release an RC first)"]
    found = [c for c in changes.between(states, prev_tag, WORKTREE, (t.document,))[0].changes
             if c.severity != "editorial"]
    if not found:
        return []
    shown = "; ".join(f"{c.severity}: {headline(c)}" for c in found[:5])
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    return [f"GOV-15 a {t.stage} version changes only the form of {prev}, but {len(found)} "
            f"change{'s' * (len(found) != 1)} since {prev_tag} {'are' if len(found) != 1 else 'is'} not editorial: "
            f"{shown}{more} (osaid diff {prev_tag} shows them; release another RC, or start the next draft)"]


def execute(root: str, p: ReleasePlan, sign: bool = False) -> str:
    """Carry the plan out; on any failure, leave the repository as it was. Returns the new commit."""
    from osaid.fileio import write_atomic

    if not p.ok:
        raise OsaidError("the release checks failed")
    start = git.head(root)
    step = "writing files"
    committed = False
    tagged: list[str] = []
    try:
        for rel, data in p.writes.items():
            write_atomic(os.path.join(root, rel), data)
        step = "staging"
        git.run(root, "add", "--", *p.writes)
        step = "committing"
        git.run(root, "commit", "-q", "-m", p.message, "--", *p.writes)
        committed = True
        for t in p.targets:
            step = f"tagging {t.tag}"
            git.run(root, "tag", "-s" if sign else "-a", "--cleanup=verbatim", t.tag, "-F", "-",
                    input=p.tag_messages[t.tag])
            tagged.append(t.tag)
        git.forget_tags()
        return git.head(root) or ""
    except (git.GitUnavailable, OsaidError, OSError) as e:
        undo = _rollback(root, p, start, committed, tagged)
        raise OsaidError(f"release failed while {step}: {e}\n{undo}") from None


def _rollback(root: str, p: ReleasePlan, start: str | None, committed: bool, tagged: list[str]) -> str:
    failures = []
    for t in reversed(tagged):
        try:
            git.run(root, "tag", "-d", t)
        except git.GitUnavailable as e:
            failures.append(f"could not delete tag {t}: {e}")
    try:
        if committed and start:
            git.run(root, "reset", "-q", "--soft", start)
        if start:
            git.run(root, "reset", "-q", start, "--", *p.writes)
    except git.GitUnavailable as e:
        failures.append(f"could not reset the index: {e}")
    for rel in p.writes:
        original = p.originals.get(rel)
        path = os.path.join(root, rel)
        try:
            if original is None:
                if os.path.exists(path):
                    os.unlink(path)
            else:
                from osaid.fileio import write_atomic

                write_atomic(path, original)
        except OSError as e:
            failures.append(f"could not restore {rel}: {e}")
    if failures:
        return "the repository could NOT be fully restored: " + "; ".join(failures)
    return "nothing was changed: no commit, no tag, no file (the repository is as it was)"

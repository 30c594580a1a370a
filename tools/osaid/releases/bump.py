"""osaid bump: the next version of a document, written in place.

Only the version and the date change: every other byte of the file stays as
it was (load.replace_top_level). A version that was never released cannot be
bumped past (that would skip it, GOV-13).
"""

from __future__ import annotations

from dataclasses import dataclass

from osaid import fileio
from osaid.changes import compare, diff
from osaid.data import load
from osaid.data.layout import VERSION_FILES
from osaid.errors import OsaidError, UsageError
from osaid.releases.version import (
    BUMP_KINDS,
    Version,
    VersionError,
    next_version,
    tag_name,
)
from osaid.repo import git, release_tags
from osaid.repo.states import WORKTREE, States


@dataclass
class BumpPlan:
    document: str
    path: str
    old: str
    new: str
    kind: str
    reason: str
    date: str
    text: str  # the new text of the version file
    summary: dict[str, int]


def plan(states: States, document: str, kind: str, date: str) -> BumpPlan:
    if kind not in BUMP_KINDS + ("auto",):
        raise UsageError(f"unknown kind {kind!r}: use one of {', '.join(BUMP_KINDS + ('auto',))}")
    root = states.root
    if git.toplevel(root) is None:
        raise UsageError("osaid bump reads the release tags, and this is not a git repository")
    path = VERSION_FILES[document]
    repo = states.repository(WORKTREE)
    data = repo.data.get(path)
    if data is None:
        raise OsaidError(f"{path} is missing")
    current = Version.parse(data["version"])
    releases = release_tags.released(root, document)
    tag = tag_name(document, str(current))
    if not any(t == tag for _, t in releases):
        shallow = " (or this clone lacks tags: git fetch --tags)" if not releases else ""
        raise OsaidError(f"GOV-13 {document} {current} was never released{shallow}: release it first "
                         f"(osaid release --document {document}), then bump")
    diffs = compare.between(states, tag, WORKTREE, (document,))
    found = diff.without_version_stamp(diffs[0].changes)
    summary = diff.summary(found)
    reason = "asked for"
    if kind == "auto":
        kind, reason = _auto(current, found)
    try:
        target = next_version(current, kind)
    except VersionError as e:
        raise UsageError(str(e)) from None
    raw = fileio.read_regular(f"{root}/{path}")
    try:
        text = load.replace_top_level(raw.decode("utf-8"), {"version": str(target), "date": date},
                                       missing_after="version")
    except (ValueError, KeyError) as e:
        raise OsaidError(f"{path}: cannot set the version and the date in place: {e}") from None
    return BumpPlan(document, path, str(current), str(target), kind, reason, date, text, summary)


def _auto(current: Version, found: list[diff.Change]) -> tuple[str, str]:
    if not found:
        raise OsaidError(f"nothing changed since {current} was released: nothing to bump")
    worst = diff.highest(found)
    if current.stage == "final":
        if worst == "editorial":
            return "errata", "only editorial changes since a final version: an errata"
        return "minor", f"{worst} changes since a final version: the next minor draft"
    if current.stage == "rc":
        return "rc", f"{worst} changes since a release candidate: the next release candidate"
    return "draft", f"{worst} changes since a draft: the next draft"


def write(root: str, p: BumpPlan) -> None:
    from osaid.fileio import write_atomic

    write_atomic(f"{root}/{p.path}", p.text.encode("utf-8"))


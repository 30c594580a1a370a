"""The work tree's data files checked the same way by every command, with what git knows: the
release tags (read only if a version must be looked up), the latest releases' IDs and data (read
only when a check asks), and the parse cache."""

from __future__ import annotations

import functools
from typing import Any, Callable

from osaid.data import layout, validate
from osaid.data.validate import CheckedFiles
from osaid.errors import OsaidError, Problem
from osaid.repo import git, release_tags
from osaid.repo.cache import ParseCache
from osaid.repo.states import States


def check(root: str, rels: list[str] | None = None,
          read: tuple[dict[str, bytes | None], list[Problem]] | None = None) -> CheckedFiles:
    """The work tree's data files checked, the same way for every command: with the
    release tags (read only if a version must be looked up), the latest releases' IDs
    for notes (read only if a note names an ID the working version lacks), and the
    parse cache. rels: the files to read (default: every data file); read: what layout.read gave
    for them, when the caller has read them already."""
    rels = layout.discover(root) if rels is None else rels
    files, read_problems = layout.read(root, rels) if read is None else read
    repo = validate.check(files, release_tags.released_versions(root), cache=ParseCache(root),
                          previous_ids=previous_release_ids(root), tags_hint=lambda: git.missing_tags_hint(root),
                          release_data=release_files(root))
    repo.problems = sorted(read_problems + repo.problems)
    return repo


def previous_release_ids(root: str) -> Callable[[str], set[str]]:
    """previous_ids for check: the IDs of a document's latest release (read from git when asked)."""

    def previous_ids(document: str) -> set[str]:
        return release_tags.latest_release_ids(root, document)

    return previous_ids


def release_files(root: str) -> Callable[[str], dict | None]:
    """release_data for check: a release's checked data files, read from git when asked."""

    @functools.cache
    def release_data(tag: str) -> dict | None:
        try:
            with States(root) as states:
                return states.repository(tag).data
        except OsaidError:  # GitError is one
            return None

    return release_data


def tally_inputs(root: str) -> tuple[dict[str, Any], list]:
    """The work tree's checked data, and the problems in the files the tally reads
    (the definition, components, analyses, policy; GOV-21 itself is what the tally explains)."""
    from osaid.checklist.tally import SYSTEMS_DIR

    repo = check(root)
    reads = ("definition/", "checklist/components.yaml", SYSTEMS_DIR, "governance/policy.yaml")
    return repo.data, [p for p in repo.problems if p.path.startswith(reads) and p.rule != "GOV-21"]

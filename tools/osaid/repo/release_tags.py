"""The releases of each document, as their tags mark them: one place that lists them (every
command asks here), and what validation needs of the latest one (its IDs, its date)."""

from __future__ import annotations

from collections.abc import Callable

from osaid.data import document
from osaid.errors import OsaidError
from osaid.releases.version import TAG_PREFIX, Version, VersionError
from osaid.repo import git
from osaid.repo.states import States


def released_versions(root: str) -> Callable[[str], set[str]]:
    """released(document) -> the versions of the document that have a tag; tags are
    read only when asked (validate asks only for a version other than the working one),
    and outside git there are none."""

    def released(document: str) -> set[str]:
        try:
            names = git.tags(root)
        except git.GitError:
            return set()
        prefix = TAG_PREFIX[document]
        return {t[len(prefix):] for t in names if t.startswith(prefix)}

    return released


def released(root: str, doc: str) -> list[tuple[Version, str]]:
    """(version, tag name) of each release of a document, in version order."""
    out = []
    try:
        names = git.tags(root)
    except git.GitError:
        return []
    prefix = TAG_PREFIX[doc]
    for t in names:
        if t.startswith(prefix):
            try:
                out.append((Version.parse(t[len(prefix):]), t))
            except VersionError:
                continue
    return sorted(out, key=lambda p: p[0].key())


def last_release_date(states: States, names: tuple[str, ...]) -> tuple[str, str] | None:
    """(date, tag) of the latest-dated of the documents' latest releases (the date in its
    file), or None before any release."""
    found = []
    for name in names:
        rel = released(states.root, name)
        if rel:
            doc = document.build(states.repository(rel[-1][1]).data).get(name)
            meta = doc.items.get(("metadata", name)) if doc else None
            if meta and meta.fields.get("date"):
                found.append((str(meta.fields["date"]), rel[-1][1]))
    return max(found) if found else None


def latest_release_ids(root: str, name: str) -> set[str]:
    """The IDs in a document's latest release (empty outside git or before any release)."""
    rel = released(root, name)
    if not rel:
        return set()
    try:
        with States(root) as states:
            doc = document.build(states.repository(rel[-1][1]).data).get(name)
    except (OsaidError, git.GitError):  # an invalid old release must not break validation of the present
        return set()
    return {i for (_, i) in doc.items} if doc else set()

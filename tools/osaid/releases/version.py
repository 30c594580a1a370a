"""Versions of the definition and the checklist: parse, order, next versions.

0.0.N (early drafts) -> 1.0-RC1 -> 1.0-RC2 -> 1.0 -> 1.0.1 (errata)
X.Y -> X.(Y+1)-draft1 (minor) or (X+1).0-draft1 (major) -> ... -> RC -> final.
No I/O.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_RE = re.compile(
    r"^(?:0\.0\.(?P<early>[1-9][0-9]*)"
    r"|(?P<major>[1-9][0-9]*)\.(?P<minor>0|[1-9][0-9]*)"
    r"(?:\.(?P<patch>[1-9][0-9]*)|-RC(?P<rc>[1-9][0-9]*)|-draft(?P<draft>[1-9][0-9]*))?)$"
)

STAGES = ("draft", "rc", "final")


# Release tags: v<version> for the definition, checklist-v<version> for the checklist (GOV-12).
TAG_PREFIX = {"definition": "v", "checklist": "checklist-v"}


def tag_name(document: str, version: str) -> str:
    return f"{TAG_PREFIX[document]}{version}"


def tag_document(name: str) -> tuple[str, str] | None:
    """(document, version text) of a tag named by the scheme, or None; the longest prefix wins
    (checklist-v1.0 is the checklist's, not a definition tag)."""
    for document, prefix in sorted(TAG_PREFIX.items(), key=lambda p: -len(p[1])):
        if name.startswith(prefix):
            return document, name[len(prefix):]
    return None


class VersionError(ValueError):
    pass


@functools.total_ordering
@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int = 0
    stage: str = "final"  # draft | rc | final
    n: int = 0  # the draft or RC number; for 0.0.N drafts, N

    @classmethod
    def parse(cls, text: str) -> "Version":
        m = _RE.match(text) if isinstance(text, str) else None
        if not m:
            raise VersionError(
                f"{text!r} is not a version: use 0.0.N, X.Y-draftN, X.Y-RCN, X.Y or X.Y.Z")
        if m["early"]:
            return cls(0, 0, 0, "draft", int(m["early"]))
        major, minor = int(m["major"]), int(m["minor"])
        if m["rc"]:
            return cls(major, minor, 0, "rc", int(m["rc"]))
        if m["draft"]:
            return cls(major, minor, 0, "draft", int(m["draft"]))
        return cls(major, minor, int(m["patch"] or 0), "final", 0)

    @property
    def early(self) -> bool:
        return self.major == 0

    def __str__(self) -> str:
        if self.early:
            return f"0.0.{self.n}"
        base = f"{self.major}.{self.minor}"
        if self.stage == "draft":
            return f"{base}-draft{self.n}"
        if self.stage == "rc":
            return f"{base}-RC{self.n}"
        return f"{base}.{self.patch}" if self.patch else base

    def key(self) -> tuple:
        return (self.major, self.minor, STAGES.index(self.stage), self.n, self.patch)

    def __lt__(self, other: "Version") -> bool:
        return self.key() < other.key()

    def transitions(self) -> dict[str, "Version"]:
        """Each kind of bump allowed from this version, and the version it gives."""
        if self.early:
            return {"draft": Version(0, 0, 0, "draft", self.n + 1), "rc": Version(1, 0, 0, "rc", 1)}
        if self.stage == "draft":
            return {"draft": Version(self.major, self.minor, 0, "draft", self.n + 1),
                    "rc": Version(self.major, self.minor, 0, "rc", 1)}
        if self.stage == "rc":
            return {"rc": Version(self.major, self.minor, 0, "rc", self.n + 1),
                    "final": Version(self.major, self.minor)}
        return {"errata": Version(self.major, self.minor, self.patch + 1),
                "minor": Version(self.major, self.minor + 1, 0, "draft", 1),
                "major": Version(self.major + 1, 0, 0, "draft", 1)}


BUMP_KINDS = ("draft", "rc", "final", "errata", "minor", "major")


def next_version(current: Version, kind: str) -> Version:
    """The version a bump of this kind gives, or VersionError naming the valid bumps."""
    allowed = current.transitions()
    if kind not in allowed:
        raise VersionError(f"cannot bump {current} with {kind}: {describe_next(current)}")
    return allowed[kind]


def check_transition(old: Version, new: Version) -> str | None:
    """None if new may follow old, else a message that lists the versions that may."""
    if new in old.transitions().values():
        return None
    return f"{new} cannot follow {old}: {describe_next(old)}"


def describe_next(v: Version) -> str:
    return "the next version is " + " or ".join(f"{t} ({k})" for k, t in v.transitions().items())


def release_kind(v: Version) -> str:
    """draft | rc | final | errata: the kind of release a version is (what its gate is)."""
    if v.stage == "final":
        return "errata" if v.patch else "final"
    return v.stage


def stage_name(v: Version) -> str:
    """The kind of release a version is, in words (status): draft, release candidate, final, errata."""
    kind = release_kind(v)
    return "release candidate" if kind == "rc" else kind

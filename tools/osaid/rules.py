"""The governance rules: their IDs, and the gates that status and release apply.

Every rule here is described in GOVERNANCE.md (a test keeps the two in step).
The numbers come from governance/policy.yaml, never from this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RULES: dict[str, str] = {
    "GOV-1": "Data files are strict YAML",
    "GOV-2": "Every data file matches its schema",
    "GOV-3": "IDs are unique in their document",
    "GOV-4": "References resolve",
    "GOV-5": "Data files are in canonical form",
    "GOV-6": "No placeholders in a release candidate or a final version",
    "GOV-7": "Endorsements needed for a release candidate",
    "GOV-8": "Endorsements needed for a final version",
    "GOV-9": "CHANGELOG.md is generated from the release tags",
    "GOV-10": "A released version is frozen",
    "GOV-11": "The working version follows the last release",
    "GOV-12": "Release tags are annotated, named by the scheme, and never move",
    "GOV-13": "No version is skipped",
    "GOV-14": "Retired IDs are not reused",
    "GOV-15": "A final or an errata changes only the form",
    "GOV-16": "Endorsements are never deleted",
    "GOV-17": "A change of meaning says where it was discussed",
    "GOV-18": "A change of meaning is reviewed by maintainers",
    "GOV-19": "A final version is reviewed periodically",
}


@dataclass(frozen=True)
class GroupCount:
    id: str
    name: str
    count: int


@dataclass(frozen=True)
class Blocker:
    rule: str
    message: str


def endorsement_counts(groups: dict, endorsements: dict, version: str) -> list[GroupCount]:
    """Endorsements of version per stakeholder group; withdrawn ones do not count."""
    counts = {g["id"]: 0 for g in groups["groups"]}
    for e in endorsements["endorsements"]:
        if e["version"] == version and "withdrawn" not in e and e["group"] in counts:
            counts[e["group"]] += 1
    return [GroupCount(g["id"], g["name"], counts[g["id"]]) for g in groups["groups"]]


def placeholder_gate(count: int, markers: list[str], document: str) -> list[Blocker]:
    if not count:
        return []
    return [Blocker("GOV-6", f"{count} placeholder{'s' if count != 1 else ''} ({', '.join(markers)}) "
                             f"left in the {document}: write what they stand for (osaid status lists them)")]


def endorsement_gate(counts: list[GroupCount], needed: int, rule: str, version: str) -> list[Blocker]:
    short = [c for c in counts if c.count < needed]
    if not short:
        return []
    detail = "; ".join(f"{c.name}: {c.count} of {needed}" for c in short)
    return [Blocker(rule, f"endorsements of {version}: {detail} "
                          "(record each in governance/endorsements.yaml)")]


def gates(document: str, kind: str, *, placeholders: int, markers: list[str],
          counts: list[GroupCount] | None, policy: dict[str, Any], version: str) -> list[Blocker]:
    """What stands between a document's working version and a release of the given kind.

    Both documents must be complete for an RC or a final; endorsements are of
    the definition (counts is None for the checklist).
    """
    if kind not in ("rc", "final"):
        return []
    blockers = placeholder_gate(placeholders, markers, document)
    if counts is not None:
        needed = policy["endorsements"]["rc_per_group" if kind == "rc" else "final_per_group"]
        blockers += endorsement_gate(counts, needed, "GOV-7" if kind == "rc" else "GOV-8", version)
    return blockers

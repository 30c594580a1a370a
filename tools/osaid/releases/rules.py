"""The governance rules: their IDs, and the gates that status and release apply.

Every rule here is described in GOVERNANCE.md (a test keeps the two in step).
The numbers come from governance/policy.yaml, never from this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from osaid.data.placeholders import Placeholder
    from osaid.data.validate import CheckedFiles
    from osaid.repo.states import States


RULES: dict[str, str] = {
    "GOV-1": "Data files are strict YAML",
    "GOV-2": "Every data file matches its schema",
    "GOV-3": "IDs are unique in their document",
    "GOV-4": "References resolve",
    "GOV-5": "Data files are in canonical form",
    "GOV-6": "No placeholders in a release candidate or a final version",
    "GOV-7": "Support needed for a release candidate",
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
    "GOV-21": "The checklist agrees with the working groups' tally, or says why not",
    "GOV-22": "A final version of the definition has the board's recorded approval",
    "GOV-23": "An evaluation has a reviewer unaffiliated with the system's creator",
    "GOV-24": "Translation catalogs are valid and in step with the English",
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


# The kind of record each gate counts (governance/endorsements.yaml): a release candidate
# needs representatives' support (GOV-7), a final version their endorsement (GOV-8).
GATE_KIND = {"rc": "support", "final": "endorsement"}
KIND_WORDS = {"support": "support", "endorsement": "endorsements"}


def endorsement_counts(groups: dict, endorsements: dict, version: str,
                       kind: str = "endorsement") -> list[GroupCount]:
    """Records of kind ('support' or 'endorsement') of version per stakeholder group;
    withdrawn ones do not count, nor does one kind for the other."""
    counts = {g["id"]: 0 for g in groups["groups"]}
    for e in endorsements["endorsements"]:
        if e["version"] == version and e.get("kind") == kind and "withdrawn" not in e and e["group"] in counts:
            counts[e["group"]] += 1
    return [GroupCount(g["id"], g["name"], counts[g["id"]]) for g in groups["groups"]]


def placeholder_gate(count: int, markers: list[str], document: str) -> list[Blocker]:
    if not count:
        return []
    return [Blocker("GOV-6", f"{count} placeholder{'s' if count != 1 else ''} ({', '.join(markers)}) "
                             f"left in the {document}: write what they stand for (osaid status lists them)")]


def endorsement_gate(counts: list[GroupCount], needed: int, rule: str, version: str,
                     kind: str = "endorsement") -> list[Blocker]:
    short = [c for c in counts if c.count < needed]
    if not short:
        return []
    detail = "; ".join(f"{c.name}: {c.count} of {needed}" for c in short)
    return [Blocker(rule, f"{KIND_WORDS[kind]} of {version}: {detail} "
                          f"(record each in governance/endorsements.yaml with kind: {kind})")]


def board_approval(board: dict | None, version: str) -> dict | None:
    """The board's latest decision on exactly this version, or None."""
    found = [a for a in (board or {}).get("approvals", []) if a["version"] == version]
    return found[-1] if found else None


def board_gate(policy: dict, board: dict | None, version: str) -> list[Blocker]:
    """GOV-22: when the policy says so, a final needs the board's approval of that exact version."""
    if not policy.get("board", {}).get("approves_final"):
        return []
    decision = board_approval(board, version)
    if decision is None:
        return [Blocker("GOV-22", f"no decision of the board on {version} (policy: board.approves_final): record its "
                                  "approval in governance/board.yaml (date, decision, vote, minutes_url)")]
    if decision["decision"] != "approved":
        return [Blocker("GOV-22", f"the board did not approve {version} ({decision['id']}, {decision['date']}, "
                                  f"{decision['minutes_url']}): a new decision is needed")]
    return []


def release_gate(states: States | None, repo: CheckedFiles, document: str, version: str, previous: tuple | None,
                 history: list[str] | None, found: list[Placeholder], memo: dict | None = None) -> list[Blocker]:
    """Everything that stands between a document and the release of version, as
    `osaid release` checks it; `osaid status` asks the same of each next version.

    repo: the checked work tree (worktree.check); previous: (Version, state)
    of the release before this one (a tag, or the work tree for a version not yet
    released), None for a first release; history: rev-list arguments naming the
    commits this release adds (unreleased_history; None: none); found: the open placeholders;
    memo: shared by calls that may name the same history. states None: outside git
    (status only), where the comparison with the last release is left out."""
    from osaid.data import layout
    from osaid.releases import reviews
    from osaid.releases.version import Version, release_kind

    policy = repo.policy
    kind = release_kind(Version.parse(version))
    blockers: list[Blocker] = []
    counts = None
    if document == "definition" and kind in GATE_KIND:
        counts = endorsement_counts(repo.data["governance/stakeholders.yaml"],
                                    repo.data["governance/endorsements.yaml"], version, GATE_KIND[kind])
    blockers += gates(document, kind, placeholders=sum(1 for p in found if layout.document_of(p.path) == document),
                      markers=policy["placeholders"], counts=counts, policy=policy, version=version)
    if document == "definition" and kind == "final":
        blockers += board_gate(policy, repo.data.get("governance/board.yaml"), version)
    if kind in ("final", "errata") and states is not None:  # None: outside git, no release to compare with
        blockers += form_only(states, document, version, kind, previous)
    if history is not None and states is not None:  # (history is None outside git, too)
        memo = {} if memo is None else memo
        key = tuple(history)
        if key not in memo:
            memo[key] = reviews.review_rules(states, history)
        blockers += [Blocker(p.rule, p.message) for p in memo[key]]
    return blockers


def unreleased_history(root: str) -> list[str] | None:
    """rev-list arguments naming the commits that no release tag holds: what the next
    release of any document adds (every commit before a first release). A commit under
    a release tag was checked when that release was made, and can never be changed.
    None when there is no commit."""
    from osaid.data import layout
    from osaid.repo import git, release_tags

    if git.head(root) is None:
        return None
    tags = [t for doc in layout.VERSION_FILES for _, t in release_tags.released(root, doc)]
    return ["HEAD", "--not", *tags] if tags else ["HEAD"]


def form_only(states: States, document: str, version: str, kind: str, previous: tuple | None) -> list[Blocker]:
    """GOV-15: a final follows an RC of the same version, an errata a final; both change only form."""
    from osaid.changes import compare, diff
    from osaid.releases import reviews
    from osaid.releases.version import Version
    from osaid.repo.states import WORKTREE

    v = Version.parse(version)
    if previous is None:
        return [Blocker("GOV-15", f"{document} {version} is a {kind} version, but nothing was released before it")]
    prev, prev_state = previous
    if kind == "final" and not (prev.stage == "rc" and (prev.major, prev.minor) == (v.major, v.minor)):
        return [Blocker("GOV-15", f"a final version follows a release candidate of it: the last release of the "
                                  f"{document} is {prev}, not {v.major}.{v.minor}-RCn (release an RC first)")]
    found = diff.of_meaning(compare.between(states, prev_state, WORKTREE, (document,))[0].changes)
    if not found:
        return []
    return [Blocker("GOV-15", f"a {kind} version changes only the form of {prev}, but {len(found)} "
                              f"change{'s' * (len(found) != 1)} since {prev_state} "
                              f"{'are' if len(found) != 1 else 'is'} not editorial: {reviews.change_list(found)} "
                              f"(osaid diff {prev_state} shows them; release another RC, or start the next draft)")]


def gates(document: str, kind: str, *, placeholders: int, markers: list[str],
          counts: list[GroupCount] | None, policy: dict[str, Any], version: str) -> list[Blocker]:
    """What stands between a document's working version and a release of the given kind.

    Both documents must be complete for an RC or a final; support (an RC) and
    endorsements (a final) are of the definition (counts, of the kind the gate
    counts, is None for the checklist).
    """
    if kind not in ("rc", "final"):
        return []
    blockers = placeholder_gate(placeholders, markers, document)
    if counts is not None:
        needed = policy["endorsements"]["rc_per_group" if kind == "rc" else "final_per_group"]
        blockers += endorsement_gate(counts, needed, "GOV-7" if kind == "rc" else "GOV-8", version, GATE_KIND[kind])
    return blockers



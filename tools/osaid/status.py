"""What a newcomer needs to see first: versions, validity, placeholders, readiness."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from osaid import git, layout, placeholders, rules, validate
from osaid.errors import OsaidError, Problem
from osaid.version import Version, VersionError, stage_name


@dataclass
class NextStage:
    kind: str
    version: str
    blockers: list[rules.Blocker]


@dataclass
class DocumentStatus:
    document: str
    version: str | None
    stage: str | None
    tag: str | None
    released: bool | None  # None: unknown (outside git)
    latest_release: str | None
    placeholders: int
    next: list[NextStage] = field(default_factory=list)


@dataclass
class Status:
    root: str
    git: str  # "ok", or why release state is unknown
    files: int
    problems: list[Problem]
    documents: list[DocumentStatus]
    placeholders: list[placeholders.Placeholder]
    endorsed_version: str | None
    endorsements: list[rules.GroupCount]
    thresholds: dict[str, int]
    reviews_due: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["valid"] = not self.problems
        return d


def collect(root: str) -> Status:
    rels = layout.discover(root)

    git_note = "ok"
    tag_names: list[str] | None = None
    if git.toplevel(root) is None:
        git_note = "not a git repository: release state unknown (releases are git tags)"
    else:
        try:
            tag_names = git.tags(root)
        except git.GitUnavailable as e:
            git_note = f"cannot read tags: {e}"
        else:
            hint = git.missing_tags_hint(root, no_tags_counts=False)
            if hint:
                git_note = f"release tags may be missing: {hint}"
            elif not tag_names:
                git_note = "no tags: nothing released yet (a shallow clone may lack them: git fetch --tags)"

    repo = validate.check_worktree(root, rels)
    problems = repo.problems

    policy = repo.policy or {}
    markers = policy.get("placeholders", ["TK", "TODO", "TBD"])
    doc_texts = {r: t for r, t in repo.texts.items() if layout.document_of(r)}
    found = placeholders.find(doc_texts, markers)

    definition = repo.definition
    groups = repo.get("governance/stakeholders.yaml")
    ends = repo.get("governance/endorsements.yaml")
    endorsed = definition["version"] if definition else None
    counts = rules.endorsement_counts(groups, ends, endorsed) if groups and ends and endorsed else []

    documents = []
    for doc, rel in layout.VERSION_FILES.items():
        data = repo.get(rel)
        version = data["version"] if data else None
        ph = sum(1 for p in found if layout.document_of(p.path) == doc)
        ds = DocumentStatus(doc, version, None, None, None, None, ph)
        if version is not None:
            ds.tag = git.tag_name(doc, version)
            if tag_names is not None:
                from osaid.changes import released

                releases = released(root, doc)
                ds.released = any(t == ds.tag for _, t in releases)
                ds.latest_release = str(releases[-1][0]) if releases else None
            try:
                v = Version.parse(version)
            except VersionError:
                pass
            else:
                ds.stage = stage_name(v)
                for kind, target in v.transitions().items():
                    blockers = rules.gates(doc, kind, placeholders=ph, markers=markers,
                                           counts=counts if doc == "definition" else None,
                                           policy=policy, version=version) if policy else []
                    ds.next.append(NextStage(kind, str(target), blockers))
        documents.append(ds)

    reviews_due: list[Problem] = []
    if tag_names:
        from osaid.dates import today
        from osaid.states import States
        from osaid.verify import review_due

        try:
            with States(root) as states:
                reviews_due = review_due(states, today())
        except (OsaidError, git.GitUnavailable):  # a broken old release must not hide the rest of the status
            reviews_due = []

    thresholds = {}
    if policy:
        thresholds = {"rc": policy["endorsements"]["rc_per_group"],
                      "final": policy["endorsements"]["final_per_group"]}
    return Status(str(root), git_note, len(rels), problems, documents, found, endorsed, counts, thresholds,
                  reviews_due)

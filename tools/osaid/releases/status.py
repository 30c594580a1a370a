"""What a newcomer needs to see first: versions, validity, placeholders, readiness."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from osaid.data import layout, placeholders
from osaid.data.validate import CheckedFiles
from osaid.errors import OsaidError, Problem
from osaid.releases import rules
from osaid.releases.version import (
    Version,
    VersionError,
    release_kind,
    stage_name,
    tag_name,
)
from osaid.repo import git, worktree

if TYPE_CHECKING:
    from osaid.repo.states import States


@dataclass
class NextStage:
    kind: str  # the release it would be: draft | rc | final | errata (or the bump: minor, major)
    version: str
    blockers: list[rules.Blocker]
    after: str | None = None  # the version to release first; None: this one can be released now
    ready: bool = False  # no blocker: osaid release would pass its gate


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
    date: str | None = None  # the version file's date: a release date only once released (osaid release writes it)


@dataclass
class Status:
    root: str
    git: str  # "ok", or why release state is unknown
    files: int
    problems: list[Problem]
    documents: list[DocumentStatus]
    placeholders: list[placeholders.Placeholder]
    endorsed_version: str | None
    endorsements: list[rules.GroupCount]  # records of kind 'endorsement' (what a final's gate counts, GOV-8)
    thresholds: dict[str, int]
    reviews_due: list[Problem] = field(default_factory=list)
    unreviewable: list[str] = field(default_factory=list)  # GOV-18: maintainers nobody can review
    based_on: dict | None = None  # the definition's provenance (a draft presented elsewhere, not a release)
    analyses: list[dict] = field(default_factory=list)  # the working groups' analyses: id, name, status, votes
    schedule: list = field(default_factory=list)  # schedule.Milestone, each done, due or late
    board: dict | None = None  # GOV-22: {"required": bool, "decisions": the board's decisions}
    translations: list[dict] = field(default_factory=list)  # each catalog's lag behind the English (issue 15)
    support: list[rules.GroupCount] = field(default_factory=list)  # kind 'support' (what an RC's gate counts, GOV-7)
    descriptions: dict[str, list[str]] = field(default_factory=dict)  # components' description sources

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["valid"] = not self.problems
        return d


def collect(root: str) -> Status:
    """The status of the repository at root: git and its tags, validity, each document's version
    and next releases, the endorsements, reviews due, the governance and the process's records."""
    rels = layout.discover(root)
    git_note, tag_names = _git_state(root)
    repo = worktree.check(root, rels)
    policy = repo.policy or {}
    doc_texts = {r: t for r, t in repo.texts.items() if layout.document_of(r)}
    found = placeholders.find(doc_texts, policy.get("placeholders", ["TK", "TODO", "TBD"]))
    definition = repo.definition
    groups = repo.get("governance/stakeholders.yaml")
    ends = repo.get("governance/endorsements.yaml")
    endorsed = definition["version"] if definition else None
    counts: list[rules.GroupCount] = []
    support: list[rules.GroupCount] = []
    if groups and ends and endorsed:
        counts = rules.endorsement_counts(groups, ends, endorsed)
        support = rules.endorsement_counts(groups, ends, endorsed, "support")
    thresholds = {"rc": policy["endorsements"]["rc_per_group"],
                  "final": policy["endorsements"]["final_per_group"]} if policy else {}
    from osaid.changes.governance import unreviewable

    maintainers = (repo.get("governance/maintainers.yaml") or {}).get("maintainers", [])
    st = Status(str(root), git_note, len(rels), repo.problems, _documents(root, repo, tag_names, found), found,
                endorsed, counts, thresholds,
                _reviews_due(root) if tag_names else [],
                unreviewable(maintainers, policy["review"]["reviewers_per_change"]) if policy and maintainers else [])
    st.support = support
    _process_records(root, repo, tag_names, st)
    return st


def _git_state(root: str) -> tuple[str, list[str] | None]:
    """("ok" or why the release state is unknown or may be incomplete, the tag names or None)."""
    if git.toplevel(root) is None:
        return "not a git repository: release state unknown (releases are git tags)", None
    try:
        tag_names = git.tags(root)
    except git.GitError as e:
        return f"cannot read tags: {e}", None
    hint = git.missing_tags_hint(root, no_tags_counts=False)
    if hint:
        return f"release tags may be missing: {hint}", tag_names
    if not tag_names:
        return "no tags: nothing released yet (a shallow clone may lack them: git fetch --tags)", tag_names
    return "ok", tag_names


def _documents(root: str, repo: CheckedFiles, tag_names: list[str] | None, found: list) -> list[DocumentStatus]:
    """Each document's version, stage, release and next releases (each gate as osaid release applies it)."""
    from osaid.repo.release_tags import released
    from osaid.repo.states import States

    documents = []
    memo: dict = {}  # shared by the documents' gates: their history is the same
    with States(root) as states:
        for doc, rel in layout.VERSION_FILES.items():
            data = repo.get(rel)
            version = data["version"] if data else None
            ph = sum(1 for p in found if layout.document_of(p.path) == doc)
            ds = DocumentStatus(doc, version, None, None, None, None, ph, date=(data or {}).get("date"))
            documents.append(ds)
            if version is None:
                continue
            ds.tag = tag_name(doc, version)
            releases = None
            if tag_names is not None:
                releases = released(root, doc)
                ds.released = any(t == ds.tag for _, t in releases)
                ds.latest_release = str(releases[-1][0]) if releases else None
            try:
                v = Version.parse(version)
            except VersionError:
                continue
            ds.stage = stage_name(v)
            ds.next = next_stages(states, repo, doc, v, releases, found, memo)
    return documents


def _reviews_due(root: str) -> list[Problem]:
    """GOV-19: the final versions whose review is due (none when an old release cannot be read)."""
    from osaid.dates import today
    from osaid.releases.verify import review_due
    from osaid.repo.states import States

    try:
        with States(root) as states:
            return review_due(states, today())
    except OsaidError:  # a broken old release must not hide the rest of the status (GitError is one)
        return []


def _process_records(root: str, repo: CheckedFiles, tag_names: list[str] | None, st: Status) -> None:
    """What the process has recorded: provenance, description sources, translations' lags, the working
    groups' analyses, the board's decisions, the schedule's milestones (done, due or late)."""
    from osaid.checklist import tally
    from osaid.data.document import description_sources

    policy = repo.policy or {}
    st.descriptions = description_sources(repo.get("checklist/components.yaml"))
    st.translations = translation_lags(root, repo)
    st.based_on = (repo.definition or {}).get("based_on")
    st.analyses = [{"id": sid, "name": s["name"], "status": s.get("status", "status not recorded"),
                    "date": s.get("date"), "votes": sum(len(v.get(k, [])) for v in s["votes"] for k in tally.VERDICTS)}
                   for sid, s in tally.systems_of(repo.data).items()]
    st.board = {"required": bool(policy.get("board", {}).get("approves_final")),
                "decisions": (repo.get("governance/board.yaml") or {}).get("approvals", [])}
    sched = repo.get("governance/schedule.yaml")
    if sched is None:
        return
    from osaid.dates import today
    from osaid.releases import schedule

    dates = None
    if tag_names is not None:
        try:
            dates = {t.name: t.date for t in git.tag_list(root)}
        except git.GitError:
            dates = None
    st.schedule = schedule.milestones(sched, dates, today())


def translation_lags(root: str, repo: CheckedFiles) -> list[dict]:
    """Each language's lag in the work tree (none without catalogs; nothing when the English is invalid)."""
    from osaid.i18n import translations

    if repo.problems or not translations.catalogs(root):
        return []
    return [{"language": lag.language, "document": lag.document, "version": lag.version,
             "source_version": lag.source_version, **lag.counts}
            for lag in translations.status(root, releases=False)]


def next_stages(states: States, repo: CheckedFiles, doc: str, v: Version, releases: list | None, found: list,
                memo: dict) -> list[NextStage]:
    """Each version that can be released next, with what blocks it, as osaid release
    would find it (rules.release_gate, the function release uses): the working version
    itself when it is not released yet, then each version that can follow it, whose
    gate counts endorsements of that version and compares with the one before it.
    releases: the document's releases (None outside git: then only the work tree is judged)."""
    from osaid.repo.states import WORKTREE

    root = states.root
    history = rules.unreleased_history(root) if releases is not None else None
    wanted: list[tuple[str, Version, str | None, Any, list[str] | None]] = []  # (kind, version, to release first, the release before it, its commits)
    if releases and releases[-1][1] == tag_name(doc, str(v)):
        previous, after = releases[-1], None
    else:
        last = releases[-1] if releases else None
        wanted.append((release_kind(v), v, None, last, history))
        previous, history, after = (v, WORKTREE), None, str(v)
    wanted += [(kind, target, after, previous, history) for kind, target in v.transitions().items()]

    invalid = []
    if repo.problems:
        n = len(repo.problems)
        invalid = [rules.Blocker(", ".join(sorted({p.rule for p in repo.problems})),
                                 f"{n} problem{'s' * (n != 1)} in the data files (osaid validate lists them): "
                                 "fix them first")]
    usable = repo.policy and repo.get("governance/stakeholders.yaml") and repo.get("governance/endorsements.yaml")
    out = []
    for kind, target, first, prev, hist in wanted:
        blockers = list(invalid)
        if usable:
            try:
                blockers += rules.release_gate(states if releases is not None else None, repo, doc, str(target),
                                               prev, hist, found, memo)
            except (OsaidError, git.GitError) as e:
                blockers.append(rules.Blocker("", f"cannot evaluate this gate: {e}"))
        out.append(NextStage(kind, str(target), blockers, first, not blockers))
    return out

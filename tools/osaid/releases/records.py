"""Append-only records: endorsements (GOV-16) and the board's decisions (GOV-22) are never
deleted or changed, only added to (a withdrawal is recorded). The pre-commit hook checks the
index against HEAD; records_kept checks commits that exist (--no-verify, an amend or a rebase
skip the hook)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osaid.errors import Problem
from osaid.repo import git
from osaid.repo.states import States

if TYPE_CHECKING:
    from osaid.data.validate import CheckedFiles

ENDORSEMENTS = "governance/endorsements.yaml"


def endorsements_kept(before: CheckedFiles, repo: CheckedFiles) -> list[Problem]:
    """GOV-16: a record of support or endorsement is never deleted, nor its kind, person,
    group or version changed. A changed
    entry is located at what changed in the index; a deleted one has no line left."""
    old = before.data.get(ENDORSEMENTS)
    new = repo.data.get(ENDORSEMENTS)
    if not old:
        return []
    now = {e["id"]: (i, e) for i, e in enumerate((new or {}).get("endorsements", []))}
    found: list[tuple[tuple | None, str]] = []  # (where in the index's file, message)
    for e in old["endorsements"]:
        i, kept = now.get(e["id"], (None, None))
        if kept is None:
            found.append((None, f"endorsement {e['id']!r} ({e['name']}, {e['version']}) "
                          "was deleted: endorsements are never deleted; put it back and record a withdrawal "
                          "(withdrawn: {date: 'YYYY-MM-DD', reason: ...})"))
            continue
        for key in ("kind", "name", "organisation", "group", "version", "date", "statement_url"):
            if kept.get(key) != e.get(key):
                found.append((("endorsements", i, key), f"endorsement {e['id']!r}: its {key} changed "
                              f"({e.get(key)!r} -> {kept.get(key)!r}): an endorsement stays as it was given; "
                              "record a withdrawal, and add a new endorsement if there is one"))
        if "withdrawn" in e and kept.get("withdrawn") != e["withdrawn"]:
            found.append((("endorsements", i, "withdrawn") if "withdrawn" in kept else ("endorsements", i),
                          f"endorsement {e['id']!r}: its withdrawal changed or went away: a recorded withdrawal stays"))
    if not found:
        return []
    from osaid.data import load

    where = [jp for jp, _ in found if jp is not None]
    positions = iter(load.locate(repo.texts[ENDORSEMENTS], [(jp, False) for jp in where]) if where else [])
    return [Problem(ENDORSEMENTS, *((0, 0) if jp is None else next(positions)), "GOV-16", message)
            for jp, message in found]


def board_decisions_kept(before: CheckedFiles, repo: CheckedFiles) -> list[Problem]:
    """GOV-22: the board's decisions are append-only: none deleted, none changed."""
    rel = "governance/board.yaml"
    old = (before.data.get(rel) or {}).get("approvals", [])
    now = {a["id"]: a for a in (repo.data.get(rel) or {}).get("approvals", [])}
    out = []
    for a in old:
        if a["id"] not in now:
            out.append(Problem(rel, 0, 0, "GOV-22", f"the board's decision {a['id']!r} ({a['version']}, {a['date']}) "
                               "was deleted: the board's decisions are append-only; put it back, and record a new "
                               "decision if there is one"))
        elif now[a["id"]] != a:
            out.append(Problem(rel, 0, 0, "GOV-22", f"the board's decision {a['id']!r} changed: a decision stays as "
                               "it was recorded; put it back, and record a new decision if there is one"))
    return out


# append-only records (GOV-16, GOV-22): no change of meaning to review, but none may be rewritten
RECORDS = ("governance/board.yaml", "governance/endorsements.yaml")


def records_kept(states: States, revs: list[str]) -> list[Problem]:
    """GOV-16 and GOV-22 on commits that exist (the pre-commit hook checks them before a commit
    exists; --no-verify, an amend or a rebase skip it): each commit of revs keeps every
    endorsement and board decision of each of its parents as it was (a merge: of every parent)."""
    log = states.trailer_log(revs, "Discussion")
    touched = git.commits_touching(states.root, [sha for sha, parents, *_ in log if len(parents) == 1], RECORDS)
    problems: dict[str, Problem] = {}
    for sha, parents, date, subject, _ in log:
        if not parents or (len(parents) == 1 and sha not in touched):
            continue
        now = _records_at(states, sha)
        for parent in parents:
            before = _records_at(states, parent)
            for p in endorsements_kept(before, now) + board_decisions_kept(before, now):
                text = f"commit {sha[:10]} ({date}, {subject}) changes {p.path}: {p.message}"
                problems.setdefault(text, Problem(sha[:10], 0, 0, p.rule, text))
    return list(problems.values())


def _records_at(states: States, commit: str) -> CheckedFiles:
    """The checked append-only records of a commit (those it has)."""
    raw = {rel: b for rel in RECORDS if (b := states.file_at(commit, rel)) is not None}
    return states.repository(commit, raw)

"""Evaluations in the repository: AI systems checked against the checklist at a version or ref
(collect), imported from a Model Openness Tool file (import_file), read at any state, and the
impact of a checklist change on their verdicts (impact_between). The verdicts themselves, and the
checks of one evaluation file, are evaluate's (no I/O there)."""

from __future__ import annotations

from typing import Any

from osaid.checklist.evaluate import VERSION_RE, evaluations, from_mot, impact, report
from osaid.repo import worktree


def collect(root: str, systems: tuple[str, ...], checklist_ref: str | None) -> tuple[dict | None, list]:
    """(report, problems): the work tree's evaluations against the work tree's checklist, or
    against the checklist at a version (its tag checklist-v<version>) or any git ref."""
    from osaid.errors import UsageError

    repo = worktree.check(root)
    wanted = {"checklist/", "evaluations/"}
    problems = [p for p in repo.problems if p.path.startswith(tuple(wanted))]
    if problems:
        return None, problems
    evs = evaluations(repo.data)
    unknown = [s for s in systems if s not in evs]
    if unknown:
        known = ", ".join(sorted(evs)) or "none yet: add evaluations/<system>.yaml"
        raise UsageError(f"no evaluation of {', '.join(unknown)} (evaluated systems: {known})")
    chosen = [evs[s] for s in (systems or sorted(evs))]
    data = repo.data
    if checklist_ref is not None:
        data = checklist_at(root, checklist_ref)
    checklist = data.get("checklist/checklist.yaml")
    if checklist is None:
        raise UsageError("no checklist/checklist.yaml to evaluate against")
    return report(chosen, checklist, data.get("checklist/components.yaml")), []


def checklist_at(root: str, ref: str) -> dict:
    """The checked checklist files at a version (tag checklist-v<version>) or a git ref."""
    from osaid.repo import git
    from osaid.repo.states import States

    target = f"checklist-v{ref}" if VERSION_RE.match(ref) else ref
    with States(root, ("checklist",)) as states:
        try:
            return states.repository(target).data
        except git.GitError as e:
            from osaid.errors import UsageError

            raise UsageError(str(e)) from None


def import_file(root: str, kind: str, path: str, date: str) -> tuple[str, list[str]]:
    """Write evaluations/<system>.yaml from another tool's file; (what was written, notes).
    Checks everything first: an existing evaluation is never overwritten."""
    import json
    import os

    from osaid.data import fmt, layout, load, validate
    from osaid.errors import OsaidError, UsageError
    from osaid.fileio import write_atomic

    if kind != "mot":
        raise UsageError(f"--import {kind}: unknown format (known: mot, the Model Openness Tool's model YAML)")
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise UsageError(f"{path}: cannot read the file: {e.strerror}") from None
    text, problems = load.decode(path, raw, None)
    data = None
    if text is not None:
        data, problems = load.parse(path, text)
    if problems:
        raise OsaidError("\n".join(p.text() for p in problems))
    repo = worktree.check(root, [r for r in layout.discover(root) if r.startswith("checklist/")])
    checklist = repo.data.get("checklist/checklist.yaml")
    if checklist is None:
        raise OsaidError("checklist/checklist.yaml is missing or invalid: osaid validate says why")
    ev, skipped, unmapped = from_mot(data, checklist["version"], date)
    if ev is None or unmapped:
        raise OsaidError("\n".join(f"{path}: {m}" for m in unmapped))
    rel = f"evaluations/{ev['id']}.yaml"
    target = os.path.join(root, rel)
    if os.path.lexists(target):
        raise UsageError(f"{rel} exists: an import never overwrites an evaluation; move it away first")
    canonical = fmt.canonical_text(rel, json.dumps(ev, ensure_ascii=False))
    check = validate.check({rel: canonical.encode("utf-8")}, cross=False)
    if check.problems:
        raise OsaidError("the imported evaluation is invalid:\n" + "\n".join(p.text() for p in check.problems))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    write_atomic(target, canonical.encode("utf-8"))
    notes = [f"{path}: MOT component {name!r} has no counterpart in checklist/components.yaml; skipped"
             for name in skipped]
    return rel, notes


def evaluations_at(states: Any, state: str) -> dict[str, Any]:
    """{path: data} of the valid evaluation files of a state (the work tree, the index or a ref);
    an invalid one is left out (osaid validate reports it)."""
    from osaid.data import layout, validate
    from osaid.repo.states import WORKTREE

    if state == WORKTREE:
        rels = [r for r in layout.discover(states.root) if r.startswith("evaluations/")]
        files, _ = layout.read(states.root, rels)
    else:
        files = {rel: states.blob(b) for rel, b in states.listing(state).items()
                 if rel.startswith("evaluations/") and rel.endswith(".yaml")}
    if not files:
        return {}
    repo = validate.check(files, cross=False, cache=states.memo)
    bad = {p.path for p in repo.problems}
    return {rel: d for rel, d in repo.data.items() if rel not in bad}


def impact_between(states: Any, old_state: str, new_state: str, old_data: dict | None = None,
                   new_data: dict | None = None) -> list[dict]:
    """impact() of the checklist at old_state and new_state on new_state's evaluations."""
    evs = evaluations_at(states, new_state)
    if not evs:
        return []
    old_data = states.repository(old_state).data if old_data is None else old_data
    new_data = states.repository(new_state).data if new_data is None else new_data
    return impact(old_data, {**new_data, **evs})

"""The maintainers' reclassifications: each covers exactly one change.

An entry of `reclassify` in notes/<document>-<version>.yaml names the item
(id, field), the change it covers, readable (`change`: the words removed
[-like this-] and added {+like this+}) and exact (`sha256` of the document,
ID, field, before and after), the severity the maintainers set and why. It
applies to a change only when the change hashes to that value: a later edit
of the same field is another change, judged afresh by the rules.
`osaid reclassify` writes the entries (plan, then write); nothing here prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from osaid.changes import diff, words
from osaid.errors import OsaidError, UsageError
from osaid.repo import release_tags

if TYPE_CHECKING:
    from osaid.repo.states import States

EXCERPT_MAX = 240  # characters of `change` beyond which it is cut


def fingerprint(c: diff.Change) -> str:
    """The SHA-256 (hex) of one change: its document, ID, field, before and after."""
    import hashlib
    import json

    payload = json.dumps([c.document, c.id, c.field, c.before, c.after], ensure_ascii=False, sort_keys=True,
                         separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def excerpt(c: diff.Change) -> str:
    """The change as a reader checks it: prose word by word ([-removed-]{+added+}), other values old → new."""
    from osaid.changes.diff import value_text

    if c.words:
        marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
        text = "".join(marks[op.tag].format(words.display(op)) for op in c.words)
        if len(text) > EXCERPT_MAX:  # long prose: the changed words with some words around them
            text = "".join(marks[op.tag].format(words.display(op)) for op in words.context(list(c.words)))
    elif c.kind in ("added", "removed"):
        text = f"{c.kind}: {value_text(c.after if c.kind == 'added' else c.before)}"
    else:
        text = f"{value_text(c.before)} → {value_text(c.after)}"
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_MAX else text[:EXCERPT_MAX - 1] + "…"


def covers(entry: dict, c: diff.Change) -> bool:
    """Whether a reclassification covers this very change (an entry without sha256 covers nothing)."""
    return entry.get("id") == c.id and entry.get("field") == c.field and entry.get("sha256") == fingerprint(c)


def apply(found: list[diff.Change], notes: dict | None) -> list[diff.Change]:
    """The changes, each covered by a reclassification with the maintainers' severity and reason."""
    rules = (notes or {}).get("reclassify", [])
    if not rules:
        return found
    out = []
    for c in found:
        for r in rules:
            if covers(r, c):
                note = f"reclassified {r['severity']}: {r['reason']}"
                c = c._replace(severity=r["severity"], note=f"{c.note}; {note}" if c.note else note)
                break
        out.append(c)
    return out


def uncovered(found: list[diff.Change], notes: dict | None) -> list[tuple[int, dict]]:
    """(index, entry) of each reclassification that covers none of the changes found."""
    return [(i, r) for i, r in enumerate((notes or {}).get("reclassify", []))
            if not any(covers(r, c) for c in found)]


def _selector(c: diff.Change, among: list) -> str:
    """The options that pick c out of the changes among (--item when a component and its row share the ID)."""
    kinds = {x[2].item for x in among}
    out = [f"--item {c.item}"] if len(kinds) > 1 else []
    if c.field is not None:
        out.append(f"--field {c.field}")
    return " ".join(out) or "the whole item"


def describe(c: diff.Change) -> str:
    from osaid.changes.diff import headline

    return f"{headline(c)}, {c.severity}"


@dataclass
class Plan:
    document: str
    version: str
    tag: str  # the release the change is counted from
    change: diff.Change  # with the rules' severity
    entry: dict
    rel: str  # the notes file
    text: str  # its new, canonical content
    replaced: bool  # an entry for the same item and field was replaced


def _changes_since_release(states: States, now: dict, item_id: str, documents: tuple[str, ...]
                           ) -> tuple[list[tuple[str, str, diff.Change]], dict[str, str]]:
    """The changes of item_id since each document's last release ((document, tag, change)), and each
    document's last released version; refused (UsageError) when there is none, or in both documents."""
    from osaid.data import document

    found: list[tuple[str, str, diff.Change]] = []
    last: dict[str, str] = {}  # document -> its last released version
    known = unreleased = False
    for name in documents:
        new = now.get(name)
        releases = release_tags.released(states.root, name)
        if new is not None and new.find(item_id):
            known = True
        if not releases:
            unreleased = unreleased or (new is not None and bool(new.find(item_id)))
            continue
        last[name], tag = str(releases[-1][0]), releases[-1][1]
        old = document.build(states.repository(tag).data).get(name)
        if old is not None and old.find(item_id):
            known = True
        if old is None and new is None:
            continue
        found += [(name, tag, c) for c in diff.compare(old, new) if c.id == item_id]
    if not found:
        if not known:
            raise UsageError(f"no item {item_id!r} in the {' or the '.join(documents)}: give an ID as the YAML has it")
        if unreleased:
            raise UsageError(f"{item_id!r} has no release to compare with: a reclassification covers a change "
                             "since the last release")
        raise UsageError(f"{item_id!r} has not changed since the last release: there is no change to reclassify")
    if len({name for name, _, _ in found}) > 1:
        raise UsageError(f"{item_id!r} changed in both documents: give --document "
                         + " or ".join(sorted({name for name, _, _ in found})))
    return found, last


def plan(states: States, item_id: str, field: str | None, severity: str, reason: str,
         documents: tuple[str, ...], item: str | None = None) -> Plan:
    """The notes file with a reclassification of the one change of item_id (field; item: its kind,
    when a component and its row share the ID) since the document's last release; refused
    (UsageError) when there is none or more than one."""
    from osaid.data import document
    from osaid.repo.states import WORKTREE

    reason = " ".join(reason.split())
    if not reason:
        raise UsageError("--reason must say why (it is shown in the changelog)")
    root = states.root
    now = document.build(states.repository(WORKTREE).data)
    found, last = _changes_since_release(states, now, item_id, documents)
    chosen = [f for f in found if field in (None, f[2].field) and item in (None, f[2].item)]
    if not chosen:
        listed = "; ".join(f"{describe(c)} ({_selector(c, found)})" for _, _, c in found)
        asked = " ".join(f"{k} {v!r}" for k, v in (("item", item), ("field", field)) if v is not None)
        raise UsageError(f"{item_id!r} has no change of {asked} since {found[0][1]}; its changes: {listed}")
    if len(chosen) > 1:
        listed = "\n".join(f"  {_selector(c, chosen)}: {describe(c)}" for _, _, c in chosen)
        raise UsageError(f"{item_id!r} has {len(chosen)} changes since {found[0][1]}; say which:\n{listed}")
    name, tag, change = chosen[0]
    if name not in now:
        raise UsageError(f"the {name} is gone from the work tree: there is no version to write notes for")
    version = now[name].version
    if version is None:  # a document without a version does not validate
        raise UsageError(f"the {name} in the work tree has no version: fix it first (osaid validate)")
    if last[name] == version:
        raise UsageError(f"{name} {version} is released and frozen: bump it first (osaid bump draft --document "
                         f"{name}), then reclassify the changes of the new version")
    if change.severity == severity:
        raise UsageError(f"the change of {item_id!r} ({describe(change)}) is {severity} by the rules already: "
                         "nothing to reclassify")
    entry = {"id": change.id}
    if change.field is not None:
        entry["field"] = change.field
    entry.update({"change": excerpt(change), "sha256": fingerprint(change), "severity": severity, "reason": reason})
    rel, text, replaced = _notes_text(root, name, version, entry)
    return Plan(name, version, tag, change, entry, rel, text, replaced)


def _notes_text(root: str, name: str, version: str, entry: dict) -> tuple[str, str, bool]:
    """The notes file's path and new canonical text with entry in it (in place of one for the
    same item and field, old-style or not), and whether it replaced one. Checked before anything
    is written: the new text must be valid; an invalid file is rewritten only if that fixes it."""
    from osaid.data import fmt, load, validate

    rel = f"notes/{name}-{version}.yaml"
    path = os.path.join(root, rel)
    replace = None
    old_problems: list = []
    if os.path.exists(path):
        with open(path, "rb") as f:
            raw = f.read()
        old_problems = validate.check({rel: raw}, cross=False).problems
        text, problems = load.decode(rel, raw, None)
        data, more = load.parse(rel, text) if text is not None else (None, [])
        if text is None or problems or more or not isinstance(data, dict):
            raise _refused(rel, old_problems)
        items = data.get("reclassify")
        for i, r in enumerate(items if isinstance(items, list) else []):
            if isinstance(r, dict) and r.get("id") == entry["id"] and r.get("field") == entry.get("field"):
                replace = i
    else:
        text = f"document: {name}\nversion: '{version}'\n"
    try:
        new = fmt.canonical_text(rel, load.with_list_entry(text, "reclassify", entry, replace))
        problems = validate.check({rel: new.encode("utf-8")}, cross=False).problems
    except (ValueError, TypeError, AttributeError):  # e.g. reclassify is not a list
        if old_problems:
            raise _refused(rel, old_problems) from None
        raise
    if problems:
        if old_problems:
            raise _refused(rel, old_problems)
        raise RuntimeError(f"osaid reclassify built an invalid {rel}: {problems[0].text()}")  # ours to fix
    return rel, new, replace is not None


def _refused(rel: str, problems: list) -> OsaidError:
    shown = "\n".join(p.text() for p in problems)
    return OsaidError(f"{shown}\nosaid reclassify: nothing written: fix {rel} first")


def write(root: str, p: Plan) -> None:
    from osaid.fileio import write_atomic

    os.makedirs(os.path.join(root, "notes"), exist_ok=True)
    write_atomic(os.path.join(root, p.rel), p.text.encode("utf-8"))

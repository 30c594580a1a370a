"""Who made each change on the site's clause history pages: the commit, its Discussion:
links and its Reviewed-by: trailers (history.attribute), computed once for all the releases'
clause changes in one batch, and kept in the site's cache by release (an old release's
attribution never changes: its tags are part of the key)."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from osaid.repo.states import States
    from osaid.site.common import Context

CACHE_FILE = "made.json"


def _name(reviewer: str) -> str:
    """A Reviewed-by: trailer's name, without the e-mail address (the page shows who, not how to mail)."""
    return reviewer.split("<", 1)[0].strip() or reviewer


def made(ctx: Context, states: States, cache_dir: str | None, finger: str) -> dict[tuple[str, str], dict]:
    """{(version slug, clause ID): {commit, short, author, date, subject, discussion, reviewed_by}}
    for each clause changed by a release (the working draft's changes have no commit yet)."""
    from osaid.changes import history
    from osaid.repo import git

    cached: dict = {}
    path = os.path.join(cache_dir, CACHE_FILE) if cache_dir else None
    if path and os.path.isfile(path):
        try:
            with open(path, encoding="utf-8") as f:
                cached = json.load(f)
        except (OSError, ValueError):
            cached = {}
    if not isinstance(cached, dict) or cached.get("finger") != finger:
        cached = {"finger": finger, "releases": {}}
    releases = cached["releases"]
    commit_of = None
    events, where = [], []
    for v in ctx.definition:
        if not v.tag or v.previous is None or v.entry is None or v.key in releases:
            continue
        touched: dict[str, list] = {}
        for c in v.entry.changes:
            if c.item == "clause":
                touched.setdefault(c.after if c.kind == "renamed" else c.id, []).append(c)
        releases[v.key] = {}
        if commit_of is None:
            commit_of = {t.name: t.commit for t in git.tag_list(ctx.root)}
        for cid, found in touched.items():
            events.append(history.Event(v.tag, v.version, commit_of.get(v.tag), None, None, None, found))
            where.append((v.key, cid))
    if events:
        h = history.History("", "definition", events)
        history.attribute(states, h, commits=False)
        for (key, cid), e in zip(where, h.events, strict=True):
            if e.made is not None:
                m = e.made
                releases[key][cid] = {"commit": m.sha, "short": m.sha[:10], "author": m.author, "date": m.date[:10],
                                      "subject": m.subject, "discussion": list(m.discussions),
                                      "reviewed_by": [_name(r) for r in m.reviewers]}
    if path:
        from osaid.fileio import write_atomic

        keep = {v.key for v in ctx.definition if v.tag}
        cached["releases"] = {k: r for k, r in releases.items() if k in keep}
        os.makedirs(os.path.dirname(path), exist_ok=True)  # cache_dir
        write_atomic(path, json.dumps(cached, sort_keys=True).encode("utf-8"))
    return {(v.slug, cid): m for v in ctx.definition if v.tag for cid, m in releases.get(v.key, {}).items()}

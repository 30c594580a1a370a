"""The published site: one static build of the definition, its versions, diffs and histories.

build() returns the site as {relative path: bytes}; nothing here prints or writes
except write(). Every internal link is relative, so the site works from file://
and under any sub-path; --base-url only makes the feed's and the pages'
canonical links absolute. The same tags and work tree give the same bytes: the
only dates are the data's (or SOURCE_DATE_EPOCH's day, for a site without a release).

Incremental: the pages of a released version depend only on its tag and the tag
before it, so they are kept in a cache keyed by those tags' object ids (and this
module's and the templates' content) and reused on the next build.

PAGE_BUILDERS is the extension point for pages built elsewhere (the working
group's tally, the evaluations): each is a function (context) -> {path: bytes},
given the same context as the built-in pages, and their pages are linked from
the index under the title they register.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from osaid import package
from osaid.changes import changelog, diff
from osaid.data import document
from osaid.repo import git
from osaid.repo.states import WORKTREE, States
from osaid.site.common import (
    FREEDOMS,
    TEMPLATES,
    Context,
    Extension,
    Version,
    jinja_env,
    load_version,
    section_clauses,
)

CACHE_DIR = "osaid-site"  # under the repository's git dir: never published, never committed


PAGE_BUILDERS: list[Extension] = []  # the tally heatmap and the evaluations register here


def _fingerprint() -> str:
    """osaid's code, schemas and templates: a change to any invalidates every cached page and entry."""
    h = hashlib.sha256()
    for e in package.code_files():
        h.update(os.path.relpath(e.path, package.HERE).encode("utf-8") + b"\0")
        with open(e.path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def collect(root: str, states: States, reuse: dict | None = None) -> Context:
    """The versions of both documents (released, then the work tree's draft) and the governance."""
    ctx = Context(root, "")
    entries, _ = changelog.entries(states, reuse=reuse)
    ids = {t.name: t for t in git.tag_list(root)} if entries else {}
    work = states.repository(WORKTREE)  # invalid data files: an OsaidError that lists them
    work_docs = document.build(work.data)
    ctx.data = work.data
    for name, target in (("definition", ctx.definition), ("checklist", ctx.checklist)):
        mine = list(reversed([e for e in entries if e.document == name]))  # oldest first
        prev_key = ""
        for e in mine:  # the documents are loaded when a page needs them (_load): not for cached pages
            tag = ids.get(e.tag)
            key = hashlib.sha256(f"{prev_key}|{e.tag}|{tag.commit if tag else ''}".encode()).hexdigest()[:16]
            target.append(Version(name, e.version, e.tag, e.date, e.previous, None, e, key))
            prev_key = key
        doc = work_docs.get(name)
        if doc is not None:
            last = target[-1] if target else None
            draft = Version(name, str(doc.version), None, changelog._date(doc), last.version if last else None, doc)
            if last is not None:
                from osaid.changes import compare as core

                released_def = [v for v in ctx.definition if v.tag]
                terms = diff.defined_terms(load_version(states, released_def[-1]) if released_def else None,
                                           work_docs.get("definition"))
                found = diff.compare(load_version(states, last), doc, terms)
                found = [c for c in found if not (c.item == "metadata" and c.field in ("version", "date"))]
                draft.entry = changelog.Entry(name, draft.version, "", "", draft.date, last.version, found,
                                              core.titles_of(last.doc, doc))
            target.append(draft)
    from osaid.data import layout

    gov_files, _ = layout.read(root, [r for r in layout.discover(root) if r.startswith(("governance/", "evaluations/"))])
    more = states.repository(WORKTREE, gov_files).data
    ctx.governance = {rel: d for rel, d in more.items() if rel.startswith("governance/")}
    ctx.data = {**ctx.data, **more}  # the tally reads the policy; the evaluations page, evaluations/
    return ctx


# --- pages -------------------------------------------------------------------


def _checklist_rows(doc: document.Document | None) -> tuple[list, list]:
    if doc is None:
        return [], []
    comps = {it.id: it.fields for (kind, _), it in doc.items.items() if kind == "component"}
    rows = []
    for rid in doc.order.get("rows", []):
        it = doc.items[("row", rid)]
        rows.append({"id": rid, "name": comps.get(rid, {}).get("name", rid), "legal": it.fields["legal_framework"],
                     "req": [it.fields.get(f"requirements.{f}") for f in FREEDOMS], "note": it.fields.get("note")})
    comp_list = [{"id": cid, **comps[cid]} for cid in doc.order.get("components", []) if cid in comps]
    return rows, comp_list


def _road(ctx: Context, draft: Version | None) -> dict:
    """Endorsements of the working draft's version per stakeholder group against the thresholds."""
    from osaid.data import placeholders

    gov = ctx.governance
    policy = gov.get("governance/policy.yaml") or {}
    groups = gov.get("governance/stakeholders.yaml")
    ends = gov.get("governance/endorsements.yaml")
    version = draft.version if draft else None
    counts = _records_per_group(groups, ends, version) if groups and ends and version else []
    th = policy.get("endorsements", {})
    rc, final = th.get("rc_per_group", 0), th.get("final_per_group", 0)
    top = max([final, rc, 1] + [c.count for c in counts])
    kinds = _kinds(ends, version) if groups and ends and version else {}
    bars = [{"name": c.name, "id": c.id, "count": c.count, "y": 30 + i * 34,
             "width": round(300 * c.count / top, 1), "kinds": kinds.get(c.id, {}),
             "supported_width": round(300 * kinds.get(c.id, {}).get("supported", 0) / top, 1)}
            for i, c in enumerate(counts)]
    markers = policy.get("placeholders", ["TK", "TODO", "TBD"])
    texts = {}
    for rel in sorted(_document_files(ctx.root)):
        with open(os.path.join(ctx.root, rel), encoding="utf-8", errors="replace") as f:
            texts[rel] = f.read()
    return {"version": version, "bars": bars, "rc": rc, "final": final, "top": top,
            "rc_x": round(160 + 300 * rc / top, 1), "final_x": round(160 + 300 * final / top, 1),
            "height": 40 + 34 * len(bars), "placeholders": placeholders.find(texts, markers),
            "split": any(kinds.values()), "milestones": _milestones(ctx, gov.get("governance/schedule.yaml"))}


def _records_per_group(groups: dict, ends: dict, version: str) -> list:
    """Every record of version per stakeholder group, support and endorsements together (the chart
    splits them by kind), withdrawn ones left out."""
    from osaid.releases import rules

    counts = {g["id"]: 0 for g in groups["groups"]}
    for e in ends.get("endorsements", []):
        if e.get("version") == version and "withdrawn" not in e and e.get("group") in counts:
            counts[e["group"]] += 1
    return [rules.GroupCount(g["id"], g["name"], counts[g["id"]]) for g in groups["groups"]]


def _kinds(ends: dict, version: str) -> dict[str, dict[str, int]]:
    """{group: {"supported": n, "endorsed": n}} when the records say which kind each is (a `kind`
    field); {} when none does. Tolerant of the field's spelling: support* is a supporter."""
    out: dict[str, dict[str, int]] = {}
    recs = [e for e in ends.get("endorsements", []) if e.get("version") == version and "withdrawn" not in e]
    if not any("kind" in e for e in recs):
        return {}
    for e in recs:
        kind = "supported" if str(e.get("kind", "endorsed")).startswith("support") else "endorsed"
        group = out.setdefault(e.get("group"), {"supported": 0, "endorsed": 0})
        group[kind] += 1
    return out


def _milestones(ctx: Context, sched: dict | None) -> list:
    """The schedule's milestones, each done (its release tag's date), due or late as of today."""
    if not sched:
        return []
    from osaid.dates import today
    from osaid.releases import schedule

    pages = {v.tag: ("" if v.document == "definition" else "checklist/") + f"{v.slug}/index.html"
             for v in ctx.definition + ctx.checklist if v.tag}
    dates = {v.tag: v.date for v in ctx.definition + ctx.checklist if v.tag}
    return [{"m": m, "href": pages.get(m.tag) if m.state == "done" and m.tag else None}
            for m in schedule.milestones(sched, dates, today())]


def _document_files(root: str) -> list[str]:
    from osaid.data import layout

    return [r for r in layout.discover(root) if layout.document_of(r)]


def _history(ctx: Context, states: States) -> dict[str, list[tuple[Version, list, str | None]]]:
    """Each clause's changes, version by version (from the released diffs and the draft's),
    renames followed: the history page of an ID lists the changes under every ID it had.
    Each event: (version, its changes of the clause, the clause's anchor in that version or None)."""
    lives: dict[str, list] = {}
    aka: dict[str, str] = {}  # an old ID -> the ID it became
    for v in ctx.definition:
        if v.previous is None:  # the first release, or the working draft before any release
            for _sec, clauses in section_clauses(load_version(states, v)):
                for clause in clauses:
                    lives.setdefault(clause.id, []).append((v, [], clause.id))
            continue
        if v.entry is None:
            continue
        touched: dict[str, list] = {}
        for c in v.entry.changes:
            if c.item != "clause":
                continue
            if c.kind == "renamed":
                aka[c.before] = c.after
                touched.setdefault(c.after, []).append(c)
            else:
                touched.setdefault(c.id, []).append(c)
        for cid, found in touched.items():
            gone = all(c.kind == "removed" or (c.kind == "renamed" and c.before == cid) for c in found)
            lives.setdefault(cid, []).append((v, found, None if gone else cid))
    for old, new in aka.items():  # the page of each name shows the whole life
        seen = lives.get(old, []) + [e for e in lives.get(new, []) if e not in lives.get(old, [])]
        lives[old] = lives[new] = seen
    return lives


def _atom(ctx: Context, env: Any) -> bytes:
    released = [v for v in ctx.definition + ctx.checklist if v.tag]
    from osaid.releases.version import Version as Parsed

    released.sort(key=lambda v: (v.date or "", v.document, Parsed.parse(v.version).key()), reverse=True)
    from osaid.dates import today

    updated = released[0].date if released and released[0].date else today()
    extra = [e for x in ctx.extensions if x.feed for e in x.feed(ctx)]  # after the releases, newest first
    extra.sort(key=lambda e: e["updated"] or updated, reverse=True)
    updated = max([updated] + [e["updated"] for e in extra if e["updated"]])
    return env.get_template("feed.xml").render(ctx=ctx, releases=released, updated=updated, extra=extra,
                                               base=ctx.base_url or "").encode("utf-8")


def _schemas() -> dict[str, bytes]:
    here = package.SCHEMAS
    out = {}
    for name in sorted(os.listdir(here)):
        if name.endswith(".schema.json"):
            with open(os.path.join(here, name), "rb") as f:
                out[f"schemas/{name}"] = f.read()
    return out


def _load_entries(cache_dir: str | None) -> dict:
    """The changelog entries of the last build (this cache is ours, in the git dir), or {}."""
    import pickle

    if not cache_dir:
        return {}
    try:
        with open(os.path.join(cache_dir, "entries.pickle"), "rb") as f:
            finger, found = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return {}
    return found if finger == _fingerprint() and isinstance(found, dict) else {}


def _cache_path(root: str) -> str | None:
    if git.toplevel(root) is None:
        return None  # outside git: no cache
    try:
        return git.git_path(root, CACHE_DIR)
    except git.GitError:
        return None


def build(root: str, base_url: str = "", use_cache: bool = True) -> dict[str, bytes]:
    """The whole site: {relative path: bytes}."""
    base_url = base_url.rstrip("/") + "/" if base_url else ""
    with States(root) as states:
        return _build(root, base_url, use_cache, states)


class _Pages:
    """The files of the site as they are made: each page rendered from its template with the context."""

    def __init__(self, ctx: Context) -> None:
        self.env = jinja_env()
        self.ctx = ctx
        self.files: dict[str, bytes] = {}

    def page(self, name: str, path: str, **kw: Any) -> None:
        up = "../" * path.count("/")
        self.files[path] = self.env.get_template(name).render(ctx=self.ctx, up=up, path=path, **kw).encode("utf-8")


def _build(root: str, base_url: str, use_cache: bool, states: States) -> dict[str, bytes]:
    cache_dir = _cache_path(root) if use_cache else None
    reuse = _load_entries(cache_dir)
    ctx = collect(root, states, reuse)
    ctx.base_url = base_url
    from osaid.site import history_pages, translation_pages
    from osaid.site import pages as site_pages

    ctx.extensions = site_pages.extensions() + translation_pages.extensions(ctx, states) + list(PAGE_BUILDERS)
    finger = _fingerprint()
    out = _Pages(ctx)
    kept = _version_pages(out, states, finger, _load_pages(cache_dir))
    draft = ctx.definition[-1] if ctx.definition and ctx.definition[-1].tag is None else None
    made = history_pages.made(ctx, states, cache_dir, finger)
    for cid, life in _history(ctx, states).items():
        out.page("clause.html", f"clause/{cid}.html", cid=cid, life=life, made=made)
    out.page("road.html", "road/index.html", road=_road(ctx, draft))
    out.page("compare.html", "compare/index.html", pairs=_pairs(ctx))
    out.page("index.html", "index.html", draft=draft)
    files = out.files
    files["feed.xml"] = _atom(ctx, out.env)
    with open(os.path.join(TEMPLATES, "style.css"), "rb") as f:
        files["style.css"] = f.read()
    with open(os.path.join(TEMPLATES, "chooser.js"), "rb") as f:
        files["compare/chooser.js"] = f.read()
    files.update(_schemas())
    for ext in ctx.extensions:
        files.update(ext.build(ctx))
    if cache_dir:
        _save_cache(cache_dir, ctx, kept, reuse, finger)
    return dict(sorted(files.items()))


def _version_pages(out: _Pages, states: States, finger: str, cached: dict[str, dict[str, str]]
                   ) -> dict[str, dict[str, str]]:
    """Each version's page and its changes page, taken from the cache when its key (code, base URL, tag
    objects) is there; returns the cache entries of this build."""
    ctx = out.ctx
    kept: dict[str, dict[str, str]] = {}
    for name, versions in (("definition", ctx.definition), ("checklist", ctx.checklist)):
        for i, v in enumerate(versions):
            key = f"{finger}|{ctx.base_url}|{name}|{v.key}" if v.tag else None
            if key and key in cached:
                for path, text in cached[key].items():
                    out.files[path] = text.encode("utf-8")
                kept[key] = cached[key]
                continue
            before = set(out.files)
            prev = versions[i - 1] if i else None
            load_version(states, v)
            if name == "definition":
                out.page("version.html", f"{v.slug}/index.html", v=v, prev=prev, sections=section_clauses(v.doc))
            else:
                rows, comps = _checklist_rows(v.doc)
                out.page("checklist.html", f"checklist/{v.slug}/index.html", v=v, prev=prev, rows=rows, comps=comps)
            if prev is not None and v.entry is not None:
                out.page("changes.html", _pair_path(name, prev, v), v=v, prev=prev, e=v.entry)
            if key:
                kept[key] = {p: out.files[p].decode("utf-8") for p in set(out.files) - before}
    return kept


def _load_pages(cache_dir: str | None) -> dict[str, dict[str, str]]:
    """The cached pages of released versions (nothing when there is no cache or it cannot be read)."""
    path = os.path.join(cache_dir, "pages.json") if cache_dir else None
    if not path or not os.path.isfile(path):
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def _save_cache(cache_dir: str, ctx: Context, kept: dict, reuse: dict, finger: str) -> None:
    """The pages and the changelog entries this build used, for the next build."""
    import pickle

    from osaid.fileio import write_atomic

    os.makedirs(cache_dir, exist_ok=True)
    write_atomic(os.path.join(cache_dir, "pages.json"), json.dumps(kept, sort_keys=True).encode("utf-8"))
    used = {v.entry.tag for v in ctx.definition + ctx.checklist if v.entry is not None}
    keep = {k: e for k, e in reuse.items() if e.tag in used}
    write_atomic(os.path.join(cache_dir, "entries.pickle"), pickle.dumps((finger, keep)))


def _pair_path(name: str, old: Version, new: Version) -> str:
    prefix = "compare/" if name == "definition" else "compare/checklist-"
    return f"{prefix}{old.slug}..{new.slug}.html"


def _pairs(ctx: Context) -> list[dict]:
    out = []
    for name, versions in (("definition", ctx.definition), ("checklist", ctx.checklist)):
        for a, b in zip(versions, versions[1:], strict=False):
            out.append({"document": name, "old": a, "new": b, "path": _pair_path(name, a, b),
                        "summary": diff.summary(b.entry.changes) if b.entry else {}})
    return out


def stale(out_dir: str, files: dict[str, bytes]) -> list[str]:
    """The paths of out_dir that differ from files: changed, missing, or left over."""
    out = []
    have = set()
    for folder, _, names in os.walk(out_dir):
        for n in names:
            have.add(os.path.relpath(os.path.join(folder, n), out_dir).replace(os.sep, "/"))
    for path, data in files.items():
        try:
            with open(os.path.join(out_dir, path), "rb") as f:
                if f.read() != data:
                    out.append(path)
        except OSError:
            out.append(path)
    out += sorted(have - set(files))
    return sorted(out)


GENERATOR = b'<meta name="generator" content="osaid site">'


def _is_site(out_dir: str) -> bool:
    try:
        with open(os.path.join(out_dir, "index.html"), "rb") as f:
            return GENERATOR in f.read(2048)
    except OSError:
        return False


def write(out_dir: str, files: dict[str, bytes]) -> tuple[int, list[str]]:
    """Write the files that differ (atomically, each) and remove the ones left over.
    Returns (files written, files removed)."""
    from osaid.errors import UsageError
    from osaid.fileio import write_atomic

    if os.path.isdir(out_dir) and os.listdir(out_dir) and not _is_site(out_dir):
        raise UsageError(f"{out_dir} is not empty and holds no site built by osaid site (its index.html "
                         "says so): give a new or empty folder, so that nothing else in it is overwritten "
                         "or removed")
    changed = stale(out_dir, files) if os.path.isdir(out_dir) else sorted(files)
    removed = [p for p in changed if p not in files]
    written = 0
    for path in changed:
        full = os.path.join(out_dir, path)
        if path in files:
            os.makedirs(os.path.dirname(full), exist_ok=True)
            write_atomic(full, files[path])
            written += 1
        else:
            os.unlink(full)
    return written, removed

"""osaid verify: the release history is what the rules say it must be.

Tags are annotated, named by the scheme, and on a commit that carries their
version (GOV-12); no version is skipped (GOV-13); CHANGELOG.md matches the
tags (GOV-9); retired IDs are not reused for other content (GOV-14); a
released version is frozen (GOV-10); the working version follows the last
release (GOV-11). On a range of commits (pre-push, CI, release): each change
of meaning says where it was discussed (GOV-17) and is reviewed (GOV-18).
"""

from __future__ import annotations

from typing import Any, Iterable

from osaid.changes import changelog, compare, diff, words
from osaid.data import document, layout, load
from osaid.data.layout import VERSION_FILES
from osaid.data.validate import CheckedFiles
from osaid.errors import OsaidError, Problem, UsageError
from osaid.releases import reviews
from osaid.releases.version import (
    Version,
    VersionError,
    check_transition,
    tag_document,
    tag_name,
)
from osaid.repo import git, release_tags
from osaid.repo.states import WORKTREE, States, describe


def check(states: States, writer: changelog.Writer, span: str | None = None, revs: list[str] | None = None,
        today: str | None = None) -> list[Problem]:
    """Every check; span (A..B) or revs (rev-list arguments) limit the tag checks to
    those commits and add the review rules (GOV-17, GOV-18) for them."""
    from osaid.dates import today as today_

    root = states.root
    if git.toplevel(root) is None:
        raise UsageError("osaid verify checks git tags and history, and this is not a git repository")
    problems: list[Problem] = []
    hint = git.missing_tags_hint(root, no_tags_counts=False)
    if hint:  # what is not here cannot be verified: say so rather than pass
        problems.append(Problem(".git", 0, 0, "GOV-12", f"the release history cannot be verified here: {hint}"))
    in_range = None
    if span:
        if ".." not in span:
            raise UsageError(f"{span!r} is not a range: write A..B")
        a, b = span.split("..", 1)  # a bare version is the definition's tag (0.0.7..0.0.8)
        revs = [f"{compare.ref_for(root, a, 'definition') if a else ''}..{compare.ref_for(root, b, 'definition') if b else ''}"]
    if revs:
        try:
            in_range = git.rev_list(root, revs)
        except git.GitError as e:
            raise UsageError(f"cannot read the range {' '.join(revs)}: {e}") from None
        problems.extend(reviews.review_rules(states, revs))
    problems.extend(review_due(states, today or today_()))
    problems.extend(release_tags_valid(states, in_range))
    problems.extend(releases_in_order(root))
    problems.extend(versions_in_order(states, WORKTREE, retired=True))
    problems.extend(changelog_current(states, writer))
    return sorted(problems)


def release_tags_valid(states: States, in_range: set[str] | None = None) -> list[Problem]:
    """GOV-12: every release tag (in the range, when one is given) is named by the scheme, marks a
    commit, is annotated, and sits on a commit that carries its version."""
    problems = []
    for t in states.tags():
        named = tag_document(t.name)
        if named is None or (in_range is not None and t.commit not in in_range):
            continue
        doc, version = named
        where = f"refs/tags/{t.name}"
        try:
            Version.parse(version)
        except VersionError:
            problems.append(Problem(where, 0, 0, "GOV-12", f"tag {t.name} is not named by the scheme "
                                    f"(v<version> or checklist-v<version>, e.g. v1.0-RC1): rename or delete it"))
            continue
        if t.target != "commit":
            problems.append(Problem(where, 0, 0, "GOV-12", f"tag {t.name} marks a {t.target}, not a commit: a release "
                                    f"tag marks the commit of its release; delete it (git tag -d {t.name}) and tag "
                                    "that commit (osaid release does)"))
            continue
        if not t.annotated:
            problems.append(Problem(where, 0, 0, "GOV-12", f"tag {t.name} is not annotated: a release tag records "
                                    f"who released what and when; recreate it with git tag -a (osaid release does)"))
        carried = _carried_version(states, t.commit, VERSION_FILES[doc])
        if carried != version:
            problems.append(Problem(where, 0, 0, "GOV-12", f"tag {t.name} points at commit {t.commit[:10]}, whose "
                                    f"{doc} version is {carried or 'missing'}: a tag belongs on the commit that "
                                    f"carries its version, and never moves"))
    return problems


def releases_in_order(root: str) -> list[Problem]:
    """GOV-13: the releases of each document form a chain of transitions."""
    problems = []
    for doc in VERSION_FILES:
        releases = release_tags.released(root, doc)
        for (a, _), (b, tag_b) in zip(releases, releases[1:], strict=False):
            message = check_transition(a, b)
            if message:
                problems.append(Problem(f"refs/tags/{tag_b}", 0, 0, "GOV-13", f"{doc}: {message} "
                                        f"(a version was skipped or released out of order)"))
    return problems


def changelog_current(states: States, writer: changelog.Writer) -> list[Problem]:
    """GOV-9: CHANGELOG.md is what the tags give (and the notes of each release name IDs it has)."""
    entries, note_problems = changelog.entries(states)
    problems = list(note_problems)
    try:
        existing, wanted = writer.regenerate(states.root, entries)
    except OsaidError:
        existing, wanted = None, b""  # not UTF-8: not what the tags give either
    if existing is None or wanted != existing:
        problems.append(changelog.stale())
    return problems


def _carried_version(states: States, commit: str, rel: str) -> str | None:
    """The version a document's file carries at a commit (read through the one cat-file
    process; remembered by commit in the result cache)."""
    key = ("carried", commit, rel)
    hit = states.results.get(key)
    if hit is not None:
        return hit[0]
    raw = states.file_at(commit, rel)
    carried = None
    if raw is not None:
        data, _ = load.parse(rel, raw.decode("utf-8", "replace"), agree=False)  # committed: libyaml's reading
        carried = data.get("version") if isinstance(data, dict) else None
    states.results.put(key, (carried if isinstance(carried, str) else None,))
    return carried


def _governance(states: States) -> dict:
    """The governance files of the work tree, checked (the rules in force)."""
    from osaid.data import validate

    rels = [r for r in layout.discover(states.root) if r.startswith("governance/")]
    files, _ = layout.read(states.root, rels)
    return validate.check(files, cross=False, cache=states.memo).data


def review_due(states: States, today: str) -> list[Problem]:
    """GOV-19: a final version is reviewed within the policy's interval."""
    from datetime import date, timedelta

    gov = _governance(states)
    policy = gov.get("governance/policy.yaml")
    if not policy:
        return []
    interval = policy["review"]["interval_days"]
    recorded = (gov.get("governance/reviews.yaml") or {}).get("reviews", [])
    problems = []
    for doc in VERSION_FILES:
        finals = [(v, t) for v, t in release_tags.released(states.root, doc) if v.stage == "final"]
        if not finals:
            continue
        version, tag = finals[-1]
        d = states.documents(tag).get(doc)
        meta = d.items.get(("metadata", doc)) if d else None
        if meta is None:
            continue
        released_on = meta.fields.get("date")  # osaid release writes it; a tag made by hand may lack it
        if not released_on:
            released_on = next((t.date for t in states.tags() if t.name == tag), None)
        known = [d for d in [released_on] if d] + [r["date"] for r in recorded if r["document"] == doc]
        if not known:
            continue
        last = max(known)
        due = date.fromisoformat(last) + timedelta(days=interval)
        if date.fromisoformat(today) > due:
            problems.append(Problem("governance/reviews.yaml", 0, 0, "GOV-19",
                                    f"{doc} {version} was last released or reviewed on {last}, more than {interval} "
                                    f"days ago (policy: review.interval_days): review it, and record the review "
                                    "(document, version, date, outcome, url) in governance/reviews.yaml"))
    return problems


def versions_in_order(states: States, state: str = WORKTREE, retired: bool = False) -> list[Problem]:
    """GOV-10 and GOV-11 (and GOV-14 with retired) for one state of the repository:
    a released version is frozen, a new one follows the last release.
    A reusable check: the pre-commit hook runs it on the index."""
    root = states.root
    problems: list[Problem] = []
    files = states.files(state)
    work = states.repository(state, files)
    docs_now = document.build(work.data)
    for doc, rel in VERSION_FILES.items():
        now = docs_now.get(doc)
        if now is None or now.version is None:  # no version file (osaid validate says so): nothing to order
            continue
        releases = release_tags.released(root, doc)
        tag = tag_name(doc, now.version)

        def at_version(rule: str, message: str, text: str = work.texts[rel], rel: str = rel) -> Problem:
            # located only when reported: the round-trip loader is slow for a hook
            line, col = load.locate(text, [(("version",), False)])[0]
            return Problem(rel, line, col, rule, message)

        if any(t == tag for _, t in releases):
            as_released = _as_released(states, files, tag, doc)
            found = [] if as_released else diff.compare(states.documents(tag).get(doc), now)
            if found:
                problems.append(at_version("GOV-10", f"{doc} {now.version} is released (tag {tag}), "
                                        f"but {len(found)} change{'s' * (len(found) != 1)} since (osaid diff {tag}): "
                                        f"run osaid bump --document {doc} auto before editing a released version"))
        elif releases:
            message = check_transition(releases[-1][0], Version.parse(now.version))
            if message:
                problems.append(at_version("GOV-11", f"{doc}: {message} (osaid bump sets it)"))
        if retired:  # verify: the walk over the releases also computes their changelog entries
            problems.extend(retired_reuse(states, doc, releases, now, rel, work, describe(state), with_entries=True))
    return problems


def _as_released(states: States, files: dict[str, bytes | None], tag: str, doc: str) -> bool:
    """Whether a state's files of a document are byte for byte those of its release (the same git
    blob IDs, hashed here): then nothing changed, and the two need not be read and compared."""
    import hashlib

    prefix = doc + "/"
    released = {rel: blob for rel, blob in states.listing(tag).items()
                if rel.startswith(prefix) and rel.endswith((".yaml", ".yml"))}
    mine = {rel: raw for rel, raw in files.items() if rel.startswith(prefix)}
    if set(mine) != set(released):
        return False
    return all(raw is not None and hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest() == released[rel]
               for rel, raw in mine.items())


def retired_reuse(states: States, doc: str, releases: list, now: document.Document, rel: str,
                  repo: CheckedFiles | None = None,
                  label: str = "the work tree", with_entries: bool = False) -> list[Problem]:
    """GOV-14: an ID that a release had and a later one lacked is not reused for other content;
    an ID renamed away (renamed_from) is not used again at all. now is the document in repo (a
    state the problems are located in: the file and line holding the reused ID, else rel),
    which is what label names (the work tree, the index).
    with_entries: also compute (into states.results) each release's changelog entry while its
    document and its predecessor's are built, so that verify builds each release once."""
    problems, retired, renamed = _retirements(states, doc, releases, with_entries)
    for key, it in now.items.items():
        if key in retired:
            had, gone, old = retired[key]
            if key in renamed or words.similarity(old, diff.content_of(it)) < diff.RENAME_MIN:
                at = (rel, 0, 0) if repo is None else position_of(repo, doc, it, rel)
                problems.append(_reused(it, had, gone, label, at, renamed.get(key)))
    return problems


def _reused(it: document.Item, had: str, gone: str, state_label: str, at: tuple[str, int, int],
            renamed_to: str | None = None
            ) -> Problem:
    if renamed_to is not None:
        return Problem(*at, "GOV-14", f"{it.item} ID {it.id!r} was renamed to {renamed_to!r} in {gone} "
                       f"(renamed_from), and {state_label} uses it again: an old name stays retired; choose a new ID")
    return Problem(*at, "GOV-14", f"{it.item} ID {it.id!r} was retired in {gone} (it was in {had}), and "
                   f"{state_label} reuses it for other content: choose a new ID")


def _retirements(states: States, doc: str, releases: list, with_entries: bool = False
                 ) -> tuple[list[Problem], dict, dict]:
    """GOV-14 among the releases themselves, the IDs retired after the last one
    ({(item, id): (had in, gone in, its last content)}) and those renamed away
    ({(item, id): the ID a release declared it renamed to}). Depends only on the release
    tags' commits: kept in the result cache under them."""
    commits = {t.name: t.commit for t in states.tags()}
    key = ("retired", doc, tuple((tag, commits.get(tag, "")) for _, tag in releases))
    cacheable = all(c for _, c in key[2])
    hit = states.results.get(key) if cacheable else None
    if hit is not None:
        try:
            found, stored_retired, stored_renamed = hit
            return ([Problem(*p) for p in found], {tuple(k): tuple(v) for k, v in stored_retired},
                    {tuple(k): v for k, v in stored_renamed})
        except (TypeError, ValueError):
            pass
    seen_in: dict[tuple[str, str], str] = {}  # key -> the last release that had it ...
    seen_as: dict[tuple[str, str], document.Item] = {}  # ... and the item it was there
    retired: dict[tuple[str, str], tuple[str, str, str]] = {}  # key -> (had in, gone in, last content)
    renamed: dict[tuple[str, str], str] = {}  # old key -> the ID a release declared it renamed to
    problems: list[Problem] = []
    prev: tuple[str | None, str | None] = (None, None)
    for version, tag in releases:
        d = states.documents(tag).get(doc)
        if with_entries:
            changelog.entry_of(states, doc, str(version), tag, *prev, commits)
        prev = (str(version), tag)
        if d is None:
            continue
        items = d.items  # (the set operations below run in C: a release walk stays cheap at any size)
        back = retired.keys() & items.keys()
        for k in [k for k in items if k in back] if back else ():  # in the document's order
            had, gone, old = retired.pop(k)
            it = items[k]
            if k in renamed or words.similarity(old, diff.content_of(it)) < diff.RENAME_MIN:
                problems.append(_reused(it, had, gone, f"{doc} {version}", (f"refs/tags/{tag}", 0, 0),
                                        renamed.get(k)))
        for k in seen_as.keys() - items.keys():
            if k not in retired:
                retired[k] = (seen_in[k], str(version), diff.content_of(seen_as[k]))
        for k, (_, new_id) in d.declared_pairs().items():
            if k in retired:
                renamed.setdefault(k, new_id)
        seen_as.update(items)
        seen_in.update(dict.fromkeys(items, str(version)))
    if cacheable:
        states.results.put(key, ([tuple(p) for p in problems], [(k, v) for k, v in retired.items()],
                                 [(k, v) for k, v in renamed.items()]))
    return problems, retired, renamed


def position_of(repo: CheckedFiles, doc: str, it: document.Item, fallback: str) -> tuple[str, int, int]:
    """(file, line, col) of the ID of an item in a checked state: the
    first mapping in the document's files whose id (a row's: component) is the item's;
    (fallback, 0, 0) when none is (a vote or member, whose ID is made of two)."""
    key = "component" if it.item == "row" else "id"
    for rel in sorted(repo.data):
        if rel.startswith(f"{doc}/") and rel in repo.texts:
            jp = _path_to(repo.data[rel], key, it.id, ())
            if jp is not None:
                line, col = load.locate(repo.texts[rel], [(jp + (key,), False)])[0]
                return rel, line, col
    return fallback, 0, 0


def _path_to(node: Any, key: str, value: str, jp: tuple) -> tuple | None:
    children: Iterable[tuple[Any, Any]]
    if isinstance(node, dict):
        if node.get(key) == value:
            return jp
        children = node.items()
    elif isinstance(node, list):
        children = enumerate(node)
    else:
        return None
    for k, child in children:
        found = _path_to(child, key, value, jp + (k,))
        if found is not None:
            return found
    return None

"""osaid verify: the release history is what the rules say it must be.

Tags are annotated, named by the scheme, and on a commit that carries their
version (GOV-12); no version is skipped (GOV-13); CHANGELOG.md matches the
tags (GOV-9); retired IDs are not reused for other content (GOV-14); a
released version is frozen (GOV-10); the working version follows the last
release (GOV-11).
"""

from __future__ import annotations

import os

from osaid import changelog, changes, diff, document, git, load, words
from osaid.bump import VERSION_FILES
from osaid.errors import Problem, UsageError
from osaid.states import WORKTREE, States
from osaid.version import Version, VersionError, check_transition


def run(states: States, span: str | None = None) -> list[Problem]:
    root = states.root
    if git.toplevel(root) is None:
        raise UsageError("osaid verify checks git tags and history, and this is not a git repository")
    problems: list[Problem] = []
    tags = git.tag_list(root)
    in_range = None
    if span:
        if ".." not in span:
            raise UsageError(f"{span!r} is not a range: write A..B")
        try:
            in_range = set(git.run(root, "rev-list", span).split())
        except git.GitUnavailable as e:
            raise UsageError(f"cannot read the range {span}: {e}") from None

    # GOV-12: every release tag
    for t in tags:
        doc = "checklist" if t.name.startswith("checklist-v") else "definition" if t.name.startswith("v") else None
        if doc is None or (in_range is not None and t.commit not in in_range):
            continue
        where = f"refs/tags/{t.name}"
        version = t.name[len(git.TAG_PREFIX[doc]):]
        try:
            Version.parse(version)
        except VersionError:
            problems.append(Problem(where, 0, 0, "GOV-12", f"tag {t.name} is not named by the scheme "
                                    f"(v<version> or checklist-v<version>, e.g. v1.0-RC1): rename or delete it"))
            continue
        if not t.annotated:
            problems.append(Problem(where, 0, 0, "GOV-12", f"tag {t.name} is not annotated: a release tag records "
                                    f"who released what and when; recreate it with git tag -a (osaid release does)"))
        raw = git.file_at(root, t.commit, VERSION_FILES[doc])
        carried = None
        if raw is not None:
            data, _ = load.parse(VERSION_FILES[doc], raw.decode("utf-8", "replace"))
            carried = data.get("version") if isinstance(data, dict) else None
        if carried != version:
            problems.append(Problem(where, 0, 0, "GOV-12", f"tag {t.name} points at commit {t.commit[:10]}, whose "
                                    f"{doc} version is {carried or 'missing'}: a tag belongs on the commit that "
                                    f"carries its version, and never moves"))

    # GOV-13: the releases of each document form a chain of transitions
    for doc in VERSION_FILES:
        releases = changes.released(root, doc)
        for (a, _), (b, tag_b) in zip(releases, releases[1:]):
            message = check_transition(a, b)
            if message:
                problems.append(Problem(f"refs/tags/{tag_b}", 0, 0, "GOV-13", f"{doc}: {message} "
                                        f"(a version was skipped or released out of order)"))

    problems.extend(versions_in_order(states, WORKTREE, retired=True))

    # GOV-9: the changelog is what the tags give
    entries, note_problems = changelog.entries(states)
    problems.extend(note_problems)
    path = os.path.join(root, changelog.FILE)
    try:
        with open(path, "rb") as f:
            existing = f.read()
    except FileNotFoundError:
        existing = None
    want = changelog.render_file(existing.decode("utf-8", "replace") if existing else None, entries)
    if existing is None or want.encode("utf-8") != existing:
        problems.append(changelog.stale())
    return sorted(problems)


def versions_in_order(states: States, state: str = WORKTREE, retired: bool = False) -> list[Problem]:
    """GOV-10 and GOV-11 (and GOV-14 with retired) for one state of the repository:
    a released version is frozen, a new one follows the last release.
    A reusable check: the pre-commit hook runs it on the index."""
    root = states.root
    problems: list[Problem] = []
    work = states.repository(state)
    docs_now = document.build(work.data)
    for doc, rel in VERSION_FILES.items():
        now = docs_now.get(doc)
        if now is None:
            continue
        releases = changes.released(root, doc)
        tag = git.tag_name(doc, now.version)
        line, col = load.locate(work.texts[rel], [(("version",), False)])[0]
        if any(t == tag for _, t in releases):
            then = document.build(states.repository(tag).data).get(doc)
            found = diff.compare(then, now)
            if found:
                problems.append(Problem(rel, line, col, "GOV-10", f"{doc} {now.version} is released (tag {tag}), "
                                        f"but {len(found)} change{'s' * (len(found) != 1)} since (osaid diff {tag}): "
                                        f"run osaid bump --document {doc} auto before editing a released version"))
        elif releases:
            message = check_transition(releases[-1][0], Version.parse(now.version))
            if message:
                problems.append(Problem(rel, line, col, "GOV-11", f"{doc}: {message} (osaid bump sets it)"))
        if retired:
            problems.extend(_retired(states, doc, releases, now, rel))
    return problems


def _retired(states: States, doc: str, releases: list, now: document.Document, rel: str) -> list[Problem]:
    """GOV-14: an ID that a release had and a later one lacked is not reused for other content."""
    last_seen: dict[tuple[str, str], tuple[str, document.Item]] = {}
    retired: dict[tuple[str, str], tuple[str, str, document.Item]] = {}  # key -> (had in, gone in, last item)
    problems = []

    def check(state_label: str, d: document.Document, where: str) -> None:
        for key, it in d.items.items():
            if key in retired:
                had, gone, old = retired[key]
                sim = words.similarity(diff._content(old), diff._content(it))
                if sim < diff.RENAME_MIN:
                    problems.append(Problem(where, 0, 0, "GOV-14", f"{it.item} ID {it.id!r} was retired in {gone} "
                                            f"(it was in {had}), and {state_label} reuses it for other content: "
                                            f"choose a new ID"))
                del retired[key]

    for version, tag in releases:
        d = document.build(states.repository(tag).data).get(doc)
        if d is None:
            continue
        check(f"{doc} {version}", d, f"refs/tags/{tag}")
        for key in list(last_seen):
            if key not in d.items and key not in retired:
                retired[key] = (last_seen[key][0], str(version), last_seen[key][1])
        for key, it in d.items.items():
            last_seen[key] = (str(version), it)
    check("the work tree", now, rel)
    return problems

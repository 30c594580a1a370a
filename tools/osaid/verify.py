"""osaid verify: the release history is what the rules say it must be.

Tags are annotated, named by the scheme, and on a commit that carries their
version (GOV-12); no version is skipped (GOV-13); CHANGELOG.md matches the
tags (GOV-9); retired IDs are not reused for other content (GOV-14); a
released version is frozen (GOV-10); the working version follows the last
release (GOV-11).
"""

from __future__ import annotations

import re

from osaid import changelog, changes, diff, document, git, load, words
from osaid.layout import VERSION_FILES
from osaid.errors import OsaidError, Problem, UsageError
from osaid.states import WORKTREE, States
from osaid.version import Version, VersionError, check_transition


def run(states: States, span: str | None = None, revs: list[str] | None = None,
        today: str | None = None) -> list[Problem]:
    """Every check; span (A..B) or revs (rev-list arguments) limit the tag checks to
    those commits and add the review rule (GOV-18) for them."""
    from osaid.dates import today as today_

    root = states.root
    if git.toplevel(root) is None:
        raise UsageError("osaid verify checks git tags and history, and this is not a git repository")
    problems: list[Problem] = []
    hint = git.missing_tags_hint(root, no_tags_counts=False)
    if hint:  # what is not here cannot be verified: say so rather than pass
        problems.append(Problem(".git", 0, 0, "GOV-12", f"the release history cannot be verified here: {hint}"))
    tags = git.tag_list(root)
    in_range = None
    if span:
        if ".." not in span:
            raise UsageError(f"{span!r} is not a range: write A..B")
        revs = [span]
    if revs:
        try:
            in_range = git.rev_list(root, revs)
        except git.GitUnavailable as e:
            raise UsageError(f"cannot read the range {' '.join(revs)}: {e}") from None
        problems.extend(reviews(states, revs))
    problems.extend(review_due(states, today or today_()))

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
        if t.target != "commit":
            problems.append(Problem(where, 0, 0, "GOV-12", f"tag {t.name} marks a {t.target}, not a commit: a release "
                                    f"tag marks the commit of its release; delete it (git tag -d {t.name}) and tag "
                                    "that commit (osaid release does)"))
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
    try:
        existing, wanted = changelog.regenerate(root, entries)
    except OsaidError:
        existing, wanted = None, b""  # not UTF-8: not what the tags give either
    if existing is None or wanted != existing:
        problems.append(changelog.stale())
    return sorted(problems)


def _governance(states: States) -> dict:
    """The governance files of the work tree, checked (the rules in force)."""
    from osaid import layout, validate

    rels = [r for r in layout.discover(states.root) if r.startswith("governance/")]
    files, _ = layout.read(states.root, rels)
    return validate.check(files, cross=False).data


def _identity(text: str) -> tuple[str, str]:
    """(name, email) from 'Name <email>' (either may be empty), lower case."""
    m = re.match(r"\s*(.*?)\s*<([^>]*)>\s*$", text)
    if m:
        return m.group(1).strip().lower(), m.group(2).strip().lower()
    return text.strip().lower(), ""


def reviews(states: States, revs: list[str]) -> list[Problem]:
    """GOV-18: each commit on the first-parent line with changes of meaning carries
    Reviewed-by trailers from enough maintainers other than its author. A merge is
    judged by what it brings in (its changes against its first parent)."""
    root = states.root
    gov = _governance(states)
    policy = gov.get("governance/policy.yaml")
    maint = gov.get("governance/maintainers.yaml")
    if not policy or not maint:
        return []
    needed = policy["review"]["reviewers_per_change"]
    people = [(m["name"].lower(), m.get("email", "").lower()) for m in maint["maintainers"]]
    problems = []
    for sha, parent, author, email, subject, reviewers in git.first_parent_log(root, revs):
        if parent is None:
            continue  # the first commit of the history: nothing to compare with
        diffs = changes.between(states, parent, sha, document.DOCUMENTS)
        serious = [c for d in diffs for c in d.changes if c.severity != "editorial"]
        serious += changes.reclassification_changes(states, parent, sha, diffs)
        if not serious:
            continue
        author_id = (author.lower(), email.lower())
        approved = set()
        for value in reviewers:
            name, mail = _identity(value)
            for i, (m_name, m_mail) in enumerate(people):
                is_them = (mail and m_mail and mail == m_mail) or (not (mail and m_mail) and name == m_name)
                is_author = (m_mail and m_mail == author_id[1]) or m_name == author_id[0]
                if is_them and not is_author:
                    approved.add(i)
        if len(approved) < needed:
            problems.append(Problem(sha[:10], 0, 0, "GOV-18",
                                    f"commit {sha[:10]} ({subject}) makes {len(serious)} change"
                                    f"{'s' * (len(serious) != 1)} of meaning but is reviewed by {len(approved)} "
                                    f"maintainer{'s' * (len(approved) != 1)} other than its author, of {needed} "
                                    "needed: a maintainer listed in governance/maintainers.yaml adds "
                                    "'Reviewed-by: Name <email>' to the commit message (git commit --amend "
                                    "--trailer ...) before it is pushed"))
    return problems


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
        finals = [(v, t) for v, t in changes.released(states.root, doc) if v.stage == "final"]
        if not finals:
            continue
        version, tag = finals[-1]
        d = document.build(states.repository(tag).data).get(doc)
        meta = d.items.get(("metadata", doc)) if d else None
        if meta is None:
            continue
        last = max([meta.fields["date"]] + [r["date"] for r in recorded if r["document"] == doc])
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
    work = states.repository(state)
    docs_now = document.build(work.data)
    for doc, rel in VERSION_FILES.items():
        now = docs_now.get(doc)
        if now is None or now.version is None:  # no version file (osaid validate says so): nothing to order
            continue
        releases = changes.released(root, doc)
        tag = git.tag_name(doc, now.version)

        def at_version(rule: str, message: str, text: str = work.texts[rel], rel: str = rel) -> Problem:
            # located only when reported: the round-trip loader is slow for a hook
            line, col = load.locate(text, [(("version",), False)])[0]
            return Problem(rel, line, col, rule, message)

        if any(t == tag for _, t in releases):
            then = document.build(states.repository(tag).data).get(doc)
            found = diff.compare(then, now)
            if found:
                problems.append(at_version("GOV-10", f"{doc} {now.version} is released (tag {tag}), "
                                        f"but {len(found)} change{'s' * (len(found) != 1)} since (osaid diff {tag}): "
                                        f"run osaid bump --document {doc} auto before editing a released version"))
        elif releases:
            message = check_transition(releases[-1][0], Version.parse(now.version))
            if message:
                problems.append(at_version("GOV-11", f"{doc}: {message} (osaid bump sets it)"))
        if retired:
            problems.extend(retired_reuse(states, doc, releases, now, rel))
    return problems


def retired_reuse(states: States, doc: str, releases: list, now: document.Document, rel: str) -> list[Problem]:
    """GOV-14: an ID that a release had and a later one lacked is not reused for other content."""
    last_seen: dict[tuple[str, str], tuple[str, document.Item]] = {}
    retired: dict[tuple[str, str], tuple[str, str, document.Item]] = {}  # key -> (had in, gone in, last item)
    problems = []

    def check(state_label: str, d: document.Document, where: str) -> None:
        for key, it in d.items.items():
            if key in retired:
                had, gone, old = retired[key]
                sim = words.similarity(diff.content_of(old), diff.content_of(it))
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

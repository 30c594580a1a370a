"""The review rules on commits that exist (pre-push, CI, release): each change of meaning says
where it was discussed (GOV-17) and is reviewed by enough maintainers other than its author
(GOV-18); the append-only records stay as they were (records.py). The commit-msg hook words its
message with the same functions (discussion_missing, changes_text)."""

from __future__ import annotations

import re
import weakref

from osaid.changes import compare, diff, governance
from osaid.changes.diff import headline
from osaid.data import layout
from osaid.errors import Problem
from osaid.releases import records
from osaid.repo import git
from osaid.repo.states import WORKTREE, States

TRAILER_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")  # GOV-17: the value of a Discussion: trailer


def change_list(found: list, limit: int = 5) -> str:
    """'normative: modified clause study (text); ...' for the first changes, and how many more."""
    shown = "; ".join(f"{c.severity}: {headline(c)}" for c in found[:limit])
    return shown + (f" and {len(found) - limit} more" if len(found) > limit else "")


def changes_text(found: list) -> str:
    """'2 changes of meaning (normative: ...; substantive: ...)'."""
    return f"{len(found)} change{'s' * (len(found) != 1)} of meaning ({change_list(found)})"


def discussion_missing(urls: list[str]) -> str | None:
    """GOV-17 on the values of a commit's Discussion: trailers: None when one is an
    http(s) URL, else what is wrong ('' when there is none)."""
    if any(TRAILER_URL.match(u) for u in urls):
        return None
    return f" ({', '.join(repr(u) for u in urls)} is not an http(s) URL)" if urls else ""


def reviews(states: States, revs: list[str]) -> list[Problem]:
    """GOV-18: each commit on the first-parent line with changes of meaning (the documents,
    the governance, the reclassifications) carries Reviewed-by trailers from enough maintainers
    other than its author. Who counts, and how many are needed, is what the commit's parent
    says (governance.in_force): nobody approves their own appointment, and a commit that
    lowers policy.review.reviewers_per_change is judged by the number before it. A merge is
    judged by what it brings in (its changes against its first parent)."""
    root = states.root
    fallback = None
    problems = []
    dates = None
    for sha, parent, author, email, subject, reviewers in git.first_parent_log(root, revs):
        if parent is None:
            continue  # the first commit of the history: nothing to compare with
        serious = meaning(states, parent, sha)
        if not serious:
            continue
        rules_then = governance.in_force(states, parent)
        if rules_then is None:  # no maintainers or policy yet before this commit: those of the work tree
            fallback = fallback or governance.in_force(states, WORKTREE)
            rules_then = fallback
        maintainers, needed, signed = rules_then or ([], 1, False)  # no maintainers anywhere: nobody can approve
        if signed:
            from osaid.releases import signatures

            approved = signatures.approvals(root, maintainers, [(sha, author, email)])[sha]
        else:
            approved = governance.approvals(maintainers, (author, email), reviewers)
        if len(approved) < needed:
            own = any(c.document == governance.NAME and c.item == "maintainer" for c in serious)
            how = ("signs the commit (git commit -S, when committing someone else's work), a merge that brings "
                   f"it in (git merge -S), or a review tag on it (git tag -s review/{sha[:10]} {sha[:10]}) with a "
                   "key listed under signing_keys in governance/maintainers.yaml (policy review.signed is true: "
                   "a Reviewed-by trailer alone does not count)" if signed else
                   "adds 'Reviewed-by: Name <email>' to the commit message (git commit --amend --trailer ...) "
                   "before it is pushed")
            dates = dates if dates is not None else git.author_dates(root, revs)  # one git log, if any fails
            date = dates.get(sha, "")
            problems.append(Problem(sha[:10], 0, 0, "GOV-18",
                                    f"commit {sha[:10]} ({date}, {subject}) makes {len(serious)} change"
                                    f"{'s' * (len(serious) != 1)} of meaning but is reviewed by {len(approved)} "
                                    f"maintainer{'s' * (len(approved) != 1)} other than its author"
                                    f"{' with a verified signature' * signed}, of {needed} needed"
                                    + (" (it changes the maintainers: only those listed before it count, so "
                                       "nobody approves their own appointment)" if own else "")
                                    + f": a maintainer listed in governance/maintainers.yaml {how}"))
    return problems


def meaning(states: States, parent: str, sha: str) -> list[diff.Change]:
    """The substantive and normative changes a commit makes against its parent (the
    governance and the maintainers' reclassifications included); computed once per run."""
    memo = _MEANING.setdefault(states, {})
    if (parent, sha) not in memo:
        memo[(parent, sha)] = compare.of_meaning(states, parent, sha)
    return memo[(parent, sha)]


_MEANING: "weakref.WeakKeyDictionary[States, dict]" = weakref.WeakKeyDictionary()


def discussions(states: States, revs: list[str]) -> list[Problem]:
    """GOV-17, on commits that exist (what the commit-msg hook checks before a commit
    exists, and cannot check on an amend, a rebase or a commit made without hooks):
    each commit of revs, on every line of history, that changes meaning carries a
    Discussion: trailer with an http(s) URL. A merge is left to the commits it brings
    in (each checked here itself), except for the changes of its own (merge_own); the first
    commit of a history has nothing before it."""
    problems = []
    for sha, parents, date, subject, urls in states.trailer_log(revs, "Discussion"):
        bad = discussion_missing(urls)
        if len(parents) > 1 and bad is not None:
            own = merge_own(states, parents, sha)
            if own:
                n, what = changes_text(own).split(" (", 1)
                problems.append(Problem(sha[:10], 0, 0, "GOV-17",
                                        f"merge {sha[:10]} ({date}, {subject}) makes {n} of its own, in neither of "
                                        f"the commits it merges ({what}, but its message has no 'Discussion: "
                                        f"https://...' trailer{bad}: add the line where it was discussed before it "
                                        "is pushed (git commit --amend)"))
        if len(parents) != 1:
            continue
        if bad is None or not meaning(states, parents[0], sha):
            continue
        serious = meaning(states, parents[0], sha)
        problems.append(Problem(sha[:10], 0, 0, "GOV-17",
                                f"commit {sha[:10]} ({date}, {subject}) makes {changes_text(serious)} but its "
                                f"message has no 'Discussion: https://...' trailer{bad}: add the line where it was "
                                "discussed before it is pushed (git commit --amend for the last commit, "
                                "git rebase -i for an older one)"))
    return problems


def merge_own(states: States, parents: list[str], sha: str) -> list[diff.Change]:
    """The changes of meaning a merge makes itself: those of its changes against its first
    parent whose item and field also differ from every other parent (an "evil merge": an
    edit made while merging, or a conflict resolved into words neither side had)."""
    found = meaning(states, parents[0], sha)
    for other in parents[1:]:
        theirs = {(c.document, c.item, c.id, c.field) for c in meaning(states, other, sha)}
        found = [c for c in found if (c.document, c.item, c.id, c.field) in theirs]
    return found


# every path whose change may change meaning (what meaning() compares lies within them)
MEANING_PATHS = (*layout.DATA_DIRS, "GOVERNANCE.md")


def review_rules(states: States, revs: list[str]) -> list[Problem]:
    """GOV-17 and GOV-18 on the commits that rev-list arguments name. A commit (not a
    merge) that changes no file under MEANING_PATHS changes no meaning: one git process
    finds them all, so that only the others are compared."""
    single = [(parents[0], sha) for sha, parents, *_ in states.trailer_log(revs, "Discussion")
              if len(parents) == 1]
    touched = git.commits_touching(states.root, [sha for _, sha in single], MEANING_PATHS)
    memo = _MEANING.setdefault(states, {})
    for parent, sha in single:
        if sha not in touched:
            memo.setdefault((parent, sha), [])
    return discussions(states, revs) + reviews(states, revs) + records.records_kept(states, revs)

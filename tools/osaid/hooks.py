"""Entry points for git hooks (through pre-commit), thin over the same core.

pre-commit: the staged state (read through git, so GIT_INDEX_FILE is honoured)
  is valid, a released version is frozen, a new version follows the last
  release, IDs new in this commit are not retired ones, and no endorsement
  is deleted or changed (only a withdrawal may be added); when the English text changes
  and a translation catalog exists, the catalogs are in step (GOV-24: osaid translations update).
commit-msg: a commit with substantive or normative staged changes carries a
  `Discussion: <http(s) URL>` trailer.
pre-push: osaid verify on the pushed commits (every commit the remote lacks, on a
  first push too), with the review rules GOV-17 and GOV-18.
Each returns problems; the CLI prints them.
"""

from __future__ import annotations

import os

from osaid.changes import compare
from osaid.data import document, layout, validate
from osaid.errors import Problem
from osaid.releases import records, reviews, verify
from osaid.repo import git, release_tags, worktree
from osaid.repo.states import INDEX, States

ZERO = "0" * 40


def pre_commit(root: str, warnings: list[Problem] | None = None) -> list[Problem]:
    """The problems that block the commit; what cannot be checked here (a clone without
    tags) is added to warnings, if given, and blocks nothing."""
    with States(root, layout.DATA_DIRS, persistent=True) as states:
        files = states.files(INDEX)
        repo = validate.check(files, release_tags.released_versions(root), cache=states.memo,
                              previous_ids=worktree.previous_release_ids(root),
                              tags_hint=lambda: git.missing_tags_hint(root),
                              release_data=worktree.release_files(root))
        if warnings is not None:
            warnings.extend(repo.warnings)
        if repo.problems:
            return repo.problems  # the other checks need valid data
        problems = verify.versions_in_order(states, INDEX)
        head = git.head(root)
        if head is not None:
            before = states.repository("HEAD")
            problems += _new_ids_not_retired(states, before, repo)
            problems += records.endorsements_kept(before, repo)
            problems += records.board_decisions_kept(before, repo)
        problems += _translations_in_step(states, repo, before if head is not None else None)
        return sorted(problems)


def _translations_in_step(states: States, repo: validate.CheckedFiles,
                          before: validate.CheckedFiles | None) -> list[Problem]:
    """GOV-24 on the staged catalogs, only when there is one and the English text or a catalog
    changed in this commit (a commit that touches neither pays one git ls-files)."""
    from osaid.i18n import translations

    staged = git.ls_index(states.root, (translations.DIR,))
    if not staged:
        return []
    docs = document.build(repo.data)
    if before is not None:
        old = document.build(before.data)
        same_english = all([(t.context, t.english) for t in translations.texts(d)] ==
                           [(t.context, t.english) for t in translations.texts(old[n])] if n in old else False
                           for n, d in docs.items())
        if same_english and staged == git.ls_tree(states.root, "HEAD", (translations.DIR,)):
            return []
    files = {rel: states.blob(blob) for rel, blob in staged.items()}
    return translations.check(files, docs, (repo.policy or {}).get("placeholders", []))


def _new_ids_not_retired(states: States, before: validate.CheckedFiles, repo: validate.CheckedFiles) -> list[Problem]:
    """GOV-14, for the IDs this commit adds (cheap: usually none)."""
    out = []
    docs_before, docs_now = document.build(before.data), document.build(repo.data)
    for name, now in docs_now.items():
        old = docs_before.get(name)
        new_keys = [k for k in now.items if old is None or k not in old.items]
        if not new_keys:
            continue
        only_new = document.Document(name, now.version)
        for k in new_keys:
            it = now.items[k]
            only_new.add(it.item, it.id, it.path, it.container, it.fields)
        releases = release_tags.released(states.root, name)
        out += verify.retired_reuse(states, name, releases, only_new, layout.VERSION_FILES[name], repo, "the index")
    return out


def trailers(root: str, message: str) -> list[tuple[str, str]]:
    """(key, value) of the message's trailers, as git reads them (comments left out)."""
    text = "\n".join(line for line in message.splitlines() if not line.startswith("#")) + "\n"
    out = git.run(root, "interpret-trailers", "--parse", "--no-divider", input=text)
    pairs = []
    for line in out.splitlines():
        key, _, value = line.partition(":")
        pairs.append((key.strip(), value.strip()))
    return pairs


def serious_staged_changes(root: str) -> list:
    """The substantive and normative changes a commit of the index would make."""
    if git.head(root) is None:
        return []
    with States(root, persistent=True) as states:
        return compare.of_meaning(states, "HEAD", INDEX)


def commit_msg(root: str, message_file: str) -> list[Problem]:
    """GOV-17: substantive and normative commits say where they were discussed."""
    found = serious_staged_changes(root)
    if not found:
        return []
    with open(message_file, encoding="utf-8", errors="replace") as f:
        message = f.read()
    urls = [v for k, v in trailers(root, message) if k.lower() == "discussion"]
    bad = reviews.discussion_missing(urls)
    if bad is None:
        return []
    return [Problem(os.path.basename(message_file), 0, 0, "GOV-17",
                    f"this commit makes {reviews.changes_text(found)}, "
                    f"so its message needs a trailer saying where it was discussed{bad}: end the message with a line "
                    "'Discussion: https://...' (git commit --trailer 'Discussion: https://...')")]


def _is_commit(root: str, ref: str) -> bool:
    try:
        git.resolve(root, ref)
        return True
    except git.GitError:
        return False


def pushed(root: str, from_ref: str | None, to_ref: str | None, local_ref: str | None = None,
           remote: str | None = None) -> list[str]:
    """rev-list arguments naming the commits a push sends (none for a deletion).

    pre-commit gives from_ref..to_ref when the remote's commit is known here. On a
    first push (an empty remote, a new branch on a remote never fetched), the pushed
    history reaches the root commit and pre-commit gives neither, only the local ref:
    then every commit not reachable from a ref of that remote is checked (all of them
    when it has none)."""
    if to_ref == ZERO:
        return []  # a deletion pushes no commits
    if to_ref and from_ref and from_ref != ZERO and _is_commit(root, from_ref):
        return [f"{from_ref}..{to_ref}"]
    tip = to_ref or local_ref or "HEAD"
    tips = [tip] if _is_commit(root, tip) else ["HEAD", "--branches"]  # unsure what is pushed: check more, not less
    return [*tips, "--not", f"--remotes={remote}" if remote else "--remotes"]


def pre_push(root: str, from_ref: str | None, to_ref: str | None, local_ref: str | None = None,
             remote: str | None = None) -> list[Problem]:
    """osaid verify on what is pushed: the release history, and the review rules (GOV-17,
    GOV-18) on the pushed commits."""
    revs = pushed(root, from_ref, to_ref, local_ref, remote)
    if not revs:
        return []
    with States(root) as states:
        from osaid.render.changelog import WRITER

        return verify.check(states, WRITER, revs=revs)

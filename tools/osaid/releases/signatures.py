"""Signed reviews (policy review.signed): which maintainers approved a commit with a
signature git can verify against the keys listed in governance/maintainers.yaml.

A maintainer approves a commit that needs review when, with a key of theirs,
they signed
- the commit itself, not being its author (they committed someone else's work);
- a merge commit on the first-parent line, not being the author of any commit
  it brings in (a signed merge of a pull request), the merge being judged by
  what it brings in;
- an annotated tag pointing at the commit (a review tag, e.g. `review/<commit>`).

Git does the cryptography (`%G?` of git log, `git verify-tag --raw`), with
`gpg.ssh.allowedSignersFile` pointing to a file written from maintainers.yaml:
one line per SSH key, whose principal is the maintainer's ID. OpenPGP keys are
listed by fingerprint and verified by the user's gpg keyring, where the
maintainers' public keys must have been imported.
"""

from __future__ import annotations

import os
import re
import tempfile

from osaid.changes import governance
from osaid.repo import git

_FINGERPRINT = re.compile(r"^[0-9A-F]{40}([0-9A-F]{24})?$")


def _keys(maintainers: list[dict]) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """([(principal, ssh key)], {OpenPGP fingerprint: maintainer index})."""
    ssh, pgp = [], {}
    for i, m in enumerate(maintainers):
        for key in m.get("signing_keys", []):
            k = key.strip()
            if _FINGERPRINT.match(k.replace(" ", "").upper()):
                pgp[k.replace(" ", "").upper()] = i
            else:
                ssh.append((m["id"], " ".join(k.split()[:2])))
    return ssh, pgp


def approvals(root: str, maintainers: list[dict], commits: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    """{commit: IDs of the maintainers whose verified signature approves it}, for commits
    given as (sha, author name, author email)."""
    ssh, pgp = _keys(maintainers)
    index = {m["id"]: i for i, m in enumerate(maintainers)}
    people = [(governance.folded(m["name"]), governance.folded(m.get("email", ""))) for m in maintainers]
    if not commits or not (ssh or pgp):
        return {sha: [] for sha, _, _ in commits}
    fd, allowed = tempfile.mkstemp(prefix="osaid-allowed-signers-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.writelines(f'{principal} namespaces="git" {key}\n' for principal, key in ssh)

        def who(sig: git.Signature) -> int | None:
            if not sig.good:
                return None
            if sig.principal in index:
                return index[sig.principal]
            return next((pgp[f.upper()] for f in sig.fingerprints if f.upper() in pgp), None)

        shas = [sha for sha, _, _ in commits]
        on_commit = git.commit_signatures(root, shas, allowed)
        tags = git.signed_tags_at(root, set(shas))
        out: dict[str, list[str]] = {}
        for sha, author, email in commits:
            # A merge's author merged it; the authors of what it brings in are the ones it reviews.
            authors = {(governance.folded(n), governance.folded(e))
                       for n, e in git.merged_authors(root, sha) or {(author, email)}}
            signers = [who(on_commit[sha])] if sha in on_commit else []
            signers += [who(git.tag_signature(root, ref, allowed)) for ref in tags.get(sha, [])]
            out[sha] = sorted({maintainers[i]["id"] for i in signers
                               if i is not None and not _is_author(people[i], authors)})
        return out
    finally:
        os.unlink(allowed)


def _is_author(person: tuple[str, str], authors: set[tuple[str, str]]) -> bool:
    name, mail = person
    return any((mail and mail == a_mail) or name == a_name for a_name, a_mail in authors)

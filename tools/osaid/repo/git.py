"""Git access: the only module that talks to git.

It runs the git command line (fast to start, honours GIT_INDEX_FILE and the
other variables hooks set) and reads objects through one `git cat-file --batch`
process (CatFile). GitPython is not used: README, "Dependencies", says why.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from osaid.errors import OsaidError
from osaid.releases.version import tag_document

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Callable


class GitError(OsaidError):
    """A git command failed, or git could not be run (not a repository, no git, a
    full disk, a permission): a user error with git's own words (exit 1), never a bug."""


def _env() -> dict:
    return {**os.environ, "LC_ALL": "C"}


def _complete(cmd: list[str], env: dict, data: bytes | None) -> subprocess.CompletedProcess[bytes]:
    """subprocess.run, except that an interruption (a signal raised as an exception) stops git
    with SIGTERM, on which git removes its lock files (run's SIGKILL would leave index.lock)."""
    import subprocess

    with subprocess.Popen(cmd, stdin=subprocess.PIPE if data is not None else None, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env) as proc:
        try:
            out, err = proc.communicate(data)
        except BaseException:
            proc.terminate()
            proc.wait()
            raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def run(root: str, *args: str, input: str | bytes | None = None, env: dict | None = None) -> str:
    try:
        out = _complete(["git", "-C", str(root), *args], {**_env(), **(env or {})},
                        input.encode("utf-8") if isinstance(input, str) else input)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except OSError as e:  # the machine's: a permission, no memory, a full disk
        raise GitError(f"cannot run git {args[0] if args else ''}: {e.strerror or e}") from None
    if out.returncode != 0:
        msg = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(msg[0] if msg else f"git {' '.join(args)} failed")
    return out.stdout.decode("utf-8", "replace")


def toplevel(root: str) -> str | None:
    """The work tree's top folder, or None outside git."""
    try:
        return run(root, "rev-parse", "--show-toplevel").strip()
    except GitError:
        return None


_tags: dict[str, list[str]] = {}


def tags(root: str) -> list[str]:
    """Every tag name (raises GitError outside git), read once per command:
    forget_tags() starts the next command afresh (cli.main calls it)."""
    if root not in _tags:
        rows = _records(root, ["%(refname:strip=2)", "%(objecttype)", "%(*objecttype)"], "for-each-ref", "refs/tags")
        # a tag on a blob or a tree marks no release: osaid verify reports it (GOV-12)
        _tags[root] = sorted(name for name, otype, peeled in rows if (peeled or otype) == "commit")
    return _tags[root]


def forget_tags() -> None:
    _tags.clear()


def _raise_missing(root: str, ref: str, err: str) -> None:
    hint = ""
    kind = object_type(root, ref)
    if kind is not None and kind != "commit":
        raise GitError(f"{ref!r} names a {kind}, not a commit: a release tag marks the commit of its release; "
                       f"delete it (git tag -d {ref}) and tag that commit")
    if ref == "HEAD" and head(root) is None:
        raise GitError("HEAD has no commit yet (a new repository): make the first commit, then try again")
    if is_shallow(root):
        hint = " (this clone is shallow: git fetch --tags --unshallow)"
    elif tag_document(ref) is not None:
        hint = " (tags may be missing: git fetch --tags)"
    raise GitError(f"unknown revision {ref!r}{hint}")


def object_type(root: str, ref: str) -> str | None:
    """What a ref finally marks (commit, tree, blob), or None if there is no such ref."""
    try:
        return run(root, "cat-file", "-t", f"{ref}^{{}}").strip()
    except GitError:
        return None


def is_shallow(root: str) -> bool:
    try:
        return run(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    except GitError:
        return False


def missing_tags_hint(root: str, no_tags_counts: bool = True) -> str | None:
    """Why this copy may lack release tags, with the command that brings them; None when
    its tags can be trusted (a full clone or a repository of its own). no_tags_counts: a
    clone (it has a remote) with no tag at all counts as lacking them."""
    if toplevel(root) is None:
        return "this is not a git repository (an exported tree): releases are git tags; check in a clone"
    if is_shallow(root):
        return "this clone is shallow: git fetch --tags --unshallow"
    try:
        options = run(root, "config", "--get-regexp", r"^remote\..*\.tagopt$").split()
    except GitError:  # no such setting
        options = []
    if "--no-tags" in options:
        return "this clone was made without tags: git fetch --tags"
    if no_tags_counts and not tags(root) and run(root, "remote").split():
        return "this clone has no tags: git fetch --tags"
    return None


def resolve(root: str, ref: str) -> str:
    """The commit a ref names (raises GitError, with a hint, if unknown)."""
    try:
        return run(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except GitError as e:
        _raise_missing(root, ref, str(e))
        raise


def _listing(out: str, keep: Callable[[list[str]], str | None]) -> dict[str, str]:
    """{path: blob id} from NUL-separated 'meta<TAB>path' entries; keep(fields) -> blob id or None."""
    files = {}
    for entry in out.split("\0"):
        if entry:
            meta, path = entry.split("\t", 1)
            blob = keep(meta.split())
            if blob is not None:
                files[path] = blob
    return files


def ls_tree(root: str, ref: str, paths: tuple[str, ...]) -> dict[str, str]:
    """{path: blob id} of the files under paths at ref."""
    out = run(root, "ls-tree", "-r", "-z", "--full-tree", ref, "--", *paths)
    return _listing(out, lambda f: f[2] if f[1] == "blob" else None)  # mode, type, id


def ls_index(root: str, paths: tuple[str, ...]) -> dict[str, str]:
    """{path: blob id} of the files under paths in the index (stage 0)."""
    out = run(root, "ls-files", "-s", "-z", "--", *paths)
    return _listing(out, lambda f: f[1] if f[2] == "0" else None)  # mode, id, stage


class CatFile:
    """One `git cat-file --batch` process for every object read in a run."""

    def __init__(self, root: str):
        import subprocess

        self._proc = subprocess.Popen(
            ["git", "-C", root, "cat-file", "--batch"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env(),
        )

    def read(self, obj: str) -> bytes:
        assert self._proc.stdin and self._proc.stdout
        self._proc.stdin.write(obj.encode() + b"\n")
        self._proc.stdin.flush()
        header = self._proc.stdout.readline().split()
        if len(header) < 3:
            raise GitError(f"git cannot read object {obj}")
        size = int(header[2])
        data = self._proc.stdout.read(size)
        self._proc.stdout.read(1)  # the newline after the content
        return data

    def read_many(self, objs: list[str], chunk: int = 200) -> list[bytes | None]:
        """Many objects, their requests written in chunks before the answers are read (one
        round trip per chunk, not per object; a chunk's requests fit the pipe). None: missing."""
        assert self._proc.stdin and self._proc.stdout
        out: list[bytes | None] = []
        for i in range(0, len(objs), chunk):
            part = objs[i:i + chunk]
            self._proc.stdin.write(b"".join(o.encode() + b"\n" for o in part))
            self._proc.stdin.flush()
            for _ in part:
                header = self._proc.stdout.readline().split()
                if len(header) < 3:
                    out.append(None)
                    continue
                out.append(self._proc.stdout.read(int(header[2])))
                self._proc.stdout.read(1)
        return out

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin
            self._proc.stdin.close()
            self._proc.wait()


class Tag:
    __slots__ = ("name", "commit", "annotated", "date", "message", "target")

    def __init__(self, name: str, commit: str, annotated: bool, date: str, message: str, target: str = "commit"):
        self.name, self.commit, self.annotated, self.date, self.message = name, commit, annotated, date, message
        self.target = target  # the type of object it marks: commit, or (wrongly) blob, tree, tag


def _records(root: str, fields: list[str], command: str, *args: str, config: tuple[str, ...] = ()) -> list[list[str]]:
    """Run `git [config] command --format=...` with fields separated by NUL and records ended
    by byte 1 (a subject or a trailer may hold anything else); one list of fields per record."""
    x = "" if command == "for-each-ref" else "x"  # for-each-ref writes %00, log %x00
    out = run(root, *config, command, f"--format={f'%{x}00'.join(fields)}%{x}01", *args)
    return [rec.strip("\n").split("\0") for rec in out.split("\x01") if rec.strip("\n")]


def rev_list(root: str, revs: list[str]) -> set[str]:
    """The commits that rev-list arguments (A..B, or B --not --remotes) name."""
    return set(run(root, "rev-list", *revs).split())


def tag_list(root: str) -> list[Tag]:
    """Every tag with the commit it points to (peeled), whether annotated, its date."""
    fields = ["%(refname:short)", "%(objecttype)", "%(objectname)", "%(*objectname)", "%(creatordate:short)",
              "%(contents:subject)", "%(*objecttype)"]
    tags = []
    for name, otype, obj, peeled, date, subject, ptype in _records(root, fields, "for-each-ref", "refs/tags"):
        annotated = otype == "tag"
        tags.append(Tag(name, peeled if annotated else obj, annotated, date, subject, ptype if annotated else otype))
    return tags


def commit_info(root: str, commits: list[str]) -> dict[str, tuple[str, str, str]]:
    """{commit: (author, ISO date, subject)} of the given commits (one git process)."""
    if not commits:
        return {}
    rows = _records(root, ["%H", "%an", "%aI", "%s"], "log", "--no-walk=unsorted", *commits)
    return {sha: (author, date, subject) for sha, author, date, subject in rows}


class Made:
    """A commit as history credits it: who, when, why (its Discussion: and Reviewed-by: trailers)."""

    __slots__ = ("sha", "author", "date", "subject", "discussions", "reviewers")

    def __init__(self, sha: str, author: str, date: str, subject: str, discussions: list[str], reviewers: list[str]):
        self.sha, self.author, self.date, self.subject = sha, author, date, subject
        self.discussions, self.reviewers = discussions, reviewers

    def as_dict(self) -> dict:
        return {"commit": self.sha, "author": self.author, "date": self.date, "subject": self.subject,
                "discussion": self.discussions, "reviewed_by": self.reviewers}


def made(root: str, commits: list[str]) -> dict[str, Made]:
    """{commit: Made} of the given commits, trailers included (one git process)."""
    if not commits:
        return {}
    fields = ["%H", "%an", "%aI", "%s", "%(trailers:key=Discussion,valueonly,separator=%x1f)",
              "%(trailers:key=Reviewed-by,valueonly,separator=%x1f)"]
    out = {}
    for sha, author, date, subject, disc, rev in _records(root, fields, "log", "--no-walk=unsorted",
                                                          *dict.fromkeys(commits)):
        out[sha] = Made(sha, author, date, subject, [v.strip() for v in disc.split("\x1f") if v.strip()],
                        [v.strip() for v in rev.split("\x1f") if v.strip()])
    return out


def first_parent_line(root: str, rev: str) -> list[str]:
    """The commits of rev's first-parent line, newest first (one git process)."""
    return run(root, "rev-list", "--first-parent", rev).split()


def first_parent_log(root: str, revs: list[str]) -> list[tuple[str, str | None, str, str, str, list[str]]]:
    """(commit, first parent or None, author name, author email, subject, Reviewed-by values)
    of each commit of revs along the first-parent line."""
    fields = ["%H", "%P", "%an", "%ae", "%s", "%(trailers:key=Reviewed-by,valueonly,separator=%x1f)"]
    out = []
    for sha, parents, author, email, subject, trailer in _records(root, fields, "log", "--first-parent", *revs):
        parent = parents.split()[0] if parents.split() else None
        out.append((sha, parent, author, email, subject, [v.strip() for v in trailer.split("\x1f") if v.strip()]))
    return out


def trailer_log(root: str, revs: list[str], key: str) -> list[tuple[str, list[str], str, str, list[str]]]:
    """(commit, parents, author date YYYY-MM-DD, subject, values of the trailer key) of every
    commit revs name (every line of history, not only the first-parent one), newest first."""
    fields = ["%H", "%P", "%ad", "%s", f"%(trailers:key={key},valueonly,separator=%x1f)"]
    out = []
    for sha, parents, date, subject, trailer in _records(root, fields, "log", "--date=short", *revs):
        out.append((sha, parents.split(), date, subject, [v.strip() for v in trailer.split("\x1f") if v.strip()]))
    return out


def commits_touching(root: str, commits: list[str], paths: tuple[str, ...]) -> set[str]:
    """Which of the given commits (each with one parent) change a file under paths
    against their parent (one git diff-tree process for all of them)."""
    if not commits:
        return set()
    out = run(root, "diff-tree", "--stdin", "-r", "--name-only", "--", *paths, input="\n".join(commits) + "\n")
    wanted = set(commits)
    return {line for line in out.splitlines() if line in wanted}


def author_dates(root: str, revs: list[str]) -> dict[str, str]:
    """{commit: author date YYYY-MM-DD} of every commit revs name (one git process)."""
    out = run(root, "log", "--format=%H %ad", "--date=short", *revs)
    return dict(line.split(" ", 1) for line in out.splitlines() if line)


class Commit:
    __slots__ = ("sha", "author", "date", "subject", "changes")

    def __init__(self, sha: str, author: str, date: str, subject: str):
        self.sha, self.author, self.date, self.subject = sha, author, date, subject
        self.changes: list[tuple[str, str | None]] = []  # (path, new blob or None if deleted)


def log_raw(root: str, paths: tuple[str, ...], rev: str = "HEAD") -> list[Commit]:
    """Commits touching paths along the first-parent line, oldest first, each
    with the blobs it changed (one git process for the whole walk)."""
    out = run(root, "log", "--reverse", "--first-parent", "--diff-merges=first-parent", "--raw",
              "--no-renames", "--no-abbrev", "-z", "--format=%x01%H%x00%an%x00%aI%x00%s", rev, "--", *paths)
    commits: list[Commit] = []
    for rec in out.split("\x01")[1:]:
        head, _, raw = rec.partition("\n")
        sha, author, date, subject = head.split("\0")[:4]
        c = Commit(sha, author, date, subject)
        fields = [f for f in raw.lstrip("\0\n").split("\0")]
        i = 0
        while i + 1 < len(fields):
            meta, path = fields[i], fields[i + 1]
            i += 2
            if not meta.startswith(":"):
                continue
            _, _, _, new, status = meta[1:].split()
            c.changes.append((path, None if status.startswith("D") else new))
        commits.append(c)
    return commits


# --- what a release needs ---------------------------------------------------------


def dirty_paths(root: str) -> list[str]:
    """Paths with changes in the index or the work tree, and untracked ones."""
    out = run(root, "status", "--porcelain=v1", "-z", "--untracked-files=normal")
    paths = []
    entries = out.split("\0")
    i = 0
    while i < len(entries):
        e = entries[i]
        i += 1
        if not e:
            continue
        paths.append(e[3:])
        if e[0] in "RC":  # a rename or copy is followed by its source path
            i += 1
    return paths


def branch(root: str) -> str | None:
    """The checked-out branch, or None on a detached HEAD."""
    try:
        return run(root, "symbolic-ref", "-q", "--short", "HEAD").strip() or None
    except GitError:
        return None


def git_path(root: str, name: str) -> str:
    path = run(root, "rev-parse", "--git-path", name).strip()
    return path if os.path.isabs(path) else os.path.join(root, path)


def head(root: str) -> str | None:
    try:
        return run(root, "rev-parse", "--verify", "-q", "HEAD").strip() or None
    except GitError:
        return None


def push_remote(root: str, branch_name: str) -> str:
    try:
        remote = run(root, "config", f"branch.{branch_name}.remote").strip()
    except GitError:
        remote = ""
    if remote:
        return remote
    remotes = run(root, "remote").split()
    return "origin" if "origin" in remotes or not remotes else remotes[0]


def file_at(root: str, ref: str, path: str) -> bytes | None:
    """A file's bytes at a ref, or None if it is not there."""
    import subprocess

    out = subprocess.run(["git", "-C", root, "show", f"{ref}:{path}"], capture_output=True, env=_env())
    return out.stdout if out.returncode == 0 else None


class Signature:
    """A verified signature: who signed (the allowed-signers principal for SSH, the key
    fingerprints for OpenPGP), or nobody when it is missing or does not verify."""

    __slots__ = ("good", "principal", "fingerprints")

    def __init__(self, good: bool, principal: str = "", fingerprints: tuple[str, ...] = ()):
        self.good, self.principal, self.fingerprints = good, principal, fingerprints


def _signing_config(allowed_signers: str) -> tuple[str, ...]:
    # The repository's own gpg.ssh.allowedSignersFile is ignored on purpose: the keys that
    # count are the maintainers' (governance/maintainers.yaml), written to this file.
    return ("-c", f"gpg.ssh.allowedSignersFile={allowed_signers}")


def commit_signatures(root: str, commits: list[str], allowed_signers: str) -> dict[str, Signature]:
    """{commit: Signature} for the given commits, verified by git itself (%G?: 'G' good
    and trusted, 'U' good with unknown validity, which for OpenPGP is then decided by the
    fingerprint), in one git process."""
    if not commits:
        return {}
    fields = ["%H", "%G?", "%GS", "%GF", "%GP"]
    rows = _records(root, fields, "log", "--no-walk=unsorted", *commits, config=_signing_config(allowed_signers))
    out = {}
    for sha, status, signer, fpr, primary in rows:
        good = status in ("G", "U")
        out[sha] = Signature(good, signer if status == "G" else "", tuple(f for f in (fpr, primary) if f))
    return out


def merged_authors(root: str, merge: str) -> set[tuple[str, str]]:
    """(name, email), lower case, of the authors of the commits a merge brings in."""
    rows = _records(root, ["%H", "%an", "%ae"], "log", f"{merge}^1..{merge}")
    return {(name.lower(), email.lower()) for sha, name, email in rows if sha != merge}


def signed_tags_at(root: str, commits: set[str]) -> dict[str, list[str]]:
    """{commit: [annotated tags pointing at it that carry a signature]}."""
    fields = ["%(refname)", "%(objecttype)", "%(*objectname)", "%(contents:signature)"]
    out: dict[str, list[str]] = {}
    for ref, otype, peeled, signature in _records(root, fields, "for-each-ref", "refs/tags"):
        if otype == "tag" and peeled in commits and signature.strip():
            out.setdefault(peeled, []).append(ref)
    return out


def tag_signature(root: str, ref: str, allowed_signers: str) -> Signature:
    """The verified signature of an annotated tag (git verify-tag --raw)."""
    import re
    import subprocess

    try:
        done = subprocess.run(["git", "-C", str(root), *_signing_config(allowed_signers), "verify-tag", "--raw", ref],
                              capture_output=True, env=_env(), check=False)
    except OSError as e:
        raise GitError(f"git verify-tag could not run: {e}") from None
    text = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        return Signature(False)
    ssh = re.search(r'^Good "git" signature for (\S+) with ', text, re.M)
    if ssh:
        return Signature(True, ssh.group(1))
    pgp = re.search(r"^\[GNUPG:\] VALIDSIG (\S+)(?: \S+){8} (\S+)", text, re.M)
    if pgp:
        return Signature(True, "", (pgp.group(1), pgp.group(2)))
    return Signature(False)
# --- what a release publishes: objects first, then every ref in one transaction ---------------


def common_dir(root: str) -> str:
    """The repository's git folder shared by all its work trees (where refs and objects live)."""
    path = run(root, "rev-parse", "--git-common-dir").strip()
    return path if os.path.isabs(path) else os.path.join(root, path)


def parent(root: str, commit: str) -> str | None:
    try:
        return run(root, "rev-parse", "--verify", "-q", f"{commit}^").strip() or None
    except GitError:
        return None


def changed_paths(root: str, old: str, new: str) -> list[str]:
    """The paths whose content differs between two commits."""
    out = run(root, "diff-tree", "-r", "-z", "--no-renames", "--name-only", old, new)
    return [p for p in out.split("\0") if p]


def write_blob(root: str, rel: str, data: bytes) -> str:
    """Store data as the blob git would make of it at rel (its clean filters applied)."""
    return run(root, "hash-object", "-w", "--stdin", f"--path={rel}", input=data).strip()


def hash_files(root: str, rels: list[str]) -> dict[str, str | None]:
    """{path: the blob id of the work-tree file, or None if it is not a file}, written nowhere."""
    present = [r for r in rels if os.path.isfile(os.path.join(root, r)) and not os.path.islink(os.path.join(root, r))]
    ids = dict(zip(present, run(root, "hash-object", "--", *present).split(), strict=True)) if present else {}
    return {r: ids.get(r) for r in rels}


def worktree_bytes(root: str, rel: str, blob: str) -> bytes:
    """A blob's bytes as a checkout would write them at rel (smudge filters, line endings)."""
    import subprocess

    out = subprocess.run(["git", "-C", root, "cat-file", "--filters", f"--path={rel}", blob],
                         capture_output=True, env=_env())
    if out.returncode != 0:
        raise GitError(out.stderr.decode("utf-8", "replace").strip() or f"git cannot read blob {blob}")
    return out.stdout


def tree_with(root: str, commit: str, blobs: dict[str, str]) -> str:
    """The tree of commit with the files of blobs ({path: blob id}) replaced or added, written with
    git mktree (no index, no temporary file); a file keeps its mode, a new one is 100644."""
    return _tree(root, f"{commit}^{{tree}}", blobs)


def _tree(root: str, tree: str | None, blobs: dict[str, str]) -> str:
    entries: dict[str, tuple[str, str, str]] = {}  # name -> (mode, type, id)
    if tree:
        for entry in run(root, "ls-tree", "-z", tree).split("\0"):
            if entry:
                meta, name = entry.split("\t", 1)
                mode, otype, oid = meta.split()
                entries[name] = (mode, otype, oid)
    inner: dict[str, dict[str, str]] = {}
    for path, blob in blobs.items():
        first, sep, rest = path.partition("/")
        if sep:
            inner.setdefault(first, {})[rest] = blob
        else:
            mode = entries.get(first, ("100644",))[0]
            entries[first] = (mode if mode in ("100644", "100755") else "100644", "blob", blob)
    for name, sub in inner.items():
        old = entries.get(name)
        entries[name] = ("040000", "tree", _tree(root, old[2] if old and old[1] == "tree" else None, sub))
    body = "".join(f"{mode} {otype} {oid}\t{name}\0" for name, (mode, otype, oid) in entries.items())
    return run(root, "mktree", "-z", input=body).strip()


def commit_tree(root: str, tree: str, parent_commit: str, message: str) -> str:
    """A commit object (author and committer as `git commit` sets them; signed if commit.gpgSign
    is set, as `git commit` would), without moving any ref and without running hooks."""
    try:
        sign = run(root, "config", "--type=bool", "commit.gpgsign").strip() == "true"
    except GitError:
        sign = False
    return run(root, "commit-tree", *(["-S"] if sign else []), tree, "-p", parent_commit, "-F", "-",
               input=message).strip()


def tag_body(root: str, name: str, commit: str, message: str, sign: bool = False) -> str:
    """The annotated tag object `git tag -a` (or `-s`) would make for commit, its message kept
    verbatim; nothing is written here (write_tag stores it).

    Signed: `git tag -s` itself (so every gpg.format and key setting works as it does for git),
    in a scratch repository that reads this one's objects and writes its own: a signature that
    fails or is cut short leaves nothing in this repository."""
    if not sign:
        tagger = run(root, "var", "GIT_COMMITTER_IDENT").strip()
        return f"object {commit}\ntype commit\ntag {name}\ntagger {tagger}\n\n{message}"
    import tempfile

    objects = run(root, "rev-parse", "--git-path", "objects").strip()
    objects = objects if os.path.isabs(objects) else os.path.join(root, objects)
    object_format = run(root, "rev-parse", "--show-object-format").strip()
    env = {"GIT_ALTERNATE_OBJECT_DIRECTORIES": objects}
    config = [kv.split("\n", 1) for kv in run(root, "config", "--list", "-z").split("\0") if kv]
    config = [kv for kv in config if len(kv) == 2 and kv[0].startswith(("user.", "gpg.", "author.", "committer."))]
    env["GIT_CONFIG_COUNT"] = str(len(config))
    for i, (key, value) in enumerate(config):
        env[f"GIT_CONFIG_KEY_{i}"], env[f"GIT_CONFIG_VALUE_{i}"] = key, value
    with tempfile.TemporaryDirectory(prefix="osaid-sign-") as scratch:
        run(scratch, "init", "-q", "--bare", f"--object-format={object_format}")
        run(root, f"--git-dir={scratch}", "tag", "-s", "--cleanup=verbatim", name, commit, "-F", "-",
            input=message, env=env)
        return run(root, f"--git-dir={scratch}", "cat-file", "tag", f"refs/tags/{name}", env=env)


def write_tag(root: str, body: str) -> str:
    """Store a tag object (git mktag checks it as fsck would), without creating any ref."""
    return run(root, "mktag", input=body).strip()


def stage(root: str, rels: list[str], wait: float = 5.0) -> None:
    """Put the work-tree files into the index (ignore rules do not apply: they are tracked files),
    waiting up to `wait` seconds for a git that holds index.lock (a `git status` refreshing it)."""
    import time

    deadline = time.monotonic() + wait
    while True:
        try:
            run(root, "update-index", "--add", "--", *rels)
            return
        except GitError as e:
            if "index.lock" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def update_refs(root: str, updates: list[tuple[str, str, str | None]], reason: str) -> None:
    """Move every ref in ONE `git update-ref --stdin` transaction, all or none: (ref, new, old),
    where old is the value the ref must still have, or None for a ref that must not exist yet."""
    lines = ["start"]
    for ref, new, old in updates:
        lines.append(f"update {ref} {new} {old}" if old else f"create {ref} {new}")
    lines += ["prepare", "commit"]
    run(root, "update-ref", "-m", reason, "--stdin", input="\n".join(lines) + "\n")

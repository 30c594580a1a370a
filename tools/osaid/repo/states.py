"""States of the repository: the work tree, the index, or any git ref.

Each state is a mapping of repository-relative paths to bytes; blobs are read
through one `git cat-file --batch` process and kept by id, so a file that
many commits share is read once, and parsed once (the memo in validate).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from osaid.data import document, layout, validate
from osaid.data.pieces import Pieces
from osaid.errors import OsaidError, UsageError
from osaid.repo import git

if TYPE_CHECKING:
    from osaid.repo.cache import ParseCache, ResultCache

WORKTREE = ":worktree"
INDEX = ":index"
DOCUMENT_PATHS = ("definition", "checklist")
LISTED = layout.DATA_DIRS + ("GOVERNANCE.md",)  # what a state's listing holds (governance.py reads the rules)


class Memo:
    """Parsed files by exact bytes, for one run (any number of versions of a file);
    backed, when given, by the persistent cache.ParseCache (a few per file), so
    that one hook process reuses what the one before it parsed."""

    def __init__(self, backing: ParseCache | None = None, limit: int | None = None) -> None:
        self.entries: dict[tuple[str | None, bytes], Any] = {}
        self.backing = backing
        self.limit = limit  # bytes of files whose parse is kept, the most recently used (None: all): for walks
        self.size = 0  # bytes of the files kept

    def get(self, rel: str, kind: str | None, raw: bytes) -> Any:
        hit = self.entries.get((kind, raw))
        if hit is not None and self.limit is not None:
            self.entries[(kind, raw)] = self.entries.pop((kind, raw))  # the most recently used now
        if hit is None and self.backing is not None:
            hit = self.backing.get(rel, kind, raw)
            if hit is not None:
                self._keep(kind, raw, hit)
        return hit

    def _keep(self, kind: str | None, raw: bytes, data: Any) -> None:
        if (kind, raw) not in self.entries:
            self.size += len(raw)
        self.entries[(kind, raw)] = data
        while self.limit is not None and self.size > self.limit and len(self.entries) > 1:
            oldest = next(iter(self.entries))
            del self.entries[oldest]
            self.size -= len(oldest[1])

    def put(self, rel: str, kind: str | None, raw: bytes, data: Any) -> None:
        self._keep(kind, raw, data)
        if self.backing is not None:
            self.backing.put(rel, kind, raw, data)

    def save(self, keep: set[str]) -> None:
        return None  # the backing cache is written once, when the States close


class States:
    def __init__(self, root: str, paths: tuple[str, ...] = DOCUMENT_PATHS, persistent: bool = False):
        self.root = root
        self.paths = paths
        self._cat: git.CatFile | None = None
        self._blobs: dict[str, bytes] = {}
        self._listings: dict[str, dict[str, str]] = {}
        self._commits: dict[str, str] = {}
        self._trailer_logs: dict[tuple, list] = {}
        self._tags: list[git.Tag] | None = None
        self._backing: ParseCache | None = None
        self._results: ResultCache | None = None
        self._documents: dict[str, dict[str, document.Document]] = {}
        if persistent:
            from osaid.repo.cache import ParseCache

            self._backing = ParseCache(root)
        self.memo = Memo(self._backing)
        self.pieces = Pieces()  # the entries of long lists, read once per run (libyaml's readings)
        self.parts = document.Parts()  # the sections built in this run (document.build)

    def close(self) -> None:
        if self._cat is not None:
            self._cat.close()
        if self._backing is not None:
            self._backing.save(set(self._backing.entries))
        if self._results is not None:
            self._results.save()

    @property
    def results(self) -> ResultCache:
        """The persistent cache of results that depend only on released states (cache.ResultCache)."""
        if self._results is None:
            from osaid.repo.cache import ResultCache

            self._results = ResultCache(self.root)
        return self._results

    KEEP_DOCUMENTS = 2  # a release and the one before it: memory stays flat in the number of releases

    def documents(self, ref: str) -> dict[str, document.Document]:
        """document.build of a git ref's checked data; the last few are kept, so that a walk
        over the releases (each against the one before) builds each of them once."""
        if ref in (WORKTREE, INDEX):
            return document.build(self.repository(ref).data, self.parts)
        docs = self._documents.pop(ref, None)
        if docs is None:
            docs = document.build(self.repository(ref).data, self.parts)
        self._documents[ref] = docs
        while len(self._documents) > self.KEEP_DOCUMENTS:
            del self._documents[next(iter(self._documents))]
        return docs

    def file_at(self, commit: str, rel: str) -> bytes | None:
        """A file's bytes at a commit through the one cat-file process, or None if it is not there."""
        try:
            return self.blob(f"{commit}:{rel}")
        except git.GitError:
            return None

    def __enter__(self) -> "States":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def blob(self, blob_id: str) -> bytes:
        data = self._blobs.get(blob_id)
        if data is None:
            if self._cat is None:
                self._cat = git.CatFile(self.root)
            data = self._blobs[blob_id] = self._cat.read(blob_id)
        return data

    def prefetch(self, blob_ids: Iterable[str]) -> None:
        """Read the blobs not read yet, in one pipelined exchange with the cat-file process."""
        missing = sorted({b for b in blob_ids if b not in self._blobs})
        if not missing:
            return
        if self._cat is None:
            self._cat = git.CatFile(self.root)
        for b, data in zip(missing, self._cat.read_many(missing), strict=True):
            if data is not None:
                self._blobs[b] = data

    def forget(self, keep: set[str]) -> None:
        """Let go of the blobs read so far, except those of keep (a walk over many commits
        reads them window by window, so memory does not grow with the number of commits)."""
        self._blobs = {k: v for k, v in self._blobs.items() if k in keep}

    def files(self, state: str) -> dict[str, bytes | None]:
        """The data files of a state: WORKTREE, INDEX, or a git ref."""
        if state == WORKTREE:
            rels = [r for r in layout.discover(self.root) if r.startswith(tuple(p + "/" for p in self.paths))]
            files, _ = layout.read(self.root, rels)
            return files
        try:
            listing = self.listing(state)
        except git.GitError as e:
            raise UsageError(str(e)) from None
        prefixes = tuple(p + "/" for p in self.paths)
        return {rel: self.blob(b) for rel, b in listing.items()
                if rel.startswith(prefixes) and rel.endswith((".yaml", ".yml"))}

    def tags(self) -> list[git.Tag]:
        """git.tag_list, asked of git once per run (a run reads before it writes)."""
        if self._tags is None:
            self._tags = git.tag_list(self.root)
        return self._tags

    def trailer_log(self, revs: list[str], key: str) -> list[tuple[str, list[str], str, str, list[str]]]:
        """git.trailer_log, asked of git once per run for the same revisions (GOV-16, GOV-17 and
        GOV-18 read the same log; a run checks before it writes, so the history does not move meanwhile)."""
        memo_key = (tuple(revs), key)
        if memo_key not in self._trailer_logs:
            self._trailer_logs[memo_key] = git.trailer_log(self.root, revs, key)
        return self._trailer_logs[memo_key]

    def commit(self, ref: str) -> str:
        """The commit a ref names, asked of git once per ref and run (git.resolve)."""
        if ref not in self._commits:
            self._commits[ref] = git.resolve(self.root, ref)
        return self._commits[ref]

    def listing(self, ref: str) -> dict[str, str]:
        """{path: blob} of every data file at a ref or in the index (INDEX): one git
        ls-tree or ls-files per state and run."""
        if ref not in self._listings:
            try:
                if ref == INDEX:
                    self._listings[ref] = git.ls_index(self.root, LISTED)
                else:
                    self._listings[ref] = git.ls_tree(self.root, ref, LISTED)
            except git.GitError:
                if ref != INDEX:
                    git.resolve(self.root, ref)  # says which ref is missing, and how to fetch it
                raise
        return self._listings[ref]

    def repository(self, state: str, files: dict | None = None, agree: bool | None = None) -> validate.CheckedFiles:
        """The checked data of a state; its problems stop a diff (OsaidError).
        A committed state is read by libyaml only (see load.parse): the work
        tree and the index, both ways (agree: unless the caller has read them both ways already)."""
        files = self.files(state) if files is None else files
        agree = state in (WORKTREE, INDEX) if agree is None else agree
        repo = validate.check(files, cross=False, cache=self.memo, agree=agree, pieces=self.pieces)
        if repo.problems:
            shown = "\n".join(p.text() for p in repo.problems[:10])
            more = f"\n... and {len(repo.problems) - 10} more" if len(repo.problems) > 10 else ""
            raise OsaidError(f"{describe(state)} has invalid data files; fix them first:\n{shown}{more}")
        return repo


def describe(state: str) -> str:
    return {WORKTREE: "the work tree", INDEX: "the index"}.get(state, state)

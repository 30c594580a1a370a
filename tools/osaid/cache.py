"""A best-effort cache of parsed, schema-valid data files, so hooks start fast.

An entry is (kind, the file's exact bytes, its data), a few per file, stored only for files that
loaded strictly and matched their schema. A hit needs the same bytes, the
same kind of file and the same osaid code and schemas (a stamp of their
sizes and modification times), so a stale entry cannot be used. Any error
reading or writing the cache is ignored: it only ever saves time.
OSAID_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import marshal
import os

_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_FORMAT = 2


def _stamp() -> tuple:
    entries = []
    for folder in (_PACKAGE, os.path.join(_PACKAGE, "schemas")):
        with os.scandir(folder) as it:
            for e in it:
                if e.name.endswith((".py", ".json")):
                    st = e.stat()
                    entries.append((e.name, st.st_mtime_ns, st.st_size))
    return (_FORMAT, tuple(sorted(entries)))


def _path(root: str) -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    name = os.path.abspath(root).strip(os.sep).replace(os.sep, "%") or "root"
    return os.path.join(base, "osaid", name[-200:] + ".marshal")


class ParseCache:
    def __init__(self, root: str | None):
        self.path = None if root is None or os.environ.get("OSAID_NO_CACHE") else _path(root)
        self.entries: dict = {}
        self.dirty = False
        self.stamp: tuple = ()
        if self.path is None:
            return
        try:
            self.stamp = _stamp()
            with open(self.path, "rb") as f:
                stamp, entries = marshal.load(f)
            if stamp == self.stamp:
                self.entries = entries
        except (OSError, ValueError, EOFError, TypeError):
            self.entries = {}

    PER_FILE = 3  # versions kept per file: the work tree, the index and HEAD often differ

    def get(self, rel: str, kind: str, raw: bytes):
        for k, r, data in self.entries.get(rel, ()):
            if k == kind and r == raw:
                return data
        return None

    def put(self, rel: str, kind: str, raw: bytes, data) -> None:
        if self.path is None:
            return
        kept = [e for e in self.entries.get(rel, ()) if e[1] != raw]
        self.entries[rel] = [(kind, raw, data)] + kept[: self.PER_FILE - 1]
        self.dirty = True

    def save(self, keep: set[str]) -> None:
        """Write the cache (only the given files' entries) if anything changed."""
        if self.path is None:
            return
        stale = set(self.entries) - keep
        if not self.dirty and not stale:
            return
        # its own temporary file, not fileio.write_atomic: a cache needs no fsync on a hook's path
        tmp = f"{self.path}.{os.getpid()}.tmp"
        try:
            entries = {k: v for k, v in self.entries.items() if k in keep}
            blob = marshal.dumps((self.stamp, entries))
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(blob)
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            try:
                os.unlink(tmp)
            except OSError:
                pass

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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from osaid.changes.diff import Change

_FORMAT = 2


def _stamp() -> tuple:
    from osaid import package

    entries = []
    for e in package.code_files():
        st = e.stat()
        entries.append((os.path.relpath(e.path, package.HERE), st.st_mtime_ns, st.st_size))
    return (_FORMAT, tuple(entries))


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

    # Versions kept per file and reading: the work tree and the index (read both ways) often differ,
    # and so do the commits read by libyaml alone (HEAD, the last release): a walk over many commits
    # must not push out the work tree's version, which the next command reads first.
    PER_READING = 2

    def get(self, rel: str, kind: str | None, raw: bytes) -> Any:
        for k, r, data in self.entries.get(rel, ()):
            if k == kind and r == raw:
                return data
        return None

    def put(self, rel: str, kind: str | None, raw: bytes, data: Any) -> None:
        if self.path is None:
            return
        kept = [(kind, raw, data)] + [e for e in self.entries.get(rel, ()) if e[1] != raw or e[0] != kind]
        committed = [e for e in kept if str(e[0]).endswith("(libyaml)")]
        both = [e for e in kept if not str(e[0]).endswith("(libyaml)")]
        self.entries[rel] = both[: self.PER_READING] + committed[: self.PER_READING]
        self.dirty = True

    def save(self, keep: set[str]) -> None:
        """Write the cache (only the given files' entries) if anything changed."""
        if self.path is None:
            return
        stale = set(self.entries) - keep
        if not self.dirty and not stale:
            return
        write_marshal(self.path, (self.stamp, {k: v for k, v in self.entries.items() if k in keep}))


def write_marshal(path: str, value: Any) -> bool:
    """Marshal value to path atomically; False (and nothing left behind) on any error."""
    try:
        blob = marshal.dumps(value)
    except ValueError:
        return False
    from osaid.fileio import write_quietly

    return write_quietly(path, blob)


def _dictionary_stamp() -> tuple:
    """The English dictionary that decides spelling fixes (a severity depends on it)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("spellchecker")
        folder = list(spec.submodule_search_locations or [""])[0] if spec else ""
        st = os.stat(os.path.join(folder, "resources", "en.json.gz"))
        return (folder, st.st_mtime_ns, st.st_size)
    except (OSError, ImportError, ValueError):
        return ()


class ResultCache:
    """Results that depend only on released states, such as the changes between two release
    tags, or only on commits, such as where history's walk over them stood (history._Walk):
    keyed by what they are computed from (the commits, and so the trees, of the tags),
    valid only for the same osaid code, schemas and English dictionary (the stamp). One file
    per repository next to the parse cache; a missing, corrupt or stale file is an empty
    cache; writes are atomic (a temporary file, then os.replace). OSAID_NO_CACHE=1 turns
    the file off (results are then kept for one run only).
    """

    LIMIT = 4000  # entries kept: the used ones first

    def __init__(self, root: str | None):
        self.path = None if root is None or os.environ.get("OSAID_NO_CACHE") else _path(root)[: -len(".marshal")] + ".results.marshal"
        self.entries: dict = {}
        self.used: set = set()
        self.dirty = False
        self.stamp: tuple = ()
        if self.path is None:
            return
        try:
            self.stamp = (_stamp(), _dictionary_stamp())
            with open(self.path, "rb") as f:
                stamp, entries = marshal.loads(f.read())
            if stamp == self.stamp and isinstance(entries, dict):
                self.entries = entries
        except (OSError, ValueError, EOFError, TypeError):
            self.entries = {}

    def get(self, key: tuple) -> Any:
        hit = self.entries.get(key)
        if hit is not None:
            self.used.add(key)
        return hit

    def put(self, key: tuple, value: Any) -> None:
        """Keep a result (for this run, and in the file unless the cache is off)."""
        try:
            marshal.dumps(value)
        except ValueError:
            return  # not storable: computed again next time
        self.entries[key] = value
        self.used.add(key)
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        kept = {k: self.entries[k] for k in self.used}
        for k, v in self.entries.items():
            if len(kept) >= self.LIMIT:
                break
            kept.setdefault(k, v)
        if write_marshal(self.path, (self.stamp, kept)):
            self.dirty = False


def encode_changes(found: list[Change]) -> list[tuple]:
    """diff.Change records as plain tuples (marshal stores no named tuples)."""
    return [(*c[:9], tuple(tuple(op) for op in c.words) if c.words else c.words, *c[10:]) for c in found]


def decode_changes(stored: list[tuple]) -> list[Change]:
    from osaid.changes.diff import Change
    from osaid.changes.words import Op

    return [Change._make((*c[:9], tuple(Op(*op) for op in c[9]) if c[9] else c[9], *c[10:])) for c in stored]

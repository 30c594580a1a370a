"""English words and how often each is used: the dictionary behind spelling fixes (words.py).

The word list is pyspellchecker's (its English word-frequency list, package
data of a maintained package: `spellchecker/resources/en.json.gz`). Parsing
that list takes most of what a commit-msg hook may spend, so a copy is kept
in osaid's cache folder as marshal data, which loads several times faster;
the copy is used only while the list it came from is the same (path, size,
modification time). Any error with the copy is ignored: the list itself is
read. OSAID_NO_CACHE=1 turns the copy off. No other I/O.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import string
from collections.abc import Iterable

from osaid.errors import OsaidError

_FORMAT = 1


class Lexicon:
    """Words (lower case) and their frequencies; the likeliest word one edit from a non-word."""

    def __init__(self, frequencies: dict[str, int]):
        self.frequencies = frequencies

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.frequencies

    def known(self, words: Iterable[str]) -> set[str]:
        return {w for w in words if w in self.frequencies}

    def correction(self, word: str) -> str | None:
        """The most frequent word one edit (pyspellchecker's edits: a letter deleted, swapped with
        the next, changed or inserted) from word, or word itself when it is a word."""
        w = word.lower()
        if w in self.frequencies:
            return w
        letters = set(string.ascii_lowercase) | set(w)
        splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
        edits = {a + b[1:] for a, b in splits if b}
        edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        edits |= {a + c + b[1:] for a, b in splits if b for c in letters}
        edits |= {a + c + b for a, b in splits for c in letters}
        found = self.known(edits)
        return max(sorted(found), key=self.frequencies.__getitem__) if found else None


def _source() -> str:
    spec = importlib.util.find_spec("spellchecker")  # finds the package without importing it
    path = os.path.join(list(spec.submodule_search_locations or [""])[0], "resources", "en.json.gz") if spec else ""
    if not os.path.isfile(path):
        raise OsaidError("the English dictionary that decides spelling fixes is missing: osaid needs the package "
                         "pyspellchecker (pip install 'pyspellchecker>=0.8', or reinstall osaid)")
    return path


def _copy_path() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "osaid", "lexicon-en.marshal")


def load() -> Lexicon:
    source = _source()
    st = os.stat(source)
    stamp = (_FORMAT, source, st.st_size, st.st_mtime_ns)
    copy = None if os.environ.get("OSAID_NO_CACHE") else _copy_path()
    if copy is not None:
        try:
            with open(copy, "rb") as f:
                kept, frequencies = marshal.loads(f.read())  # marshal.load(f) reads slowly
            if kept == stamp and isinstance(frequencies, dict):
                return Lexicon(frequencies)
        except (OSError, ValueError, EOFError, TypeError):
            pass
    import gzip
    import json

    with open(source, "rb") as f:
        frequencies = {k.lower(): v for k, v in json.loads(gzip.decompress(f.read())).items()}
    if copy is not None:
        from osaid.fileio import write_quietly

        write_quietly(copy, marshal.dumps((stamp, frequencies)))  # atomic; a failure only costs speed
    return Lexicon(frequencies)

"""Reading a file piece by piece: a long list read once per distinct entry.

Most data files are a short head and one long list at the end (a section's
clauses, the checklist's rows, the components). Walks over hundreds of
versions (history, the releases that changelog and verify compare) read the
same entries again and again: a commit changes one clause. Pieces reads such a
file as its head plus one piece of text per entry, and parses each distinct
piece once (libyaml, strictly, as load.parse does); the file's data is the
head's with the list put back.

Exact, or not used. A file is read in pieces only when its text has the shape
in which that reading provably equals reading the whole (see split): the list
is the value of the head's last key, written on a line of its own (``key:``),
its entries start with ``- `` at one indentation and run to the end of the
file, no line is less indented (nothing of the entries can belong to the
head or to another entry), no line could be a document marker or a directive
once the entry is read on its own, and the only line breaks are ``\\n``.
Each piece is then parsed on its own, dedented: the same tokens in the same
relative columns, the head's state (block context, no open flow or quote) at
its start and at its end, since the piece parsed cleanly on its own. Any
other shape, and any piece or head with a problem, gives None: the caller
reads the whole text, so messages (with their lines) are the whole reading's.
libyaml only: ruamel's pure-Python scanner (load's fallback where ruamel.yaml.clib
cannot be imported) judges the blank lines that open a block scalar by their
absolute column ("more indented follow up line than first"), which a piece,
dedented, does not keep; without libyaml nothing is read in pieces.
tests/test_pieces.py checks this against the whole reading on generated
files, tricky ones included (block scalars with every chomping, quotes over
several lines, comments, markers, anchors).

Measured by bench/pieces.py (the 391 versions of a 5 KB section file, one clause
changed per version): 0.31 ms per version read whole, 0.04 ms in pieces.
"""

from __future__ import annotations

import re
from typing import Any

from osaid.data import load

_LIST_START = re.compile(r"\n([A-Za-z_][A-Za-z0-9_-]*):[ ]*\n(?=( *)-[ \n])")
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")
_MARKER = re.compile(r"^(?:---|\.\.\.)(?:[ \t\n]|$)|^%", re.MULTILINE)

MAX_PIECES = 40_000  # entries kept per generation (about 1 KB each): twice the clauses of a 4 MB definition


class Pieces:
    """The parses of heads and entries seen in this run, by their text. Entries read
    again are the same objects, so that checks of them (schema, hidden characters)
    can be kept by identity too (schema.validate's valid, validate's clean)."""

    def __init__(self) -> None:
        self.heads: dict[str, Any] = {}
        self.entries: dict[tuple[int, str], Any] = {}  # the entries read lately (a generation) ...
        self.older: dict[tuple[int, str], Any] = {}  # ... and those of the generation before
        self.valid: dict[tuple[int, int], Any] = {}  # schema checks that passed
        self.clean: dict[int, Any] = {}  # values with no hidden character

    def _rotate(self) -> None:
        """A new generation: entries not read during the last one are let go (memory stays
        bounded over any number of versions, and the entries still in use stay read)."""
        self.older, self.entries = self.entries, {}
        self.heads.clear()
        self.valid.clear()  # kept by identity: emptied with the objects they keep alive
        self.clean.clear()

    def parse(self, path: str, text: str) -> Any:
        """The data of text, as load.parse(path, text, agree=False) reads it when that
        finds no problem; None when text is not of the shape, or a piece has a problem, or
        libyaml is not there (see the module's docstring)."""
        if len(self.entries) > MAX_PIECES or len(self.valid) + len(self.clean) > 2 * MAX_PIECES:
            self._rotate()  # (valid and clean also keep the entries of files read whole, of any shape)
        if not load.with_libyaml():
            return None
        parts = split(text)
        if parts is None:
            return None
        key, head, indent, pieces = parts
        data = self.heads.get(head, False)
        if data is False:
            got, problems = load.parse(path, head, agree=False)
            ok = not problems and isinstance(got, dict) and got and next(reversed(got)) == key and got[key] is None
            data = self.heads[head] = got if ok else None
        if data is None:
            return None
        memo, older = self.entries, self.older
        new: list[tuple[int, str]] = []  # the pieces not read before (in this generation or the last)
        for piece in pieces:
            mk = (indent, piece)
            if mk not in memo:
                got = older.get(mk, False)
                if got is False:
                    new.append(mk)
                else:
                    memo[mk] = got
        if new and not self._read_new(path, list(dict.fromkeys(new)), memo):
            return None
        items = [memo[(indent, piece)][0] for piece in pieces]
        out = dict(data)
        out[key] = items
        return out

    @staticmethod
    def _read_new(path: str, new: list[tuple[int, str]], memo: dict) -> bool:
        """Read the new pieces, all in one libyaml reading (one reader set up, not one per entry);
        False if that finds a problem (then nothing is kept: the caller reads the whole file,
        for its messages)."""
        texts = [_dedent(piece, indent) for indent, piece in new]
        if any(_MARKER.search(t) for t in texts):
            return False  # a marker or a directive on its own, which it is not in the file
        got = load.parse_entries(path, texts)
        if got is None:
            return False
        for mk, entry in zip(new, got, strict=True):
            memo[mk] = [entry]
        return True


_PATTERNS: dict[int, tuple[re.Pattern, re.Pattern]] = {}


def split(text: str) -> tuple[str, str, int, list[str]] | None:
    """(the list's key, the head's text up to and with the key's line, the entries'
    indentation, each entry's text) of a file of the shape the module describes; None otherwise.
    (The patterns look for a line break, then what a line starts with: a scan for a
    literal, ten times faster than trying ^ at every character.)"""
    if not text.endswith("\n") or "\r" in text or (not text.isascii() and _OTHER_BREAKS.search(text)):
        return None
    last = None
    for found in _LIST_START.finditer("\n" + text):
        last = found
    if last is None:
        return None  # no line "key:" at the top followed at once by an entry
    head, body = text[:last.end() - 1], "\n" + text[last.end() - 1:]
    indent = len(last.group(2))
    patterns = _PATTERNS.get(indent)
    if patterns is None:  # a line less indented than the entries, or another thing at their indentation;
        less = f" {{0,{indent - 1}}}[^ \n]|" if indent else ""  # and where an entry starts
        patterns = _PATTERNS[indent] = (re.compile(f"\n(?:{less} {{{indent}}}(?:[^ \n#-]|-[^ \n]))"),
                                        re.compile(f"\n {{{indent}}}-[ \n]"))
    bad, entry = patterns
    if bad.search(body, 0, len(body) - 1):
        return None
    starts = [m.start() for m in entry.finditer(body)]  # in text after the head: one less ("\n")
    return last.group(1), head, indent, [body[a + 1:b + 1] for a, b in zip(starts, starts[1:] + [len(body) - 1], strict=True)]


def _dedent(piece: str, indent: int) -> str:
    if indent == 0:
        return piece
    return "".join(line[indent:] if line.startswith(" " * indent) else line.lstrip(" ")
                   for line in piece.splitlines(keepends=True))

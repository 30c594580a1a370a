"""Prose, word by word: tokens, word diffs, and whether a change is editorial.

No I/O. A change of prose is editorial when only whitespace, case,
punctuation, quote or dash style changed, or when every changed word is a
spelling fix (one word for one word, a small edit, no protected word, not a
change of number such as "weight" -> "weights"). GOVERNANCE.md (Severity)
states the same rules.
"""

from __future__ import annotations

import difflib
import re
from typing import NamedTuple

_TOKEN = re.compile(r"\s+|[\w'’]+|[^\w\s]", re.UNICODE)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                         "–": "-", "—": "-", "‒": "-", "−": "-", "\u00a0": " "})

# Words whose change is never a spelling fix: they carry the force of a rule.
PROTECTED = frozenset("""
must shall should may might can cannot could would will need needs required optional not no none nor
never any all every each some only except unless without with and or either neither both
use study modify share permission permit permits free freely open closed source
""".split())


class Op(NamedTuple):
    """One piece of a word diff: tag is 'equal', 'delete' or 'insert'."""

    tag: str
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def word_diff(before: str, after: str) -> list[Op]:
    """The word-level diff of two texts, as equal/delete/insert runs."""
    a, b = tokens(before), tokens(after)
    ops: list[Op] = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            _push(ops, "equal", "".join(a[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _push(ops, "delete", "".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            _push(ops, "insert", "".join(b[j1:j2]))
    return ops


def _push(ops: list[Op], tag: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].tag == tag:
        ops[-1] = Op(tag, ops[-1].text + text)
    else:
        ops.append(Op(tag, text))


def context(ops: list[Op], words: int = 8) -> list[Op]:
    """The diff with long unchanged runs cut to `words` words either side, marked '…'."""
    out: list[Op] = []
    for i, op in enumerate(ops):
        if op.tag != "equal":
            out.append(op)
            continue
        toks = tokens(op.text)
        words_in = [t for t in toks if not t.isspace()]
        first, last = i == 0, i == len(ops) - 1
        limit = words if (first or last) else 2 * words
        if len(words_in) <= limit:
            out.append(op)
            continue
        if first:
            out.append(Op("equal", "… " + _last_words(toks, words)))
        elif last:
            out.append(Op("equal", _first_words(toks, words) + " …"))
        else:
            out.append(Op("equal", _first_words(toks, words) + " … " + _last_words(toks, words)))
    return out


def _first_words(toks: list[str], n: int) -> str:
    out, seen = [], 0
    for t in toks:
        if not t.isspace():
            if seen == n:
                break
            seen += 1
        out.append(t)
    return "".join(out).rstrip()


def _last_words(toks: list[str], n: int) -> str:
    out, seen = [], 0
    for t in reversed(toks):
        if not t.isspace():
            if seen == n:
                break
            seen += 1
        out.append(t)
    return "".join(reversed(out)).lstrip()


def _words(text: str) -> list[str]:
    """The words of a text, lower case, with punctuation, quotes and dashes left out."""
    return [t.lower().replace("’", "'").strip("'") for t in tokens(str(text).translate(_QUOTES))
            if not t.isspace() and (t[0].isalnum() or t[0] == "_")]


def only_style(before: str, after: str) -> bool:
    """True when the texts differ only in whitespace, case, punctuation, quote or dash style."""
    return _words(before) == _words(after)


def spelling_fix(old: str, new: str) -> bool:
    """A one-word change that reads as a typo fix, not as a change of meaning."""
    o, n = old.lower(), new.lower()
    if o == n:
        return True
    if o in PROTECTED or n in PROTECTED or not (o.isalpha() and n.isalpha()):
        return False
    if min(len(o), len(n)) < 4:
        return False
    if o + "s" == n or n + "s" == o or o + "es" == n or n + "es" == o:
        return False  # a change of number
    allowed = 1 if max(len(o), len(n)) < 6 else 2
    return _distance(o, n) <= allowed


def editorial(before: str, after: str) -> bool:
    """True when a change of prose leaves its meaning as it was (see the module doc)."""
    a, b = _words(before), _words(after)
    if a == b:
        return True
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace" or i2 - i1 != j2 - j1:
            return False
        if not all(spelling_fix(x, y) for x, y in zip(a[i1:i2], b[j1:j2])):
            return False
    return True


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0..1, by their words."""
    return difflib.SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()

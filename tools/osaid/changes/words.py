"""Prose, word by word: tokens, word diffs, and whether a change is editorial.

No I/O. A change of prose is editorial when it provably leaves the meaning
alone: only whitespace, case, punctuation, quote or dash style changed, or
every changed word is a spelling fix. A spelling fix turns a word that is not
English (by pyspellchecker's dictionary, loaded only when a change passes
every other check) into the word it most likely meant, by one edit (a letter
changed, added or removed, or two letters swapped), where neither word
carries a rule (PROTECTED), is capitalised (it may be a name) or is written
in two scripts, the old word is not made of words (pre + processing, data +
sets: the dictionary lacks many) nor a word the changed document still uses
elsewhere (its jargon), and no word of another meaning (a negating affix, ex-/in-,
-ful/-less, another number) is as close.

Never editorial: a change of a number, URL, e-mail address or identifier
(Apache-2.0), even in its punctuation; of a symbol that carries meaning
(%, $, /, &, <); of an invisible format character (a bidi control that
reorders what readers see, a zero-width space); of a hyphen inside a
compound; of the case or form of a defined term (defined_terms).
GOVERNANCE.md (Severity of a change) states the same rules.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from osaid.changes.lexicon import Lexicon

UsedWords = Callable[[], frozenset[str]]  # the words of the changed document, computed when first needed

_TOKEN = re.compile(r"\s+|[\w'’]+|[^\w\s]", re.UNICODE)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                         "–": " - ", "—": " - ", "‒": " - ", "−": "-", "\u2010": "-", "\u2011": "-",
                         "\u00a0": " "})
_WORD = re.compile(r"[\w']+(?:-[\w']+)*|[^\w\s]", re.UNICODE)  # on _norm(text): compounds whole
_MEANINGFUL = frozenset("/&%#@§¶†‡")  # punctuation that is not style (symbols, category S, are kept too)
_EDGE = "\"'([{<>}]).,;:!?*"
_IDENT = re.compile(r"[^\W_][-./_+:][^\W_]")
_QUOTED = re.compile(r'"([^"]{1,80})"')
_CAPS = re.compile(r"\b[A-Z][\w-]*(?: [A-Z][\w-]*)+")
_DETERMINERS = frozenset("The A An This That These Those Its Our Their Each Every Any".split())
NEGATING = ("non", "un", "in", "im", "il", "ir", "dis", "anti", "mis")
_PREFIXES = ("pre", "re", "co", "sub", "multi", "over", "under", "post", "inter", "intra", "self", "semi", "non",
             "meta", "micro", "macro", "auto", "cross", "de")

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


def word_diff(before: str, after: str, grouped: bool = True) -> list[Op]:
    """The word-level diff of two texts, as equal/delete/insert runs; grouped (the default), a
    phrase replaced reads as one deleted and one inserted phrase (phrases)."""
    ops = _token_diff(before, after)
    return phrases(ops) if grouped else ops


def opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes of a against b, with the common head and tail matched first: a clause
    edited in one place is compared in its changed middle only (five times faster on a sentence).
    For judging a change (editorial), where only which words replaced which counts: matching
    them first never lengthens a diff (a longest common subsequence can always keep them), but
    where a text repeats a word next to a change, the alignment may differ from difflib's on the
    whole (which of two equal words is the inserted one), so what readers see is difflib's."""
    n = min(len(a), len(b))
    head = tail = 0
    while head < n and a[head] == b[head]:
        head += 1
    while tail < n and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    if head + tail > n:  # they overlap (a word inserted next to a space): the longer keeps the
        if head >= tail:  # shared tokens, as difflib's longest match does (the earlier on a tie)
            tail = n - head
        else:
            head = n - tail
    out: list[tuple[str, int, int, int, int]] = [("equal", 0, head, 0, head)] if head else []
    mid_a, mid_b = a[head:len(a) - tail], b[head:len(b) - tail]
    if mid_a and mid_b:
        sm = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        out += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in sm.get_opcodes()]
    elif mid_a:
        out.append(("delete", head, len(a) - tail, head, head))
    elif mid_b:
        out.append(("insert", head, head, head, len(b) - tail))
    if tail:
        out.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    merged: list[tuple[str, int, int, int, int]] = []
    for op in out:  # an equal run next to another (the middle began or ended with a match): one run
        if merged and op[0] == "equal" == merged[-1][0]:
            merged[-1] = ("equal", merged[-1][1], op[2], merged[-1][3], op[4])
        else:
            merged.append(op)
    return merged


def _token_diff(before: str, after: str) -> list[Op]:
    a, b = tokens(before), tokens(after)
    ops: list[Op] = []
    # difflib on the whole, for what a reader sees: where a space next to a change could go to
    # either side, it takes the longest match's (opcodes, below, may choose the other)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _push(ops, "equal", "".join(a[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _push(ops, "delete", "".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            _push(ops, "insert", "".join(b[j1:j2]))
    return ops


# Short function words: a run of changes separated only by these (and single spaces) is one phrase.
FUNCTION_WORDS = frozenset("""
a an the of to in on at by for from with as and or nor but its it is are be this that
""".split())
_WORD_CHAR = re.compile(r"\w", re.UNICODE)
_WORD_CHAR_RUN = re.compile(r"[\w'’-]+", re.UNICODE)


def phrases(ops: list[Op]) -> list[Op]:
    """The diff for a reader: a run of changed words separated only by single unchanged spaces,
    or by a short function word between two replacements, becomes one deleted phrase and one
    inserted phrase, as `git diff --word-diff` and latexdiff show a phrase replaced:
    [-None stated for-]{+Available under OSD-compliant+}, not word against word. Where a sentence
    mostly stayed, its unchanged words keep every change apart. A change of whitespace or
    punctuation alone is never merged into a phrase: it stays visible on its own (whitespace).
    Only the presentation: severity is judged word by word on the texts (editorial)."""
    blocks: list = []  # an equal Op, or a [deleted, inserted] pair of a run of changes
    for op in ops:
        if op.tag == "equal":
            blocks.append(op)
        elif blocks and isinstance(blocks[-1], list):
            blocks[-1][op.tag == "insert"] += op.text
        else:
            blocks.append(["", ""])
            blocks[-1][op.tag == "insert"] += op.text
    out: list = []
    for block in blocks:
        if isinstance(block, list) and len(out) >= 2 and isinstance(out[-2], list) \
                and _joins(out[-2], out[-1].text, block):
            gap = out.pop().text
            out[-1] = [out[-1][0] + gap + block[0], out[-1][1] + gap + block[1]]
        else:
            out.append(block)
    result: list[Op] = []
    for block in out:
        if isinstance(block, Op):
            result.append(block)
        else:
            _push(result, "delete", block[0])
            _push(result, "insert", block[1])
    return result


def _joins(left: list, gap: str, right: list) -> bool:
    """Whether two runs of changes, with gap unchanged between them, read as one phrase."""
    if not all(_WORD_CHAR.search(x[0] + x[1]) for x in (left, right)):
        return False  # a change of punctuation or whitespace alone stays apart
    if gap == " ":
        return True
    parts = tokens(gap)
    spaces, words_in = parts[0::2], parts[1::2]
    if not (len(words_in) <= 2 and len(parts) % 2 and all(t == " " for t in spaces)
            and all(w.lower() in FUNCTION_WORDS for w in words_in)):
        return False
    # across a function word: two replacements, one of them already a phrase (two words or more);
    # two single words replaced around "of" (typos, a term) keep their word-level detail
    return all(x[0] and x[1] for x in (left, right)) and \
        max(_count(t) for x in (left, right) for t in x) >= 2


def _count(text: str) -> int:
    return len(_WORD_CHAR_RUN.findall(text))


SPACE_MARKS = str.maketrans({" ": "·", "\n": "⏎", "\t": "⇥", "\u00a0": "⍽", "\r": "␍"})


def is_space(op: Op) -> bool:
    """A deleted or inserted run of whitespace only (shown with markers: space_marks)."""
    return op.tag != "equal" and op.text.isspace()


def space_marks(text: str) -> str:
    """Whitespace made visible: · a space, ⏎ a line break, ⇥ a tab, ⍽ a no-break space."""
    return text.translate(SPACE_MARKS)


def display(op: Op) -> str:
    """The text of an op as a reader sees it: a change of whitespace alone with markers."""
    return space_marks(op.text) if is_space(op) else op.text


def whitespace_only(ops: Iterable[Op] | None) -> bool:
    """True when every change of a word diff is whitespace (a space added, removed or replaced)."""
    changed = [op for op in ops or () if op.tag != "equal"]
    return bool(changed) and all(op.text.isspace() for op in changed)


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


def _norm(text: str) -> str:
    """NFC, quotes and dashes of one style, every hyphen the ASCII one."""
    return unicodedata.normalize("NFC", str(text)).translate(_QUOTES)


def _words(text: str) -> list[str]:
    """The words of a text, lower case, with style punctuation (quotes, dashes, stops) left out.
    A hyphenated compound ("man-eating") is one word; a symbol that carries meaning (%, $, /, &,
    +, <, ...) counts as a word."""
    out = []
    for t in _WORD.findall(_norm(text)):
        if t[0].isalnum() or t[0] in "_'":
            w = t.lower().strip("'")
            if w:
                out.append(w)
        elif t in _MEANINGFUL or (unicodedata.category(t).startswith("S") and t not in "`^"):
            out.append(t)
    return out


def only_style(before: str, after: str) -> bool:
    """True when the texts differ only in whitespace, case, punctuation, quote or dash style."""
    return _words(before) == _words(after) and _same_fixed_parts(before, after)


def _same_fixed_parts(before: str, after: str) -> bool:
    """The same literals, and the same invisible format characters (bidi controls that reorder
    what a reader sees, zero-width characters)."""
    return _literals(before) == _literals(after) and _invisible(before) == _invisible(after)


def _invisible(text: str) -> list[str]:
    text = str(text)
    if text.isascii():
        return []  # no format character is ASCII
    return [ch for ch in text if unicodedata.category(ch) == "Cf"]


def _literals(text: str) -> list[str]:
    """Numbers, URLs, e-mail addresses and identifiers (Apache-2.0, CC-BY-SA): kept character for
    character, since a change of their punctuation or case changes what they name."""
    out = []
    for chunk in _norm(text).split():
        c = chunk.strip(_EDGE)
        if c.isalpha():
            continue  # letters only (most words): no digit, no mark of an address or identifier
        if c and (any(ch.isdigit() for ch in c) or "://" in c or "@" in c or c.lower().startswith("www.")
                  or (_IDENT.search(c) and any(ch.isupper() for ch in c))):
            out.append(c)
    return out


def _script(word: str) -> set[str]:
    return {unicodedata.name(ch, "?").split(" ")[0] for ch in word if ch.isalpha()}


def _variants(word: str) -> set[str]:
    """Words of another meaning spelt almost alike: with or without a negating affix, ex-/in-
    swapped, -ful/-less swapped, another number."""
    out = {word + "s", word + "es"}
    for p in NEGATING:
        out.add(p + word)
        if word.startswith(p) and len(word) > len(p) + 2:
            out.add(word[len(p):])
    for a, b in (("ex", "in"), ("ex", "im"), ("in", "ex"), ("im", "ex"), ("ful", "less"), ("less", "ful")):
        if word.startswith(a) and a[0] in "ei":
            out.add(b + word[len(a):])
        if word.endswith(a) and a[0] in "fl":
            out.add(word[:-len(a)] + b)
    if word.endswith("s"):
        out.add(word[:-1])
    if word.endswith("es"):
        out.add(word[:-2])
    out.discard(word)
    return out


def _candidate(o: str, n: str) -> bool:
    """The checks of a spelling fix that need no dictionary (o, n: lower case, different)."""
    if "-" in o or "-" in n:  # a compound: part for part
        po, pn = o.split("-"), n.split("-")
        return len(po) == len(pn) and all(x == y or _candidate(x, y) for x, y in zip(po, pn, strict=True))
    if o in PROTECTED or n in PROTECTED or not (o.isalpha() and n.isalpha()):
        return False
    if len(_script(o) | _script(n)) != 1:
        return False  # a homoglyph from another script (Cyrillic а for Latin a) is no typo
    if min(len(o), len(n)) < 3:
        return False
    if _distance(o, n) != 1:  # one letter changed, added, removed, or two swapped
        return False
    # The typo must not be as close to a word that carries a rule: "nto" may be "not".
    return not any(_distance(o, p) <= 1 for p in PROTECTED)


def _pairs(o: str, n: str) -> list[tuple[str, str]]:
    if "-" in o:
        return [(x, y) for x, y in zip(o.split("-"), n.split("-"), strict=False) if x != y]
    return [(o, n)]


@functools.lru_cache(maxsize=1)
def _dictionary() -> Lexicon:
    """English words and their frequencies (pyspellchecker's): loaded only for a candidate fix."""
    from osaid.changes import lexicon

    return lexicon.load()


def _is_word(d: Lexicon, w: str) -> bool:
    """In the dictionary, or made of words it has: a prefix and a word (pre + processing), or two
    words of four letters or more (data + sets, code + base): the dictionary lacks many of those."""
    if w in d:
        return True
    if any(w.startswith(p) and len(w) - len(p) >= 4 and w[len(p):] in d for p in _PREFIXES):
        return True
    return any(w[:i] in d and w[i:] in d for i in range(4, len(w) - 3))


def _is_fix(o: str, n: str, used: UsedWords | None = None) -> bool:
    """o is not an English word (nor one of used(): the changed document's), n is one, the most
    likely correction of o, and no word that differs from n in negation or number is as close to o."""
    d = _dictionary()
    if _is_word(d, o) or n not in d or d.correction(o) != n or (used is not None and o in used()):
        return False
    # Nor as close to a word of another meaning spelt like n: "ilegal" may be "illegal".
    return not any(_distance(o, v) <= 1 for v in d.known(_variants(n)))


def spelling_fix(old: str, new: str) -> bool:
    """A one-word change from a word that is not English to the word it most likely meant,
    one edit away, that reads as no other word of another meaning (see the module doc)."""
    if old[:1].isupper() or new[:1].isupper():
        return False  # may be a name (_names)
    o, n = _norm(old).lower(), _norm(new).lower()
    if o == n:
        return True
    return _candidate(o, n) and all(_is_fix(x, y) for x, y in _pairs(o, n))


def _names(text: str) -> set[str]:
    """The words (lower case) that may be names: every capitalised one (Davide, Llama, JSON).
    A dictionary cannot correct a name, and cannot tell one from a typo that starts a sentence."""
    return {t.lower() for t in _WORD.findall(_norm(text)) if t[0].isupper()}


def defined_terms(texts: Iterable[str]) -> frozenset[str]:
    """The terms that `term` clauses define: their quoted phrases and runs of two or more
    capitalised words ("Open Source AI"), with every shorter run of two or more within."""
    out: set[str] = set()
    for text in texts:
        t = " ".join(_norm(text).split())
        out.update(p.strip() for p in _QUOTED.findall(t) if p.strip())
        for run in _CAPS.findall(t):
            ws = run.split()
            while ws and ws[0] in _DETERMINERS:
                ws = ws[1:]
            ws = ws[:8]
            out.update(" ".join(ws[i:j]) for i in range(len(ws)) for j in range(i + 2, len(ws) + 1))
    return frozenset(out)


def _term_places(text: str, terms: Iterable[str]) -> list[tuple[int, str]]:
    """Where each defined term stands, exactly cased, as (the number of words before it, term)."""
    t = " ".join(_norm(text).split())
    return sorted((len(_words(t[:m.start()])), term) for term in terms
                  for m in re.finditer(r"(?<![\w-])" + re.escape(term) + r"(?:'?s|es)?(?![\w-])", t))


def used_words(texts: Iterable[str]) -> frozenset[str]:
    """The words that texts use: given the changed document's, the words that no spelling fix
    removes. A typo fixed is gone from the document; a word of its own (jargon such as json or
    repo, which the dictionary lacks) changed in one place but kept in another is no typo."""
    return frozenset(w for text in texts for w in _words(text))


def editorial(before: str, after: str, terms: Iterable[str] = (),
              used: UsedWords | None = None) -> bool:
    """True when a change of prose leaves its meaning as it was (see the module doc).
    terms: defined terms (defined_terms): a change of their case or form is not editorial.
    used: a function returning the words of the changed document (used_words), called only
    when a change is left that only the dictionary can decide."""
    if not _same_fixed_parts(before, after):
        return False
    if terms and _term_places(before, terms) != _term_places(after, terms):
        return False
    a, b = _words(before), _words(after)
    if a == b:
        return True
    pairs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            continue
        if tag != "replace" or i2 - i1 != j2 - j1:
            return False
        pairs += zip(a[i1:i2], b[j1:j2], strict=True)
    if not all(_candidate(x, y) for x, y in pairs):  # before the dictionary is loaded
        return False
    names = _names(before) | _names(after)
    if any(x in names or y in names for x, y in pairs):
        return False
    return all(_is_fix(x, y, used) for o, n in pairs for x, y in _pairs(o, n))


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

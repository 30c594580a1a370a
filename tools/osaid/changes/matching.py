"""The two matching kernels of the diff, each subquadratic in practice and exact.

- `similar_pairs`: every (old, new) pair of texts whose word similarity
  (difflib's ratio over words) reaches a threshold, found without comparing
  every pair: a pair is only scored when cheap upper bounds of its ratio
  (lengths, shared characters, shared words) can still reach the threshold,
  and only pairs sharing a word of their rare-word prefixes are looked at
  (prefix filtering, as in set-similarity joins: two bags of words that
  overlap enough must share one of the rarest words of each). The result is
  the same as scoring every pair.
- `stayed`: which items of a reordered list kept their relative order (a
  longest common subsequence of two orderings of the same IDs), in
  O(n log n) as a longest increasing subsequence, weighted so that among
  equally long ones the one keeping most items at their index wins.

No I/O.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Hashable

from osaid.changes import words


class _Text:
    __slots__ = ("key", "text", "chars", "words", "bag")

    def __init__(self, key: Hashable, text: str):
        self.key, self.text = key, text
        self.chars = Counter(text)
        self.words = words._words(text)
        self.bag = Counter(self.words)


def _ratio(matches: int, length: int) -> float:
    return 2.0 * matches / length if length else 1.0  # difflib's own arithmetic


def _overlap(a: Counter, b: Counter) -> int:
    if len(a) > len(b):
        a, b = b, a
    return sum(min(n, b[k]) for k, n in a.items() if k in b)


def similar_pairs(old: list[tuple], new: list[tuple], threshold: float) -> list[tuple]:
    """[(similarity, old key, new key)] for every pair of (key, text) items whose text is
    the same (1.0) or whose character bounds reach threshold and whose word similarity,
    rounded to 4 places, reaches it too."""
    olds = [_Text(k, t) for k, t in old]
    news = [_Text(k, t) for k, t in new]
    if not olds or not news:
        return []
    # Word bags as sets of (word, occurrence) tokens, ordered rarest first.
    freq: Counter = Counter()
    for t in olds + news:
        freq.update((w, i) for w, n in t.bag.items() for i in range(n))

    low = threshold - 0.00005  # rounding to 4 places lifts anything above this to the threshold

    def prefix(t: _Text) -> list:
        toks = sorted(((w, i) for w, n in t.bag.items() for i in range(n)), key=lambda x: (freq[x], x))
        # A pair reaching the threshold overlaps in at least c * len words (Dice: 2O/(|x|+|y|) >= t
        # and |y| >= O give O >= t|x|/(2-t)); such bags share a token of their first len - c*len + 1.
        need = math.ceil(low * len(toks) / (2 - low) - 1e-9)
        return toks[: len(toks) - need + 1]

    index: dict = {}
    for j, t in enumerate(news):
        for tok in prefix(t):
            index.setdefault(tok, []).append(j)
    by_text: dict[str, list[int]] = {}
    for j, t in enumerate(news):
        by_text.setdefault(t.text, []).append(j)
    no_words = [j for j, t in enumerate(news) if not t.words]

    out = []
    matchers: dict[int, difflib.SequenceMatcher] = {}
    for o in olds:
        cands = set(by_text.get(o.text, ())) | set(no_words)
        for tok in prefix(o):
            cands.update(index.get(tok, ()))
        if not o.words:
            cands = set(range(len(news)))
        la = len(o.text)
        for j in sorted(cands):
            n = news[j]
            if o.text == n.text:
                out.append((1.0, o.key, n.key))
                continue
            lb = len(n.text)
            if _ratio(min(la, lb), la + lb) < threshold or _ratio(_overlap(o.chars, n.chars), la + lb) < threshold:
                continue
            wl = len(o.words) + len(n.words)
            if round(_ratio(_overlap(o.bag, n.bag), wl), 4) < threshold:
                continue
            sm = matchers.get(j)
            if sm is None:
                sm = matchers[j] = difflib.SequenceMatcher(None, autojunk=False)
                sm.set_seq2(n.words)
            sm.set_seq1(o.words)
            sim = round(sm.ratio(), 4)
            if sim >= threshold:
                out.append((sim, o.key, n.key))
    return out


def stayed(a: list, b: list) -> set:
    """The items of a longest common subsequence of a and b, two orderings of the same
    distinct items (those that stayed in place); among equally long ones, the one keeping
    most items at their index, then the one keeping the earliest items of b."""
    pos = {x: i for i, x in enumerate(a)}
    n = len(a)
    # Weighted longest increasing subsequence of positions in a, taken in b's order, built
    # from the end: weight 1000 per item (length first), +1 for an item at the same index in
    # both. A Fenwick tree over positions (reversed) holds the best chain starting after.
    tree: list[tuple[int, int]] = [(0, 1)] * (n + 1)  # (weight, -index in b); -index: earliest wins

    def best_after(p: int) -> tuple[int, int]:
        res, i = (0, 1), n - 1 - p  # positions > p are reversed indexes < n - 1 - p
        while i > 0:
            res = max(res, tree[i])
            i -= i & -i
        return res

    def put(p: int, val: tuple[int, int]) -> None:
        i = n - p
        while i <= n:
            tree[i] = max(tree[i], val)
            i += i & -i

    chain: list[tuple[int, int]] = [(0, 1)] * len(b)
    for j in range(len(b) - 1, -1, -1):
        p = pos[b[j]]
        weight, after = best_after(p)
        chain[j] = (weight + 1000 + (p == j), after)
        put(p, (chain[j][0], -j))
    out: set = set()
    j = -max(((w, -k) for k, (w, _) in enumerate(chain)), default=(0, 1))[1]  # -1: nothing
    while j >= 0:
        out.add(b[j])
        j = -chain[j][1]
    return out

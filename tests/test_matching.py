"""The diff's matching kernels are exact: the fast versions agree with the plain
definitions (every pair scored; the quadratic longest-common-subsequence table)."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from osaid.changes import matching, words


def all_pairs(old: list[tuple], new: list[tuple], threshold: float) -> list[tuple]:
    """The definition: score every pair (character bounds first, as the diff always did)."""
    out = []
    for ok, a in old:
        for nk, b in new:
            if a == b:
                out.append((1.0, ok, nk))
                continue
            sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
            if sm.real_quick_ratio() < threshold or sm.quick_ratio() < threshold:
                continue
            sim = round(words.similarity(a, b), 4)
            if sim >= threshold:
                out.append((sim, ok, nk))
    return out


def lcs_table(a: list, b: list) -> set:
    """The definition: a longest common subsequence by the full table; ties go to the one
    keeping most items at their index, then to the earliest items of b."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = (table[i + 1][j + 1] + 1000 + (i == j) if a[i] == b[j]
                           else max(table[i + 1][j], table[i][j + 1]))
    out, i, j = set(), 0, 0
    while i < n and j < m:
        if a[i] == b[j] and table[i][j] == table[i + 1][j + 1] + 1000 + (i == j):
            out.add(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


VOCAB = "a an the model data weights code open use study share modify free any purpose of to".split()
texts = st.lists(st.lists(st.sampled_from(VOCAB), max_size=14).map(" ".join), max_size=9)


@settings(max_examples=400, deadline=None)
@given(texts, texts, st.sampled_from([0.5, 0.8, 0.9]))
def test_similar_pairs_are_every_pair_that_reaches_the_threshold(old, new, threshold):
    o = [(("clause", f"o{i}"), f"text={t}") for i, t in enumerate(old)]
    n = [(("clause", f"n{i}"), f"text={t}") for i, t in enumerate(new)]
    assert sorted(matching.similar_pairs(o, n, threshold)) == sorted(all_pairs(o, n, threshold))


def test_similar_pairs_on_near_copies():
    old = [(("c", str(i)), f"text=clause {i} about the model weights and data of system {i}") for i in range(50)]
    new = [(("c", f"x{i}"), t.replace("about", "on")) for (_, i), t in old]
    got = matching.similar_pairs(old, new, 0.8)
    assert sorted(got) == sorted(all_pairs(old, new, 0.8))
    assert {(o[1], n[1]) for s, o, n in got if s > 0.9} == {(str(i), f"x{i}") for i in range(50)}


@settings(max_examples=1000, deadline=None)
@given(st.permutations(list(range(25))), st.permutations(list(range(25))), st.integers(0, 25))
def test_stayed_is_the_longest_common_subsequence(a, b, k):
    a = a[:k]
    b = [x for x in b if x in set(a)]
    assert matching.stayed(a, b) == lcs_table(a, b)

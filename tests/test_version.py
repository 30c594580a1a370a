"""The version scheme, stated independently of the implementation.

The order is a table of versions written by hand, the state machine is the table of GOV-11 in
GOVERNANCE.md read as data, and the order's properties are checked over versions generated as text.
Nothing here computes a version the way osaid.version does (no key(), no transitions()).
"""

from __future__ import annotations

import itertools
import random
import re

import pytest
from conftest import REPO
from hypothesis import given
from hypothesis import strategies as st

from osaid.releases.version import Version, VersionError, check_transition, next_version

# Every version in its true order (DESIGN.md section 3 "Versions"; README "Versions and releases";
# GOVERNANCE.md GOV-11): early drafts by number (0.0.10 after 0.0.9, not between 0.0.1 and 0.0.2),
# then for each X.Y its drafts, its RCs (RC10 after RC2), the final, its errata; then the next minor or major.
ORDER = [
    "0.0.1", "0.0.2", "0.0.5", "0.0.9", "0.0.10", "0.0.11", "0.0.100",
    "1.0-RC1", "1.0-RC2", "1.0-RC9", "1.0-RC10",
    "1.0", "1.0.1", "1.0.2", "1.0.9", "1.0.10",
    "1.1-draft1", "1.1-draft2", "1.1-draft10", "1.1-RC1", "1.1-RC2", "1.1", "1.1.1",
    "1.2-draft1", "1.2",
    "1.9", "1.10-draft1", "1.10-RC1", "1.10", "1.10.1",
    "2.0-draft1", "2.0-draft2", "2.0-RC1", "2.0", "2.0.1", "2.1-draft1",
    "3.0-draft1", "10.0-draft1", "10.0",
]


def test_the_documented_order_is_part_of_the_table():
    """README states an order; the table agrees with it (and so with the documents it was written from)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"Order: ((?:[0-9][0-9A-Za-z.-]*[0-9] <\s+)+[0-9][0-9A-Za-z.-]*[0-9])\.", readme)
    assert stated, "README's section on versions no longer states the order"
    documented = re.split(r"\s+<\s+", stated[1])
    assert len(documented) >= 8
    positions = [ORDER.index(v) for v in documented]
    assert positions == sorted(positions), documented


def test_shuffled_copies_sort_into_the_table():
    parsed = [Version.parse(v) for v in ORDER]
    rng = random.Random(20240126)
    for _ in range(50):
        shuffled = parsed[:]
        rng.shuffle(shuffled)
        assert [str(v) for v in sorted(shuffled)] == ORDER
    assert [str(v) for v in sorted(reversed(parsed))] == ORDER
    assert str(min(parsed)) == ORDER[0] and str(max(parsed)) == ORDER[-1]


def test_every_pair_compares_as_the_table_says():
    parsed = [Version.parse(v) for v in ORDER]
    wrong = []
    for (i, a), (j, b) in itertools.product(enumerate(parsed), repeat=2):
        got = (a < b, a == b, a > b)
        if got != (i < j, i == j, i > j):
            wrong.append(f"{a} vs {b}: <, ==, > gave {got}")
    assert wrong == []


def test_every_comparison_operator_answers():
    a, b = Version.parse("1.0"), Version.parse("1.1")
    assert (a <= b, a >= b, b <= b, b >= a) == (True, False, True, True)


@pytest.mark.parametrize("text", ["1", "v1.0", "1.0-rc1", "1.0-RC0", "0.0.0", "01.0", "1.0.0", "1.0-draft0",
                                  "0.1", "1.0-RC1.1", "", "1.0 ", 1.0])
def test_invalid_versions(text):
    with pytest.raises(VersionError) as e:
        Version.parse(text)
    assert "is not a version: use 0.0.N, X.Y-draftN, X.Y-RCN, X.Y or X.Y.Z" in str(e.value)


# The state machine. GOVERNANCE.md (GOV-11) writes the versions that may follow each one; the kind of
# bump that gives each is not in that sentence, so it is written here, from DESIGN.md section 3 and
# README ("Versions and releases": "0.0.N -> 0.0.N+1 (draft) or 1.0-RC1 (rc)" ...). A test below
# checks that this table and GOVERNANCE.md list the same transitions.
KINDS = ("draft", "rc", "final", "errata", "minor", "major")
MACHINE = {
    "0.0.N": {"draft": "0.0.N+1", "rc": "1.0-RC1"},
    "X.Y-draftN": {"draft": "X.Y-draftN+1", "rc": "X.Y-RC1"},
    "X.Y-RCn": {"rc": "X.Y-RC(n+1)", "final": "X.Y"},
    "X.Y[.Z]": {"errata": "X.Y.(Z+1)", "minor": "X.(Y+1)-draft1", "major": "(X+1).0-draft1"},
}


def _governance_machine() -> dict[str, set[str]]:
    """GOV-11's list of transitions ("A -> B or C; ..."), as data."""
    doc = (REPO / "GOVERNANCE.md").read_text(encoding="utf-8")
    section = doc.split("### GOV-11 ", 1)[1].split("\n### ", 1)[0]
    asks = " ".join(section.split("**Why.**", 1)[0].split())
    sentence = asks.split("may follow it:", 1)[1].rsplit(".", 1)[0]
    machine = {}
    for rule in sentence.split(";"):
        old, new = (s.strip() for s in rule.split("->"))
        machine[old] = {t.strip() for t in re.split(r",|\bor\b", new) if t.strip()}
    return machine


def test_the_table_is_governance_md_s_state_machine():
    assert _governance_machine() == {old: set(new.values()) for old, new in MACHINE.items()}


def _instance(pattern: str, values: dict[str, int]) -> str:
    """One concrete version of a pattern: X.Y[.Z] with Z=0 is X.Y; (X+1), N+1 are computed."""
    text = pattern.replace("[.Z]", f".{values['Z']}" if values["Z"] else "")
    text = re.sub(r"\(([XYZNn])\+1\)|([XYZNn])\+1", lambda m: str(values[m[1] or m[2]] + 1), text)
    return re.sub(r"[XYZNn]", lambda m: str(values[m[0]]), text)


def _cases():
    """(version, {kind: next version}) for many concrete values of each row of the table."""
    for old, row in MACHINE.items():
        for x, y, z, n in itertools.product((1, 2, 9, 10), (0, 1, 9, 10), (0, 1, 9), (1, 2, 9, 10)):
            values = {"X": x, "Y": y, "Z": z, "N": n, "n": n}
            yield _instance(old, values), {kind: _instance(new, values) for kind, new in row.items()}


def test_instances_of_the_table_look_right():
    """The instantiation itself, on a few cases worked out by hand."""
    cases = dict(_cases())
    assert cases["0.0.9"] == {"draft": "0.0.10", "rc": "1.0-RC1"}
    assert cases["1.9-draft10"] == {"draft": "1.9-draft11", "rc": "1.9-RC1"}
    assert cases["2.0-RC9"] == {"rc": "2.0-RC10", "final": "2.0"}
    assert cases["1.0"] == {"errata": "1.0.1", "minor": "1.1-draft1", "major": "2.0-draft1"}
    assert cases["9.10.9"] == {"errata": "9.10.10", "minor": "9.11-draft1", "major": "10.0-draft1"}


def test_each_version_and_kind_gives_what_the_table_says():
    wrong = []
    cases = dict(_cases())
    assert len(cases) > 150
    for old, row in cases.items():
        v = Version.parse(old)
        for kind in KINDS:
            try:
                got = str(next_version(v, kind))
            except VersionError as e:
                got = f"refused ({e})"
            expected = row.get(kind)
            if (got != expected) if expected else not got.startswith("refused"):
                wrong.append(f"{old} --{kind}--> {got}, the table says {row.get(kind, 'refused')}")
    assert wrong == []


def test_check_transition_accepts_exactly_the_table():
    """A version may follow another only as the table says: nothing skipped, nothing backwards."""
    cases = dict(_cases())
    candidates = sorted(set(cases) | {t for row in cases.values() for t in row.values()} | set(ORDER))
    wrong = []
    for old, row in cases.items():
        allowed = set(row.values())
        for new in candidates:
            message = check_transition(Version.parse(old), Version.parse(new))
            if (message is None) != (new in allowed):
                wrong.append(f"{old} -> {new}: {message or 'accepted'}")
    assert wrong == []


@pytest.mark.parametrize("old,kind,message", [
    ("0.0.5", "final", "cannot bump 0.0.5 with final: the next version is 0.0.6 (draft) or 1.0-RC1 (rc)"),
    ("0.0.5", "errata", "cannot bump 0.0.5 with errata: the next version is 0.0.6 (draft) or 1.0-RC1 (rc)"),
    ("1.0-RC1", "draft", "cannot bump 1.0-RC1 with draft: the next version is 1.0-RC2 (rc) or 1.0 (final)"),
    ("1.0", "rc", "cannot bump 1.0 with rc: the next version is 1.0.1 (errata) or 1.1-draft1 (minor) "
                  "or 2.0-draft1 (major)"),
    ("1.1-draft1", "final", "cannot bump 1.1-draft1 with final: the next version is 1.1-draft2 (draft) "
                            "or 1.1-RC1 (rc)"),
])
def test_invalid_transitions(old, kind, message):
    with pytest.raises(VersionError) as e:
        next_version(Version.parse(old), kind)
    assert str(e.value) == message


def test_skipping_a_version_is_refused_with_the_valid_ones():
    assert check_transition(Version.parse("0.0.5"), Version.parse("0.0.7")) == \
        "0.0.7 cannot follow 0.0.5: the next version is 0.0.6 (draft) or 1.0-RC1 (rc)"
    assert check_transition(Version.parse("1.0-RC1"), Version.parse("1.0.1")) is not None


# Versions generated as the text a user writes (the grammar of GOVERNANCE.md), never as the dataclass.
number = st.integers(min_value=1, max_value=120).map(str)
minor = st.integers(min_value=0, max_value=120).map(str)
texts = st.one_of(
    st.builds("0.0.{}".format, number),
    st.builds("{}.{}-draft{}".format, number, minor, number),
    st.builds("{}.{}-RC{}".format, number, minor, number),
    st.builds("{}.{}".format, number, minor),
    st.builds("{}.{}.{}".format, number, minor, number),
)


@given(texts)
def test_text_round_trip(text):
    v = Version.parse(text)
    assert str(v) == text
    assert Version.parse(str(v)) == v


@given(texts, texts)
def test_order_is_total_and_equality_is_sameness(a, b):
    va, vb = Version.parse(a), Version.parse(b)
    assert (va < vb) + (vb < va) + (va == vb) == 1
    assert (va == vb) == (a == b)
    assert (va == vb) <= (hash(va) == hash(vb))


@given(texts, texts)
def test_order_is_antisymmetric(a, b):
    va, vb = Version.parse(a), Version.parse(b)
    assert not (va < vb and vb < va)
    assert (va > vb) == (vb < va)


@given(texts, texts, texts)
def test_order_is_transitive(a, b, c):
    for x, y, z in itertools.permutations([Version.parse(t) for t in (a, b, c)]):
        if x < y and y < z:
            assert x < z, f"{x} < {y} < {z}"
        if x == y and y == z:
            assert x == z


@given(texts)
def test_every_allowed_bump_goes_forward(text):
    v = Version.parse(text)
    for kind in KINDS:
        try:
            nxt = next_version(v, kind)
        except VersionError:
            continue
        assert v < nxt, f"{v} --{kind}--> {nxt} goes backwards"
        assert check_transition(v, nxt) is None

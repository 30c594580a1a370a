"""The version scheme: parse, order, transitions (examples and properties)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osaid.releases.version import Version, VersionError, check_transition, next_version

ORDER = ["0.0.5", "0.0.9", "1.0-RC1", "1.0-RC2", "1.0", "1.0.1", "1.1-draft1", "1.1-RC1", "1.1", "2.0-draft1"]


def test_documented_order():
    parsed = [Version.parse(v) for v in ORDER]
    assert sorted(parsed, key=Version.key) == parsed
    assert [str(v) for v in parsed] == ORDER


@pytest.mark.parametrize("text", ["1", "v1.0", "1.0-rc1", "1.0-RC0", "0.0.0", "01.0", "1.0.0", "1.0-draft0",
                                  "0.1", "1.0-RC1.1", "", "1.0 ", 1.0])
def test_invalid_versions(text):
    with pytest.raises(VersionError) as e:
        Version.parse(text)
    assert "is not a version: use 0.0.N, X.Y-draftN, X.Y-RCN, X.Y or X.Y.Z" in str(e.value)


VALID = [
    ("0.0.5", "draft", "0.0.6"), ("0.0.5", "rc", "1.0-RC1"), ("1.0-RC1", "rc", "1.0-RC2"),
    ("1.0-RC2", "final", "1.0"), ("1.0", "errata", "1.0.1"), ("1.0.1", "errata", "1.0.2"),
    ("1.0", "minor", "1.1-draft1"), ("1.0.2", "minor", "1.1-draft1"), ("1.1-draft1", "draft", "1.1-draft2"),
    ("1.1-draft2", "rc", "1.1-RC1"), ("1.1", "major", "2.0-draft1"), ("2.0-draft1", "rc", "2.0-RC1"),
]


@pytest.mark.parametrize("old,kind,new", VALID)
def test_valid_transitions(old, kind, new):
    assert str(next_version(Version.parse(old), kind)) == new
    assert check_transition(Version.parse(old), Version.parse(new)) is None


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


n = st.integers(min_value=1, max_value=30)
versions = st.one_of(
    n.map(lambda i: Version(0, 0, 0, "draft", i)),
    st.tuples(st.integers(1, 9), st.integers(0, 9), n).map(lambda t: Version(t[0], t[1], 0, "draft", t[2])),
    st.tuples(st.integers(1, 9), st.integers(0, 9), n).map(lambda t: Version(t[0], t[1], 0, "rc", t[2])),
    st.tuples(st.integers(1, 9), st.integers(0, 9), st.integers(0, 9)).map(lambda t: Version(t[0], t[1], t[2])),
)


@given(versions)
def test_text_round_trip(v):
    assert Version.parse(str(v)) == v


@given(versions)
def test_every_transition_goes_forward(v):
    for kind, nxt in v.transitions().items():
        assert v < nxt, f"{v} --{kind}--> {nxt} goes backwards"
        assert check_transition(v, nxt) is None


@given(versions, versions)
def test_order_is_total_and_matches_key(a, b):
    assert (a < b) + (b < a) + (a == b) == 1
    assert (a < b) == (a.key() < b.key())


@given(versions, versions, versions)
def test_order_is_transitive(a, b, c):
    if a < b and b < c:
        assert a < c


@given(versions)
def test_only_listed_kinds_are_allowed(v):
    for kind in ("draft", "rc", "final", "errata", "minor", "major"):
        if kind in v.transitions():
            assert next_version(v, kind) == v.transitions()[kind]
        else:
            with pytest.raises(VersionError):
                next_version(v, kind)

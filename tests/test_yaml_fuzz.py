"""One reading of YAML, and a formatter that cannot change data: a differential fuzz.

Hypothesis mutates this repository's data files (characters and YAML tokens
inserted, deleted and replaced, indentation changed, line ends changed,
comments added) and checks, for every mutant: either osaid rejects it with
located problems (exit 1), or the libyaml reading, ruamel's round-trip
reading and osaid's data all agree in values and types, and fmt either keeps
the data exactly (and is idempotent) or refuses with GOV-5. Never a crash,
never a silent difference. The bulk runs in-process; a few mutants go
through the real `osaid` script. More examples: `OSAID_FUZZ_MORE=1 pytest tests/test_yaml_fuzz.py`.
"""

from __future__ import annotations

import datetime
import os
import random

import pytest
from conftest import DATA_DIRS, REPO, run_console
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osaid.data import fmt, layout, load

FILES = {rel: (REPO / rel).read_text(encoding="utf-8") for rel in layout.discover(REPO)
         if rel.split("/", 1)[0] in DATA_DIRS}  # what data_repo copies

TOKENS = [
    ":", ": ", "-", "- ", " ", "  ", "\n", "\n  ", "\t", "#", " # note", "'", '"', "''", "[", "]", "{", "}",
    ",", "&a ", "*a", "!", "!!str ", "!foo ", "|", "|-", ">", ">-", "? ", "%YAML 1.1\n---\n", "---", "...",
    "\r", "\r\n", "\x85", "\u2028", "\u2029", "\\", "\\n", "@", "`", "yes", "no", "on", "1.10", "~", "null",
    "2024-01-01", "0x1F", "0o17", "1e3", ".nan", "é", "\ufeff", "\x1b", "\x00", "<<: ", "true", "=", "%",
]


def _mutate(text: str, rnd: random.Random, count: int) -> str:
    for _ in range(count):
        op = rnd.randrange(8)
        i = rnd.randrange(len(text) + 1)
        if op == 0:  # insert a token
            text = text[:i] + rnd.choice(TOKENS) + text[i:]
        elif op == 1:  # delete a few characters
            text = text[:i] + text[i + rnd.randrange(1, 4):]
        elif op == 2:  # replace a character with a token
            text = text[:i] + rnd.choice(TOKENS) + text[i + 1:]
        elif op == 3:  # change the indentation of a line
            lines = text.split("\n")
            n = rnd.randrange(len(lines))
            stripped = lines[n].lstrip(" ")
            lines[n] = " " * max(0, len(lines[n]) - len(stripped) + rnd.choice([-4, -2, -1, 1, 2, 4])) + stripped
            text = "\n".join(lines)
        elif op == 4:  # other line ends
            text = text.replace("\n", rnd.choice(["\r\n", "\r", "\n\n"]))
        elif op == 5:  # a comment at the end of a line, or on its own line
            lines = text.split("\n")
            n = rnd.randrange(len(lines))
            lines[n] = lines[n] + rnd.choice(["  # note", " #", "# x"]) if rnd.random() < 0.5 else lines[n]
            if rnd.random() < 0.5:
                lines.insert(n, " " * rnd.randrange(6) + "# own line")
            text = "\n".join(lines)
        elif op == 6:  # a long value, with odd characters
            word = rnd.choice(["word", "x" * 90, "two  spaces", "tail ", "a\tb", "é", "\x85", "\u2028"])
            text = text[:i] + " ".join([word] * rnd.randrange(1, 30)) + text[i:]
        else:  # swap two lines
            lines = text.split("\n")
            a, b = rnd.randrange(len(lines)), rnd.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
    return text


def typed(value):
    """Data as a comparable tree where the type counts (True is not 1, 1.0 is not 1, '1' is not 1)."""
    if isinstance(value, dict):
        return ("map", sorted(((typed(k), typed(v)) for k, v in value.items()), key=repr))
    if isinstance(value, list):
        return ("seq", [typed(v) for v in value])
    if value is None:
        return ("null",)
    if isinstance(value, bool) or type(value).__name__ == "ScalarBoolean":
        return ("bool", bool(value))
    for kind in (int, float, str, bytes):
        if isinstance(value, kind):
            return (kind.__name__, repr(kind(value)))
    if isinstance(value, (datetime.datetime, datetime.date)):
        return (type(value).__mro__[-3 if isinstance(value, datetime.datetime) else -2].__name__,
                value.isoformat())
    return (type(value).__name__, repr(value))


def libyaml(text: str):
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(text)


def roundtrip(text: str):
    from ruamel.yaml import YAML

    return YAML().load(text)


def check_one(rel: str, text: str) -> str:
    """What osaid did with one mutant: 'rejected', 'kept', 'formatted' or 'refused'."""
    new, refused = fmt.format_text(rel, text)
    if new is None and refused[0].rule == "GOV-1":
        assert all(p.rule == "GOV-1" and p.line >= 0 and p.message for p in refused), refused
        assert load.parse(rel, text)[1], "fmt refused what parse accepts"
        return "rejected"
    data, problems = load.parse(rel, text)
    assert not problems, f"parse refused what fmt accepts: {problems}"
    assert typed(libyaml(text)) == typed(data), "the libyaml reading differs from osaid's data"
    assert typed(roundtrip(text)) == typed(data), "the round-trip reading differs from osaid's data"
    if new is None:
        assert [p.rule for p in refused] == ["GOV-5"], refused
        assert "cannot put this file in canonical form without changing its data: " in refused[0].message
        return "refused"
    assert typed(libyaml(new)) == typed(data), "fmt changed the data (libyaml reading)"
    # (formatting it again reads it both ways, and must change nothing)
    assert fmt.format_text(rel, new) == (new, []), "fmt is not idempotent"
    return "kept" if new == text else "formatted"


def window(text: str, rnd: random.Random) -> str:
    """Up to 16 consecutive lines of a file (the whole of a small one): small inputs, many cases."""
    lines = text.split("\n")
    if len(lines) <= 16:
        return text
    start = rnd.randrange(len(lines) - 8)
    return "\n".join(lines[start:start + rnd.randrange(8, 17)])


mutants = st.tuples(st.sampled_from(sorted(FILES)), st.integers(0, 2**32 - 1), st.integers(1, 4))


def _run(case) -> None:
    rel, seed, count = case
    rnd = random.Random(seed)
    check_one(rel, _mutate(window(FILES[rel], rnd), rnd, count))


@settings(max_examples=5000, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutants)
def test_mutants_are_read_one_way_and_formatted_without_loss(case):
    _run(case)


@pytest.mark.skipif(not os.environ.get("OSAID_FUZZ_MORE"), reason="50,000 more mutants: OSAID_FUZZ_MORE=1")
@settings(max_examples=50_000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutants)
def test_many_more_mutants(case):
    _run(case)


def test_a_few_mutants_through_the_osaid_script(data_repo):
    """The real console script on mutated files: exit 0 or 1, a message, never a
    traceback; fmt rewrites only with the data kept, or writes nothing at all."""
    rnd = random.Random(2024)
    outcomes = set()
    for _round in range(4):
        texts = {}
        for rel in rnd.sample(sorted(FILES), 3):
            texts[rel] = _mutate(FILES[rel], rnd, 1)
            (data_repo / rel).write_bytes(texts[rel].encode("utf-8"))
        for args in (["validate"], ["fmt"]):
            r = run_console(*args, cwd=data_repo)
            assert r.returncode in (0, 1), (args, r.stdout, r.stderr)
            assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
            assert r.returncode == 0 or r.stdout, (args, r.stderr)
        outcomes.add("formatted" if "reformatted" in r.stdout else "refused" if r.returncode else "kept")
        for rel, text in texts.items():
            now = (data_repo / rel).read_bytes().decode("utf-8")
            if "reformatted" in r.stdout:
                assert typed(libyaml(now)) == typed(load.parse(rel, text)[0]), rel
            else:
                assert now == text, f"{rel} changed although fmt wrote nothing"
            (data_repo / rel).write_text(FILES[rel], encoding="utf-8")
    assert outcomes >= {"refused", "formatted"}, outcomes

"""data/pieces.py: a file read piece by piece is read exactly as the whole, or not at all.

The property, on generated texts and on mutants of this repository's data files:
Pieces().parse(path, T) is None, or it equals (values and types, recursively) what
load.parse(path, T, agree=False) reads while that reading finds no problem; when the
whole reading finds a problem, pieces gives None. Also with one Pieces reused over many
versions of a file (one entry changed per version, as history reads them), through
validate.check (same problems, same data), and for load._plainly_allowed (what it lets
through holds no tag, anchor, alias, directive, nor nesting deeper than MAX_DEPTH).
The texts come from a grammar aimed at the hard parts: block scalars of every
chomping and indentation, quotes and flows over several lines, comments and blank
lines at every indentation, document markers and directives inside entries,
anchors/aliases/tags, keys after the list, a second list, entries at indentation 0,
tabs, other line breaks, BOMs, deep nesting, huge files.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from typing import Any

import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_yaml_fuzz import _mutate, typed

from osaid.data import load, pieces, validate
from osaid.data.pieces import Pieces

PATH = "definition/x.yaml"
DATA_FILES = sorted(p.relative_to(REPO).as_posix() for d in ("definition", "checklist")
                    for p in (REPO / d).rglob("*.yaml"))


def agrees(text: str, memo: Pieces | None = None) -> Any:
    """The property on one text; returns what pieces read (None or the data)."""
    got = (memo or Pieces()).parse(PATH, text)
    whole, problems = load.parse(PATH, text, agree=False)
    if got is not None:
        assert not problems, f"pieces read a text the whole reading refuses ({problems[0]}):\n{text!r}"
        assert typed(got) == typed(whole), f"pieces and the whole reading differ:\n{text!r}\n{got!r}\n{whole!r}"
        assert _order(got) == _order(whole), f"the keys are in another order:\n{text!r}"
    return got


def _order(value: Any) -> Any:
    """The order of the keys of every mapping (typed compares mappings as sets)."""
    if isinstance(value, dict):
        return [(repr(k), _order(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_order(v) for v in value]
    return None


# --- a grammar of tricky YAML ---------------------------------------------------------------

SCALARS = ["x", "two words", "1", "1.5", "true", "null", "~", "2024-01-01", "0x1F", "'q'", '"d\\tq"', "a # c",
           "a:b", "-x", "''", "'it''s'", '"\\u00e9"', "é", "yes", "=", ".nan", "[]", "{}", "a\tb", "x  "]
ODD_LINES = ["---", "...", "--- x", "... # c", "%YAML 1.2", "%TAG ! tag:x,2000:", "# c", "#", "-", "- ", "\t",
             "\t# c", "key: v", "\ufeff", "\ufeffx", "&a x", "*a", "!!str x", "? k", ": v", "[", "]", "'", '"']


class Rnd(random.Random):
    """random.Random with a wildness: how often the grammar writes what is likely wrong."""

    def __init__(self, seed: int):
        super().__init__(seed)
        self.wild = self.choice([0.0, 0.05, 0.2, 0.5])

    def odd(self) -> bool:
        return self.random() < self.wild


def _lines(rnd: Rnd, col: int, depth: int, dash: bool = True) -> tuple[str, list[str]]:
    """A node written at column col: (what follows its indicator on the same line, the lines after).
    dash: the node follows "- " (where a collection may start on the same line), not "key:"."""
    kind = rnd.randrange(12 if depth < 4 else 6)
    if kind in (1, 4) and not rnd.odd():
        kind = rnd.choice([0, 2, 3, 5])
    if kind == 0:  # a plain scalar, maybe over several lines
        more = [" " * (col + rnd.choice([0, 1, 2])) + rnd.choice(SCALARS[:8]) for _ in range(rnd.choice([0, 0, 1, 2]))]
        return rnd.choice(SCALARS), more
    if kind == 1:  # a quoted scalar over several lines, the lines at any indentation
        q = rnd.choice(["'", '"'])
        body = [" " * rnd.choice([0, col - 1, col, col + 1, col + 2] if rnd.odd() else [col + 1, col + 2])
                + rnd.choice(["a", "", "# not", "- b", "...", "---", "\\", "b\\", "%x"]) for _ in range(rnd.randrange(1, 4))]
        body[-1] += q
        return q + rnd.choice(["x", "", "\\"]), [b if b.strip() else b for b in body]
    if kind == 2:  # a block scalar: | >, chomping, an indentation indicator, trailing blank lines
        head = rnd.choice("|>")
        flags = [rnd.choice(["", "-", "+"]), rnd.choice(["", "1", "2", "4"])]
        rnd.shuffle(flags)
        step = rnd.choice([1, 2, 2, 4])
        body = []
        for _ in range(rnd.randrange(0, 5)):
            r = rnd.random()
            if r < 0.2:
                body.append(" " * rnd.randrange(0, col + 6))  # a blank line with spaces
            elif r < 0.3 and rnd.odd():
                body.append(" " * (col + rnd.choice([-1, 0, 1])) + rnd.choice(ODD_LINES))
            else:
                more = rnd.choice([0, 0, 0, 1, 2]) if body or rnd.odd() else 0
                body.append(" " * (col + step + more) + rnd.choice(SCALARS + (ODD_LINES if rnd.odd() else [])))
        if not rnd.odd():  # an indentation indicator that fits the lines
            flags = [f for f in flags if not f.isdigit()]
        body += [" " * rnd.randrange(0, col + 4) for _ in range(rnd.choice([0, 0, 1, 2]))]
        return head + "".join(flags) + rnd.choice(["", " # c"]), body
    if kind == 3:  # a flow collection over several lines
        parts = [rnd.choice(SCALARS[:8] + ["[a, b]", "{k: v}", "k: v", "? k"]) for _ in range(rnd.randrange(0, 4))]
        opening, closing = rnd.choice(["[]", "{}"])
        lines = [opening]
        for p in parts:
            if rnd.random() < 0.5:
                lines.append(" " * rnd.choice([0, col, col + 1, col + 2] if rnd.odd() else [col + 1, col + 2]))
            lines[-1] += p + ","
        lines[-1] += closing
        return lines[0], lines[1:]
    if kind == 4:  # anchors, aliases, tags
        return rnd.choice(["&a x", "*a", "!!str 1", "!x y", "&b [1]", "!!binary aGk=", "&c", "*c"]), []
    if kind == 5:  # nothing: "-" or "key:" alone
        return rnd.choice(["", " ", " # c"]), []
    if kind in (6, 7, 8, 9):  # a mapping
        first = dash or rnd.odd()
        out: list[str] = []
        line = ""
        ind = col + rnd.choice([0, 2]) if depth and not (first and rnd.random() < 0.7) else col
        keys = ["id", "text", "k", "a b", "'q'", "? x", "id"] if rnd.odd() else ["id", "text", "k", "a b", "'q'"]
        for key in rnd.sample(keys, rnd.randrange(1, 4)):
            sub = ind + rnd.choice([2, 2, 1, 4])
            same, after = _lines(rnd, sub, depth + 1, dash=False)
            entry = f"{key}:" + (" " + same if same else "")
            if first and ind == col:
                line, first = entry, False
            else:
                out.append(" " * ind + entry)
            out += after
            out += _noise(rnd, col)
        return line, out
    # a sequence, inline ("- - a") or on the next lines
    out = []
    inline = (dash or rnd.odd()) and rnd.random() < 0.4
    ind = col + rnd.choice([0, 2]) if depth and not inline else col
    line = ""
    for i in range(rnd.randrange(1, 4)):
        same, after = _lines(rnd, ind + 2, depth + 1)
        entry = "-" + (" " + same if same else "")
        if i == 0 and inline:
            line = entry
        else:
            out.append(" " * ind + entry)
        out += after
    return line, out


def _noise(rnd: Rnd, col: int) -> list[str]:
    """Comment, blank and odd lines, at any indentation (less than the entries' too)."""
    out = []
    while rnd.random() < 0.25:
        spaces = " " * rnd.choice([0, max(col - 1, 0), col, col + 1, col + 2])
        out.append(rnd.choice(["", spaces, spaces + "# c"] + ([spaces + rnd.choice(ODD_LINES)] if rnd.odd() else [])))
    return out


def entry(rnd: Rnd, indent: int) -> str:
    """One entry of the list at indent, with the lines that follow it."""
    same, after = _lines(rnd, indent + 2, 0)
    lines = [" " * indent + "-" + (" " + same if same else "")] + after + _noise(rnd, indent)
    return "\n".join(lines) + "\n"


HEADS = [
    "id: x\ntitle: T\n", "", "\ufeffid: x\n", "%YAML 1.2\n---\nid: x\n", "--- # c\nid: x\n", "id: x\n# c\n",
    "a: |\n  b\n", "a: >+\n  b\n\n", "a: 'q\n  r'\n", 'a: "q\n  r"\n', "a: [1,\n  2]\n", "? k\n: v\n",
    "a:\n- 1\n", "a:\n  - 1\n", "a: &x 1\n", "a: !!str 1\n", "a: |\n", 'a: "\n', "a: '\n", "a: [\n",
    "a: |\n  x\n  ", "--- |\n", "--- >\n  x\n", "a:\n  b: {c: [d,\n    e]}\n", "clauses: 1\n", "a: 1\n...\n",
    "%YAML 1.1\n---\n", "a: 1\n%YAML 1.2\n", "a: b\n  c\n", "id: x\n\n  \n", "a:\n  - |\n    q\n",
]


def document(rnd: Rnd) -> str:
    """A file: a head, the list, maybe things after it; then, sometimes, raw mutations."""
    indent = rnd.choice([0, 0, 2, 2, 2, 1, 3, 4])
    key = rnd.choice(["clauses", "rows", "clauses", "x-y", "_k", "true", "null"] if rnd.odd() else ["clauses", "rows"])
    text = rnd.choice(HEADS if rnd.odd() else HEADS[:6]) + key + ":" + rnd.choice(["", "", " ", "  "]) + "\n"
    text += "".join(entry(rnd, indent) for _ in range(rnd.randrange(1, 6)))
    r = rnd.random() if rnd.odd() else 1
    if r < 0.05:
        text += "after: 1\n"  # a key after the list
    elif r < 0.1:
        text += "more:\n" + entry(rnd, indent)  # a second list
    elif r < 0.15:
        text += rnd.choice(["...\n", "---\n", "--- x\n", "# end\n", "\n", " \n", "x", ""])
    if rnd.odd():
        text = _mutate(text, rnd, rnd.randrange(1, 3))
    if rnd.odd() and rnd.odd():
        text = text.replace("\n", rnd.choice(["\r\n", "\r", "\x85", "\u2028"]), rnd.randrange(1, 3))
    return text


@settings(max_examples=4000, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_generated_texts_read_in_pieces_as_whole(seed):
    agrees(document(Rnd(seed)))


def test_the_grammar_reaches_the_fast_path_and_both_refusals():
    """The generator is not vacuous: many texts are read in pieces, many refused whole, many not split."""
    seen = {"pieces": 0, "refused": 0, "unsplit": 0}
    for seed in range(600):
        text = document(Rnd(seed))
        if agrees(text) is not None:
            seen["pieces"] += 1
        elif load.parse(PATH, text, agree=False)[1]:
            seen["refused"] += 1
        if pieces.split(text) is None:
            seen["unsplit"] += 1
    assert min(seen.values()) > 60, seen


@pytest.mark.skipif(not os.environ.get("OSAID_FUZZ_MORE"), reason="100,000 more texts: OSAID_FUZZ_MORE=1")
@settings(max_examples=100_000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_many_more_generated_texts(seed):
    agrees(document(Rnd(seed)))


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_one_pieces_over_many_versions_agrees(seed):
    """History's case: a base file, then versions that change, add or drop one entry (a new
    entry, or bytes of one mutated), all read with one warm Pieces."""
    rnd = Rnd(seed)
    indent = rnd.choice([0, 2, 2, 4])
    head = rnd.choice(HEADS[:6]) + "clauses:\n"
    entries = [entry(rnd, indent) for _ in range(rnd.randrange(2, 8))]
    memo = Pieces()
    for _version in range(12):
        agrees(head + "".join(entries), memo)
        i = rnd.randrange(len(entries))
        op = rnd.random()
        if op < 0.4:
            entries[i] = entry(rnd, indent)
        elif op < 0.8:
            entries[i] = _mutate(entries[i], rnd, 1)
        elif op < 0.9:
            entries.insert(i, entries[rnd.randrange(len(entries))])  # a repeated entry: the same piece twice
        elif len(entries) > 1:
            del entries[i]
    agrees(head + "".join(entries), memo)


@settings(max_examples=1500, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DATA_FILES), st.integers(0, 2**32 - 1), st.integers(1, 3))
def test_mutants_of_the_repository_files_read_in_pieces_as_whole(rel, seed, count):
    rnd = Rnd(seed)
    text = (REPO / rel).read_text(encoding="utf-8")
    agrees(_mutate(text, rnd, count))


def test_the_repository_files_take_the_fast_path():
    """The canonical files that end in a long list are of the shape (else the fast path would be dead code)."""
    read = {rel for rel in DATA_FILES if agrees((REPO / rel).read_text(encoding="utf-8")) is not None}
    assert read >= {"checklist/checklist.yaml", "checklist/components.yaml", "definition/preamble.yaml",
                    "definition/ai-system.yaml", "definition/preferred-form.yaml"}, read


# --- regressions and edges, written out -------------------------------------------------------

EDGES = [
    # block scalars: chomping, indentation indicators, trailing blank lines (with spaces), at 0 and 2
    "id: x\nclauses:\n- |+\n  a\n\n  \n- >-\n  b\n\n",
    "id: x\nclauses:\n  - |2-\n     a\n    b\n\n  # c\n\n  - |+\n    a\n      \n",
    "id: x\nclauses:\n- a: |1\n   x\n  b: >\n\n    y\n- |\n",
    # quotes and flows over several lines; comments at the entries' indentation inside them
    "id: x\nclauses:\n  - 'a\n  # not a comment\n    b'\n  - \"c\\\n    d\"\n",
    "id: x\nclauses:\n  - [a,\n    b, {c: d,\n      e: f}]\n  # c\n  - x\n",
    # markers and directives inside entries: at column 0 once dedented
    "id: x\nclauses:\n  - |\n    x\n  ---\n", "id: x\nclauses:\n  - a\n  ...\n", "id: x\nclauses:\n  - a\n  %YAML 1.2\n",
    "id: x\nclauses:\n  - 'a\n  --- b'\n", "id: x\nclauses:\n  - \"a\n    ... b\"\n",
    # keys after the list, a second list, the list's key inside a scalar of the head
    "id: x\nclauses:\n- a\nafter: 1\n", "id: x\nclauses:\n- a\nmore:\n- b\n",
    "a: 'q\nclauses:\n- b'\n", "a: |\n  q\nclauses:\n- b\n", "a: \"\nclauses:\n- b\"\n", "--- |\nclauses:\n- b\n",
    # anchors, aliases and tags across entries
    "id: x\nclauses:\n- &a x\n- *a\n", "id: x\nclauses:\n- !!str 1\n", "id: &h x\nclauses:\n- *h\n",
    # "-" alone, tabs, other line breaks, a BOM
    "id: x\nclauses:\n-\n-\n  a\n- \n", "id: x\nclauses:\n-\ta\n", "id: x\nclauses:\n- a\t\n  \t\n",
    "id: x\r\nclauses:\r\n- a\r\n", "id: x\nclauses:\n- a\r- b\n", "id: x\nclauses:\n- a\u2028- b\n",
    "id: x\nclauses:\n- a\x85- b\n", "\ufeffid: x\nclauses:\n- a\n", "id: x\nclauses:\n  - a\n    \ufeff- b\n",
    "id: x\nclauses:\n- a\n\ufeff- b\n",
    # comments and blank lines less indented than the entries
    "id: x\nclauses:\n  - a\n# c\n  - b\n", "id: x\nclauses:\n  - a\n \n\n  - b\n",
    # duplicate keys inside an entry and in the head; a key that YAML reads as something else
    "id: x\nclauses:\n- a: 1\n  a: 2\n", "clauses: 1\nclauses:\n- a\n", "true:\n- a\n", "null:\n- a\n",
    # libyaml's bound on a simple key (1024 characters), counted from where the key starts
    "id: x\nclauses:\n  - " + "k" * 1000 + ": v\n", "id: x\nclauses:\n  - " + "k" * 1100 + ": v\n",
    "id: x\nclauses:\n  - [" + "k" * 1100 + ": v]\n",
]


def test_written_out_edges():
    read = [text for text in EDGES if agrees(text) is not None]
    assert len(read) > 10  # the fast path is taken for the well-formed ones


def _deep(shape: str, indent: int, n: int) -> str:
    pad = " " * indent
    if shape == "block":
        return "clauses:\n" + pad + "- " * n + "x\n"
    if shape == "flow":
        return "clauses:\n" + pad + "- " + "[" * n + "x" + "]" * n + "\n"
    return "clauses:\n" + pad + "-" + "".join(f"\n{pad}{' ' * (2 * i + 2)}k{i}:" for i in range(n)) + " x\n"


def test_nesting_counts_the_head_mapping_and_the_list():
    """MAX_DEPTH = 64 counts the file's mapping and the list: an entry may nest 62 more
    collections, not 63, read in pieces or whole."""
    for shape in ("block", "flow", "mapping"):
        for indent in (0, 2):
            for n in range(load.MAX_DEPTH - 4, load.MAX_DEPTH + 2):
                text = _deep(shape, indent, n)
                inner = n if shape != "block" else n - 1  # "- - x": the first dash is the list's
                refused = bool(load.parse(PATH, text, agree=False)[1])
                assert refused == (2 + inner > load.MAX_DEPTH), (shape, indent, n)
                assert (agrees(text) is None) == refused, (shape, indent, n)


def test_a_huge_file_reads_in_pieces():
    rnd = Rnd(7)
    entries = [f"  - id: c{i}\n    text: >-\n      {' '.join(rnd.choice(SCALARS[:3]) for _ in range(30))}\n"
               for i in range(3000)]
    text = "id: x\ntitle: T\nclauses:\n" + "".join(entries)
    assert len(agrees(text)["clauses"]) == 3000


# --- load._plainly_allowed: what it lets through holds nothing the strict pass refuses ---------


def _strict_forced(monkeypatch, text: str, nested: int) -> list:
    with monkeypatch.context() as m:
        m.setattr(load, "_plainly_allowed", lambda text, nested: False)
        return load._strict_events(PATH, text, nested)


def _plainly_allowed_holds(monkeypatch, text: str) -> None:
    for nested in (0, 1, 5):
        if load._plainly_allowed(text, nested):
            problems = _strict_forced(monkeypatch, text, nested)
            refusals = ("aliases", "anchors", "YAML tags", "nested deeper", "%")
            assert not [p for p in problems if p.message.startswith(refusals)], (text, problems)
            with monkeypatch.context() as m:
                m.setattr(load, "_plainly_allowed", lambda text, nested: False)
                slow = load.parse(PATH, text, agree=False, nested=nested)
            fast = load.parse(PATH, text, agree=False, nested=nested)
            assert (typed(fast[0]), fast[1]) == (typed(slow[0]), slow[1]), text  # the same data, the same problems


@settings(max_examples=1500, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**32 - 1))
def test_plainly_allowed_lets_through_nothing_refused(monkeypatch, seed):
    rnd = Rnd(seed)
    text = document(rnd)
    _plainly_allowed_holds(monkeypatch, text)
    for piece in (pieces.split(text) or (None, None, None, []))[3]:
        _plainly_allowed_holds(monkeypatch, piece)


def test_plainly_allowed_at_the_depth_bound(monkeypatch):
    for n in range(load.MAX_DEPTH - 3, load.MAX_DEPTH + 3):
        for text in ("- " * n + "x\n", "[" * n + "]" * n + "\n", "{a: " * n + "b" + "}" * n + "\n",
                     "".join(f"{' ' * (2 * i)}k:\n" for i in range(n))):
            _plainly_allowed_holds(monkeypatch, text)
    assert not load._plainly_allowed("a: 1 # ok?!\n", 0)  # a tag-like character anywhere: the strict pass runs
    assert not load._plainly_allowed("- x\n" * 64, 1)
    # a second document, then a syntax error: the strict pass reports the error, as it did before the shortcut
    text = "rows:\n- x\n---\n- {\n   ? k},1,}\n"
    assert not load._plainly_allowed(text, 0)
    assert "did not find expected '-' indicator" in load.parse(PATH, text, agree=False)[1][0].message


# --- the pure-Python fallback (no ruamel.yaml.clib) reads as the C path ------------------------

BAD = ["a: &x 1\n", "a: !!str 1\n", "%YAML 1.1\n---\na: 1\n", "a: *x\n", "a: [\n", "a: 1\na: 2\n", "- " * 70 + "x\n",
       "a: 1\n---\nb: 2\n", "a: 2024-02-30\n", "<<: {a: 1}\n", "? [a]\n: b\n", "a: 'x\n", "a: b: c\n",
       "%TAG ! tag:x,2000:\n---\na: 1\n", "- a\nb: c\n", "a: |\n  x\n y\n", "\x07a: 1\n"]
PURE_READER = """
import json, sys
if sys.argv[1] == "pure":
    sys.modules["_ruamel_yaml"] = None  # as where ruamel.yaml.clib is not installed
from osaid.data import load
out = []
for text in json.load(sys.stdin):
    data, problems = load.parse("x.yaml", text, agree=False)
    out.append([repr(data), [[p.line, p.rule] for p in problems], type(load._safe()).__name__,
                load._safe().__name__])
print(json.dumps(out))
"""


def test_the_pure_python_fallback_reads_as_libyaml():
    """The repository's files and a few bad texts: the same data, problems on the same lines (the
    messages are each parser's own). Generated texts that both readings accept (agree=True, what
    the hook checks before a commit): the same data. (On others the two differ, e.g. libyaml reads
    "- a<TAB>b" and "--- |" with text at column 0 as the round-trip reading does not.)"""
    texts = [(REPO / rel).read_text(encoding="utf-8") for rel in DATA_FILES]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "governance").glob("*.yaml"))]
    generated = [text for text in (document(Rnd(seed)) for seed in range(1000)) if not load.parse(PATH, text)[1]]
    got = {}
    for mode in ("c", "pure"):
        r = subprocess.run([sys.executable, "-c", PURE_READER, mode], input=json.dumps(texts + BAD + generated),
                           capture_output=True, text=True, check=True)
        got[mode] = json.loads(r.stdout)
    assert {row[3] for row in got["c"]} == {"Loader"} and {row[3] for row in got["pure"]} == {"Pure"}
    assert len(generated) > 150
    for text, c, pure in zip(texts + BAD + generated, got["c"], got["pure"], strict=True):
        assert c[:2] == pure[:2], text  # the same data; problems on the same lines
    assert all(row[1] == [] for row in got["c"][:len(texts)])
    assert all(row[1] for row in got["c"][len(texts):len(texts) + len(BAD)])


PURE_PIECES = """
import json, sys
sys.modules["_ruamel_yaml"] = None
sys.path.insert(0, sys.argv[1])
from test_yaml_fuzz import typed
from osaid.data import load
from osaid.data.pieces import Pieces
out = []
for text in json.load(sys.stdin):
    got = Pieces().parse("definition/x.yaml", text)
    data, problems = load.parse("definition/x.yaml", text, agree=False)
    out.append([None if got is None else repr(typed(got)), repr(typed(data)), bool(problems)])
print(json.dumps(out))
"""
PURE_BREAKS = [  # read in pieces, refused whole by ruamel's pure-Python scanner: a blank line opening a block
    "rows:\n  - - |+ # c\n  \n    \n",  # scalar is judged by its absolute column, which a piece does not keep
    "id: x\ntitle: T\nclauses:  \n   -  \n   - >- # c\n \n   - |-\n        \n   -\n     - >\n",
]


def test_without_libyaml_pieces_reads_nothing_it_should_not():
    """Where ruamel.yaml.clib cannot be imported, load reads with ruamel's pure-Python parser,
    whose scanner is not the same on a piece as on the whole: pieces must then give None
    where the whole reading refuses (it now reads nothing in pieces)."""
    texts = PURE_BREAKS + [document(Rnd(seed)) for seed in range(1500)]
    r = subprocess.run([sys.executable, "-c", PURE_PIECES, str(REPO / "tests")], input=json.dumps(texts),
                       capture_output=True, text=True, check=True)
    for text, (got, whole, refused) in zip(texts, json.loads(r.stdout), strict=True):
        assert got is None or (not refused and got == whole), text


# --- validate.check with pieces: the same problems and data as without ------------------------

CLAUSES = [
    "  - id: c{n}\n    text: Plain text.\n",
    "  - id: c{n}\n    kind: term\n    text: >-\n      Folded text\n      over two lines.\n",
    "  - id: c{n}\n    text: Text.\n    extra: 1\n",  # a schema error: an unknown key
    "  - id: c{n}\n    kind: nonsense\n    text: Text.\n",  # a schema error: not in the enum
    "  - id: c{n}\n    text: \"Zero\\u200bwidth.\"\n",  # a hidden character in a value
    "  - id: c{n}\n    \"te\\u200dxt\": Text.\n",  # a hidden character in a key (and an unknown key)
    "  - id: Not A Slug\n    text: Text.\n",
    "  - id: c0\n    text: Plain text.\n",  # the same text as slot 0's first variant: a duplicate ID
    "  - id: c{n}\n    text: ''\n",  # empty text
    "  - id: c{n}\n    text: Tab\there.\n",
    "  - id: c{n}\n    text: 1\n",  # a number where a string is wanted
    "  - id: c{n}\n    id: d{n}\n    text: Text.\n",  # a duplicate key (GOV-1, the whole file's reading)
]


def _checked(files: dict[str, bytes], memo: Pieces | None) -> tuple[list[str], Any]:
    repo = validate.check(files, cross=False, agree=False, pieces=memo)
    return [str(p) for p in repo.problems], {rel: typed(data) for rel, data in repo.data.items()}


def test_validate_with_pieces_finds_what_it_finds_without():
    """Versions of the repository's files, a section's clauses changed per version among valid
    ones, schema errors, hidden characters and duplicate IDs (one entry read twice is one object):
    one Pieces over all of them gives the same problems (exact text) and data as none."""
    base = {rel: (REPO / rel).read_bytes() for rel in DATA_FILES}
    memo = Pieces()
    rnd = random.Random(11)
    kinds = set()
    for version in range(60):
        slots = [rnd.randrange(len(CLAUSES)) if version % 3 else rnd.choice([0, 1, 7]) for _ in range(rnd.randrange(1, 6))]
        if version % 7 == 3:
            slots += [slots[0]] * 2  # the same entry again: the same object in the list
        text = "id: x-section\ntitle: X\nclauses:\n" + "".join(CLAUSES[k].format(n=i) for i, k in enumerate(slots))
        files = dict(base, **{"definition/x-section.yaml": text.encode()})
        if version % 5 == 4:  # and a repository file mutated
            rel = rnd.choice(DATA_FILES)
            files[rel] = _mutate(files[rel].decode(), rnd, 1).encode()
        with_pieces = _checked(files, memo)
        assert with_pieces == _checked(files, None), (version, text)
        kinds.update(p.split("rule='")[1][:5] for p in with_pieces[0])
    assert {"GOV-1", "GOV-2", "GOV-3"} <= kinds, kinds  # duplicate keys; schema errors, hidden characters; IDs
    assert memo.entries and memo.valid and memo.clean  # the memos were used


def test_a_new_entry_is_checked_though_an_equal_looking_one_was_valid():
    """Version 1's clause is valid (kept as valid and clean by identity); version 2 changes it by
    one invisible character, version 3 by one unknown key, version 4 repeats it (a duplicate ID):
    each problem is found, with one Pieces over the four versions."""
    base = {rel: (REPO / rel).read_bytes() for rel in DATA_FILES}
    memo = Pieces()
    clause = "  - id: c1\n    text: Same text.\n"
    versions = [clause, clause.replace("Same", "Same\u200b"), clause + "    extra: 1\n", clause + clause, clause]
    found = []
    for body in versions:
        files = dict(base, **{"definition/x-section.yaml": f"id: x-section\ntitle: X\nclauses:\n{body}".encode()})
        got = _checked(files, memo)
        assert got == _checked(files, None)
        found.append([p.split("message=")[1][:40] for p in got[0]])
    assert found[0] == found[4] == []
    assert "ZERO WIDTH SPACE" in found[1][0] and "unknown key 'extra'" in found[2][0], found
    assert "already used" in found[3][0], found


def test_the_memos_stay_bounded_when_files_are_read_whole(monkeypatch):
    """valid and clean keep every list entry checked, those of files read whole too (a comment
    less indented than the entries: not of the shape): they are emptied with the rest past the bound."""
    monkeypatch.setattr(pieces, "MAX_PIECES", 10)
    memo = Pieces()
    for version in range(40):
        text = "id: x-section\ntitle: X\nclauses:\n" + "".join(
            f"  - id: c{i}\n    text: Version {version}.\n# a comment at column 0\n" for i in range(3))
        files = {"definition/x-section.yaml": text.encode()}
        assert memo.parse("definition/x-section.yaml", text) is None  # read whole
        assert _checked(files, memo) == _checked(files, None)
        assert len(memo.valid) + len(memo.clean) <= 2 * 10 + 2 * 3

"""Canonical formatting of the data files.

The canonical form: the schema comment on the first line; keys in the order
their schema lists them (unknown keys after, as they were); 2-space indents;
mappings in block style; a list of scalars in flow style ([a, b]) when it is
short (at most FLOW_MAX characters written out), else in block style; a
string with a line break as a literal block (|), a string with a space and
longer than PROSE_MIN characters as a folded block (>) whose lines hold at
most 72 characters of text (a longer word stands alone);
LF line ends, no trailing spaces, one final newline. Comments are kept.

A string that a block would change (trailing spaces, tabs, control
characters, line separators) is double-quoted with escapes instead. The
output is read back (both readings, see load.py) and compared with the data
before, value and type; a difference writes nothing and is a GOV-5 problem
naming the value.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from osaid.data import layout, load, schema
from osaid.errors import Problem

PROSE_MIN = 72
FLOW_MAX = 60


@dataclass
class FmtResult:
    changed: dict[str, str] = field(default_factory=dict)  # rel -> canonical text
    problems: list[Problem] = field(default_factory=list)


def _orderer(root_schema: dict) -> Callable[[Any, tuple], None]:
    """Puts the keys of a round-trip document in the schema's order (load.format_text calls it)."""

    def order(node: Any, _path: tuple, sub: dict | None = None) -> None:
        sub = root_schema if sub is None else sub
        if isinstance(node, dict):
            keys = schema.key_order(sub, root_schema)
            present = [k for k in keys if k in node] + [k for k in node if k not in keys]
            for k in present:
                cast(OrderedDict, node).move_to_end(k)  # a round-trip mapping: ruamel's CommentedMap
                child = schema.subschema(sub, root_schema, k)
                if child is not None:
                    order(node[k], (), child)
        elif isinstance(node, list):
            child = schema.subschema(sub, root_schema, 0)
            if child is not None:
                for item in node:
                    order(item, (), child)
    return order


def canonical_text(rel: str, text: str) -> str:
    """The canonical form of one file's text (which must already load strictly)."""
    out, problems = format_text(rel, text)
    if out is None:
        raise ValueError("; ".join(p.text() for p in problems))
    return out


def format_text(rel: str, text: str) -> tuple[str | None, list[Problem]]:
    """The canonical form of one data file's text, or why there is none: it does not
    load strictly, or its canonical form would change its data (then GOV-5)."""
    kind = layout.file_kind(rel)
    if kind is None:
        raise ValueError(f"{rel}: not an osaid data file")
    root_schema = schema.load_schema(layout.schema_file(kind))
    return load.format_text(rel, text, layout.header(rel, kind, text), _orderer(root_schema), PROSE_MIN, FLOW_MAX)


def format_files(files: dict[str, bytes | None], max_bytes: int | None = None) -> FmtResult:
    """Canonical texts of the files that are not canonical; nothing is written here.

    Files that do not load strictly are problems, and then nothing should be written.
    """
    result = FmtResult()
    for rel in sorted(files):
        raw = files[rel]
        if raw is None:  # unreadable: the reader reported it
            continue
        text, problems = load.decode(rel, raw, max_bytes)
        if text is None:
            result.problems.extend(problems)
            continue
        if layout.file_kind(rel) is None:
            result.problems.append(Problem(rel, 0, 0, "GOV-2", "not an osaid data file: osaid fmt formats only those"))
            continue
        new, problems = format_text(rel, text)
        if new is None:
            result.problems.extend(problems)
            continue
        if new.encode("utf-8") != raw:
            result.changed[rel] = new
    return result


def check_problems(files: dict[str, bytes | None], changed: dict[str, str]) -> list[Problem]:
    """A GOV-5 problem per file that is not canonical, at the first line that differs."""
    out = []
    for rel, new in sorted(changed.items()):
        old = (files.get(rel) or b"").decode("utf-8", "replace").split("\n")
        new_lines = new.split("\n")
        line = next((i for i, (a, b) in enumerate(zip(old, new_lines, strict=False), 1) if a != b),
                    min(len(old), len(new_lines)))
        out.append(Problem(rel, line, 1, "GOV-5", "not in canonical form from this line on: run osaid fmt"))
    return out


def write(root: str, changed: dict[str, str]) -> None:
    from osaid.fileio import write_atomic

    for rel, text in changed.items():
        write_atomic(os.path.join(root, rel), text.encode("utf-8"))

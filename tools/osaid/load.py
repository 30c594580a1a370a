"""Strict, located YAML loading, and canonical dumping.

The only module that imports ruamel.yaml (always inside functions, so that
importing this module costs nothing until a file is read).

Two loaders, each for what it is good at:
- reading uses ruamel.yaml's C-backed parser and composer (fast), and our own
  walk of the node tree (_build), which refuses aliases, merge keys and
  duplicate keys;
- positions come from the round-trip loader, only when a problem has to be
  located, and formatting goes through it too (it keeps comments).

Every refusal is a Problem with rule GOV-1 and a 1-based line and column.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from osaid.errors import Problem

RULE = "GOV-1"
BOM = "\ufeff"

# A cheap pre-filter for anchors: '&name' after a space, a line start or a
# flow indicator. Prose such as "R&D" does not match; "a &b" does, and then
# the pure-Python parser says for sure whether it is an anchor.
_ANCHOR_HINT = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]", re.MULTILINE)
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)

_safe_yaml = None
FOLD_WIDTH = 72  # characters of text per line of a folded block


class _Refused(Exception):
    def __init__(self, mark: Any, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


def _safe():
    """The C-backed safe parser, YAML 1.2 (built once)."""
    global _safe_yaml
    if _safe_yaml is None:
        from ruamel.yaml import YAML
        from ruamel.yaml.constructor import SafeConstructor
        from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers

        class Yaml12Resolver(VersionedResolver):
            """YAML 1.2 always, with its implicit resolvers looked up once per
            load instead of once per scalar (a third of the parse time)."""

            @property
            def versioned_resolver(self) -> Any:
                table = self.__dict__.get("_osaid_v12")
                if table is None:
                    version = (1, 2)
                    if version not in self._version_implicit_resolver:
                        for x in implicit_resolvers:
                            if version in x[0]:
                                self.add_version_implicit_resolver(version, x[1], x[2], x[3])
                    table = self.__dict__["_osaid_v12"] = self._version_implicit_resolver[version]
                return table

        y = YAML(typ="safe")
        y.Constructor = SafeConstructor  # for scalars other than strings only (see _build)
        y.Resolver = Yaml12Resolver
        _safe_yaml = y
    return _safe_yaml


def _problem(path: str, line0: int, col0: int, message: str) -> Problem:
    return Problem(path, line0 + 1, col0 + 1, RULE, message)


def decode(path: str, raw: bytes, max_bytes: int | None) -> tuple[str | None, list[Problem]]:
    """Bytes to text, refusing what is too large, not UTF-8, or indented with tabs."""
    if max_bytes is not None and len(raw) > max_bytes:
        return None, [
            Problem(path, 0, 0, RULE, f"file is {len(raw)} bytes, over the limit of {max_bytes} "
                    "(governance/policy.yaml limits.max_file_bytes): split it, or raise the limit")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line0 = before.count(b"\n")
        col0 = len(before) - (before.rfind(b"\n") + 1)
        return None, [
            _problem(path, line0, col0, f"byte 0x{raw[e.start]:02x} is not UTF-8: "
                     "save the file as UTF-8")
        ]
    if text.startswith(BOM):
        text = text[1:]
    problems = []
    for m in _TAB_INDENT.finditer(text):
        line0 = text.count("\n", 0, m.start())
        problems.append(_problem(path, line0, m.end() - 1 - m.start(),
                                 "tab in indentation: indent with spaces (osaid fmt cannot guess the depth)"))
    if problems:
        return None, problems
    return text, []


def _mark_problem(path: str, err: Any) -> Problem:
    """A ruamel.yaml error (with marks) as one located Problem."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context", None)
    msg = problem.strip()
    if "duplicate key" in msg:
        msg = msg.split(" with value")[0] + ": each key may appear once in a mapping; remove or rename one"
    elif context:
        msg = f"{msg} ({context.strip()}): fix the YAML syntax here"
    else:
        msg = f"{msg}: fix the YAML syntax here"
    if mark is None:
        return Problem(path, 0, 0, RULE, msg)
    return _problem(path, mark.line, mark.column, msg)


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


def _build(node: Any, constructor: Any, seen: set) -> Any:
    """Plain data from a composed node tree: maps, lists and strings directly,
    other scalars (numbers, booleans, dates) through ruamel's constructor.
    Strict: an alias (a node met twice), a merge key, a repeated key or a
    key that is not a scalar is refused where it stands."""
    if id(node) in seen:
        raise _Refused(node.start_mark, "aliases (*name) are not allowed: write the value out in full")
    seen.add(id(node))
    value = node.value
    if isinstance(value, str):
        return value if node.tag == _STR else constructor.construct_object(node, deep=True)
    if node.id == "sequence":
        return [_build(v, constructor, seen) for v in value]
    out: dict = {}
    for k, v in value:
        if k.tag == _MERGE:
            raise _Refused(k.start_mark, "merge keys (<<) are not allowed: write the keys out in full")
        if not isinstance(k.value, str):
            raise _Refused(k.start_mark, "a key must be a plain value, not a list or a mapping")
        key = _build(k, constructor, seen)
        if key in out:
            raise _Refused(k.start_mark, f'found duplicate key "{key}": each key may appear once in a mapping; '
                                         "remove or rename one")
        out[key] = _build(v, constructor, seen)
    return out


def parse(path: str, text: str) -> tuple[Any, list[Problem]]:
    """Text to plain data (dict, list, str, ...): the C-backed parser composes
    the node tree, _build turns it into data (twice as fast as ruamel's
    generic constructor, and as strict)."""
    y = _safe()
    try:
        node = y.compose(text)
        constructor = y.constructor
        data = None if node is None else _build(node, constructor, set())
        constructor.constructed_objects.clear()
    except _Refused as e:
        return None, [_problem(path, e.mark.line, e.mark.column, e.message)]
    except Exception as e:  # ruamel's MarkedYAMLError and friends
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        if isinstance(e, (MarkedYAMLError, YAMLError)):
            return None, [_mark_problem(path, e)]
        raise
    if _ANCHOR_HINT.search(text):
        anchors = _anchors(path, text)
        if anchors:
            return None, anchors
    return data, []


def _anchors(path: str, text: str) -> list[Problem]:
    from ruamel.yaml import YAML

    problems = []
    for event in YAML(typ="safe", pure=True).parse(text):
        if getattr(event, "anchor", None):
            m = event.start_mark
            problems.append(_problem(path, m.line, m.column,
                                     f"anchors (&{event.anchor}) are not allowed: write the value out in full"))
    return problems


# --- positions ---------------------------------------------------------------


def _roundtrip():
    from ruamel.yaml import YAML

    y = YAML()  # round-trip
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 1 << 16  # never let the emitter wrap: folding is ours (fold_positions)
    return y


def locate(text: str, wanted: Iterable[tuple[tuple, bool]]) -> list[tuple[int, int]]:
    """1-based (line, col) of each (JSON path, at_key) in text.

    A path that ends on a key points at its value, or at the key itself with
    at_key; a path that ends on a container points at its first entry.
    Unknown tails fall back to the deepest position found.
    """
    root = _roundtrip().load(text)
    out = []
    for jp, at_key in wanted:
        jp = tuple(jp)
        if at_key and jp:
            parent = _node(root, jp[:-1])
            lc = getattr(parent, "lc", None)
            if isinstance(parent, dict) and lc is not None and jp[-1] in parent:
                line, col = lc.key(jp[-1])
                out.append((line + 1, col + 1))
                continue
        out.append(_locate_one(root, jp))
    return out


def _node(root: Any, jp: tuple) -> Any:
    node = root
    for step in jp:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _locate_one(root: Any, jp: tuple) -> tuple[int, int]:
    node = root
    pos = (0, 0)
    lc = getattr(root, "lc", None)
    if lc is not None and lc.line is not None:
        pos = (lc.line, lc.col)
    for step in jp:
        try:
            if isinstance(step, int) and isinstance(node, list):
                pos = node.lc.item(step)
                node = node[step]
            elif isinstance(node, dict) and step in node:
                pos = node.lc.value(step)
                node = node[step]
            elif isinstance(node, dict):
                # a key that is not there (e.g. after a type error): stay on the mapping
                break
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    if isinstance(node, (dict, list)) and node and getattr(node, "lc", None) is not None:
        if node.lc.line is not None and jp:
            # point at the first entry of the container, where the reader looks
            pos = (node.lc.line, node.lc.col)
    return pos[0] + 1, pos[1] + 1


# --- canonical form ----------------------------------------------------------


def canonical(
    text: str,
    header: str,
    order: Callable[[Any, tuple], None],
    prose_min: int,
    flow_max: int,
) -> str:
    """The canonical text of a YAML document (round-trip: comments kept).

    header: the first line to write (the schema comment), replacing an old one;
    order(data, ()) reorders mappings in place (keys in schema order);
    strings with a line break become literal blocks (|), strings with a space
    and longer than prose_min become folded blocks (>), wrapped at FOLD_WIDTH
    characters of text;
    every other string is written in flow style. Mappings are block style; a
    list of scalars is flow style when it writes out in at most flow_max
    characters, else block style.
    """
    from io import StringIO

    if text.startswith(BOM):
        text = text[1:]
    lines = text.split("\n", 1)
    if lines[0].startswith("# yaml-language-server:"):
        text = lines[1] if len(lines) > 1 else ""
    y = _roundtrip()
    data = y.load(text)
    if data is None:
        return header + "\n"
    order(data, ())
    data = _restyle(data, prose_min, flow_max)
    buf = StringIO()
    y.dump(data, buf)
    body = buf.getvalue()
    body = "\n".join(line.rstrip(" ") for line in body.split("\n"))
    return header + "\n" + body.rstrip("\n") + "\n"


def _restyle(node: Any, prose_min: int, flow_max: int) -> Any:
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    # CommentedMap/Seq.__setitem__ keep the old scalar style when given a plain
    # str; the base classes' __setitem__ set exactly what we give them.
    if isinstance(node, dict):
        if hasattr(node, "fa"):
            node.fa.set_block_style()
        setter = super(type(node), node).__setitem__ if hasattr(node, "ca") else node.__setitem__
        for k in list(node):
            setter(k, _restyle(node[k], prose_min, flow_max))
        return node
    if isinstance(node, list):
        setter = super(type(node), node).__setitem__ if hasattr(node, "ca") else node.__setitem__
        for i, v in enumerate(node):
            setter(i, _restyle(v, prose_min, flow_max))
        if hasattr(node, "fa"):
            scalars = all(not isinstance(v, (dict, list)) and not isinstance(v, (FoldedScalarString, LiteralScalarString))
                          for v in node)
            if scalars and node and len(", ".join(str(v) for v in node)) + 2 <= flow_max:
                node.fa.set_flow_style()
            else:
                node.fa.set_block_style()
        return node
    if isinstance(node, str):
        plain = str(node)
        if "\n" in plain:
            return LiteralScalarString(plain)
        if len(plain) > prose_min and " " in plain:
            folded = FoldedScalarString(plain)
            folded.fold_pos = fold_positions(plain, FOLD_WIDTH)  # type: ignore[attr-defined]
            return folded
        return plain
    return node


def fold_positions(text: str, width: int) -> list[int]:
    """Where to break a folded block: greedy, at single spaces, lines of at most width
    characters (a word longer than width stands alone on its line)."""
    out = []
    start = 0
    last_space = -1
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1 and text[i - 1] != " " and text[i + 1] != " ":
            if i - start > width and last_space > start:
                out.append(last_space)
                start = last_space + 1
            last_space = i
    if len(text) - start > width and last_space > start:
        out.append(last_space)
    return out


# --- editing one value in place -------------------------------------------------


def replace_top_level(text: str, values: dict[str, str]) -> str:
    """text with the one-line scalar values of top-level keys replaced, every
    other byte (comments, layout, line endings) as it was. A value that YAML
    would read as a number or a date is written single-quoted."""
    from ruamel.yaml import YAML

    root = YAML().load(text)
    lines = text.splitlines(keepends=True)
    for key, value in values.items():
        if not isinstance(root, dict) or key not in root:
            raise KeyError(key)
        line, col = root.lc.value(key)
        src = lines[line]
        end = _scalar_end(src, col)
        lines[line] = src[:col] + _quoted(value) + src[end:]
    out = "".join(lines)
    data, problems = parse("file", out)
    if problems or any(not isinstance(data, dict) or data.get(k) != v for k, v in values.items()):
        # e.g. a value written as a block scalar over several lines: never write a broken file
        keys = ", ".join(values)
        raise ValueError(f"{keys} must each be written on one line (run osaid fmt first)")
    return out


def _scalar_end(src: str, col: int) -> int:
    """Where a one-line scalar that starts at col ends (before a comment and the line end)."""
    if src[col] in "'\"":
        q = src[col]
        i = col + 1
        while i < len(src):
            if src[i] == q:
                if q == "'" and i + 1 < len(src) and src[i + 1] == "'":
                    i += 2
                    continue
                if q == '"' and src[i - 1] == "\\":
                    i += 1
                    continue
                return i + 1
            i += 1
        raise ValueError("unterminated quoted value")
    body = src[col:].rstrip("\r\n")
    cut = body.find(" #")
    body = body if cut < 0 else body[:cut]
    return col + len(body.rstrip())


def _quoted(value: str) -> str:
    if re.fullmatch(r"[0-9][0-9._:-]*", value) and not re.fullmatch(r"0\.0\.[0-9]+|[0-9]+\.[0-9]+\.[0-9]+", value):
        return "'" + value.replace("'", "''") + "'"
    return value


def with_list_entry(text: str, key: str, entry: dict, replace: int | None = None) -> str:
    """text with entry appended to the top-level list `key` (created if absent), or put in
    place of its item at index `replace`; comments and every other key kept (round trip).
    The result is not yet canonical: run it through osaid fmt's canonical_text."""
    from io import StringIO

    y = _roundtrip()
    lines = text.split("\n", 1)
    head = lines[0] + "\n" if lines[0].startswith("# yaml-language-server:") else ""
    data = y.load(text[len(head):])
    if not isinstance(data, dict):
        raise ValueError("the file does not hold a mapping at its top")
    items = data.get(key)
    if items is None:
        data[key] = items = []
    if replace is None:
        items.append(entry)
    else:
        items[replace] = entry
    buf = StringIO()
    y.dump(data, buf)
    return head + buf.getvalue()

"""Strict, located YAML loading, and canonical dumping.

The only module that imports ruamel.yaml (always inside functions, so that
importing this module costs nothing until a file is read).

One reading of YAML, made of two: a file is valid only if both ruamel.yaml's
C-backed (libyaml) safe parser, with our own walk of its node tree (_build),
and ruamel's pure-Python round-trip loader (the one that locates problems and
formats, keeping comments) accept it and agree on its data, value and type.
The round-trip reading also refuses, where they stand, what the project never
allows: explicit tags, anchors and aliases, directives other than %YAML 1.2,
and nesting deeper than MAX_DEPTH. Formatting parses its own output and
refuses (FormatRefused) rather than change the data.

Every refusal is a Problem with rule GOV-1 and a 1-based line and column.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator

from osaid.errors import Problem

RULE = "GOV-1"
BOM = "\ufeff"

_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)

_safe_yaml: Any = None
_strict_classes = None
FOLD_WIDTH = 72  # characters of text per line of a folded block
MAX_DEPTH = 64  # nested mappings and lists: the data needs under 10; Python's stack needs a bound
EMIT_WIDTH = 1 << 30  # never let the emitter wrap: folding is ours (fold_positions)


class _Refused(Exception):
    def __init__(self, mark: Any, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


def _safe() -> Any:
    """The C-backed safe reader, YAML 1.2: a class (built once) of which each reading makes
    one instance: libyaml's parser (events) and composer (nodes), ruamel's safe constructor
    (for scalars other than strings only, see _build) and a YAML 1.2 resolver. Used directly, not through
    ruamel's YAML object: a third of the cost of a small text was that object's set-up."""
    global _safe_yaml
    if _safe_yaml is None:
        from ruamel.yaml.constructor import SafeConstructor
        from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers

        table: dict = {}  # built as add_version_implicit_resolver does, from the public list
        for versions, tag, regexp, first in implicit_resolvers:
            if (1, 2) in versions:
                for ch in first or [None]:  # type: ignore[list-item]  # None: any first character (ruamel's key)
                    table.setdefault(ch, []).append((tag, regexp))

        class Yaml12Resolver(VersionedResolver):
            """YAML 1.2 always, with its implicit resolvers looked up once, not once per scalar."""

            @property
            def versioned_resolver(self) -> Any:
                return table

        try:
            from _ruamel_yaml import CParser
        except ImportError:  # not CPython (ruamel.yaml.clib is CPython's): through ruamel's YAML object
            _safe_yaml = _pure(Yaml12Resolver)
            return _safe_yaml

        class Loader(CParser, SafeConstructor, Yaml12Resolver):  # as ruamel's CSafeLoader is made
            libyaml = True  # data.pieces reads files in pieces only with libyaml (the fallback has no such mark)

            def __init__(self, stream: str):
                CParser.__init__(self, stream)
                SafeConstructor.__init__(self, loader=self)
                Yaml12Resolver.__init__(self, loadumper=self)

        _safe_yaml = Loader
    return _safe_yaml


def with_libyaml() -> bool:
    """Whether the safe reading is libyaml's (ruamel.yaml.clib could be imported)."""
    return getattr(_safe(), "libyaml", False)


def _pure(resolver: Any) -> Any:
    """A reader with the C loader's methods, made of ruamel's pure-Python YAML object."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor

    class Pure:
        def __init__(self, stream: str):
            self.yaml = YAML(typ="safe", pure=True)
            self.yaml.Constructor, self.yaml.Resolver = SafeConstructor, resolver
            self.stream = stream
            self.events: Any = None
            self.next: Any = None

        def get_single_node(self) -> Any:
            return self.yaml.compose(self.stream)

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            return self.yaml.constructor.construct_object(node, deep=deep)

        def check_event(self) -> bool:
            if self.events is None:
                self.events = iter(self.yaml.parse(self.stream))
            if self.next is None:
                self.next = next(self.events, None)
            return self.next is not None

        def get_event(self) -> Any:
            self.check_event()
            event, self.next = self.next, None
            return event

        def dispose(self) -> None:
            self.events = None

    return Pure


def _problem(path: str, line0: int, col0: int, message: str) -> Problem:
    return Problem(path, line0 + 1, col0 + 1, RULE, message)


def too_large(path: str, size: int, max_bytes: int) -> Problem:
    return Problem(path, 0, 0, RULE, f"file is {size} bytes, over the limit of {max_bytes} "
                   "(governance/policy.yaml limits.max_file_bytes): split it, or raise the limit")


def decode(path: str, raw: bytes, max_bytes: int | None) -> tuple[str | None, list[Problem]]:
    """Bytes to text, refusing what is too large, not UTF-8, or indented with tabs."""
    if max_bytes is not None and len(raw) > max_bytes:
        return None, [too_large(path, len(raw), max_bytes)]
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
    if "'\\t'" in msg:
        msg = "a tab here: YAML readers disagree on tabs; use spaces"
    elif "tag:yaml.org,2002:value" in msg or "tag:yaml.org,2002:merge" in msg:
        sign = "=" if msg.endswith("value'") else "<<"
        msg = f"{sign} on its own has a special meaning in YAML: quote it ('{sign}')"
    elif "duplicate key" in msg:
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


def parse(path: str, text: str, agree: bool = True, nested: int = 0) -> tuple[Any, list[Problem]]:
    """Text to plain data (dict, list, str, ...), read twice (see _read); the
    C-backed reading's data is returned.

    agree=False skips the round-trip reading (35 times slower than libyaml's):
    for committed states that diff, history and changelog read by the
    hundred, which the hook checked both ways when they were committed. The
    strict checks (tags, anchors, directives, depth) hold either way.
    nested: the collections text sits in (a piece of a file, data.pieces), which count
    towards MAX_DEPTH (libyaml's reading only)."""
    if agree:
        data, _, problems = _read(path, text)
        return data, problems
    problems = _strict_events(path, text, nested)
    return (None, problems) if problems else _read_safe(path, text)


def parse_entries(path: str, texts: list[str], nested: int = 1) -> list | None:
    """The data of each of texts, each one entry of a block list at column 0 ("- ..."), read
    as one list in one libyaml reading (a reader's set-up costs more than a small entry);
    None if the reading finds a problem or not one entry per text (read them one by one
    with parse to learn which). nested: as parse's, for each entry."""
    text = "".join(texts)
    if not all(_plainly_allowed(t, nested) for t in texts):  # entries side by side: the deepest counts
        if _strict_events(path, text, nested):
            return None
    data, problems = _read_safe(path, text)
    return data if not problems and isinstance(data, list) and len(data) == len(texts) else None


def _strict_events(path: str, text: str, nested: int = 0) -> list[Problem]:
    """The strict checks of StrictParser on libyaml's events (fast, and never recursive).
    Skipped when text cannot hold what they refuse (_plainly_allowed)."""
    if _plainly_allowed(text, nested):
        return []
    parser = _safe()(text)
    try:
        depth = nested
        while parser.check_event():
            event = parser.get_event()
            _check_event(event, depth)
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except _Refused as e:
        return [_refused_problem(path, text, e)]
    except Exception as e:
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        if isinstance(e, (MarkedYAMLError, YAMLError)):
            return [_mark_problem(path, e)]
        raise
    finally:
        parser.dispose()
    return []


_INDICATORS = ":-?[{"  # every collection has one of these: a key's colon, an entry's dash, a flow bracket


def _plainly_allowed(text: str, nested: int) -> bool:
    """Whether text certainly holds none of what _check_event refuses: no tag, anchor, alias
    or directive can be written without !, &, * or %; and no more collections can be open at
    once than text has indicators (each collection has one of its own), which bounds the depth.
    Not when a line starts with a document marker: libyaml's composer stops at a second
    document, the strict pass reads on, so a later problem would be reported instead."""
    if "!" in text or "&" in text or "*" in text or "%" in text:
        return False
    if "\n---" in text or "\n..." in text or text.lstrip(BOM).startswith(("---", "...")):
        return False
    return nested + sum(text.count(c) for c in _INDICATORS) <= MAX_DEPTH


def _read(path: str, text: str) -> tuple[Any, Any, list[Problem]]:
    """Both readings of text: (plain data, round-trip data, problems).

    The round-trip reading goes first: it refuses tags, anchors, directives
    and deep nesting before anything recursive runs. Either reading refusing,
    or the two disagreeing in a value or a type, is a located problem."""
    rt, problems = _read_roundtrip(path, text)
    if problems:
        return None, None, problems
    data, problems = _read_safe(path, text)
    if problems:
        return None, None, problems
    where = _difference(data, rt, ())
    if where is not None:
        line, col = _locate_one(rt, where)
        shown = jpath_text(where) or "the document"
        a, b = _value_at(data, where), _value_at(rt, where)
        if _kind(a) is dict and _kind(b) is dict:  # the keys differ
            a, b = sorted(map(repr, set(a) - set(b))), sorted(map(repr, set(b) - set(a)))
            seen = f"keys {', '.join(a) or 'none'} against {', '.join(b) or 'none'}"
        else:
            seen = f"{_describe(a)} against {_describe(b)}"
        return None, None, [Problem(path, line, col, RULE, f"{shown}: YAML readers disagree on this value ({seen}): "
                                                           "write it plainly, e.g. quote a string")]
    return data, rt, []


def _read_safe(path: str, text: str) -> tuple[Any, list[Problem]]:
    """The C-backed composer and _build (twice as fast as ruamel's generic
    constructor, and as strict)."""
    loader = _safe()(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else _build(node, loader, set())
    except _Refused as e:
        return None, [_problem(path, e.mark.line, e.mark.column, e.message)]
    except Exception as e:  # ruamel's MarkedYAMLError and friends
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        if isinstance(e, (MarkedYAMLError, YAMLError)):
            return None, [_mark_problem(path, e)]
        # a value libyaml reads and Python cannot build (say, a date that does not exist): never a crash
        return None, [Problem(path, 0, 0, RULE, f"this YAML cannot be read reliably ({type(e).__name__}: "
                                                f"{str(e).splitlines()[0][:100] if str(e) else ''}): write it more plainly")]
    finally:
        loader.dispose()
    return data, []


def _check_event(event: Any, depth: int) -> None:
    """Refuse (where it stands) what osaid never allows: directives other than
    %YAML 1.2, aliases, anchors, explicit tags, nesting deeper than MAX_DEPTH.
    depth: of the collections open before this event."""
    name = type(event).__name__
    mark = event.start_mark
    if name == "DocumentStartEvent":
        version = getattr(event, "version", None)
        if version not in (None, (1, 2)):
            raise _Refused(mark, f"%YAML {'.'.join(map(str, version))}: osaid reads YAML 1.2 only; "
                                 "remove the directive")
        if getattr(event, "tags", None):
            raise _Refused(mark, "%TAG directives are not allowed: remove it")
    elif name == "AliasEvent":
        raise _Refused(mark, "aliases (*name) are not allowed: write the value out in full")
    if getattr(event, "anchor", None):
        raise _Refused(mark, f"anchors (&{event.anchor}) are not allowed: write the value out in full")
    tag = getattr(event, "tag", None)
    if tag is not None:
        tag = str(tag).replace("tag:yaml.org,2002:", "!!")
        raise _Refused(mark, f"YAML tags ({tag}) are not allowed: remove it (quote a value to keep it a string)")
    if name in ("MappingStartEvent", "SequenceStartEvent") and depth >= MAX_DEPTH:
        raise _Refused(mark, f"nested deeper than {MAX_DEPTH} levels: flatten the data")


def _refused_problem(path: str, text: str, e: "_Refused") -> Problem:
    directive = re.search(r"^%\S*", text, re.MULTILINE) if e.message.startswith("%") else None
    if directive:  # the event is the document's start: point at the directive itself
        return _problem(path, text.count("\n", 0, directive.start()), 0, e.message)
    return _problem(path, e.mark.line, e.mark.column, e.message)


def _strict() -> Any:
    """ruamel's round-trip parser and constructor, refusing (where it stands) what
    osaid never allows, and locating a value that is not what YAML reads it as."""
    global _strict_classes
    if _strict_classes is None:
        from ruamel.yaml.constructor import RoundTripConstructor
        from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
        from ruamel.yaml.parser import RoundTripParser

        class StrictConstructor(RoundTripConstructor):
            def construct_object(self, node: Any, deep: bool = False) -> Any:
                try:
                    return super().construct_object(node, deep=deep)
                except (ValueError, OverflowError) as e:  # 2024-02-30, a date YAML reads and Python refuses
                    if isinstance(node.value, str):
                        kind = str(node.tag).rsplit(":", 1)[-1]
                        kind = {"timestamp": "date", "int": "number", "float": "number"}.get(kind, kind)
                        raise _Refused(node.start_mark, f"{node.value} is read by YAML as a {kind}, and is not "
                                                        f"one ({e}): fix it, or quote it if it is text") from None
                    raise

        class StrictParser(RoundTripParser):
            depth = 0
            mark = None

            def get_event(self) -> Any:
                event = super().get_event()
                if event is None:
                    return event
                self.mark = event.start_mark
                _check_event(event, self.depth)
                if isinstance(event, CollectionStartEvent):
                    self.depth += 1
                elif isinstance(event, CollectionEndEvent):
                    self.depth -= 1
                return event

        _strict_classes = (StrictParser, StrictConstructor)
    return _strict_classes


def _read_roundtrip(path: str, text: str) -> tuple[Any, list[Problem]]:
    """The round-trip reading (the one locate and canonical use), strict."""
    y = _roundtrip()
    y.Parser, y.Constructor = _strict()
    try:
        return y.load(text), []
    except _Refused as e:
        return None, [_refused_problem(path, text, e)]
    except Exception as e:  # whatever the pure-Python reader raises on this text is about the text
        from ruamel.yaml.error import MarkedYAMLError
        from ruamel.yaml.reader import ReaderError

        if isinstance(e, MarkedYAMLError):
            return None, [_mark_problem(path, e)]
        if isinstance(e, ReaderError) and isinstance(e.character, int) and isinstance(e.position, int):
            return None, [_unprintable(path, text, e.position, e.character)]
        mark = getattr(y.parser, "mark", None)
        if "overlap in comment" in str(e):
            msg = ("a comment that the round-trip reader cannot place (after a key, before its value on the "
                   "next line?): move the comment to a line of its own")
        else:
            reason = "too deeply nested" if isinstance(e, RecursionError) else \
                f"{type(e).__name__}: {str(e).splitlines()[0][:100] if str(e) else ''}"
            msg = f"this YAML cannot be read reliably ({reason}): write it more plainly"
        if mark is None:
            return None, [Problem(path, 0, 0, RULE, msg)]
        return None, [_problem(path, mark.line, mark.column, msg)]


def _unprintable(path: str, text: str, position: int, character: int) -> Problem:
    line0 = text.count("\n", 0, position)
    col0 = position - (text.rfind("\n", 0, position) + 1)
    return _problem(path, line0, col0, f"character U+{character:04X} is not allowed in YAML: remove it, or "
                                       "write it as an escape in a double-quoted string")


def _kind(value: Any) -> type:
    """The plain type of a value of either reading (ruamel's subclasses folded in)."""
    import datetime

    if value is None:
        return type(None)
    if isinstance(value, bool) or type(value).__name__ == "ScalarBoolean":
        return bool
    for t in (int, float, str, datetime.datetime, datetime.date, dict, list, bytes):
        if isinstance(value, t):
            return t
    return type(value)


def _same_scalar(a: Any, b: Any) -> bool:
    kind = _kind(a)
    if kind is not _kind(b):
        return False
    if kind is float:
        return repr(float(a)) == repr(float(b))
    if kind is int or kind is bool:
        return int(a) == int(b)
    if kind is str:
        return str(a) == str(b)
    if hasattr(a, "isoformat"):
        return a == b and a.isoformat() == b.isoformat()
    return a == b


def _key(value: Any) -> tuple:
    kind = _kind(value)
    if kind is float:
        return (kind.__name__, repr(float(value)))
    if kind in (int, bool):
        return (kind.__name__, int(value))
    if kind is str:
        return (kind.__name__, str(value))
    return (kind.__name__, value.isoformat() if hasattr(value, "isoformat") else repr(value))


def _difference(a: Any, b: Any, where: tuple) -> tuple | None:
    """The JSON path of the first place where a and b differ in value or type, or None."""
    kind = _kind(a)
    if kind is not _kind(b):
        return where
    if kind is dict:
        keys_a = {_key(k): k for k in a}
        keys_b = {_key(k): k for k in b}
        if keys_a.keys() != keys_b.keys():
            return where
        for k, ka in keys_a.items():
            found = _difference(a[ka], b[keys_b[k]], where + (ka,))
            if found is not None:
                return found
        return None
    if kind is list:
        if len(a) != len(b):
            return where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _difference(x, y, where + (i,))
            if found is not None:
                return found
        return None
    return None if _same_scalar(a, b) else where


def _value_at(data: Any, where: tuple) -> Any:
    for step in where:
        data = data[step]
    return data


def _describe(value: Any) -> str:
    kind = _kind(value)
    if kind in (dict, list):
        return f"a {'mapping' if kind is dict else 'list'} of {len(value)}"
    shown = repr(value if kind is not str else str(value))
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{_kind(value).__name__} {shown}"


def jpath_text(jp: tuple) -> str:
    """A JSON path as people write it: clauses[0].text."""
    out = ""
    for step in jp:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


# --- positions ---------------------------------------------------------------


def _roundtrip() -> Any:
    from ruamel.yaml import YAML

    y = YAML()  # round-trip
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = EMIT_WIDTH
    return y


def locate(text: str, wanted: Iterable[tuple[tuple, bool]]) -> list[tuple[int, int]]:
    """1-based (line, col) of each (JSON path, at_key) in text.

    A path that ends on a key points at its value, or at the key itself with
    at_key; a path that ends on a container points at its first entry.
    Unknown tails fall back to the deepest position found.
    """
    wanted = list(wanted)
    try:
        root = _roundtrip().load(text)
    except Exception:  # text that parse() refused: no positions, never a crash
        return [(0, 0)] * len(wanted)
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


def _lc(node: Any) -> Any:
    """ruamel's line and column record of a loaded mapping or list (CommentedMap.lc, CommentedSeq.lc)."""
    return node.lc


def _fa(node: Any) -> Any:
    """ruamel's flow-style attribute of a loaded mapping or list (CommentedMap.fa, CommentedSeq.fa)."""
    return node.fa


def _locate_one(root: Any, jp: tuple) -> tuple[int, int]:
    node = root
    pos = (0, 0)
    lc = getattr(root, "lc", None)
    if lc is not None and lc.line is not None:
        pos = (lc.line, lc.col)
    for step in jp:
        try:
            if isinstance(step, int) and isinstance(node, list):
                pos = _lc(node).item(step)
                node = node[step]
            elif isinstance(node, dict) and step in node:
                pos = _lc(node).value(step)
                node = node[step]
            elif isinstance(node, dict):
                # a key that is not there (e.g. after a type error): stay on the mapping
                break
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    if isinstance(node, (dict, list)) and node and getattr(node, "lc", None) is not None:
        if _lc(node).line is not None and jp:
            # point at the first entry of the container, where the reader looks
            pos = (_lc(node).line, _lc(node).col)
    return pos[0] + 1, pos[1] + 1


def plain_scalar_at(text: str, line: int, col: int) -> str | None:
    """The plain (unquoted) scalar written at 1-based (line, col), as written, or None."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    m = re.match(r"[^\s'\"#,\[\]{}][^,\[\]{}]*?(?=\s+#|\s*[,\]}]|\s*$)", lines[line - 1][col - 1:])
    return m.group(0).rstrip() if m else None


# --- canonical form ----------------------------------------------------------


def format_text(path: str, text: str, header: str, order: Callable[[Any, tuple], None], prose_min: int,
                flow_max: int) -> tuple[str | None, list[Problem]]:
    """The canonical text of a YAML document (round-trip: comments kept), or the
    problems that stop it: the text does not load strictly (GOV-1), or its
    canonical form would not read back as the same data (GOV-5; never written).

    header: the first line to write (the schema comment), replacing an old one;
    order(data, ()) reorders mappings in place (keys in schema order);
    strings with a line break become literal blocks (|), strings with a space
    and longer than prose_min become folded blocks (>), wrapped at FOLD_WIDTH
    characters of text, when a block keeps them exactly (no trailing spaces,
    tabs or control characters; else they are double-quoted with escapes);
    every other string is written in flow style. Mappings are block style; a
    list of scalars is flow style when it writes out in at most flow_max
    characters, else block style; empty ones are written [] and {}.
    Line ends become LF (YAML reads CR and CRLF as line breaks too).
    """
    original = text
    text, shift = _without_header(text)
    data, rt, problems = _read(path, text)
    if problems:
        return None, [p._replace(line=p.line + shift) if p.line else p for p in problems]
    if rt is None and data is None:
        return header + "\n", []
    order(rt, ())
    # A block (| or >) that would not read back as its string (a comment after it that
    # the reader takes for content, say) is double-quoted instead, and the whole
    # checked again; any other difference writes nothing.
    quoted: set = set()
    for _attempt in range(MAX_REQUOTES):
        rt = _restyle(rt, prose_min, flow_max, top=True, quoted=quoted)
        out = _dump(rt, header)
        if isinstance(out, Problem):
            return None, [out._replace(path=path, message=out.message.replace("\0", path))]
        if out == original:  # already canonical: nothing to check
            return out, []
        # the safety net: the output must read back, both ways, as the same data
        after, _, problems = _read(path, out)
        if problems:
            blocks = set(_blocks(rt, ())) - quoted
            if blocks:
                quoted |= blocks
                continue
            p = problems[0]
            return None, [_refused(path, 1, 1, f"the canonical form would not read back ({p.message}, "
                                               f"at its line {p.line})")]
        where = _difference(data, after, ())
        if where is None:
            return out, []
        written = _value_at(rt, where)
        if "block" in _style_name(written) and where not in quoted:
            quoted.add(where)
            continue
        line, col = _locate_one(rt, where)
        construct = (f"{jpath_text(where) or 'the document'}, written as {_style_name(written)}: "
                     f"{_describe(_value_at(data, where))} would read back as "
                     f"{_describe(_value_at(after, where)) if _has(after, where) else 'nothing'}")
        return None, [_refused(path, line + shift, col, construct)]
    return None, [_refused(path, 1, 1, f"more than {MAX_REQUOTES} strings would not read back as blocks")]


def _without_header(text: str) -> tuple[str, int]:
    """(the text to read, how many lines before it were dropped): no BOM, LF line ends, and neither the
    schema comment (format_text writes it anew) nor the blank lines before the first key."""
    if text.startswith(BOM):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    whole, shift = text, 0
    first, _newline, rest = text.partition("\n")
    if first.startswith("# yaml-language-server:") and not _BREAKS.search(first) and not _NON_PRINTABLE.search(first):
        text, shift = rest, 1
    # blank lines before the first key go too (ruamel would keep all but one of them)
    stripped = text.lstrip("\n")
    text, shift = stripped, shift + len(text) - len(stripped)
    if text.startswith(BOM):  # a BOM inside the text would become the stream's: read it where it was
        return whole, 0
    return text, shift


MAX_REQUOTES = 8


def _dump(rt: Any, header: str) -> str | Problem:
    from io import StringIO

    buf = StringIO()
    try:
        _roundtrip().dump(rt, buf)
    except Exception as e:  # the writer's limits are ours to report, never a crash
        return _refused("\0", 1, 1, f"the YAML writer failed: {type(e).__name__}: {e}")
    # NEL, LS and PS left in the output are in comments (strings with them are escaped): readers
    # break lines there, ruamel's writer does not (it re-indents what follows on each run): LF
    body = _BREAKS.sub("\n", buf.getvalue())
    body = "\n".join(line.rstrip(" ") for line in body.split("\n"))
    return header + "\n" + body.strip("\n") + "\n"


def _blocks(node: Any, where: tuple) -> Iterator[tuple]:
    """The JSON paths of the strings written as blocks."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _blocks(v, where + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _blocks(v, where + (i,))
    elif "block" in _style_name(node):
        yield where


def _refused(path: str, line: int, col: int, construct: str) -> Problem:
    return Problem(path, line, col, "GOV-5",
                   f"cannot put this file in canonical form without changing its data: {path}:{line} "
                   f"({construct}); nothing written: write this value another way, and report it")


def _has(data: Any, where: tuple) -> bool:
    try:
        _value_at(data, where)
        return True
    except (KeyError, IndexError, TypeError):
        return False


def _style_name(value: Any) -> str:
    name = type(value).__name__
    return {"LiteralScalarString": "a literal block (|)", "FoldedScalarString": "a folded block (>)",
            "DoubleQuotedScalarString": "a double-quoted string"}.get(name, f"a {_kind(value).__name__}")


_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAKS = re.compile("[\x85\u2028\u2029]")  # line breaks to YAML 1.1 readers (ruamel's, libyaml)
# Characters a block scalar (| or >) cannot hold as they are: tabs (our tab check
# reads them as indentation), CR, the C0 and C1 controls, the Unicode line and
# paragraph separators (YAML 1.1 readers break lines at NEL, LS and PS), the BOM,
# surrogates and non-characters.
_NOT_IN_BLOCK = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
# Characters that a plain or single-quoted string cannot hold: double-quote them with escapes.
_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def _block_ok(s: str) -> bool:
    """s written as a block scalar reads back as s (and, formatted again, stays a block:
    no keep-chomping |+ for text ending in blank lines, whose end depends on what follows)."""
    return (bool(s) and s[0] not in " \n" and not s.endswith("\n\n") and not _NOT_IN_BLOCK.search(s)
            and not any(line.endswith(" ") for line in s.split("\n")))


def _restyle(node: Any, prose_min: int, flow_max: int, top: bool = False, quoted: set | None = None,
             where: tuple = ()) -> Any:
    """node in canonical style, in place; quoted: the JSON paths of strings to double-quote."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        LiteralScalarString,
    )

    # CommentedMap/Seq.__setitem__ keep the old scalar style when given a plain
    # str; the base classes' __setitem__ set exactly what we give them.
    if isinstance(node, dict):
        if hasattr(node, "fa"):
            _fa(node).set_block_style() if node else _fa(node).set_flow_style()
        setter = super(type(node), node).__setitem__ if hasattr(node, "ca") else node.__setitem__
        for k in list(node):
            setter(k, _restyle(node[k], prose_min, flow_max, quoted=quoted, where=where + (k,)))
        return node
    if isinstance(node, list):
        setter = super(type(node), node).__setitem__ if hasattr(node, "ca") else node.__setitem__
        for i, v in enumerate(node):
            setter(i, _restyle(v, prose_min, flow_max, quoted=quoted, where=where + (i,)))
        if hasattr(node, "fa"):
            scalars = all(not isinstance(v, (dict, list, FoldedScalarString, LiteralScalarString)) for v in node)
            if not node or (scalars and len(", ".join(str(v) for v in node)) + 2 <= flow_max):
                _fa(node).set_flow_style()
            else:
                _fa(node).set_block_style()
        return node
    if isinstance(node, str):
        plain = str(node)
        if quoted and where in quoted:
            return DoubleQuotedScalarString(plain)
        if top:  # a document that is one string: no block at the root
            return DoubleQuotedScalarString(plain) if "\n" in plain or _NEEDS_ESCAPE.search(plain) else plain
        if "\n" in plain:
            return LiteralScalarString(plain) if _block_ok(plain) else DoubleQuotedScalarString(plain)
        if _NEEDS_ESCAPE.search(plain):
            return DoubleQuotedScalarString(plain)
        if len(plain) > prose_min and " " in plain and _block_ok(plain):
            folded = FoldedScalarString(plain)
            folded.fold_pos = fold_positions(plain, FOLD_WIDTH)
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


def _top_level_marks(text: str) -> dict[str, tuple[int, int, int]] | None:
    """{key: (its line, its value's line, its value's column)} of a document whose top is a mapping
    (0-based, from libyaml's composer: no round-trip load), or None when its top is not a mapping."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.nodes import MappingNode

    loader = _safe()(text)
    try:
        node = loader.get_single_node()
    except YAMLError:  # (a key written inside another's value, say): no marks; the caller refuses
        return None
    finally:
        loader.dispose()
    if not isinstance(node, MappingNode):
        return None
    return {str(k.value): (k.start_mark.line, v.start_mark.line, v.start_mark.column) for k, v in node.value}


def replace_top_level(text: str, values: dict[str, str], missing_after: str | None = None,
                      agreed: bool = False) -> str:
    """text with the one-line scalar values of top-level keys replaced, every
    other byte (comments, layout, line endings) as it was. A value that YAML
    would read as a number or a date is written single-quoted. A key that is
    missing is written on the line after the key missing_after, when given
    (e.g. the date of a working version that has none yet).
    The result is read back: both ways; or, agreed (the caller read text both ways and
    they agreed), by libyaml, whose data must be text's with exactly those values, and
    each new `key: value` line both ways on its own (nothing else of the text changed)."""
    marks = _top_level_marks(text)
    lines = text.splitlines(keepends=True)
    for key, value in values.items():
        if marks is not None and key not in marks and missing_after in marks:
            line = marks[missing_after][0]
            eol = "\r\n" if lines[line].endswith("\r\n") else "\n"
            lines.insert(line + 1, f"{key}: {_quoted(value)}{eol}")
            text = "".join(lines)
            marks = _top_level_marks(text)
            continue
        if marks is None or key not in marks:
            raise KeyError(key)
        _, line, col = marks[key]
        src = lines[line]
        end = _scalar_end(src, col)
        lines[line] = src[:col] + _quoted(value) + src[end:]
    out = "".join(lines)
    if agreed:
        data, problems = parse("file", out, agree=False)
        before, _ = parse("file", text, agree=False)
        if not problems and (not isinstance(before, dict) or data != {**before, **values}):
            problems = [_problem("file", 0, 0, "other values changed")]
        for k, v in values.items():
            problems += parse("file", f"{k}: {_quoted(v)}\n")[1]
    else:
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

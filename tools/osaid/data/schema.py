"""The JSON Schemas that ship with osaid, and a small validator for them.

Why not the jsonschema package: importing it takes longer (60-95 ms) than the
whole of `osaid validate` may take. The schemas use a small subset of JSON
Schema 2020-12 (SUPPORTED below). Loading a schema checks that it keeps to that
subset, and raises UnsupportedSchema (a bug in osaid: exit 3) naming the file,
the place and the keyword otherwise, so a keyword this validator would silently
skip can never ship. Tests check that this validator and jsonschema agree on
every example file and on generated instances of every shipped schema
(tests/test_schema_differential.py).

Values compare the JSON way (enum, const, uniqueItems: true is not 1, 1 is
1.0); a pattern's `$` is the end of the text, as in ECMA-262; and, the one
narrowing of 2020-12, "integer" is a number written as one (2.0 is refused:
the code reads counts and limits as Python ints).
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable, Iterator

from osaid import package

SCHEMA_DIR = package.SCHEMAS
DIALECT = "https://json-schema.org/draft/2020-12/schema"
_schemas: dict[str, dict] = {}

# The keywords this validator checks (with $defs, where the targets of $ref live).
VALIDATION = {
    "type", "properties", "required", "additionalProperties", "propertyNames",
    "items", "enum", "const", "pattern", "minLength", "maxLength", "minItems",
    "minimum", "uniqueItems", "format", "$ref", "$defs",
}
# Annotations, accepted because they never change whether a value is valid and the
# shipped schemas use them to explain a file (editors show them). The other 2020-12
# annotations are refused: deprecated, readOnly and writeOnly promise behaviour (a
# warning, a key nobody writes) that osaid does not implement; the content* keywords
# describe encoded strings osaid never decodes.
ANNOTATIONS = {"title", "description", "$comment", "examples", "default"}
# Only at the top of a schema: $schema names the dialect (it must be 2020-12); an $id
# below the top would change what a $ref resolves against, which this validator ignores.
ROOT_ONLY = {"$schema", "$id"}
SUPPORTED = VALIDATION | ANNOTATIONS | ROOT_ONLY
FORMATS = {"date"}  # the one format asserted; any other would be checked by some validators and not by osaid
TYPE_NAMES = ("string", "object", "array", "boolean", "null", "integer", "number")


class UnsupportedSchema(Exception):
    """A schema uses what this validator does not check: a bug in osaid's schemas, never the user's."""


_TYPES = {
    "string": str,
    "object": dict,
    "array": list,
    "boolean": bool,
    "null": type(None),
}

_YAML_NAMES = {
    bool: "a boolean", int: "a number", float: "a number", dict: "a mapping",
    list: "a list", type(None): "empty (null)", str: "a string",
}


def load_schema(name: str) -> dict:
    """A shipped schema by file name, e.g. 'section.schema.json' (read and checked once)."""
    if name not in _schemas:
        import json

        with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
            loaded = json.load(f)
        check_schema(loaded, f"osaid/schemas/{name}")
        _schemas[name] = loaded
    return _schemas[name]


def _is_count(v: Any) -> bool:
    return type(v) is int and v >= 0


def _is_regex(v: Any) -> bool:
    if not isinstance(v, str) or re.search(r"(?<!\\)(?:\\\\)*\\[dDwWbB]", v):
        return False  # \d, \w, \b: Unicode to Python's re, ASCII to ECMA-262; write [0-9], [A-Za-z0-9_]
    try:
        _regex(v)
    except re.error:
        return False
    return True


_regexes: dict[str, re.Pattern] = {}


def _regex(pattern: str) -> re.Pattern:
    """pattern (ECMA-262, JSON Schema's dialect) as a Python regex: `$` outside a class becomes
    the end of the text (Python's `$` also matches before a final newline, so an ID
    'intro\\n' would pass '^[a-z-]+$')."""
    if pattern not in _regexes:
        out, in_class, i = [], False, 0
        while i < len(pattern):
            c = pattern[i : i + 2] if pattern[i] == "\\" else pattern[i]
            if c == "[" and not in_class:
                in_class = True
            elif c == "]" and in_class:
                in_class = False
            elif c == "$" and not in_class:
                c = r"\Z"
            out.append(c)
            i += len(c)
        _regexes[pattern] = re.compile("".join(out))
    return _regexes[pattern]


def _is_type_names(v: Any) -> bool:
    names = v if isinstance(v, list) else [v]
    return bool(names) and all(isinstance(x, str) and x in TYPE_NAMES for x in names) and len(set(names)) == len(names)


# keyword -> (test of its value, what the value must be)
_FORMS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "type": (_is_type_names, "one of " + ", ".join(TYPE_NAMES) + ", or a list of distinct ones"),
    "properties": (lambda v: isinstance(v, dict), "an object of schemas"),
    "$defs": (lambda v: isinstance(v, dict), "an object of schemas"),
    "required": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "a list of key names"),
    "additionalProperties": (lambda v: isinstance(v, (bool, dict)), "a schema, true or false"),
    "propertyNames": (lambda v: isinstance(v, dict), "a schema"),
    "items": (lambda v: isinstance(v, dict), "a schema (2020-12: the list form is prefixItems, unsupported)"),
    "enum": (lambda v: isinstance(v, list), "a list"),
    "pattern": (_is_regex, "a regular expression without \\d, \\w or \\b (their meaning differs between "
                           "Python and ECMA-262: write [0-9], [A-Za-z0-9_])"),
    "minLength": (_is_count, "a whole number, 0 or more"),
    "maxLength": (_is_count, "a whole number, 0 or more"),
    "minItems": (_is_count, "a whole number, 0 or more"),
    "minimum": (lambda v: type(v) in (int, float), "a number"),
    "uniqueItems": (lambda v: type(v) is bool, "true or false"),
    "format": (lambda v: isinstance(v, str) and v in FORMATS, "one of the formats osaid asserts: " + ", ".join(sorted(FORMATS))),
    "$ref": (lambda v: isinstance(v, str) and v.startswith("#/"), "a reference inside the same schema, '#/...'"),
    "$schema": (lambda v: v == DIALECT, repr(DIALECT)),
    "$id": (lambda v: isinstance(v, str), "a string"),
    "title": (lambda v: isinstance(v, str), "a string"),
    "description": (lambda v: isinstance(v, str), "a string"),
    "$comment": (lambda v: isinstance(v, str), "a string"),
    "examples": (lambda v: isinstance(v, list), "a list"),
}


def _subschemas(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Every schema in node, node first, with its place as a JSON pointer ('#/properties/id')."""
    yield where, node
    if not isinstance(node, dict):
        return
    for k in ("items", "propertyNames", "additionalProperties"):
        if k in node and not (k == "additionalProperties" and isinstance(node[k], bool)):
            yield from _subschemas(node[k], f"{where}/{k}")
    for k in ("properties", "$defs"):
        if isinstance(node.get(k), dict):
            for name, sub in node[k].items():
                yield from _subschemas(sub, f"{where}/{k}/{_escape(name)}")


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def check_schema(root: Any, name: str) -> None:
    """Raise UnsupportedSchema unless root keeps to what this validator checks.

    Every keyword of every subschema must be in SUPPORTED and have the form
    _FORMS says, $schema and $id only at the top, and a $ref must resolve, with
    only annotations beside it (this validator reads the target in their place).
    """
    for where, node in _subschemas(root, "#"):
        problem = _unsupported(node, where == "#", root)
        if problem:
            raise UnsupportedSchema(f"{name}: {where}: {problem}")


def _unsupported(node: Any, at_top: bool, root: Any) -> str | None:
    """What in one schema (its subschemas aside) this validator does not check, or None."""
    if not isinstance(node, dict):
        return f"a schema must be an object here, not {node!r} (boolean schemas only as additionalProperties)"
    for key, value in node.items():
        if key not in SUPPORTED:
            return (f"keyword {key!r} is not supported by osaid's validator (tools/osaid/schema.py), "
                    "which would not check it: implement it there, or do without it")
        if key in ROOT_ONLY and not at_top:
            return f"keyword {key!r} is supported only at the top of a schema"
        test, form = _FORMS.get(key, (lambda v: True, ""))
        if not test(value):
            return f"keyword {key!r} must be {form}, not {value!r}"
    if "$ref" in node:
        try:
            target = _resolve(node["$ref"], root)
        except (KeyError, IndexError, TypeError, ValueError):
            target = None
        if not isinstance(target, dict):
            return f"$ref {node['$ref']!r} does not name a schema in this file"
        beside = sorted(set(node) - ANNOTATIONS - ROOT_ONLY - {"$ref", "$defs"})
        if beside:
            return f"keyword {beside[0]!r} beside $ref is not supported: move it into {node['$ref']}"
    return None


def yaml_type_name(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return "a date"
    return _YAML_NAMES.get(type(value), type(value).__name__)


def _is_type(value: Any, t: str) -> bool:
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    py = _TYPES[t]
    if py is dict or py is list or py is str:
        return isinstance(value, py)
    return type(value) is py


# keywords whose errors sit on a key of an object (the path ends with that key)
KEY_KEYWORDS = ("additionalProperties", "propertyNames")


class Error:
    """One schema violation: where (a JSON path), which keyword, and what.

    For KEY_KEYWORDS and uniqueItems, path ends with the offending key or
    index, so that the problem points at it (jsonschema stops at the parent).
    """

    __slots__ = ("path", "keyword", "message", "value")

    def __init__(self, path: tuple, keyword: str, message: str, value: Any = None):
        self.path = path
        self.keyword = keyword
        self.message = message
        self.value = value

    def __repr__(self) -> str:
        return f"Error({self.path!r}, {self.keyword!r}, {self.message!r})"


def validate(data: Any, schema: dict, valid: dict | None = None) -> list[Error]:
    """Every violation of schema by data (not only the first).
    valid: {(id(schema), id(value)): (schema, value)} of list entries found valid before, which are not
    checked again (data.pieces: an entry read again is the same object); the entries found
    valid now are added."""
    return list(_check(data, schema, schema, (), valid))


def _resolve(ref: str, root: dict) -> Any:
    """The node a local reference '#/a/b' names (JSON pointer: ~1 is '/', ~0 is '~')."""
    from urllib.parse import unquote

    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref are supported, not {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _json_key(value: Any) -> Any:
    """value as a hashable key under JSON equality: true is not 1, false is not 0,
    1 is 1.0, and so inside lists and mappings (enum, const and uniqueItems compare keys)."""
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, (int, float)):
        return ("number", value)  # 1 == 1.0 and hash(1) == hash(1.0)
    if isinstance(value, (list, tuple)):
        return ("array", tuple(_json_key(v) for v in value))
    if isinstance(value, dict):
        return ("object", frozenset((_json_key(k), _json_key(v)) for k, v in value.items()))
    return (type(value).__name__, value)


def _describe(schema: dict) -> str:
    d = schema.get("description")
    return f" ({d.rstrip('.')})" if d else ""


def _check(value: Any, schema: dict, root: dict, path: tuple, valid: dict | None = None) -> Iterator[Error]:
    if "$ref" in schema:
        # the target's description says what form a value takes; it wins
        target = _resolve(schema["$ref"], root)
        merged = {**{k: v for k, v in schema.items() if k != "$ref"}, **target}
        yield from _check(value, merged, root, path, valid)
        return

    t = schema.get("type")
    if t is not None:
        types = t if isinstance(t, list) else [t]
        if not any(_is_type(value, x) for x in types):
            type_names = {"object": "a mapping", "array": "a list", "integer": "an integer",
                          "boolean": "true or false", "null": "empty"}
            want = " or ".join(type_names.get(x, "a " + x) for x in types)
            if not path and "object" in types:
                want = "a mapping (key: value lines) at the top of the file"
            yield Error(path, "type", f"must be {want}, not {yaml_type_name(value)}", value)
            return

    if "const" in schema and _json_key(value) != _json_key(schema["const"]):
        yield Error(path, "const", f"must be {schema['const']!r}", value)
    if "enum" in schema and _json_key(value) not in {_json_key(x) for x in schema["enum"]}:
        choices = ", ".join(repr(x) for x in schema["enum"])
        yield Error(path, "enum", f"{value!r} is not one of {choices}", value)

    if isinstance(value, str):
        yield from _check_string(value, schema, path)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            yield Error(path, "minimum", f"must be at least {schema['minimum']}", value)
    if isinstance(value, list):
        yield from _check_list(value, schema, root, path, valid)
    if isinstance(value, dict):
        yield from _check_mapping(value, schema, root, path, valid)


def _check_string(value: str, schema: dict, path: tuple) -> Iterator[Error]:
    if "minLength" in schema and len(value) < schema["minLength"]:
        if schema["minLength"] == 1:
            yield Error(path, "minLength", "must not be empty", value)
        else:
            yield Error(path, "minLength", f"must have at least {schema['minLength']} characters", value)
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        yield Error(path, "maxLength", f"must have at most {schema['maxLength']} characters", value)
    if "pattern" in schema and not _regex(schema["pattern"]).search(value):
        form = schema.get("description") or f"of the form {schema['pattern']}"
        yield Error(path, "pattern", f"{value!r} is not {form}", value)
    elif schema.get("format") == "date" and (why := _not_a_day(value)):
        yield Error(path, "format", why, value)


def _check_list(value: list, schema: dict, root: dict, path: tuple, valid: dict | None = None) -> Iterator[Error]:
    if "minItems" in schema and len(value) < schema["minItems"]:
        n = schema["minItems"]
        yield Error(path, "minItems", "must not be empty" if n == 1 else f"must have at least {n} entries", value)
    if schema.get("uniqueItems"):
        seen = set()
        for i, item in enumerate(value):
            key = _json_key(item)
            if key in seen:
                yield Error(path + (i,), "uniqueItems", f"{item!r} is listed twice", item)
            else:
                seen.add(key)
    if "items" in schema:
        sub = schema["items"]
        for i, item in enumerate(value):
            if valid is None or not isinstance(item, dict):
                yield from _check(item, sub, root, path + (i,), valid)
            elif (id(sub), id(item)) not in valid:
                errors = list(_check(item, sub, root, path + (i,), valid))
                if errors:
                    yield from errors
                else:
                    valid[(id(sub), id(item))] = (sub, item)  # both kept alive: their ids are not reused meanwhile


def _check_mapping(value: dict, schema: dict, root: dict, path: tuple, valid: dict | None = None) -> Iterator[Error]:
    props = schema.get("properties", {})
    for name in schema.get("required", ()):
        if name not in value:
            yield Error(path, "required", f"missing required key {name!r}{_describe(props.get(name, {}))}")
    names = schema.get("propertyNames")
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if names is not None:
            for e in _check(key, names, root, path + (key,)):
                e.keyword = "propertyNames"
                e.message = f"key {e.message}" if e.message.startswith("'") else f"key {key!r} {e.message}"
                yield e
        if key in props:
            yield from _check(item, props[key], root, path + (key,), valid)
        elif extra is False:
            allowed = ", ".join(props) or "none"
            yield Error(path + (key,), "additionalProperties",
                        f"unknown key {key!r} (allowed here: {allowed})", item)
        elif isinstance(extra, dict):
            yield from _check(item, extra, root, path + (key,), valid)


def _not_a_day(value: str) -> str | None:
    """Why value is not a day of the calendar written YYYY-MM-DD (ASCII digits only), or None."""
    import calendar
    import datetime

    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return f"{value!r} is not a date: write it 'YYYY-MM-DD'"
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        year, month = int(value[:4]), int(value[5:7])
        days = (f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"
                if 1 <= month <= 12 else "no such month")
        return f"{value!r} is not a day of the calendar ({days}): write a date that exists, 'YYYY-MM-DD'"
    return None


def keywords(schema: Any) -> set[str]:
    """Every keyword used by any schema in schema (values of enum, const, examples, default aside)."""
    return {k for _, node in _subschemas(schema, "#") if isinstance(node, dict) for k in node}


def key_order(schema: dict, root: dict | None = None) -> list[str]:
    """The keys of an object schema in the order the schema lists them."""
    root = root or schema
    if "$ref" in schema:
        schema = {**_resolve(schema["$ref"], root), **{k: v for k, v in schema.items() if k != "$ref"}}
    return list(schema.get("properties", {}))


def subschema(schema: dict, root: dict, step: Any) -> dict | None:
    """The schema that applies one step (a key or an index) below schema."""
    if "$ref" in schema:
        schema = {**_resolve(schema["$ref"], root), **{k: v for k, v in schema.items() if k != "$ref"}}
    if isinstance(step, int):
        return schema.get("items")
    props = schema.get("properties", {})
    if step in props:
        return props[step]
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, dict) else None

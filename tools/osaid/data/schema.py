"""The JSON Schemas that ship with osaid, and a small validator for them.

Why not the jsonschema package: importing it takes longer (60-95 ms) than the
whole of `osaid validate` may take. The schemas use a small subset of JSON
Schema 2020-12 (SUPPORTED below); a test checks that every keyword in the
shipped schemas is supported, and that this validator and jsonschema agree on
every example file.
"""

from __future__ import annotations

import os
import re
from typing import Any, Iterator

from osaid import package

SCHEMA_DIR = package.SCHEMAS
_schemas: dict[str, dict] = {}

SUPPORTED = {
    # validation
    "type", "properties", "required", "additionalProperties", "propertyNames",
    "items", "enum", "const", "pattern", "minLength", "maxLength", "minItems",
    "minimum", "uniqueItems", "$ref",
    # annotations and identification, which do not validate
    "$schema", "$id", "$defs", "title", "description", "examples", "default",
    "$comment", "format",
}

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
    """A shipped schema by file name, e.g. 'section.schema.json' (read once)."""
    if name not in _schemas:
        import json

        with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
            _schemas[name] = json.load(f)
    return _schemas[name]


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


def validate(data: Any, schema: dict) -> list[Error]:
    """Every violation of schema by data (not only the first)."""
    return list(_check(data, schema, schema, ()))


def _resolve(ref: str, root: dict) -> dict:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref are supported, not {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _describe(schema: dict) -> str:
    d = schema.get("description")
    return f" ({d.rstrip('.')})" if d else ""


def _check(value: Any, schema: dict, root: dict, path: tuple) -> Iterator[Error]:
    if "$ref" in schema:
        # the target's description says what form a value takes; it wins
        target = _resolve(schema["$ref"], root)
        merged = {**{k: v for k, v in schema.items() if k != "$ref"}, **target}
        yield from _check(value, merged, root, path)
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

    if "const" in schema and value != schema["const"]:
        yield Error(path, "const", f"must be {schema['const']!r}", value)
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(repr(x) for x in schema["enum"])
        yield Error(path, "enum", f"{value!r} is not one of {choices}", value)

    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            if schema["minLength"] == 1:
                yield Error(path, "minLength", "must not be empty", value)
            else:
                yield Error(path, "minLength", f"must have at least {schema['minLength']} characters", value)
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield Error(path, "maxLength", f"must have at most {schema['maxLength']} characters", value)
        if "pattern" in schema and not re.search(schema["pattern"], value):
            form = schema.get("description") or f"of the form {schema['pattern']}"
            yield Error(path, "pattern", f"{value!r} is not {form}", value)
        elif schema.get("format") == "date" and not _real_date(value):
            yield Error(path, "format", f"{value!r} is not a day of the calendar ({_days_in(value)}): "
                        "write a date that exists, 'YYYY-MM-DD'", value)

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            yield Error(path, "minimum", f"must be at least {schema['minimum']}", value)

    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            n = schema["minItems"]
            yield Error(path, "minItems", "must not be empty" if n == 1 else f"must have at least {n} entries", value)
        if schema.get("uniqueItems"):
            seen = []
            for i, item in enumerate(value):
                if item in seen:
                    yield Error(path + (i,), "uniqueItems", f"{item!r} is listed twice", item)
                else:
                    seen.append(item)
        if "items" in schema:
            for i, item in enumerate(value):
                yield from _check(item, schema["items"], root, path + (i,))

    if isinstance(value, dict):
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
                yield from _check(item, props[key], root, path + (key,))
            elif extra is False:
                allowed = ", ".join(props) or "none"
                yield Error(path + (key,), "additionalProperties",
                            f"unknown key {key!r} (allowed here: {allowed})", item)
            elif isinstance(extra, dict):
                yield from _check(item, extra, root, path + (key,))


def _real_date(value: str) -> bool:
    """A YYYY-MM-DD string (the pattern is checked first) that names a real day."""
    import datetime

    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _days_in(value: str) -> str:
    import calendar

    year, month = int(value[:4]), int(value[5:7])
    if not 1 <= month <= 12:
        return "no such month"
    return f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"


def keywords(schema: Any) -> set[str]:
    """Every keyword used anywhere in a schema (for the coverage test)."""
    found: set[str] = set()

    def walk(node: Any, in_props: bool) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if not in_props:
                    found.add(k)
                walk(v, k in ("properties", "$defs") and not in_props)
        elif isinstance(node, list):
            for v in node:
                walk(v, False)

    walk(schema, False)
    return found


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

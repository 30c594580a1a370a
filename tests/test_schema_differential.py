"""osaid's schema validator and jsonschema agree on generated instances of every shipped schema.

Instances come from two strategies: arbitrary JSON-like values (None, booleans,
integers, floats, strings, lists, mappings, nested), and values derived from the
schema (required keys, enum members, strings of the pattern, real and unreal
dates, repeated entries) where any part may be swapped for a near miss (true for
1, 1.0 for 1, a trailing newline) or for an arbitrary value. Both validators must
agree on valid or not, and on the JSON paths of the errors.

The reference is jsonschema's Draft202012Validator with osaid's two documented
choices: format "date" is asserted (the one format osaid checks), and "integer"
means a whole number written as one (osaid refuses 2.0 where a count is due);
and with patterns matched by an ECMA-262 engine (regress), as 2020-12 says, not
by Python's re, whose `$` also matches before a final newline.
The run is derandomized, so it is the same on every machine.
"""

from __future__ import annotations

import functools
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osaid.data import schema

jsonschema = pytest.importorskip("jsonschema")

SHIPPED = sorted(p.name for p in Path(schema.SCHEMA_DIR).glob("*.schema.json"))
EXAMPLES = 80  # per schema

SCALARS = (st.none() | st.booleans() | st.integers(-3, 3) | st.integers()
           | st.floats(allow_nan=False) | st.sampled_from([0.0, 1.0, -1.0, 2.0])
           | st.text(max_size=8) | st.sampled_from(["", "a", "1", "true", "2024-02-30", "x\n"]))
KEYS = st.text(string.ascii_lowercase + "_-", max_size=6) | st.text(max_size=4)
ANY = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                   max_leaves=10)


def twins(value) -> list:
    """Values a JSON-blind comparison would mistake for value (or that almost match it)."""
    if isinstance(value, bool):
        return [int(value), float(value)]
    if isinstance(value, int):
        return [float(value), *([bool(value)] if value in (0, 1) else []), value - 1]
    if isinstance(value, float):
        return [int(value)] if value.is_integer() else []
    if isinstance(value, str):
        return [value + "\n", value.upper(), value[:-1], " " + value]
    if isinstance(value, list):
        return [[t] for v in value[:1] for t in twins(v)] + [value + value[:1], []]
    if isinstance(value, dict):
        return [{**value, k: t} for k, v in list(value.items())[:1] for t in twins(v)]
    return []


def _resolved(s: dict, root: dict) -> dict:
    while "$ref" in s:
        s = schema._resolve(s["$ref"], root)
    return s


def _missed(draw, miss: int | None) -> bool:
    """Whether this part is a miss: about one in `miss`; never when miss is None."""
    return miss is not None and draw(st.integers(0, miss)) == 0


@st.composite
def instance(draw, s: dict, root: dict, miss: int | None):
    """A value valid by schema s, but that each part is (one in `miss`, about) anything at all or
    a near miss: a JSON twin (true for 1), a repeated entry, a missing or unknown key, a wrong date."""
    s = _resolved(s, root)
    if _missed(draw, miss):
        return draw(ANY)
    value = draw(_shaped(s, root, miss))
    if _missed(draw, miss):
        near = twins(value) + (BAD_DATES if s.get("format") == "date" else [])
        return draw(st.sampled_from(near)) if near else value
    return value


BAD_DATES = ["2023-02-29", "2024-04-31", "2024-00-10", "20240101", "2024-1-01", "2024-02-29\n"]


def _shaped(s: dict, root: dict, miss: int | None) -> st.SearchStrategy:
    if "const" in s:
        return st.just(s["const"])
    if "enum" in s:
        return st.sampled_from(s["enum"])
    types = s.get("type", ["string", "integer", "boolean", "null", "array", "object"])
    return st.one_of([_of_type(t, s, root, miss) for t in (types if isinstance(types, list) else [types])])


def _of_type(t: str, s: dict, root: dict, miss: int | None) -> st.SearchStrategy:
    if t == "string":
        return _string(s)
    if t in ("integer", "number"):
        low = s.get("minimum", -5)
        return st.integers(low, low + 3) | (st.floats(low, low + 3) if t == "number" else st.integers(low, 10**6))
    if t == "boolean":
        return st.booleans()
    if t == "null":
        return st.none()
    if t == "array":
        return _array(s, root, miss)
    return _object(s, root, miss)


def _array(s: dict, root: dict, miss: int | None) -> st.SearchStrategy:
    @st.composite
    def build(draw):
        least = s.get("minItems", 0)
        items = instance(s.get("items", {}), root, miss)
        value = draw(st.lists(items, min_size=least, max_size=least + 1,
                              unique_by=schema._json_key if s.get("uniqueItems") else None))
        if value and _missed(draw, miss):
            value.append(value[0])  # a repeated entry
        return value

    return build()


@functools.lru_cache(maxsize=None)
def _pattern(p: str) -> st.SearchStrategy:
    return st.from_regex(p, fullmatch=True)


def _string(s: dict) -> st.SearchStrategy:
    if s.get("format") == "date":
        return st.dates().map(lambda d: d.isoformat())
    if "pattern" in s:
        return _pattern(s["pattern"])
    return st.text(min_size=s.get("minLength", 0), max_size=s.get("maxLength", 12))


def _object(s: dict, root: dict, miss: int | None) -> st.SearchStrategy:
    props = s.get("properties", {})
    required = [k for k in s.get("required", []) if k in props]
    optional = [k for k in props if k not in required]
    extra = s.get("additionalProperties", True)
    names = _string(_resolved(s["propertyNames"], root)) if "propertyNames" in s else KEYS

    @st.composite
    def build(draw):
        keys = list(required)
        if optional:
            keys += draw(st.lists(st.sampled_from(optional), unique=True, max_size=len(optional)))
        if required and _missed(draw, miss):
            keys.remove(draw(st.sampled_from(required)))  # a missing key
        value = {k: draw(instance(props[k], root, miss)) for k in keys}
        if isinstance(extra, dict) or _missed(draw, miss):  # more keys: the schema's kind, or unknown ones
            for k in draw(st.lists(names, max_size=2)):
                value.setdefault(k, draw(instance(extra if isinstance(extra, dict) else {}, root, miss)))
        return value

    return build()


@functools.lru_cache(maxsize=None)
def _ecma(pattern: str):
    import regress

    return regress.Regex(pattern)


def _pattern_ecma(validator, pattern, value, _schema):
    from jsonschema import ValidationError

    if validator.is_type(value, "string") and _ecma(pattern).find(value) is None:
        yield ValidationError(f"{value!r} does not match {pattern!r}")


@functools.lru_cache(maxsize=None)
def _reference_class():
    """jsonschema's 2020-12 validator, with osaid's format and integer choices (see the module's docstring)."""
    from jsonschema import Draft202012Validator, validators

    types = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda checker, v: isinstance(v, int) and not isinstance(v, bool))
    return validators.extend(Draft202012Validator, {"pattern": _pattern_ecma}, type_checker=types)


def reference_for(s: dict):
    from jsonschema import FormatChecker

    return _reference_class()(s, format_checker=FormatChecker(formats=sorted(schema.FORMATS)))


@functools.lru_cache(maxsize=None)
def reference(name: str):
    return reference_for(schema.load_schema(name))


def agree(value, s: dict, ref) -> None:
    """Both valid, or both invalid with the same (JSON path, keyword) errors."""
    ours = schema.validate(value, s)
    theirs = list(ref.iter_errors(value))
    assert bool(ours) == bool(theirs), (value, ours, [e.message for e in theirs])
    # osaid points at the offending key or entry where jsonschema stops at its parent
    mine = {(e.path[:-1] if e.keyword in (*schema.KEY_KEYWORDS, "uniqueItems") else e.path, e.keyword) for e in ours}
    # osaid stops at a value of the wrong type (one message, not a cascade: no enum, no items
    # under type string), checks a date's calendar only once it has the pattern's form, and
    # names a key's errors propertyNames
    wrong_type = {p for p, k in mine if k == "type"}
    wrong_form = {p for p, k in mine if k == "pattern"}
    other = {(tuple(e.absolute_path), "propertyNames" if "propertyNames" in e.absolute_schema_path else e.validator)
             for e in theirs}
    other = {(p, k) for p, k in other if (k == "type" or not any(p[:len(t)] == t for t in wrong_type))
             and not (k == "format" and p in wrong_form)}
    assert mine == other, (value, ours, [e.message for e in theirs])


@pytest.mark.parametrize("name", SHIPPED)
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(data=st.data())
def test_osaid_and_jsonschema_agree_on_generated_instances(name, data):
    s = schema.load_schema(name)
    wild, miss = data.draw(st.integers(0, 4)) == 0, data.draw(st.sampled_from([None, 60, 12]))
    value = data.draw(ANY if wild else instance(s, s, miss))
    agree(value, s, reference(name))
    if not wild and miss is None:  # what keeps the comparison from being vacuous: valid files are asked about too
        assert schema.validate(value, s) == [], value



# Schemas of the supported subset, built at random: the same comparison, over the keywords'
# combinations the shipped schemas do not (yet) use; values from little JSON, the members of
# enum and const and their JSON twins, and lists of twins (for uniqueItems).
TWINS = [0, 1, 0.0, 1.0, False, True, [1], [True], [1.0], {"a": 1}, {"a": True}, {"a": 1.0}]
LITTLE = st.none() | st.booleans() | st.sampled_from([0, 1, 2, 0.0, 1.0, 1.5, -1, "", "a", "a\n", "1", "2024-02-29",
                                                      "2023-02-29", "20240101"])
LITTLE_JSON = st.recursive(LITTLE, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.sampled_from(["a", "b", "c", "A", "a\n"]), inner, max_size=3),
                           max_leaves=6)
NAMES = st.sampled_from(["a", "b", "c"])
ASSERTIONS = {
    "type": st.sampled_from(schema.TYPE_NAMES) | st.lists(st.sampled_from(schema.TYPE_NAMES), min_size=1,
                                                          max_size=3, unique=True),
    "enum": st.lists(st.sampled_from(TWINS) | LITTLE_JSON, min_size=1, max_size=3),
    "const": st.sampled_from(TWINS) | LITTLE_JSON,
    "pattern": st.sampled_from(["^[a-z]+$", "^a", "a$", "[0-9]", "^(x|a)$", "^[^$]*$", "^a\\$$"]),
    "minLength": st.integers(0, 2), "maxLength": st.integers(0, 2), "minItems": st.integers(0, 2),
    "minimum": st.sampled_from([-1, 0, 1, 0.5]),
    "uniqueItems": st.booleans(),
    "format": st.just("date"),
    "required": st.lists(NAMES, unique=True, max_size=2),
    "description": st.just("d"),
}


def _some(keywords: dict) -> st.SearchStrategy:
    """Schemas of one or two of these keywords (more would make nearly every value invalid)."""
    return st.lists(st.sampled_from(sorted(keywords)), max_size=2, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({k: keywords[k] for k in chosen}))


LEAF = _some(ASSERTIONS)


def _with(children):
    structure = {"items": children, "properties": st.dictionaries(NAMES, children, max_size=3),
                 "additionalProperties": st.booleans() | children, "propertyNames": LEAF}
    return st.builds(lambda a, b: {**a, **b}, _some(ASSERTIONS), _some(structure))


SUBSCHEMAS = st.recursive(LEAF | st.just({"$ref": "#/$defs/d", "description": "d"}), _with, max_leaves=5)
SCHEMAS = st.builds(lambda top, d: {**top, "$schema": schema.DIALECT, "$defs": {"d": d}}, SUBSCHEMAS, _with(LEAF))


@settings(max_examples=1000, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(s=SCHEMAS, data=st.data())
def test_osaid_and_jsonschema_agree_on_generated_schemas(s, data):
    schema.check_schema(s, "generated")
    ref = reference_for(s)
    listed = [*s.get("enum", []), *([s["const"]] if "const" in s else [])]
    near = st.sampled_from([t for v in listed for t in [v, *twins(v)]] or TWINS)
    edges = st.sampled_from(["a", "a\n", "x\n", "20240101", "2024-02-29\n", "2023-02-29", "2024-02-29"])
    repeats = st.lists(st.sampled_from(TWINS) | LITTLE, min_size=2, max_size=4)
    for value in data.draw(st.lists(st.one_of(near, near, edges, repeats, LITTLE_JSON), min_size=2, max_size=5)):
        agree(value, s, ref)

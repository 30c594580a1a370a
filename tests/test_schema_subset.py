"""osaid's JSON Schema validator keeps to the subset it checks, and compares values the JSON way.

Loading a schema refuses any keyword the validator would silently skip (an internal
error naming the file, the place and the keyword); enum, const and uniqueItems tell
true from 1 and false from 0, and take 1 and 1.0 as equal, at any depth. The
expectations here are written by hand; tests/test_schema_differential.py compares
the validator with jsonschema on generated instances.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from osaid.data import layout, schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _base() -> dict:
    return {
        "$schema": DIALECT,
        "$id": "https://osaid.invalid/schemas/t.schema.json",
        "type": "object",
        "properties": {
            "a": {"type": "string", "description": "A."},
            "if": {"$ref": "#/$defs/slug", "description": "a property named like a keyword"},
            "list": {"type": "array", "items": {"type": "integer"}},
        },
        "additionalProperties": False,
        "$defs": {"slug": {"type": "string", "pattern": "^[a-z]+$"}},
    }


def _load(tmp_path, monkeypatch, s: dict) -> dict:
    """s written as a shipped schema file and loaded the way osaid loads one."""
    (tmp_path / "t.schema.json").write_text(json.dumps(s), encoding="utf-8")
    monkeypatch.setattr(schema, "SCHEMA_DIR", str(tmp_path))
    monkeypatch.setattr(schema, "_schemas", {})
    return schema.load_schema("t.schema.json")


def _at(s: dict, place: str) -> dict:
    node = s
    for part in place.split("/")[1:]:
        node = node[part]
    return node


# (place, keyword, value, what the error says after the place, or from the place on when it starts
# with '#'): each must be refused when loaded
REFUSED = [
    ("#", "if", {"required": ["a"]}, "keyword 'if' is not supported"),
    ("#/properties/a", "maxItems", 3, "keyword 'maxItems' is not supported"),
    ("#/properties/list/items", "multipleOf", 2, "keyword 'multipleOf' is not supported"),
    ("#/$defs/slug", "patternProperties", {}, "keyword 'patternProperties' is not supported"),
    ("#/properties/a", "deprecated", True, "keyword 'deprecated' is not supported"),
    ("#/properties/a", "readOnly", True, "keyword 'readOnly' is not supported"),
    ("#/properties/a", "contentMediaType", "text/plain", "keyword 'contentMediaType' is not supported"),
    ("#/properties/a", "$anchor", "a", "keyword '$anchor' is not supported"),
    ("#/properties/a", "$id", "a.json", "keyword '$id' is supported only at the top"),
    ("#/properties/a", "$schema", DIALECT, "keyword '$schema' is supported only at the top"),
    ("#", "$schema", "http://json-schema.org/draft-07/schema#", "keyword '$schema' must be"),
    ("#/properties/a", "format", "email", "keyword 'format' must be one of the formats osaid asserts: date"),
    ("#/properties/a", "type", "strin", "keyword 'type' must be one of string, object"),
    ("#/properties/a", "type", ["string", "string"], "keyword 'type' must be"),
    ("#/properties/a", "pattern", "(", "keyword 'pattern' must be a regular expression"),
    ("#/properties/a", "minLength", -1, "keyword 'minLength' must be a whole number"),
    ("#/properties/a", "minLength", 1.0, "keyword 'minLength' must be a whole number"),
    ("#/properties/a", "uniqueItems", 1, "keyword 'uniqueItems' must be true or false"),
    ("#/properties/list", "items", [{"type": "integer"}], "keyword 'items' must be a schema"),
    ("#/properties/list", "items", False, "keyword 'items' must be a schema"),
    ("#/properties", "b", 5, "#/properties/b: a schema must be an object here, not 5"),
    ("#/properties/list", "propertyNames", True, "keyword 'propertyNames' must be a schema"),
    ("#/properties/a", "$ref", "other.schema.json#/$defs/slug", "keyword '$ref' must be a reference inside"),
    ("#/properties/a", "$ref", "#/$defs/nope", "$ref '#/$defs/nope' does not name a schema in this file"),
    ("#/properties/if", "minLength", 3, "keyword 'minLength' beside $ref is not supported: move it into #/$defs/slug"),
]


@pytest.mark.parametrize(("place", "keyword", "value", "says"), REFUSED,
                         ids=[f"{p}:{k}={v!r}" for p, k, v, _ in REFUSED])
def test_loading_refuses_what_the_validator_does_not_check(tmp_path, monkeypatch, place, keyword, value, says):
    s = _base()
    node = _at(s, place)
    node[keyword] = value
    with pytest.raises(schema.UnsupportedSchema) as e:
        _load(tmp_path, monkeypatch, s)
    where = says if says.startswith("#") else f"{place}: {says}"
    assert str(e.value).startswith(f"osaid/schemas/t.schema.json: {where}"), str(e.value)
    assert schema._schemas == {}, "a refused schema must not stay cached"


def test_loading_accepts_annotations_and_keyword_names_as_data(tmp_path, monkeypatch):
    """Annotations anywhere; keyword-like names where they are data: property names, enum,
    const, examples and default values (none of these is a schema)."""
    s = _base()
    a = s["properties"]["a"]
    a.update({"title": "A", "$comment": "c", "examples": [{"if": 1, "anyOf": []}], "default": {"not": {}},
              "enum": ["x", {"oneOf": []}], "format": "date"})
    s["properties"]["list"]["const"] = {"allOf": [{"if": {}}]}
    s["$defs"]["a/b~c"] = {"type": "string", "description": "reached as #/$defs/a~1b~0c"}
    s["properties"]["escaped"] = {"$ref": "#/$defs/a~1b~0c"}
    loaded = _load(tmp_path, monkeypatch, s)
    assert "if" not in schema.keywords(loaded) and "anyOf" not in schema.keywords(loaded)
    assert [e.keyword for e in schema.validate({"escaped": 1}, loaded)] == ["type"]


def test_every_2020_12_validation_keyword_is_checked_or_refused(tmp_path, monkeypatch):
    """No keyword jsonschema acts on can be in a loaded schema without osaid checking it."""
    jsonschema = pytest.importorskip("jsonschema")
    for keyword in sorted(jsonschema.Draft202012Validator.VALIDATORS):
        if keyword in schema.VALIDATION:
            continue
        s = _base()
        s["properties"]["a"][keyword] = {}
        with pytest.raises(schema.UnsupportedSchema, match=re.escape(f"#/properties/a: keyword '{keyword}' is not supported")):
            _load(tmp_path, monkeypatch, s)


def test_an_unsupported_keyword_in_a_shipped_schema_is_an_internal_error(tmp_path, monkeypatch, data_repo, osaid):
    shipped = tmp_path / "schemas"
    shipped.mkdir()
    for f in Path(schema.SCHEMA_DIR).glob("*.schema.json"):
        (shipped / f.name).write_bytes(f.read_bytes())
    s = json.loads((shipped / "section.schema.json").read_text(encoding="utf-8"))
    s["properties"]["id"]["maxItems"] = 2
    (shipped / "section.schema.json").write_text(json.dumps(s), encoding="utf-8")
    monkeypatch.setattr(schema, "SCHEMA_DIR", str(shipped))
    monkeypatch.setattr(schema, "_schemas", {})
    monkeypatch.setenv("OSAID_NO_CACHE", "1")
    r = osaid("validate", cwd=data_repo)
    assert r.code == 3, r
    assert ("osaid: internal error: UnsupportedSchema: osaid/schemas/section.schema.json: #/properties/id: "
            "keyword 'maxItems' is not supported by osaid's validator") in r.err
    assert "Traceback" not in r.err


def _schema_places(node, place="#"):
    """Every object in a schema that is itself a schema, found independently of schema.py:
    everything but the maps of properties and $defs and the values of data keywords."""
    if isinstance(node, dict):
        yield place, node
        for k, v in node.items():
            if k in ("enum", "const", "examples", "default"):
                continue
            if k in ("properties", "$defs"):
                for name, sub in v.items():
                    yield from _schema_places(sub, f"{place}/{k}/{name.replace('~', '~0').replace('/', '~1')}")
            else:
                yield from _schema_places(v, f"{place}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _schema_places(v, f"{place}/{i}")


SHIPPED = sorted(Path(schema.SCHEMA_DIR).glob("*.schema.json"))


def test_the_keyword_check_reaches_every_subschema_of_every_shipped_schema():
    """What makes the coverage test (test_examples.py) unable to pass vacuously: every schema
    file is there, each uses keywords, and a keyword slipped in at any of its subschemas is
    found by keywords() and refused by check_schema()."""
    assert {f.name for f in SHIPPED} == {layout.schema_file(k) for _, k in layout.FILE_KINDS} | {"diff.schema.json"}
    for f in SHIPPED:
        s = json.loads(f.read_text(encoding="utf-8"))
        schema.check_schema(s, f.name)
        assert {"$schema", "type"} <= schema.keywords(s) <= schema.SUPPORTED, f.name
        places = list(_schema_places(s))
        assert len(places) > 3, f.name
        for place, _ in places:
            planted = copy.deepcopy(s)
            _at_place(planted, place)["unevaluatedProperties"] = False
            assert "unevaluatedProperties" in schema.keywords(planted), (f.name, place)
            with pytest.raises(schema.UnsupportedSchema) as e:
                schema.check_schema(planted, f.name)
            assert str(e.value).startswith(f"{f.name}: {place}: keyword 'unevaluatedProperties'"), str(e.value)


def _at_place(s: dict, place: str) -> dict:
    node = s
    for part in place.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


# (schema, value, valid): JSON equality, written by hand
EQUALITY = [
    ({"enum": [1]}, True, False),
    ({"enum": [1]}, 1.0, True),
    ({"enum": [0]}, False, False),
    ({"enum": [True]}, 1, False),
    ({"enum": [False, None]}, 0, False),
    ({"enum": [[1]]}, [True], False),
    ({"enum": [[1]]}, [1.0], True),
    ({"enum": [{"a": 0}]}, {"a": False}, False),
    ({"enum": [{"a": 0}]}, {"a": 0.0}, True),
    ({"enum": ["1"]}, 1, False),
    ({"const": True}, 1, False),
    ({"const": False}, 0, False),
    ({"const": 1}, True, False),
    ({"const": 2}, 2.0, True),
    ({"const": [0, {"b": [1]}]}, [False, {"b": [1]}], False),
    ({"const": [0, {"b": [1]}]}, [0, {"b": [True]}], False),
    ({"const": [0, {"b": [1]}]}, [0.0, {"b": [1.0]}], True),
    ({"const": {"a": 1}}, {"a": 1, "b": 1}, False),
    ({"uniqueItems": True}, [1, True], True),
    ({"uniqueItems": True}, [0, False, None, ""], True),
    ({"uniqueItems": True}, [[1], [True]], True),
    ({"uniqueItems": True}, [{"a": [0]}, {"a": [False]}], True),
    ({"uniqueItems": True}, [1, 1.0], False),
    ({"uniqueItems": True}, [{"a": 1}, {"a": 1.0}], False),
    ({"uniqueItems": True}, [[1, True], [1, 1], [1, True]], False),  # jsonschema 4.26 misses this one
    ({"uniqueItems": True}, [True, True], False),
]


def test_enum_const_and_unique_items_compare_the_json_way():
    wrong = [(s, value, valid) for s, value, valid in EQUALITY if (schema.validate(value, s) == []) is not valid]
    assert wrong == []


def test_a_repeated_entry_is_reported_at_each_repetition():
    errors = schema.validate(["a", 1, True, 1.0, "a", [0], [False]], {"uniqueItems": True})
    assert [(e.path, e.message) for e in errors] == [((3,), "1.0 is listed twice"), ((4,), "'a' is listed twice")]


# format "date": what jsonschema's date check asserts (RFC 3339 full-date), pattern or not
DATES = [
    ("2024-02-29", None),
    ("2023-02-29", "'2023-02-29' is not a day of the calendar (February 2023 has 28 days): "
                   "write a date that exists, 'YYYY-MM-DD'"),
    ("2024-13-01", "'2024-13-01' is not a day of the calendar (no such month): write a date that exists, 'YYYY-MM-DD'"),
    ("20240101", "'20240101' is not a date: write it 'YYYY-MM-DD'"),
    ("2024-W01-1", "'2024-W01-1' is not a date: write it 'YYYY-MM-DD'"),
    ("\uff12\uff10\uff12\uff14-01-01", "'\uff12\uff10\uff12\uff14-01-01' is not a date: write it 'YYYY-MM-DD'"),
    ("2024-01-01\n", "'2024-01-01\\n' is not a date: write it 'YYYY-MM-DD'"),
    ("", "'' is not a date: write it 'YYYY-MM-DD'"),
]


def test_format_date_without_a_pattern_checks_the_whole_form():
    got = [(v, [e.message for e in schema.validate(v, {"type": "string", "format": "date"})]) for v, _ in DATES]
    assert got == [(v, [m] if m else []) for v, m in DATES]



def test_a_pattern_ends_at_the_end_of_the_text(data_repo):
    """JSON Schema patterns are ECMA-262, where `$` is the end of the text: an ID, a version or a
    date followed by a newline (a quoted "\\n", or a `|` block) is not of the form, as Python's `$`
    alone would have it. Keys are checked by propertyNames the same way."""
    from osaid.data import validate

    section = (data_repo / "definition/ai-system.yaml").read_bytes()
    raw = section.replace(b"  - id: oecd-ai-system\n", b'  - id: "oecd-ai-system\\n"\n', 1)
    assert raw != section
    problems = validate.check({"definition/ai-system.yaml": raw}, cross=False).problems
    assert [p.text() for p in problems] == [
        "definition/ai-system.yaml:5:9: GOV-2 clauses[0].id: 'oecd-ai-system\\n' is not a lowercase slug "
        "(letters a-z, digits and single hyphens), e.g. 'model-card'"]
    url = {"type": "string", "pattern": "^https?://[^\\s/$.?#][^\\s]*$"}
    assert [bool(schema.validate(v, url)) for v in ("https://a.org/$x", "https://a.org\n", "https://$")] \
        == [False, True, True]
    assert schema.validate({"a-b": 1, "c\n": 2}, {"propertyNames": {"pattern": "^[a-z-]+$"}})[0].path == ("c\n",)


def test_a_pattern_whose_meaning_differs_between_python_and_ecma_is_refused(tmp_path, monkeypatch):
    for pattern in ("^\\d{4}$", "^[\\w-]+$", "\\bword\\b", "^\\D$"):
        s = _base()
        s["$defs"]["slug"]["pattern"] = pattern
        with pytest.raises(schema.UnsupportedSchema, match=re.escape("#/$defs/slug: keyword 'pattern' must be a "
                                                                     "regular expression without \\d, \\w or \\b")):
            _load(tmp_path, monkeypatch, s)
    s = _base()
    s["$defs"]["slug"]["pattern"] = "^[0-9]\\\\d$"  # an escaped backslash, then a d
    assert schema.validate({"if": "1\\d"}, _load(tmp_path, monkeypatch, s)) == []

"""Positive and negative example files for every schema, picked up automatically.

tests/examples/<kind>/valid/*.yaml must produce no problem; each
tests/examples/<kind>/invalid/NAME.yaml must produce exactly the problems in
NAME.expected ("line:col: GOV-n message", one per line). Set
OSAID_UPDATE_GOLDEN=1 to rewrite the .expected files, then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from osaid.data import fmt, layout, load, schema, validate

EXAMPLES = Path(__file__).parent / "examples"
PLACES = {
    "definition": "definition/definition.yaml",
    "section": "definition/{name}.yaml",
    "components": "checklist/components.yaml",
    "checklist": "checklist/checklist.yaml",
    "system": "checklist/systems/{name}.yaml",
    "stakeholders": "governance/stakeholders.yaml",
    "endorsements": "governance/endorsements.yaml",
    "maintainers": "governance/maintainers.yaml",
    "policy": "governance/policy.yaml",
    "notes": "notes/{name}.yaml",
    "reviews": "governance/reviews.yaml",
    "evaluation": "evaluations/{name}.yaml",
    "schedule": "governance/schedule.yaml",
    "board": "governance/board.yaml",
}
VALID = sorted(EXAMPLES.glob("*/valid/*.yaml"))
INVALID = sorted(EXAMPLES.glob("*/invalid/*.yaml"))


def _id(p: Path) -> str:
    return f"{p.parts[-3]}/{p.parts[-2]}/{p.stem}"


def place(path: Path) -> str:
    kind = path.parts[-3]
    return PLACES[kind].format(name=path.stem)


def problems_of(path: Path) -> list[str]:
    rel = place(path)
    repo = validate.check({rel: path.read_bytes()}, cross=False)
    return [f"{p.line}:{p.col}: {p.rule} {p.message}" for p in repo.problems]


def test_every_kind_has_positive_and_negative_examples():
    kinds = {k for _, k in layout.FILE_KINDS}
    assert kinds == set(PLACES)
    for kind in kinds:
        assert list(EXAMPLES.glob(f"{kind}/valid/*.yaml")), f"no valid example for {kind}"
        assert list(EXAMPLES.glob(f"{kind}/invalid/*.yaml")), f"no invalid example for {kind}"


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_valid_example(path):
    assert problems_of(path) == []


@pytest.mark.parametrize("path", INVALID, ids=_id)
def test_invalid_example(path):
    got = problems_of(path)
    expected_file = path.with_suffix(".expected")
    if os.environ.get("OSAID_UPDATE_GOLDEN"):
        expected_file.write_text("".join(line + "\n" for line in got), encoding="utf-8")
    assert got, "an invalid example must produce at least one problem"
    assert got == expected_file.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("path", VALID + INVALID, ids=_id)
def test_reference_validator_agrees(path):
    """jsonschema (the reference) and osaid's validator agree on every example that parses."""
    jsonschema = pytest.importorskip("jsonschema")
    rel = place(path)
    text, problems = load.decode(rel, path.read_bytes(), None)
    if text is None:
        return
    data, problems = load.parse(rel, text)
    if problems:
        return
    s = schema.load_schema(layout.schema_file(layout.file_kind(rel)))
    ours = {tuple(e.path[:-1]) if e.keyword in (*schema.KEY_KEYWORDS, "uniqueItems") else tuple(e.path)
            for e in schema.validate(data, s)}
    theirs = {tuple(e.absolute_path) for e in jsonschema.Draft202012Validator(s, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).iter_errors(data)}
    assert bool(ours) == bool(theirs)
    assert ours == theirs


def test_schemas_are_valid_2020_12_and_use_only_supported_keywords():
    jsonschema = pytest.importorskip("jsonschema")
    for f in sorted(Path(schema.SCHEMA_DIR).glob("*.schema.json")):
        s = json.loads(f.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(s)
        assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        unsupported = schema.keywords(s) - schema.SUPPORTED
        assert not unsupported, f"{f.name} uses keywords osaid does not check: {unsupported}"


def _properties(node):
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield name, sub
        for v in node.values():
            yield from _properties(v)
    elif isinstance(node, list):
        for v in node:
            yield from _properties(v)


def test_every_property_has_a_description():
    for f in sorted(Path(schema.SCHEMA_DIR).glob("*.schema.json")):
        s = json.loads(f.read_text(encoding="utf-8"))
        for name, sub in _properties(s):
            assert sub.get("description"), f"{f.name}: property {name!r} has no description"


def _loads_strictly(path: Path) -> bool:
    rel = place(path)
    text, _ = load.decode(rel, path.read_bytes(), None)
    return text is not None and not load.parse(rel, text)[1]


@pytest.mark.parametrize("path", [p for p in VALID + INVALID if _loads_strictly(p)], ids=_id)
def test_fmt_is_idempotent_on_examples(path):
    """fmt(fmt(x)) == fmt(x) on every example that loads strictly, valid or not (fmt refuses
    the others, which test_fmt covers)."""
    rel = place(path)
    once = fmt.canonical_text(rel, path.read_text(encoding="utf-8"))
    twice = fmt.canonical_text(rel, once)
    assert once == twice
    # and canonical text still means the same data
    assert load.parse(rel, once)[0] == load.parse(rel, path.read_text(encoding="utf-8"))[0]

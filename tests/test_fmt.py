"""osaid fmt: canonical form, idempotence, comments kept, atomic and all-or-nothing."""

from __future__ import annotations

from conftest import REPO, edit

from osaid.data import fmt, layout

SECTION_HEADER = "# yaml-language-server: $schema=../tools/osaid/schemas/section.schema.json\n"


def test_repository_is_canonical(osaid):
    r = osaid("fmt", "--check", cwd=REPO)
    assert (r.code, r.out, r.err) == (0, "", "")


def test_fmt_is_idempotent_on_every_repository_file():
    for rel in layout.discover(REPO):
        text = (REPO / rel).read_text(encoding="utf-8")
        assert fmt.canonical_text(rel, text) == text, f"{rel} is not canonical"


def test_every_data_file_names_its_schema_on_the_first_line():
    for rel in layout.discover(REPO):
        first = (REPO / rel).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == layout.header(rel, layout.file_kind(rel))
        schema_path = (REPO / rel).parent / first.split("$schema=", 1)[1]
        assert schema_path.resolve().is_file(), f"{rel}: {schema_path} does not exist"


MESSY = """id: preamble
clauses:
    -   text: "Why."   # keep this comment
        id: why
    - {id: how, text: 'How, in a line that is long enough to need folding into a block scalar of prose.'}
# a comment between keys
title:   Preamble
"""

CANONICAL = SECTION_HEADER + """id: preamble
title: Preamble
clauses:
  - id: why
    text: Why.         # keep this comment
  - id: how
    text: >-
      How, in a line that is long enough to need folding into a block scalar
      of prose.
# a comment between keys
"""


def test_canonical_form_of_a_messy_file():
    # (end-of-line comments keep their column: ruamel.yaml records it, and moving
    # them would misalign comments that editors aligned on purpose)
    out = fmt.canonical_text("definition/preamble.yaml", MESSY)
    assert out == CANONICAL
    assert fmt.canonical_text("definition/preamble.yaml", out) == out


def test_check_lists_and_writes_nothing(osaid, data_repo):
    p = data_repo / "definition/preamble.yaml"
    p.write_text(MESSY, encoding="utf-8")
    before = p.read_bytes()
    r = osaid("fmt", "--check", cwd=data_repo)
    assert (r.code, r.err) == (1, "")
    assert r.out == "definition/preamble.yaml:1:1: GOV-5 not in canonical form from this line on: run osaid fmt\n"
    assert p.read_bytes() == before


def test_fmt_rewrites_only_what_changes_and_exits_1(osaid, data_repo):
    p = data_repo / "definition/preamble.yaml"
    p.write_text(MESSY, encoding="utf-8")
    other = data_repo / "definition/ai-system.yaml"
    mtime = other.stat().st_mtime_ns
    r = osaid("fmt", cwd=data_repo)
    assert (r.code, r.out) == (1, "reformatted definition/preamble.yaml\n")
    assert p.read_text(encoding="utf-8") == CANONICAL
    assert other.stat().st_mtime_ns == mtime
    assert not [f for f in p.parent.iterdir() if f.name.endswith(".tmp")]
    r = osaid("fmt", cwd=data_repo)
    assert (r.code, r.out) == (0, "")


def test_crlf_bom_and_missing_header_are_normalised(osaid, data_repo):
    p = data_repo / "governance/maintainers.yaml"
    text = p.read_text(encoding="utf-8")
    body = text.split("\n", 1)[1]
    p.write_bytes(b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode("utf-8"))
    assert osaid("fmt", cwd=data_repo).code == 1
    assert p.read_text(encoding="utf-8") == text


def test_broken_file_means_nothing_is_written(osaid, data_repo):
    good = data_repo / "definition/preamble.yaml"
    good.write_text(MESSY, encoding="utf-8")
    bad = data_repo / "governance/policy.yaml"
    edit(bad, "placeholders: [TK, TODO, TBD]", "placeholders: [TK, TODO, TBD")
    before = good.read_bytes(), bad.read_bytes()
    r = osaid("fmt", cwd=data_repo)
    assert r.code == 1
    assert r.out.startswith("governance/policy.yaml:")
    assert "nothing written" in r.err, r.err
    assert (good.read_bytes(), bad.read_bytes()) == before


def test_keeps_unknown_keys_after_known_ones():
    text = SECTION_HEADER + "extra: 1\nclauses: []\ntitle: T\nid: x\n"
    assert fmt.canonical_text("definition/x.yaml", text) == SECTION_HEADER + "id: x\ntitle: T\nclauses: []\nextra: 1\n"


def test_short_lists_of_scalars_flow_long_ones_block():
    header = "# yaml-language-server: $schema=../tools/osaid/schemas/definition.schema.json\n"
    short = header + "title: T\nversion: 0.0.5\ndate: '2024-01-26'\nsections:\n  - a\n  - b\n"
    assert fmt.canonical_text("definition/definition.yaml", short).endswith("sections: [a, b]\n")
    long_ids = ["section-number-%d" % i for i in range(6)]
    long = header + "title: T\nversion: 0.0.5\ndate: '2024-01-26'\nsections: [" + ", ".join(long_ids) + "]\n"
    assert fmt.canonical_text("definition/definition.yaml", long).endswith(
        "sections:\n" + "".join(f"  - {s}\n" for s in long_ids))


def test_multiline_strings_become_literal_blocks_and_short_ones_plain():
    text = SECTION_HEADER + "id: x\ntitle: >-\n  Short\nclauses:\n  - id: a\n    text: \"one\\ntwo\\n\"\n"
    assert fmt.canonical_text("definition/x.yaml", text) == (
        SECTION_HEADER + "id: x\ntitle: Short\nclauses:\n  - id: a\n    text: |\n      one\n      two\n")


def test_fold_positions_never_exceed_the_width():
    from osaid.data.load import fold_positions

    text = " ".join(["word"] * 40) + " " + "x" * 90 + " end"
    cuts = fold_positions(text, 72)
    lines, start = [], 0
    for c in cuts:
        lines.append(text[start:c])
        start = c + 1
    lines.append(text[start:])
    assert " ".join(lines) == text
    assert all(len(line) <= 72 or " " not in line for line in lines)

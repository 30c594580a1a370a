"""The published schemas: osaid fmt keeps a modeline that points at them (a URL ending in
schemas/<name>.schema.json) or into the installed package, and rewrites any other."""

from __future__ import annotations

from conftest import run_console

PACKAGE = "../.venv/lib/python3.12/site-packages/osaid/schemas/section.schema.json"
KEPT = ["https://osaid.example.org/schemas/section.schema.json",
        "https://example.org/osaid/1.0/schemas/section.schema.json",
        PACKAGE, "../tools/osaid/schemas/section.schema.json"]
REWRITTEN = ["https://example.org/schemas/checklist.schema.json",  # another kind's schema
             "https://example.org/schemas/section.schema.json?v=1",  # not the file itself
             "https://example.org/notschemas/section.schema.json",
             "/abs/osaid/schemas/section.schema.json", "file:///x/osaid/schemas/section.schema.json",
             "../elsewhere/section.schema.json", "../osaid/schemas/section.schema.json\u200b"]
DEFAULT = "# yaml-language-server: $schema=../tools/osaid/schemas/section.schema.json"


def test_fmt_keeps_a_modeline_to_the_published_or_packaged_schema(data_repo):
    files = sorted((data_repo / "definition").glob("*.yaml"))
    sections = [p for p in files if p.name != "definition.yaml"]
    cases = KEPT + REWRITTEN
    assert len(sections) >= 4
    # one section file per case, several runs of one process each
    for start in range(0, len(cases), len(sections)):
        batch = cases[start:start + len(sections)]
        for p, target in zip(sections, batch, strict=False):
            text = p.read_text(encoding="utf-8").split("\n", 1)[1]
            p.write_text(f"# yaml-language-server: $schema={target}\n{text}", encoding="utf-8")
        check = run_console("fmt", "--check", cwd=data_repo)
        flagged = {line.split(":", 1)[0] for line in check.stdout.splitlines()}
        for p, target in zip(sections, batch, strict=False):
            rel = p.relative_to(data_repo).as_posix()
            assert (rel in flagged) == (target in REWRITTEN), (target, check.stdout)
        assert run_console("fmt", cwd=data_repo).returncode == (1 if set(batch) & set(REWRITTEN) else 0)
        for p, target in zip(sections, batch, strict=False):
            first = p.read_text(encoding="utf-8").split("\n", 1)[0]
            assert first == (f"# yaml-language-server: $schema={target}" if target in KEPT else DEFAULT)
        assert run_console("validate", cwd=data_repo).returncode == 0

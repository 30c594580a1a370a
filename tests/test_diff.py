"""osaid diff, changelog and history on a real git history (tests/history_fixture.py).

Golden files live in tests/golden/; set OSAID_UPDATE_GOLDEN=1 to rewrite
them, then review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import edit, git

from osaid.changes import diff
from osaid.data import document, schema

GOLDEN = Path(__file__).parent / "golden"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("OSAID_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"differs from tests/golden/{name}"


@pytest.mark.parametrize("fmt,ext", [("text", "txt"), ("markdown", "md"), ("json", "json"), ("html", "html")])
@pytest.mark.parametrize("span", [("v0.0.5", "v0.0.6"), ("v0.0.6", "v0.0.7")])
def test_diff_golden(osaid, history_repo, fmt, ext, span):
    r = osaid("diff", *span, "--format", fmt, cwd=history_repo)
    assert (r.code, r.err) == (0, "")
    golden(f"diff-{span[0]}-{span[1]}.{ext}", r.out)


def _changes(osaid, root, *args):
    r = osaid("diff", *args, "--format", "json", cwd=root)
    assert r.code == 0, r.err
    return [c for d in json.loads(r.out)["documents"] for c in d["changes"]]


def _find(changes, **want):
    hits = [c for c in changes if all(c.get(k) == v for k, v in want.items())]
    assert len(hits) == 1, f"expected one change like {want}, got {hits}"
    return hits[0]


def test_every_kind_of_change_with_its_severity(osaid, history_repo):
    a = _changes(osaid, history_repo, "v0.0.5", "v0.0.6")
    assert _find(a, id="use", kind="modified", field="text")["severity"] == "normative"
    assert _find(a, id="use", kind="modified")["words"] == [
        ["equal", "Use the system for any purpose"], ["delete", " and"],
        ["equal", " without having to ask for permission."]]
    assert _find(a, id="why-open-source-ai", kind="modified")["severity"] == "editorial"  # typo fix
    assert _find(a, id="oecd-ai-system", kind="modified")["severity"] == "editorial"  # quote style
    assert _find(a, id="out-of-scope-data-rights", kind="added")["severity"] == "substantive"
    assert _find(a, id="study", kind="moved")["severity"] == "editorial"
    assert _find(a, id="share", kind="moved")["severity"] == "editorial"
    assert not [c for c in a if c["id"] == "modify" and c["kind"] == "moved"]
    row = _find(a, id="model-parameters", kind="modified")
    assert (row["field"], row["before"], row["after"], row["severity"]) == ("requirements.use", "TBD", "required", "normative")
    cat = _find(a, id="sample-model-outputs", kind="modified")
    assert (cat["field"], cat["severity"]) == ("category", "normative")

    b = _changes(osaid, history_repo, "v0.0.6", "v0.0.7")
    renamed = _find(b, kind="renamed")
    assert (renamed["before"], renamed["after"], renamed["note"], renamed["severity"]) == (
        "preferred-form-question", "preferred-form-text", "similarity 1.00; undeclared: declare it with renamed_from: [preferred-form-question]", "editorial")
    assert _find(b, id="out-of-scope-data-rights", kind="removed")["severity"] == "substantive"
    moved = _find(b, id="oecd-ai-system-text", kind="moved")
    assert (moved["before"], moved["after"], moved["severity"]) == ("ai-system", "preamble", "substantive")
    assert _find(b, id="license-checklist", item="section", kind="added")["severity"] == "substantive"
    assert _find(b, id="checklist-legal", kind="added")["severity"] == "normative"
    assert _find(b, id="checklist-purpose", kind="added")["severity"] == "substantive"


def test_json_output_validates_against_its_schema(osaid, history_repo):
    jsonschema = pytest.importorskip("jsonschema")
    s = schema.load_schema("diff.schema.json")
    for span in (("v0.0.5", "v0.0.6"), ("v0.0.6", "v0.0.7"), ("v0.0.5", "HEAD")):
        out = json.loads(osaid("diff", *span, "--format", "json", cwd=history_repo).out)
        jsonschema.Draft202012Validator(s).validate(out)
        assert schema.validate(out, s) == []


def test_defaults_latest_release_to_work_tree(osaid, writable_history):
    r = osaid("diff", cwd=writable_history)
    assert r.code == 0
    assert r.out.startswith("definition 0.0.8 (v0.0.8) → 0.0.8 (the work tree)\n  no changes\n")
    assert "checklist 0.0.2 (checklist-v0.0.2) → 0.0.2 (the work tree)" in r.out
    edit(writable_history / "definition/what-is-open-source-ai.yaml", "inspect its components", "inspect all its components")
    r = osaid("diff", "--document", "definition", cwd=writable_history)
    assert "    [normative] modified clause study (text)\n" \
           "      Study how the system works and inspect {+all +}its components.\n" in r.out


def test_cached_reads_the_index_not_the_work_tree(osaid, writable_history):
    p = writable_history / "definition/out-of-scope.yaml"
    edit(p, "deliberately does not settle", "does not settle")
    git(writable_history, "add", str(p))
    edit(p, "The rights to training data", "Rights to training data")
    staged = _changes(osaid, writable_history, "HEAD", "--cached")
    assert [(c["id"], c["field"]) for c in staged] == [("out-of-scope-list", "text")]
    work = _changes(osaid, writable_history, "HEAD")
    assert {(c["id"], c["field"]) for c in work} == {("out-of-scope-list", "text"), ("training-data-rights", "text")}


def test_index_with_commit_all_style_index_file(osaid, writable_history, monkeypatch, tmp_path):
    """GIT_INDEX_FILE (set by git commit -a for its hooks) is honoured."""
    import shutil

    alt = tmp_path / "alt-index"
    shutil.copy(writable_history / ".git/index", alt)
    edit(writable_history / "definition/preamble.yaml", "Open Source AI, and what", "Open Source AI and what")
    monkeypatch.setenv("GIT_INDEX_FILE", str(alt))
    git(writable_history, "add", "definition/preamble.yaml")
    assert [c["id"] for c in _changes(osaid, writable_history, "HEAD", "--cached")] == ["why-open-source-ai"]
    monkeypatch.delenv("GIT_INDEX_FILE")
    assert _changes(osaid, writable_history, "HEAD", "--cached") == []


def test_min_severity_fail_on_and_output_file(osaid, history_repo, tmp_path):
    r = osaid("diff", "v0.0.5", "v0.0.6", "--min-severity", "normative", "--format", "json", cwd=history_repo)
    severities = {c["severity"] for d in json.loads(r.out)["documents"] for c in d["changes"]}
    assert severities == {"normative"}
    assert osaid("diff", "v0.0.7", "v0.0.8", "--fail-on", "normative", cwd=history_repo).code == 0
    assert osaid("diff", "v0.0.7", "v0.0.8", "--fail-on", "substantive", cwd=history_repo).code == 1
    out = tmp_path / "diff.md"
    r = osaid("diff", "v0.0.5", "v0.0.6", "--format", "markdown", "-o", str(out), cwd=history_repo)
    assert (r.code, r.out) == (0, "")
    assert out.read_text(encoding="utf-8").startswith("<!-- osaid-diff -->\n**osaid diff**: 12 changes")


def test_unknown_ref_and_shallow_clone(osaid, history_repo, tmp_path):
    r = osaid("diff", "v9.9", cwd=history_repo)
    assert (r.code, r.err) == (2, "osaid: unknown revision 'v9.9' (tags may be missing: git fetch --tags)\n")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", f"file://{history_repo}", str(shallow))
    r = osaid("diff", cwd=shallow)
    assert r.code == 0
    assert "skipped: no release of the definition yet: give OLD, e.g. osaid diff HEAD " \
           "(this clone is shallow: git fetch --tags --unshallow)" in r.out
    r = osaid("diff", "v0.0.5", cwd=shallow)
    assert (r.code, r.err) == (2, "osaid: unknown revision 'v0.0.5' (this clone is shallow: git fetch --tags --unshallow)\n")
    r = osaid("history", "use", cwd=shallow)
    assert r.code == 0 and "the work tree" in r.out


def test_outside_git_and_invalid_states(osaid, data_repo, writable_history):
    r = osaid("diff", "HEAD", cwd=data_repo)
    assert (r.code, r.err) == (2, "osaid: osaid diff compares git states, and this is not a git repository\n")
    edit(writable_history / "definition/preamble.yaml", "title: Preamble", "titel: Preamble")
    r = osaid("diff", cwd=writable_history)
    assert r.code == 1
    assert r.err == ("osaid: the work tree has invalid data files; fix them first:\n"
                     "definition/preamble.yaml:2:1: GOV-2 missing required key 'title' (The section's heading)\n"
                     "definition/preamble.yaml:3:1: GOV-2 unknown key 'titel' (allowed here: id, renamed_from, title, clauses)\n")


def test_markdown_never_exceeds_the_comment_limit():
    from osaid.changes.compare import DocumentDiff
    from osaid.render import markdown

    changes = [diff.Change("definition", "clause", f"c{i}", ("s", f"c{i}"), "added", None, None,
                           {"text": "word " * 60}, "substantive", None) for i in range(2000)]
    d = DocumentDiff("definition", "v1", ":worktree", "0.0.1", "0.0.2", changes, {"s": "Section"})
    out = markdown.render([d])
    assert len(out) <= markdown.LIMIT
    shown = out.count("\n- **substantive**")
    assert 0 < shown < 2000
    assert out.rstrip().endswith(f"**{2000 - shown} more changes left out** to stay within GitHub's 65,536-character "
                                 "comment limit: run `osaid diff` to see them all.")


def test_renames_need_near_identical_content():
    old, new = document.Document("definition", "1"), document.Document("definition", "2")
    old.add("clause", "a", ("s", "a"), "clauses:s", {"kind": "prose", "text": "Models must ship their weights."})
    new.add("clause", "b", ("s", "b"), "clauses:s", {"kind": "prose", "text": "Models must ship their weights!"})
    new.add("clause", "c", ("s", "c"), "clauses:s", {"kind": "prose", "text": "Something else entirely here."})
    kinds = [(c.kind, c.id) for c in diff.compare(old, new)]
    assert ("renamed", "b") in kinds and ("added", "c") in kinds and not any(k == "removed" for k, _ in kinds)


def test_output_into_a_missing_folder_is_a_user_error(osaid, history_repo, tmp_path):
    r = osaid("diff", "v0.0.5", "v0.0.6", "-o", str(tmp_path / "missing" / "diff.md"), cwd=history_repo)
    assert r.code == 1
    assert r.err == f"osaid: cannot write {tmp_path / 'missing' / 'diff.md'}: No such file or directory ({tmp_path / 'missing'})\n"


def test_colour_on_a_terminal_unless_no_color(history_repo):
    """The installed command on a pseudo-terminal: colour; with NO_COLOR: none."""
    import pty

    def on_tty(extra_env: dict) -> str:
        primary, secondary = pty.openpty()
        exe = Path(sys.executable).parent / "osaid"
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | extra_env
        p = subprocess.Popen([str(exe), "diff", "v0.0.5", "v0.0.6", "--document", "definition"], cwd=history_repo,
                             stdout=secondary, stderr=secondary, env=env)
        os.close(secondary)
        chunks = []
        while True:
            try:
                data = os.read(primary, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        p.wait()
        os.close(primary)
        return b"".join(chunks).decode("utf-8", "replace")

    coloured = on_tty({})
    assert "\x1b[31m" in coloured and "\x1b[32m" in coloured  # deletions red, insertions green
    plain = on_tty({"NO_COLOR": "1"})
    assert "\x1b[" not in plain and "[- and-]" in plain

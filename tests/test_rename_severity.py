"""A rename never lowers the severity of what else happened to the item (issue 8, item 3):
a clause renamed and moved to another section, renamed with its text changed, renamed with its
kind changed is reported with the severity of its worst part, in diff, changelog and history."""

from __future__ import annotations

import json

from conftest import edit, git


def _renamed_everywhere(root):
    """One commit (released as v0.0.6) that renames three clauses, each with something else."""
    git(root, "tag", "-a", "v0.0.5", "-m", "0.0.5")
    d = root / "definition"
    moved = "  - id: oecd-ai-system-text\n    text: >-\n      TK: the OECD's definition of an AI system, quoted in full, with its\n      source.\n"
    edit(d / "ai-system.yaml", moved, "")  # renamed and moved to the preamble, its text as it was
    with open(d / "preamble.yaml", "a", encoding="utf-8") as f:
        f.write(moved.replace("oecd-ai-system-text", "oecd-ai-system-quote"))
    edit(d / "what-is-open-source-ai.yaml",  # renamed, and its text changed
         "  - id: use\n    kind: freedom\n    text: Use the system for any purpose",
         "  - id: use-freely\n    kind: freedom\n    text: Use the system for every purpose")
    edit(d / "preferred-form.yaml",  # renamed, and its kind changed
         "  - id: preferred-form-question\n", "  - id: preferred-form-answer\n    kind: requirement\n")
    edit(d / "preamble.yaml", "id: why-open-source-ai", "id: why-open-source-ai-now")  # only renamed: editorial
    edit(d / "definition.yaml", "version: 0.0.5", "version: 0.0.6")


RENAMES = [
    ("oecd-ai-system-text", "oecd-ai-system-quote", "substantive", "it also moved"),
    ("use", "use-freely", "normative", "its text changed too"),
    ("preferred-form-question", "preferred-form-answer", "normative", "its kind changed too"),
]


def test_a_rename_carries_the_severity_of_its_move_text_and_kind(osaid, git_repo):
    root = git_repo
    _renamed_everywhere(root)
    r = osaid("diff", "--document", "definition", "--format", "json", cwd=root)
    assert r.code == 0, r.err
    changes = json.loads(r.out)["documents"][0]["changes"]
    for old, new, severity, why in RENAMES:
        rename = [c for c in changes if c["kind"] == "renamed" and c["after"] == new]
        assert len(rename) == 1, (new, changes)
        assert (rename[0]["before"], rename[0]["severity"]) == (old, severity)
        assert rename[0]["note"].endswith(f"; {severity}: {why}; undeclared: declare it with renamed_from: [{old}]"), rename[0]["note"]
    plain = [c for c in changes if c["id"] == "why-open-source-ai-now"]
    assert [(c["kind"], c["severity"], c["note"]) for c in plain] == [("renamed", "editorial", "similarity 1.00; undeclared: declare it with renamed_from: [why-open-source-ai]")]
    moves = [c for c in changes if c["kind"] == "moved" and c["id"] == "oecd-ai-system-quote"]
    assert [(m["field"], m["before"], m["after"], m["severity"]) for m in moves] == \
        [("container", "ai-system", "preamble", "substantive")]
    assert [c["severity"] for c in changes if c["id"] == "use-freely" and c["kind"] == "modified"] == ["normative"]

    r = osaid("diff", "--document", "definition", "--fail-on", "normative", "--min-severity", "substantive",
              cwd=root)
    assert r.code == 1
    assert "[substantive] renamed clause oecd-ai-system-text → oecd-ai-system-quote (similarity 1.00; " \
           "substantive: it also moved; undeclared: declare it with renamed_from: [oecd-ai-system-text])" in r.out
    assert "[substantive] moved clause oecd-ai-system-quote from ai-system to preamble" in r.out

    git(root, "commit", "-qam", "0.0.6: renames")
    git(root, "tag", "-a", "v0.0.6", "-m", "0.0.6")
    r = osaid("changelog", "0.0.5..0.0.6", cwd=root)
    assert r.code == 0, r.err
    assert "- **substantive** · renamed clause oecd-ai-system-text → oecd-ai-system-quote (similarity 1.00; " \
           "substantive: it also moved; undeclared: declare it with renamed\\_from: \\[oecd-ai-system-text\\])" in r.out
    assert "- **normative** · renamed clause use → use-freely (similarity" in r.out
    assert "- **normative** · renamed clause preferred-form-question → preferred-form-answer (similarity" in r.out
    assert "- **editorial** · renamed clause why-open-source-ai → why-open-source-ai-now (similarity 1.00; undeclared: declare it with renamed\\_from: \\[why-open-source-ai\\])\n" in r.out

    r = osaid("history", "oecd-ai-system-text", cwd=root)  # followed across the rename
    assert r.code == 0, r.err
    assert "[substantive] renamed clause oecd-ai-system-text → oecd-ai-system-quote (similarity 1.00; " \
           "substantive: it also moved; undeclared: declare it with renamed_from: [oecd-ai-system-text])" in r.out
    assert "[substantive] moved clause oecd-ai-system-quote from ai-system to preamble" in r.out
    r = osaid("history", "use", "--format", "json", cwd=root)
    events = json.loads(r.out)["events"]
    rename = [c for e in events for c in e["changes"] if c["kind"] == "renamed"]
    assert [(c["before"], c["severity"]) for c in rename] == [("use", "normative")]

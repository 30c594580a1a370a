"""git diff and git log -p show ID-keyed lines through osaid's textconv."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from conftest import REPO, edit, git

from osaid.data import textconv


def _enable(repo: Path) -> None:
    shutil.copy(REPO / ".gitattributes", repo / ".gitattributes")
    osaid = Path(sys.executable).parent / "osaid"
    git(repo, "config", "diff.osaid.textconv", f"{osaid} textconv")


def test_git_diff_names_the_clause(writable_history):
    _enable(writable_history)
    edit(writable_history / "definition/what-is-open-source-ai.yaml", "inspect its components", "inspect all its components")
    out = git(writable_history, "diff", "--", "definition")
    assert "-clauses[study].text: Study how the system works and inspect its components.\n" in out
    assert "+clauses[study].text: Study how the system works and inspect all its components.\n" in out
    words = git(writable_history, "diff", "--word-diff", "--", "definition")
    assert "clauses[study].text: Study how the system works and inspect {+all+} its components." in words


def test_git_log_p_uses_it_too(writable_history):
    _enable(writable_history)
    out = git(writable_history, "log", "-p", "-1", "v0.0.6", "--", "checklist/checklist.yaml")
    assert "-rows[model-parameters].requirements.use: TBD\n+rows[model-parameters].requirements.use: required\n" in out


def test_textconv_shows_broken_files_as_they_are():
    assert textconv.convert(b"a: [1,\n") == "a: [1,\n"
    assert textconv.convert(b"\xff\xfe") == "\ufffd\ufffd"


def test_textconv_lines():
    data = {"id": "s", "clauses": [{"id": "a", "kind": "freedom", "text": "One\ntwo"}],
            "votes": [{"component": "c", "freedom": "use", "necessary": ["AB", "CD"]}], "empty": [], "flag": True}
    assert textconv.lines(data) == ["id: s", "clauses[a].kind: freedom", "clauses[a].text: One\\ntwo",
                                    "votes[c/use].component: c", "votes[c/use].freedom: use",
                                    "votes[c/use].necessary: [AB, CD]", "empty: []", "flag: true"]

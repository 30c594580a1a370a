"""osaid history --commits reads what changed, not every file at every commit: the blobs
come from git in pipelined batches, a commit is searched only in the files it changed,
and each file content is parsed once."""

from __future__ import annotations

import json

from conftest import commit_all, counting, edit
from conftest import git as run_git

TEXT = "    text: The tracked clause says one first thing about open source AI systems.\n"


def _clause(cid: str, text: str = TEXT) -> str:
    return f"  - id: {cid}\n{text}"


def _history(root):
    """The commits of a clause's life: it is added, edited, moved to other files, renamed,
    while other files change around it (and the same files change without it changing).
    Each step: (subject, [(file, old, new) replaced, or (file, None, text) appended])."""
    second, fourth = TEXT.replace("first", "second"), TEXT.replace("first", "fourth")
    steps = [
        ("add tracked", [("preamble", None, _clause("tracked"))]),
        ("other file", [("out-of-scope", "deliberately does not", "does not")]),
        ("edit tracked", [("preamble", "one first thing", "one second thing")]),
        ("other file again", [("preferred-form", "component by component", "component after component")]),
        ("move tracked to out-of-scope", [("preamble", _clause("tracked", second), ""),
                                          ("out-of-scope", None, _clause("tracked", second))]),
        ("same file, other clause", [("out-of-scope", "'TK: the issues", "'TK: all the issues")]),
        ("edit tracked in its new file", [("out-of-scope", "one second thing", "one third thing")]),
        ("rename tracked", [("out-of-scope", "id: tracked", "id: tracked-renamed")]),
        ("edit the renamed clause", [("out-of-scope", "one third thing", "one fourth thing")]),
        ("move the renamed clause, edit the preamble", [
            ("out-of-scope", _clause("tracked-renamed", fourth), ""),
            ("preferred-form", None, _clause("tracked-renamed", fourth)),
            ("preamble", "why the world", "why everyone")]),
        ("edit it where it is now", [("preferred-form", "one fourth thing", "one fifth thing")]),
    ]
    for subject, edits in steps:
        for name, old, new in edits:
            path = root / "definition" / f"{name}.yaml"
            if old is None:
                with path.open("a", encoding="utf-8") as f:
                    f.write(new)
            else:
                edit(path, old, new)
        commit_all(root, subject)


EXPECTED = [
    ("add tracked", [("added", None)]),
    ("edit tracked", [("modified", "text")]),
    ("move tracked to out-of-scope", [("moved", "container")]),
    ("edit tracked in its new file", [("modified", "text")]),
    ("rename tracked", [("renamed", "id")]),
    ("edit the renamed clause", [("modified", "text")]),
    ("move the renamed clause, edit the preamble", [("moved", "container")]),
    ("edit it where it is now", [("modified", "text")]),
]


def test_history_reads_changed_blobs_in_batches_and_parses_each_once(osaid, git_repo, monkeypatch):
    from osaid.data import validate
    from osaid.repo import git

    _history(git_repo)
    calls = {"read": 0, "read_many": 0, "parse": 0}

    def counted(name, real):
        return counting(calls, name, real)

    monkeypatch.setattr(git.CatFile, "read", counted("read", git.CatFile.read))
    monkeypatch.setattr(git.CatFile, "read_many", counted("read_many", git.CatFile.read_many))
    monkeypatch.setattr(validate, "_load_and_check_schema",  # a file read and checked
                        counted("parse", validate._load_and_check_schema))

    r = osaid("history", "tracked", "--commits", "--format", "json", cwd=git_repo)
    assert (r.code, r.err) == (0, "")
    h = json.loads(r.out)
    assert [(e["subject"], [(c["kind"], c["field"]) for c in e["changes"]]) for e in h["events"]] == EXPECTED
    assert h["current"] == ["tracked-renamed"] and h["skipped"] == []
    # the blobs came in pipelined batches (one per walk, one more when the followed IDs grew)
    assert calls["read"] == 0 and 1 <= calls["read_many"] <= 3, calls
    # each file content is parsed once: no more parses than distinct blobs in the history
    # (the three documents are walked: definition, checklist, governance), though a followed
    # item that was renamed is walked a second time with its whole chain of IDs (history
    # from any ID of the chain): the parses of a usual history are all kept (history.MEMO_LIMIT)
    blobs = {line.split()[3] for line in run_git(git_repo, "log", "--raw", "--no-abbrev", "--format=")
             .splitlines() if line.startswith(":")} | set(run_git(git_repo, "ls-tree", "-r", "HEAD~11").split()[2::4])
    assert 0 < calls["parse"] <= len(blobs), (calls, len(blobs))

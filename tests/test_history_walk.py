"""osaid history --commits keeps its walk: a second run reads the walk from the result cache
and compares only the commits made since (and the work tree); nothing that changes the
answer (a new commit, a rewritten history, an edit in the work tree, a stale entry) leaves
a stale walk in use. And the walk streams: blobs are read a window of commits at a time and
let go after, parsed versions are kept in a bounded memo."""

from __future__ import annotations

import json
import marshal
from pathlib import Path

from conftest import commit_all, counting, edit, git
from test_history_reads import EXPECTED, _history

ARGS = ("history", "tracked", "--commits", "--format", "json")


def _counting(monkeypatch):
    """Count the files read and checked (whatever their parse costs) and the single (not pipelined) blob reads."""
    from osaid.data import validate
    from osaid.repo import git as osaid_git

    calls = {"parse": 0, "read": 0, "made": 0}

    def counted(name, real):
        return counting(calls, name, real)

    monkeypatch.setattr(validate, "_load_and_check_schema",  # a file read and checked
                        counted("parse", validate._load_and_check_schema))
    monkeypatch.setattr(osaid_git.CatFile, "read", counted("read", osaid_git.CatFile.read))
    monkeypatch.setattr(osaid_git, "made", counted("made", osaid_git.made))
    return calls


def _fresh(osaid, root, monkeypatch) -> str:
    """The history computed from nothing (no cache)."""
    monkeypatch.setenv("OSAID_NO_CACHE", "1")
    r = osaid(*ARGS, cwd=root)
    monkeypatch.delenv("OSAID_NO_CACHE")
    assert (r.code, r.err) == (0, "")
    return r.out


def _cached(osaid, root, calls) -> tuple[str, int]:
    """The history through the cache, and how many files it parsed."""
    before = calls["parse"]
    r = osaid(*ARGS, cwd=root)
    assert (r.code, r.err) == (0, "")
    return r.out, calls["parse"] - before


def _results(home: Path) -> Path:
    found = list((home / ".cache" / "osaid").glob("*.results.marshal"))
    assert len(found) == 1, found
    return found[0]


def test_a_second_run_resumes_after_the_last_commit_it_knows(osaid, git_repo, monkeypatch):
    _history(git_repo)
    calls = _counting(monkeypatch)
    expected = _fresh(osaid, git_repo, monkeypatch)
    assert [(e["subject"], [(c["kind"], c["field"]) for c in e["changes"]])
            for e in json.loads(expected)["events"]] == EXPECTED
    first, parsed = _cached(osaid, git_repo, calls)
    assert first == expected and parsed > 0
    # nothing new: the walk comes from the cache, not one file is parsed, and the commits'
    # authors and trailers too (git is not asked again)
    made = calls["made"]
    again, parsed = _cached(osaid, git_repo, calls)
    assert (again, parsed, calls["made"]) == (expected, 0, made)

    # a new commit that edits the clause: only that commit's files are parsed
    edit(git_repo / "definition/preferred-form.yaml", "one fifth thing", "one sixth thing")
    commit_all(git_repo, "edit it once more")
    expected = _fresh(osaid, git_repo, monkeypatch)
    assert json.loads(expected)["events"][-1]["subject"] == "edit it once more"
    out, parsed = _cached(osaid, git_repo, calls)
    assert out == expected and 0 < parsed <= 3, parsed

    # the work tree is compared afresh on every run, the commits still come from the cache
    edit(git_repo / "definition/preferred-form.yaml", "one sixth thing", "one seventh thing")
    out, parsed = _cached(osaid, git_repo, calls)
    last = json.loads(out)["events"][-1]
    assert last["state"] == ":worktree" and "seventh" in json.dumps(last["changes"])
    assert out == _fresh(osaid, git_repo, monkeypatch)
    assert calls["read"] == 0, calls


def test_a_rewritten_history_is_walked_afresh(osaid, git_repo, monkeypatch):
    """The same number of commits, the last one rewritten (amended, reset and recommitted):
    the cached walk ends at a commit the branch no longer has, so it is not used."""
    _history(git_repo)
    calls = _counting(monkeypatch)
    _cached(osaid, git_repo, calls)
    git(git_repo, "reset", "-q", "--hard", "HEAD~1")
    edit(git_repo / "definition/preferred-form.yaml", "one fourth thing", "one other thing")
    commit_all(git_repo, "edit it otherwise")
    out, parsed = _cached(osaid, git_repo, calls)
    assert out == _fresh(osaid, git_repo, monkeypatch)
    assert json.loads(out)["events"][-1]["subject"] == "edit it otherwise" and "other" in out
    assert parsed > 0 and _cached(osaid, git_repo, calls) == (out, 0)  # the new walk is the one kept


def test_a_forged_or_stale_walk_is_not_used(osaid, git_repo, monkeypatch, tmp_path):
    """An entry whose commits before its end do not match the branch's (its digest), or
    that says it ends past the last commit, is ignored: the walk is made again."""
    _history(git_repo)
    calls = _counting(monkeypatch)
    expected, _ = _cached(osaid, git_repo, calls)
    import os

    path = _results(Path(os.environ["HOME"]))
    stamp, entries = marshal.loads(path.read_bytes())
    key = next(k for k in entries if k[:2] == ("history", "definition"))
    for forged in ({"line": "0" * 40}, {"next": 99}, {"commit": "0" * 40}):
        entry = {**entries[key], **forged, "events": []}  # used, it would say the clause has no history
        path.write_bytes(marshal.dumps((stamp, {**entries, key: entry})))
        out, parsed = _cached(osaid, git_repo, calls)
        assert out == expected and parsed > 0, forged


def test_the_walk_streams_in_windows_with_a_bounded_memo(osaid, git_repo, monkeypatch):
    """With a window of 2 commits and a memo of one parsed file (a limit of 1 byte), the
    answer is the same, no blob is read on its own (each window in one exchange), and
    neither the blobs held nor the memo grow past their bounds."""
    from osaid.changes import history
    from osaid.repo import states

    _history(git_repo)
    # and the work tree edits the clause: its bytes, read before the walk, are kept through it
    edit(git_repo / "definition/preferred-form.yaml", "one fifth thing", "one sixth thing")
    expected = _fresh(osaid, git_repo, monkeypatch)
    assert json.loads(expected)["events"][-1]["state"] == ":worktree"
    monkeypatch.setattr(history, "WINDOW", 2)
    monkeypatch.setattr(history, "MEMO_LIMIT", 1)
    held = {"blobs": 0, "memo": 0}
    real_forget, real_put = states.States.forget, states.Memo.put

    def forget(self, keep):
        real_forget(self, keep)
        held["blobs"] = max(held["blobs"], len(self._blobs))

    def put(self, *args):
        real_put(self, *args)
        held["memo"] = max(held["memo"], len(self.entries))

    monkeypatch.setattr(states.States, "forget", forget)
    monkeypatch.setattr(states.Memo, "put", put)
    calls = _counting(monkeypatch)
    assert _fresh(osaid, git_repo, monkeypatch) == expected
    files = len(git(git_repo, "ls-tree", "-r", "HEAD", "definition").splitlines())
    assert calls["read"] == 0 and 0 < held["blobs"] <= 2 * files and held["memo"] == 1, (calls, held, files)


def test_a_broken_file_of_the_other_document_does_not_hide_the_work_tree(osaid, git_repo):
    """The definition's history compares the definition's files: a checklist file broken in
    the work tree (the checklist's own history reports it) does not make the work tree's
    state of the clause a skipped one."""
    _history(git_repo)
    edit(git_repo / "definition/preferred-form.yaml", "one fifth thing", "one sixth thing")
    with (git_repo / "checklist/components.yaml").open("a", encoding="utf-8") as f:
        f.write("components: [unclosed\n")
    r = osaid(*ARGS, cwd=git_repo)
    assert (r.code, r.err) == (0, "")
    h = json.loads(r.out)
    assert h["skipped"] == [] and h["events"][-1]["state"] == ":worktree", h["skipped"]
    assert "sixth" in json.dumps(h["events"][-1]["changes"])


def test_an_invalid_commit_is_skipped_and_a_core_file_is_checked_once(osaid, git_repo, monkeypatch):
    """Each file of a step is checked once per content (definition.yaml, in every step, once
    in all); a commit with an invalid file is skipped with its first problem, and the next
    one is compared with the last valid state."""
    from osaid.data import validate

    _history(git_repo)
    path = git_repo / "definition/preferred-form.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "  - id: [broken\n", encoding="utf-8")
    broken = commit_all(git_repo, "break the file")
    path.write_text(good.replace("one fifth thing", "one sixth thing"), encoding="utf-8")
    commit_all(git_repo, "mend it, edit the clause")
    core = {"checks": 0}
    real = validate.check

    def counted(files, *args, **kwargs):
        core["checks"] += "definition/definition.yaml" in files
        return real(files, *args, **kwargs)

    monkeypatch.setattr(validate, "check", counted)
    monkeypatch.setenv("OSAID_NO_CACHE", "1")
    r = osaid(*ARGS, cwd=git_repo)
    assert (r.code, r.err) == (0, "")
    h = json.loads(r.out)
    assert len(h["skipped"]) == 1 and h["skipped"][0].startswith(f"{broken}: definition/preferred-form.yaml:")
    assert "GOV-1" in h["skipped"][0], h["skipped"]
    last = h["events"][-1]
    assert last["subject"] == "mend it, edit the clause" and [c["kind"] for c in last["changes"]] == ["modified"]
    # once on its own, once more with the invalid state (checked whole, for its message)
    assert core["checks"] <= 2, core

"""The result cache: what depends only on released states (a release's changelog entry,
the IDs retired by the releases, the version a tag's commit carries) is computed once and
read back; nothing that changes the result can leave a stale entry in use."""

from __future__ import annotations

import json
import marshal
import os
from pathlib import Path

import pytest
from conftest import edit, git, run_console

ALL = ("changelog", "..", "--format", "json")  # every entry, newest first


def _env(tmp_path: Path, **extra: str) -> dict:
    return {"XDG_CACHE_HOME": str(tmp_path / "cache"), **extra}


def _cache_file(tmp_path: Path) -> Path:
    found = list((tmp_path / "cache" / "osaid").glob("*.results.marshal"))
    assert len(found) == 1, found
    return found[0]


def _entries(repo: Path, env: dict) -> list[dict]:
    r = run_console(*ALL, cwd=repo, env=env)
    assert (r.returncode, r.stderr) == (0, "")
    return json.loads(r.stdout)


def _forge_date(path: Path, tag: str, date: str, stamp=None) -> None:
    """Rewrite the cached entry of a tag with another date (and, given, another stamp)."""
    kept, entries = marshal.loads(path.read_bytes())
    keys = [k for k in entries if k[0] == "changelog" and k[4] == tag]
    assert len(keys) == 1, keys
    entries[keys[0]] = (date, *entries[keys[0]][1:])
    path.write_bytes(marshal.dumps((kept if stamp is None else stamp, entries)))


def _date_of(entries: list[dict], version: str) -> str:
    return next(e["date"] for e in entries if e["document"] == "definition" and e["version"] == version)


def test_a_second_run_reads_the_cache_and_a_stale_stamp_is_ignored(tmp_path, writable_history):
    env = _env(tmp_path)
    cold = _entries(writable_history, env)
    path = _cache_file(tmp_path)
    assert _entries(writable_history, env) == cold  # warm: the same entries
    assert not list(path.parent.glob("*.tmp"))

    # the second run takes the entry from the cache: a forged one shows
    _forge_date(path, "v0.0.8", "1999-01-01")
    assert _date_of(_entries(writable_history, env), "0.0.8") == "1999-01-01"

    # another osaid (its stamp: the code, the schemas, the dictionary) never reads it
    _forge_date(path, "v0.0.8", "1999-01-01", stamp=("another osaid",))
    assert _entries(writable_history, env) == cold

    # osaid's code changes (a module's modification time): the forged entry is stale
    _forge_date(path, "v0.0.8", "1999-01-01")
    assert _date_of(_entries(writable_history, env), "0.0.8") == "1999-01-01"
    import osaid

    module = Path(osaid.__file__)
    st = module.stat()
    try:
        os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
        assert _entries(writable_history, env) == cold
    finally:
        os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_moved_tag_with_a_new_note_or_new_governance_is_computed_afresh(tmp_path, writable_history):
    env = _env(tmp_path)
    notes = writable_history / "notes"
    notes.mkdir()
    note = notes / "definition-0.0.8.yaml"
    note.write_text("# yaml-language-server: $schema=../tools/osaid/schemas/notes.schema.json\n"
                    "document: definition\nversion: 0.0.8\nnotes:\n"
                    "  - text: The clause on data rights is back.\n    ids: [training-data-rights]\n", encoding="utf-8")
    git(writable_history, "add", "notes")
    git(writable_history, "commit", "-qm", "a note")
    git(writable_history, "tag", "-f", "-a", "v0.0.8", "-m", "0.0.8")
    first = _entries(writable_history, env)
    assert first[0]["notes"] == [{"text": "The clause on data rights is back.", "ids": ["training-data-rights"]}]
    _forge_date(_cache_file(tmp_path), "v0.0.8", "1999-01-01")
    assert _date_of(_entries(writable_history, env), "0.0.8") == "1999-01-01"  # the cache is in use

    # the note is edited and the tag moved onto it: the same documents, another entry
    edit(note, "is back.", "is back, under a new ID.")
    policy = writable_history / "governance/policy.yaml"
    text = policy.read_text(encoding="utf-8")
    git(writable_history, "commit", "-qam", "the note, reworded")
    git(writable_history, "tag", "-f", "-a", "v0.0.8", "-m", "0.0.8")
    second = _entries(writable_history, env)
    assert second[0]["notes"][0]["text"] == "The clause on data rights is back, under a new ID."
    assert second[0]["date"] == first[0]["date"]

    # the governance the definition's entry reports changes at the tag: it shows
    assert second[0]["governance"] == []
    before = [line for line in text.splitlines() if line.strip().startswith("reviewers_per_change:")]
    assert before, text
    policy.write_text(text.replace(before[0], before[0].rsplit(":", 1)[0] + ": 3"), encoding="utf-8")
    git(writable_history, "commit", "-qam", "three reviewers")
    git(writable_history, "tag", "-f", "-a", "v0.0.8", "-m", "0.0.8")
    third = _entries(writable_history, env)
    assert [(c["item"], c["id"], c["after"]) for c in third[0]["governance"]] == [
        ("policy", "review.reviewers_per_change", 3)]


def test_a_corrupt_cache_is_ignored_and_no_cache_writes_nothing(tmp_path, writable_history):
    env = _env(tmp_path)
    cold = _entries(writable_history, env)
    path = _cache_file(tmp_path)
    stamp, entries = marshal.loads(path.read_bytes())
    good = path.read_bytes()
    for bad in (b"", b"\x00garbage", good[: len(good) // 2],
                marshal.dumps((stamp, {k: "not an entry" for k in entries})),
                marshal.dumps((stamp, {k: ("a", "b") for k in entries})),
                marshal.dumps((stamp, ["not", "a", "dict"])), marshal.dumps(42)):
        path.write_bytes(bad)
        assert _entries(writable_history, env) == cold, bad[:20]
        r = run_console("verify", cwd=writable_history, env=env)
        assert "Traceback" not in r.stderr and r.returncode in (0, 1), r.stderr
    path.write_bytes(good)
    path.parent.chmod(0o500)  # a cache that cannot be written
    try:
        assert _entries(writable_history, env) == cold
    finally:
        path.parent.chmod(0o700)

    off = _env(tmp_path / "off", OSAID_NO_CACHE="1")
    assert _entries(writable_history, off) == cold
    assert not (tmp_path / "off" / "cache").exists()


def test_verify_from_the_cache_still_finds_a_reused_retired_id(tmp_path, writable_history):
    env = _env(tmp_path)
    cold = run_console("verify", cwd=writable_history, env=env)
    warm = run_console("verify", cwd=writable_history, env=env)
    assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout)
    kept, entries = marshal.loads(_cache_file(tmp_path).read_bytes())
    assert {k[0] for k in entries} >= {"changelog", "retired", "carried"}

    # out-of-scope-data-rights was in 0.0.6 and retired in 0.0.7; the work tree now reuses it
    with (writable_history / "definition/out-of-scope.yaml").open("a", encoding="utf-8") as f:
        f.write("  - id: out-of-scope-data-rights\n    text: Weapons are out of scope.\n")
    edit(writable_history / "definition/definition.yaml", "version: 0.0.8", "version: 0.0.9")
    r = run_console("verify", cwd=writable_history, env=env)
    assert ("definition/out-of-scope.yaml:9:9: GOV-14 clause ID 'out-of-scope-data-rights' was retired in 0.0.7 "
            "(it was in 0.0.6), and the work tree reuses it for other content: choose a new ID") in r.stdout, r.stdout

    # a tag moved onto a commit with another version is found from the cache too (GOV-12)
    git(writable_history, "tag", "-f", "-a", "v0.0.7", "-m", "moved", "v0.0.8^{commit}")
    r = run_console("verify", cwd=writable_history, env=env)
    assert "refs/tags/v0.0.7: GOV-12 tag v0.0.7 points at commit" in r.stdout, r.stdout


def test_verify_builds_each_release_once_and_a_second_run_almost_none(osaid, writable_history, monkeypatch):
    from osaid.data import document

    built = []
    real = document.build

    def counted(data):
        built.append(sorted(data))
        return real(data)

    monkeypatch.setattr(document, "build", counted)
    first = osaid("verify", cwd=writable_history)
    # 6 releases (4 of the definition, 2 of the checklist), each built once; the work tree once;
    # the released version the work tree carries, once more per document (GOV-10)
    assert len(built) <= 6 + 1 + 2, len(built)
    built.clear()
    again = osaid("verify", cwd=writable_history)
    assert (again.code, again.out) == (first.code, first.out)
    assert len(built) <= 1 + 2, len(built)  # the work tree and GOV-10's releases: nothing else


def test_a_diff_between_two_commits_is_kept_and_one_with_the_work_tree_is_not(tmp_path, writable_history):
    """osaid diff A B (two commits) is computed once, under the commits' IDs: a second run reads it
    (a forged entry shows); a diff with the work tree is never cached, so an edit shows at once."""
    env = _env(tmp_path)
    args = ("diff", "v0.0.7", "v0.0.8", "--document", "definition", "--format", "json")
    cold = run_console(*args, cwd=writable_history, env=env)
    assert cold.returncode in (0, 1) and json.loads(cold.stdout)["documents"][0]["changes"]
    assert run_console(*args, cwd=writable_history, env=env).stdout == cold.stdout
    path = _cache_file(tmp_path)
    kept, entries = marshal.loads(path.read_bytes())
    (key,) = [k for k in entries if k[0] == "diff"]
    commits = git(writable_history, "rev-parse", "v0.0.7^{commit}", "v0.0.8^{commit}").split()
    assert key == ("diff", "definition", *commits)
    entries[key] = (*entries[key][:2], [], *entries[key][3:])  # forged: no changes
    path.write_bytes(marshal.dumps((kept, entries)))
    assert json.loads(run_console(*args, cwd=writable_history, env=env).stdout)["documents"][0]["changes"] == []

    worktree = ("diff", "v0.0.8", "--document", "definition", "--format", "json")
    before = json.loads(run_console(*worktree, cwd=writable_history, env=env).stdout)["documents"][0]["changes"]
    edit(writable_history / "definition" / "preamble.yaml", "open", "openly")
    after = json.loads(run_console(*worktree, cwd=writable_history, env=env).stdout)["documents"][0]["changes"]
    assert after != before
    assert not [k for k in marshal.loads(path.read_bytes())[1] if k[0] == "diff" and k[3] != commits[1]]


@pytest.mark.parametrize("text, reused", [
    ("Weapons are out of scope.", True),
    # a near-word of its own last text: the same clause back, which GOV-14 allows
    ("The rights to training data are governed by the laws that apply to such data.", False),
])
def test_a_release_made_by_hand_that_reuses_a_retired_id_is_found(tmp_path, writable_history, text, reused):
    """GOV-14 among the releases themselves, past every hook: a commit and an annotated tag made with
    git alone bring back an ID that an earlier release retired. verify finds it on the tag, on a
    first run and from the cache; the same clause back (nearly its last text) is no reuse."""
    with (writable_history / "definition/out-of-scope.yaml").open("a", encoding="utf-8") as f:
        f.write(f"  - id: out-of-scope-data-rights\n    text: {text}\n")
    edit(writable_history / "definition/definition.yaml", "version: 0.0.8", "version: 0.0.9")
    git(writable_history, "commit", "-q", "--no-verify", "-am", "bring it back")
    git(writable_history, "tag", "-a", "v0.0.9", "-m", "by hand")
    env = _env(tmp_path)
    line = ("refs/tags/v0.0.9: GOV-14 clause ID 'out-of-scope-data-rights' was retired in 0.0.7 (it was in 0.0.6), "
            "and definition 0.0.9 reuses it for other content: choose a new ID")
    for _ in range(2):  # computed, then read from the result cache
        r = run_console("verify", cwd=writable_history, env=env)
        assert "Traceback" not in r.stderr
        assert (line in r.stdout.splitlines()) == reused, r.stdout
        assert ("GOV-14" in r.stdout) == reused, r.stdout

"""The hooks through the real pre-commit framework and real git commits and pushes.

No network: this repository's own .pre-commit-config.yaml uses local hooks
(through the .venv the Quick start creates; here a link to the test's own
environment). The consumer test (a fork using .pre-commit-hooks.yaml) is in
test_hooks_consumer.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, commit_all, edit, git, git_init

BIN = Path(sys.executable).parent
MAINTAINERS = """# yaml-language-server: $schema=../tools/osaid/schemas/maintainers.schema.json
maintainers:
  - id: stefano-maffulli
    name: Stefano Maffulli
    email: stefano@example.org
  - id: rita-reviewer
    name: Rita Reviewer
    email: rita@example.org
"""


def run(root: Path, *cmd: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """A command as a user runs it; stdout holds everything it printed (git sends hook output to stderr)."""
    return subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env={**os.environ, **(env or {})})


def commit(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run(root, "git", "commit", *args)


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def hooked(data_repo, tmp_path, monkeypatch):
    """A repository with osaid's hooks installed by pre-commit, 0.0.5 released, pushed to a bare remote."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    root = data_repo
    (root / "governance/maintainers.yaml").write_text(MAINTAINERS, encoding="utf-8")
    shutil.copy(REPO / ".pre-commit-config.yaml", root / ".pre-commit-config.yaml")
    (root / ".venv").symlink_to(Path(sys.prefix))
    (root / ".gitignore").write_text(".venv\n")
    git_init(root)
    commit_all(root, "Start")
    r = run(root, str(BIN / "osaid"), "release", "--date", "2024-02-01")
    assert r.returncode == 0, r.stdout
    r = run(root, str(BIN / "pre-commit"), "install")
    assert r.returncode == 0, r.stdout
    assert "pre-commit installed at .git/hooks/pre-commit" in r.stdout
    assert "pre-commit installed at .git/hooks/commit-msg" in r.stdout
    assert "pre-commit installed at .git/hooks/pre-push" in r.stdout
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(root, "remote", "add", "origin", str(remote))
    r = run(root, "git", "push", "-q", "origin", "main", "--tags")
    assert r.returncode == 0, r.stdout
    return root


def bump(root: Path) -> None:
    r = run(root, str(BIN / "osaid"), "bump", "draft", "--date", "2024-03-01")
    assert r.returncode == 0, r.stdout
    git(root, "add", "definition/definition.yaml")


def test_invalid_data_is_rejected_then_the_fix_accepted(hooked):
    before = head(hooked)
    edit(hooked / "definition/preamble.yaml", "title: Preamble", "titel: Preamble")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Rename the key")
    assert r.returncode != 0
    assert "definition/preamble.yaml:3:1: GOV-2 unknown key 'titel' (allowed here: id, renamed_from, title, clauses)" in r.stdout
    assert head(hooked) == before
    git(hooked, "checkout", "-q", "HEAD", "--", "definition/preamble.yaml")  # the editor fixes it
    r = commit(hooked, "--allow-empty", "-m", "Nothing after all")
    assert r.returncode == 0, r.stdout


def test_released_version_is_frozen_and_meaning_needs_a_discussion(hooked):
    edit(hooked / "definition/what-is-open-source-ai.yaml", "inspect its components", "inspect every component")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Reword study")
    assert r.returncode != 0
    assert ("definition/definition.yaml:3:10: GOV-10 definition 0.0.5 is released (tag v0.0.5), but 1 change since "
            "(osaid diff v0.0.5): run osaid bump --document definition auto before editing a released version") in r.stdout
    bump(hooked)
    r = commit(hooked, "-m", "Reword study")
    assert r.returncode != 0
    assert ("COMMIT_EDITMSG: GOV-17 this commit makes 1 change of meaning (normative: modified clause study (text)), "
            "so its message needs a trailer saying where it was discussed") in r.stdout  # no :0:0, a file has no line
    r = commit(hooked, "-m", "Reword study", "--trailer", "Discussion: forum thread 12")
    assert r.returncode != 0 and "('forum thread 12' is not an http(s) URL)" in r.stdout
    r = commit(hooked, "-m", "Reword study", "--trailer", "Discussion: https://discuss.example.org/t/12")
    assert r.returncode == 0, r.stdout
    assert "Discussion: https://discuss.example.org/t/12" in git(hooked, "log", "-1", "--format=%B")


def test_editorial_commit_needs_no_discussion(hooked):
    bump(hooked)
    edit(hooked / "definition/what-is-open-source-ai.yaml", "for any purpose.", "for any purpose!")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Punctuation")
    assert r.returncode == 0, r.stdout


def test_fmt_fixes_and_asks_for_another_commit(hooked):
    bump(hooked)
    p = hooked / "governance/stakeholders.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("  - id: regulator\n    name: Regulator\n",
                                                       "  - name: Regulator\n    id: regulator\n"), encoding="utf-8")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Reorder keys")
    assert r.returncode != 0
    assert "files were modified by this hook" in r.stdout
    assert "reformatted governance/stakeholders.yaml" in r.stdout
    assert "  - id: regulator\n    name: Regulator\n" in p.read_text(encoding="utf-8")
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "Bump").returncode == 0


def test_endorsements_are_never_deleted(hooked):
    bump(hooked)
    p = hooked / "governance/endorsements.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("endorsements: []", "endorsements:\n"
                 "  - id: ann\n    kind: support\n    name: Ann Bee\n    group: regulator\n    version: 0.0.6\n"
                 "    date: '2024-03-02'\n    statement_url: https://example.org/ann").rstrip("\n") + "\n",
                 encoding="utf-8")
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "Ann endorses").returncode == 0
    p.write_text(p.read_text(encoding="utf-8").split("endorsements:")[0] + "endorsements: []\n", encoding="utf-8")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Drop Ann")
    assert r.returncode != 0
    assert ("governance/endorsements.yaml: GOV-16 endorsement 'ann' (Ann Bee, 0.0.6) was deleted: endorsements "
            "are never deleted; put it back and record a withdrawal") in r.stdout
    # a renamed person, and support turned into an endorsement
    for key, old, new in (("name", "Ann Bee", "Ann B."), ("kind", "support", "endorsement")):
        git(hooked, "checkout", "-q", "HEAD", "--", "governance/endorsements.yaml")
        edit(p, f"{key}: {old}", f"{key}: {new}")
        git(hooked, "add", "-A")
        r = commit(hooked, "-m", f"Change Ann's {key}")
        assert r.returncode != 0
        line = p.read_text(encoding="utf-8").splitlines().index(f"    {key}: {new}") + 1
        assert (f"governance/endorsements.yaml:{line}:11: GOV-16 endorsement 'ann': its {key} changed ({old!r} -> "
                f"{new!r})") in r.stdout
    git(hooked, "checkout", "-q", "HEAD", "--", "governance/endorsements.yaml")
    with p.open("a", encoding="utf-8") as f:
        f.write("    withdrawn:\n      date: '2024-04-01'\n      reason: Changed her mind.\n")
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "Ann withdraws").returncode == 0


def test_hand_edited_version_must_follow_the_last_release(hooked):
    edit(hooked / "definition/definition.yaml", "version: 0.0.5", "version: 0.0.7")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Skip a version")
    assert r.returncode != 0
    assert ("definition/definition.yaml:3:10: GOV-11 definition: 0.0.7 cannot follow 0.0.5: the next version is "
            "0.0.6 (draft) or 1.0-RC1 (rc) (osaid bump sets it)") in r.stdout


def test_commit_all_and_commit_path_are_judged_by_what_they_commit(hooked):
    """git commit -a and git commit <path> hand the hooks a temporary index (GIT_INDEX_FILE)."""
    bump(hooked)
    assert commit(hooked, "-m", "Bump").returncode == 0
    edit(hooked / "definition/preamble.yaml", "title: Preamble", "titel: Preamble")  # broken, not staged
    edit(hooked / "governance/stakeholders.yaml", "Enough to start.", "Enough to begin.", 1)  # fine
    r = commit(hooked, "governance/stakeholders.yaml", "-m", "Outreach wording",  # governance: a change of meaning
               "--trailer", "Discussion: https://discuss.example.org/t/7")
    assert r.returncode == 0, r.stdout  # the broken file is not part of this commit
    r = commit(hooked, "-a", "-m", "Everything")
    assert r.returncode != 0
    assert "definition/preamble.yaml:3:1: GOV-2 unknown key 'titel'" in r.stdout


def test_retired_id_cannot_come_back_with_other_content(hooked):
    bump(hooked)
    p = hooked / "definition/out-of-scope.yaml"
    edit(p, "id: out-of-scope-list", "id: out-of-scope-issues")
    edit(p, "deliberately does not settle", "does not settle")
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "Rename", "--trailer", "Discussion: https://example.org/1",
                  "--trailer", "Reviewed-by: Rita Reviewer <rita@example.org>").returncode == 0
    assert run(hooked, str(BIN / "osaid"), "release", "--date", "2024-03-02").returncode == 0
    r = run(hooked, str(BIN / "osaid"), "bump", "draft", "--date", "2024-04-01")
    assert r.returncode == 0
    edit(hooked / "definition/preamble.yaml", "id: why-open-source-ai", "id: out-of-scope-list")
    git(hooked, "add", "-A")
    edit(hooked / "definition/preamble.yaml", "\nid: ", "\n# a line in the work tree only\nid: ")  # not staged
    r = commit(hooked, "-m", "Reuse", "--trailer", "Discussion: https://example.org/2")
    assert r.returncode != 0
    # located where the index holds it (not definition/definition.yaml, not the work tree's line 6)
    assert "definition/preamble.yaml:5:9: GOV-14 clause ID 'out-of-scope-list' was retired in 0.0.6 (it was in " \
           "0.0.5), and the index reuses it for other content: choose a new ID" in r.stdout


def test_push_needs_a_review_from_another_maintainer(hooked):
    bump(hooked)
    edit(hooked / "definition/what-is-open-source-ai.yaml", "inspect its components", "inspect every component")
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "Reword study", "--trailer", "Discussion: https://example.org/3").returncode == 0
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode != 0
    sha = head(hooked)[:10]
    assert (f"{sha}: GOV-18 commit {sha} (2024-01-26, Reword study) makes 1 change of meaning but is reviewed by 0 "
            "maintainers other than its author, of 1 needed") in r.stdout
    assert git(hooked, "ls-remote", "origin", "main").split()[0] != head(hooked)
    # the author reviewing himself does not count
    r = commit(hooked, "--amend", "--no-edit", "--trailer", "Reviewed-by: Ada Editor <ada@example.org>")
    assert r.returncode == 0
    assert run(hooked, "git", "push", "origin", "main").returncode != 0
    r = commit(hooked, "--amend", "--no-edit", "--trailer", "Reviewed-by: Rita Reviewer <rita@example.org>")
    assert r.returncode == 0
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode == 0, r.stdout
    assert git(hooked, "ls-remote", "origin", "main").split()[0] == head(hooked)



def test_hook_entries_are_plain_commands():
    """DESIGN: hooks never run through a shell; the tool reads PRE_COMMIT_* itself."""
    for name in (".pre-commit-hooks.yaml", ".pre-commit-config.yaml"):
        text = (REPO / name).read_text(encoding="utf-8")
        entries = [line.split("entry:", 1)[1].strip() for line in text.splitlines() if "entry:" in line]
        assert entries
        for e in entries:
            assert not any(ch in e for ch in "$|;&`") and not e.startswith(("bash", "sh ")), e


def test_a_reclassification_is_itself_a_change_to_discuss(hooked):
    """Reclassifying a change as editorial is allowed, on the record: discussed, reviewed, in the changelog."""
    bump(hooked)
    edit(hooked / "definition/preamble.yaml", "the world needs", "the world wants")  # plain prose: substantive
    r = run(hooked, str(BIN / "osaid"), "reclassify", "why-open-source-ai", "--to", "editorial",
            "--reason", "A synonym in a placeholder; nothing is decided by it.")
    assert r.returncode == 0, r.stdout
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Synonym")
    assert r.returncode != 0
    assert "GOV-17 this commit makes 1 change of meaning (substantive: modified notes definition-0.0.6 (reclassify))" \
        in r.stdout
    r = commit(hooked, "-m", "Synonym", "--trailer", "Discussion: https://example.org/4")
    assert r.returncode == 0, r.stdout
    out = run(hooked, str(BIN / "osaid"), "diff", "--document", "definition").stdout
    assert "[editorial] modified clause why-open-source-ai (text) (reclassified editorial: A synonym in a " \
           "placeholder; nothing is decided by it.)" in out


def test_a_commit_that_only_deletes_a_file_is_checked(hooked):
    bump(hooked)
    assert commit(hooked, "-m", "Bump").returncode == 0
    git(hooked, "rm", "-q", "definition/out-of-scope.yaml")
    r = commit(hooked, "-m", "Drop a section", "--trailer", "Discussion: https://example.org/5")
    assert r.returncode != 0
    assert ("definition/definition.yaml:10:5: GOV-4 section 'out-of-scope' has no file: create "
            "definition/out-of-scope.yaml, or remove it from the list") in r.stdout


def test_pre_push_when_the_remote_commit_is_unknown_here(hooked, monkeypatch):
    """PRE_COMMIT_FROM_REF may name a commit this clone never fetched: check what no remote has."""
    from osaid import hooks

    bump(hooked)
    assert commit(hooked, "-m", "Bump").returncode == 0
    unknown = "1234567890abcdef1234567890abcdef12345678"
    assert hooks.pre_push(str(hooked), unknown, head(hooked)) == []  # the bump is editorial: nothing to review

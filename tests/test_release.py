"""osaid bump, release, verify and versions on real git repositories."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import (
    commit_reviewed as commit_all,  # every commit discussed and reviewed (GOV-17, GOV-18)
)
from conftest import edit, git

GROUPS = ["system-creator", "license-creator", "regulator", "licensee", "end-user", "subject"]
HEADER = "# yaml-language-server: $schema=../tools/osaid/schemas/endorsements.schema.json\n"


def endorse(root, version, per_group, start=0, kind=None):
    """per_group records per stakeholder group: support of an RC, endorsement of a final (unless kind says)."""
    kind = kind or ("support" if "RC" in version else "endorsement")
    """Add per_group endorsements of version from every group (appending)."""
    p = root / "governance/endorsements.yaml"
    text = p.read_text(encoding="utf-8")
    if "endorsements: []" in text:
        text = HEADER + "endorsements:\n"
    n = start
    for g in GROUPS:
        for _ in range(per_group):
            n += 1
            eid = f"e{n}-{version.lower().replace('.', '-')}"
            text += (f"  - id: {eid}\n    kind: {kind}\n    name: Person {n}\n    group: {g}\n    version: '{version}'\n"
                     f"    date: '2024-05-01'\n    statement_url: https://example.org/{eid}\n")
    p.write_text(text, encoding="utf-8")


def complete_definition(root):
    for rel in ("preamble", "ai-system", "preferred-form", "out-of-scope"):
        p = root / f"definition/{rel}.yaml"
        p.write_text(p.read_text(encoding="utf-8").replace("TK: ", "Draft text: "), encoding="utf-8")


def snapshot(root):
    """What a user would compare: HEAD, tags, status, and every file's bytes."""
    files = {}
    for p in sorted(root.rglob("*")):
        if ".git" not in p.relative_to(root).parts and p.is_file():
            files[p.relative_to(root).as_posix()] = p.read_bytes()
    return (git(root, "rev-parse", "HEAD"), git(root, "tag", "-l"), git(root, "status", "--porcelain"),
            git(root, "diff", "--cached", "--stat"), files)


@pytest.fixture
def released(osaid, git_repo):
    """The repository with definition 0.0.5 and checklist 0.0.1 released."""
    r = osaid("release", "--date", "2024-02-01", cwd=git_repo)
    assert r.code == 0, r.out + r.err
    return git_repo


def test_first_release_tags_both_documents_in_one_commit(osaid, git_repo):
    r = osaid("release", "--date", "2024-02-01", cwd=git_repo)
    assert r.code == 0
    assert r.out.splitlines()[:2] == ["release definition 0.0.5 as v0.0.5 (draft)",
                                      "release checklist 0.0.1 as checklist-v0.0.1 (draft)"]
    assert r.out.splitlines()[-1] == "  git push origin main v0.0.5 checklist-v0.0.1"
    assert git(git_repo, "log", "-1", "--format=%s").strip() == "Release definition 0.0.5 and checklist 0.0.1"
    assert git(git_repo, "rev-parse", "v0.0.5^{commit}") == git(git_repo, "rev-parse", "checklist-v0.0.1^{commit}")
    assert git(git_repo, "cat-file", "-t", "v0.0.5").strip() == "tag"
    assert "date: '2024-02-01'" in (git_repo / "definition/definition.yaml").read_text()
    message = git(git_repo, "tag", "-l", "--format=%(contents)", "v0.0.5")
    assert message.startswith("Definition 0.0.5\n\n### Definition\n\n#### 0.0.5 (2024-02-01)\n\nTag `v0.0.5`, the first release.")
    assert git(git_repo, "status", "--porcelain") == ""
    assert osaid("verify", cwd=git_repo).code == 0
    assert osaid("changelog", "--check", cwd=git_repo).code == 0


def test_bump_refuses_to_pass_an_unreleased_version(osaid, git_repo):
    r = osaid("bump", "draft", cwd=git_repo)
    assert (r.code, r.err) == (1, "osaid: GOV-13 definition 0.0.5 was never released (or this clone lacks tags: "
                                  "git fetch --tags): release it first (osaid release --document definition), then bump\n")


def test_bump_changes_only_version_and_date_byte_for_byte(osaid, released):
    p = released / "definition/definition.yaml"
    text = p.read_text(encoding="utf-8")
    text = text.replace("title: Open Source AI Definition\n", "title: Open Source AI Definition  # the name\r\n")
    text = text.replace("sections:\n", "# the order of reading\nsections:\n")
    p.write_bytes(text.encode("utf-8"))
    commit_all(released, "comments")
    before = p.read_bytes()
    r = osaid("bump", "rc", "--date", "2024-03-01", cwd=released)
    assert r.code == 0
    assert r.out == ("definition 0.0.5 -> 1.0-RC1 (rc)\nchanges since 0.0.5 was released: no changes\n"
                     "wrote definition/definition.yaml (version 1.0-RC1, date 2024-03-01)\n")
    after = p.read_bytes()
    assert after == before.replace(b"version: 0.0.5", b"version: 1.0-RC1").replace(b"date: '2024-02-01'", b"date: '2024-03-01'")


def test_bump_dry_run_and_invalid_kinds(osaid, released):
    before = snapshot(released)
    r = osaid("bump", "draft", "--dry-run", "--date", "2024-03-01", cwd=released)
    assert r.code == 0 and r.out.endswith("dry run: definition/definition.yaml not written\n")
    assert snapshot(released) == before
    r = osaid("bump", "final", cwd=released)
    assert (r.code, r.err) == (2, "osaid: cannot bump 0.0.5 with final: the next version is 0.0.6 (draft) "
                                  "or 1.0-RC1 (rc)\n")
    r = osaid("bump", "draft", "--date", "2024-13-01", cwd=released)
    assert r.code == 2 and "'2024-13-01' is not a date written YYYY-MM-DD" in r.err
    assert osaid("bump", "sideways", cwd=released).code == 2


def test_bump_auto_says_why(osaid, released):
    assert osaid("bump", "auto", cwd=released).err == "osaid: nothing changed since 0.0.5 was released: nothing to bump\n"
    edit(released / "definition/what-is-open-source-ai.yaml", "inspect its components", "inspect its parts")
    r = osaid("bump", "auto", "--date", "2024-03-01", cwd=released)
    assert r.out.splitlines()[:2] == ["definition 0.0.5 -> 0.0.6 (draft: normative changes since a draft: the next draft)",
                                      "changes since 0.0.5 was released: 1 change: 1 normative"]
    r = osaid("bump", "auto", "--document", "checklist", "--date", "2024-03-01", cwd=released)
    assert r.code == 1  # the checklist did not change


def test_release_dry_run_changes_nothing(osaid, git_repo):
    before = snapshot(git_repo)
    r = osaid("release", "--dry-run", "--date", "2024-02-01", cwd=git_repo)
    assert r.code == 0
    assert r.out.splitlines()[-8:] == [
        "would:",
        "  write definition/definition.yaml",
        "  write checklist/checklist.yaml",
        "  write CHANGELOG.md",
        '  commit "Release definition 0.0.5 and checklist 0.0.1"',
        "  tag v0.0.5 (annotated; its message is the changelog entry)",
        "  tag checklist-v0.0.1 (annotated; its message is the changelog entry)",
        "dry run: nothing was changed",
    ]
    assert snapshot(git_repo) == before


def test_release_refuses_dirty_detached_and_locked(osaid, git_repo):
    (git_repo / "notes.txt").write_text("draft\n")
    edit(git_repo / "definition/preamble.yaml", "title: Preamble", "title: Preamble ")
    r = osaid("release", cwd=git_repo)
    assert r.code == 1
    assert "        uncommitted changes: definition/preamble.yaml, notes.txt: commit or stash them first" in r.out.splitlines()
    git(git_repo, "checkout", "-q", "--", "definition/preamble.yaml")
    (git_repo / "notes.txt").unlink()
    git(git_repo, "checkout", "-q", "--detach")
    r = osaid("release", cwd=git_repo)
    assert "        HEAD is detached: check out the branch to release from (git switch main)" in r.out.splitlines()
    git(git_repo, "checkout", "-q", "main")
    (git_repo / ".git/index.lock").write_text("")
    r = osaid("release", cwd=git_repo)
    assert r.code == 1 and "git's index is locked (.git/index.lock exists)" in r.out
    (git_repo / ".git/index.lock").unlink()
    assert r.err == "osaid release: nothing was changed\n"


def test_release_refuses_an_invalid_repository(osaid, git_repo):
    edit(git_repo / "definition/definition.yaml", "version: 0.0.5", "version: 1.0-rc1")
    commit_all(git_repo, "hand-edited version")
    r = osaid("release", cwd=git_repo)
    assert r.code == 1
    assert "        definition/definition.yaml:3:10: GOV-2 version: '1.0-rc1' is not a version (0.0.N, X.Y-draftN, " \
           "X.Y-RCN, X.Y or X.Y.Z), e.g. '1.0-RC1'" in r.out.splitlines()


def test_rc_gate_names_every_missing_thing(osaid, released):
    osaid("bump", "rc", "--date", "2024-03-01", cwd=released)
    endorse(released, "1.0-RC1", 2)
    p = released / "governance/endorsements.yaml"
    p.write_text(p.read_text().replace("group: regulator", "group: licensee", 1), encoding="utf-8")
    commit_all(released, "RC1")
    r = osaid("release", "--document", "definition", cwd=released)
    assert r.code == 1
    assert r.out.splitlines()[-3:] == [
        "  FAIL  the rc gate for definition 1.0-RC1",
        "        GOV-6 4 placeholders (TK, TODO, TBD) left in the definition: write what they stand for "
        "(osaid status lists them)",
        "        GOV-7 support of 1.0-RC1: Regulator: 1 of 2 (record each in governance/endorsements.yaml with kind: support)",
    ]


def test_withdrawn_endorsements_do_not_count(osaid, released):
    osaid("bump", "rc", "--date", "2024-03-01", cwd=released)
    complete_definition(released)
    endorse(released, "1.0-RC1", 2)
    p = released / "governance/endorsements.yaml"
    p.write_text(p.read_text() + "    withdrawn:\n      date: '2024-06-01'\n", encoding="utf-8")
    commit_all(released, "RC1")
    r = osaid("release", "--document", "definition", cwd=released)
    assert r.out.splitlines()[-1] == "        GOV-7 support of 1.0-RC1: Subject: 1 of 2 " \
                                     "(record each in governance/endorsements.yaml with kind: support)"


def test_each_gate_counts_its_own_kind(osaid, released):
    """RC1 needs support, 1.0 endorsements: endorsements of an RC and support of a final count for nothing."""
    osaid("bump", "rc", "--date", "2024-03-01", cwd=released)
    complete_definition(released)
    endorse(released, "1.0-RC1", 2, kind="endorsement")
    commit_all(released, "RC1 endorsed, not supported")
    r = osaid("release", "--document", "definition", cwd=released)
    assert r.code == 1
    assert r.out.splitlines()[-1].startswith("        GOV-7 support of 1.0-RC1: System Creator: 0 of 2;")
    endorse(released, "1.0-RC1", 2, start=50)
    commit_all(released, "RC1 supported")
    assert osaid("release", "--document", "definition", "--date", "2024-03-02", cwd=released).code == 0
    osaid("bump", "final", "--document", "definition", "--date", "2024-10-01", cwd=released)
    endorse(released, "1.0", 5, start=100, kind="support")
    commit_all(released, "1.0 supported, not endorsed")
    r = osaid("release", "--document", "definition", cwd=released)
    assert r.code == 1
    assert ("        GOV-8 endorsements of 1.0: System Creator: 0 of 5; License Creator: 0 of 5; Regulator: 0 of 5; "
            "Licensee: 0 of 5; End User: 0 of 5; Subject: 0 of 5 (record each in governance/endorsements.yaml "
            "with kind: endorsement)") in r.out.splitlines()


def _walk_to(osaid, root, kind, version, date):
    r = osaid("bump", kind, "--document", "definition", "--date", date, cwd=root)
    assert r.code == 0, r.err
    assert f"-> {version} (" in r.out


def test_full_walk_to_1_1_draft1(osaid, released):
    """0.0.5 -> 0.0.6 -> 1.0-RC1 -> 1.0-RC2 -> 1.0 -> 1.0.1 -> 1.1-draft1, with the gates on the way."""
    from test_diff import golden

    root = released
    d = "--document"
    _walk_to(osaid, root, "draft", "0.0.6", "2024-03-01")
    edit(root / "definition/what-is-open-source-ai.yaml", "inspect its components", "inspect every component")
    commit_all(root, "0.0.6")
    assert osaid("release", d, "definition", "--date", "2024-03-02", cwd=root).code == 0

    _walk_to(osaid, root, "rc", "1.0-RC1", "2024-04-01")
    complete_definition(root)
    endorse(root, "1.0-RC1", 2)
    commit_all(root, "RC1")
    assert osaid("release", d, "definition", "--date", "2024-04-02", cwd=root).code == 0

    _walk_to(osaid, root, "rc", "1.0-RC2", "2024-05-01")
    edit(root / "definition/preamble.yaml", "Draft text: why", "Draft text: why, in short,")
    endorse(root, "1.0-RC2", 2, start=100)
    commit_all(root, "RC2")
    assert osaid("release", d, "definition", "--date", "2024-05-02", cwd=root).code == 0

    _walk_to(osaid, root, "final", "1.0", "2024-10-01")
    endorse(root, "1.0", 4, start=200)
    edit(root / "definition/what-is-open-source-ai.yaml", "for any purpose and", "for any lawful purpose and")
    commit_all(root, "1.0 with a late change")
    r = osaid("release", d, "definition", cwd=root)
    assert r.code == 1
    assert r.out.splitlines()[-4:] == [
        "  FAIL  the final gate for definition 1.0",
        "        GOV-8 endorsements of 1.0: System Creator: 4 of 5; License Creator: 4 of 5; Regulator: 4 of 5; "
        "Licensee: 4 of 5; End User: 4 of 5; Subject: 4 of 5 (record each in governance/endorsements.yaml with kind: "
        "endorsement)",
        "        GOV-22 no decision of the board on 1.0 (policy: board.approves_final): record its approval in "
        "governance/board.yaml (date, decision, vote, minutes_url)",
        "        GOV-15 a final version changes only the form of 1.0-RC2, but 1 change since v1.0-RC2 is not editorial: "
        "normative: modified clause use (text) (osaid diff v1.0-RC2 shows them; release another RC, or start the next draft)",
    ]
    edit(root / "definition/what-is-open-source-ai.yaml", "for any lawful purpose and", "for any purpose and")
    edit(root / "definition/preamble.yaml", "in short,", "in short ,")  # punctuation only: editorial
    endorse(root, "1.0", 1, start=300)
    (root / "governance/board.yaml").write_text(
        "approvals:\n  - id: board-1-0\n    version: '1.0'\n    date: '2024-10-20'\n    decision: approved\n"
        "    minutes_url: https://example.org/minutes/1-0\n", encoding="utf-8")  # GOV-22
    commit_all(root, "1.0")
    r = osaid("release", d, "definition", "--date", "2024-10-28", cwd=root)
    assert r.code == 0, r.out

    _walk_to(osaid, root, "errata", "1.0.1", "2024-11-01")
    edit(root / "definition/preamble.yaml", "Open Source AI", "Open Source AI systems")
    commit_all(root, "1.0.1 with a change of meaning")
    r = osaid("release", d, "definition", cwd=root)
    assert r.code == 1 and "        GOV-15 a errata version changes only the form of 1.0" in r.out
    edit(root / "definition/preamble.yaml", "Open Source AI systems", "Open Source AI")
    edit(root / "definition/preamble.yaml", "in short ,", "in short,")
    commit_all(root, "1.0.1")
    assert osaid("release", d, "definition", "--date", "2024-11-02", cwd=root).code == 0

    _walk_to(osaid, root, "minor", "1.1-draft1", "2024-12-01")
    commit_all(root, "1.1-draft1")
    assert osaid("release", d, "definition", "--date", "2024-12-02", cwd=root).code == 0

    assert git(root, "tag", "-l", "v*").split() == ["v0.0.5", "v0.0.6", "v1.0", "v1.0-RC1", "v1.0-RC2", "v1.0.1",
                                                   "v1.1-draft1"]
    assert osaid("verify", cwd=root).code == 0
    golden("CHANGELOG-walk.md", (root / "CHANGELOG.md").read_text(encoding="utf-8"))
    rows = json.loads(osaid("versions", "--document", "definition", "--format", "json", cwd=root).out)
    assert [(r["version"], r["date"]) for r in rows] == [
        ("1.1-draft1", "2024-12-02"), ("1.0.1", "2024-11-02"), ("1.0", "2024-10-28"), ("1.0-RC2", "2024-05-02"),
        ("1.0-RC1", "2024-04-02"), ("0.0.6", "2024-03-02"), ("0.0.5", "2024-02-01")]
    assert rows[2]["changes"] == {"normative": 0, "substantive": 0, "editorial": 1}


# --- rollback: each step made to fail in turn; the repository stays as it was ------------------


def test_a_failed_write_after_publishing_says_so_and_a_rerun_finishes(osaid, git_repo, monkeypatch):
    """The files are written only once the release is published (the transaction is the point of
    no return): a full disk then leaves a complete release whose work tree a rerun brings up to date."""
    from osaid import fileio

    real = fileio.write_atomic
    calls = []

    def fail_second(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(fileio, "write_atomic", fail_second)
    r = osaid("release", "--date", "2024-02-01", cwd=git_repo)
    commit = git(git_repo, "rev-parse", "HEAD").strip()
    assert r.code == 1
    assert r.err == ("osaid: release failed while updating the work tree and the index: [Errno 28] No space left on device\n"
                     f"the release is published: commit {commit[:10]} on main, tags v0.0.5, checklist-v0.0.1; but the "
                     "work tree and the index are not up to date with it yet: run osaid release again to finish\n")
    assert git(git_repo, "status", "--porcelain") == ("D  CHANGELOG.md\nM  checklist/checklist.yaml\n"
                                                       "MM definition/definition.yaml\n")
    monkeypatch.setattr(fileio, "write_atomic", real)
    r = osaid("release", cwd=git_repo)
    assert r.code == 0, r.err
    assert r.out == (f"finishing the release checklist-v0.0.1, v0.0.5 (commit {commit[:10]}), interrupted before the "
                     "work tree and the index were brought up to it: CHANGELOG.md, checklist/checklist.yaml, "
                     "definition/definition.yaml\ndone: the release is complete\n")
    assert git(git_repo, "status", "--porcelain", "--ignored") == ""
    assert osaid("verify", cwd=git_repo).code == 0


def test_release_runs_no_git_hook(osaid, git_repo):
    """The release commit is made with plumbing, as `git commit --no-verify` would: its checks are
    the plan's, and pre-push / CI (osaid verify) check it again (README, Releases)."""
    hooks = git_repo / ".git/hooks"
    hooks.mkdir(exist_ok=True)
    for name in ("pre-commit", "commit-msg", "post-commit", "pre-applypatch"):
        (hooks / name).write_text(f"#!/bin/sh\necho ran >> {name}.ran\nexit 1\n")
        (hooks / name).chmod(0o755)
    r = osaid("release", "--date", "2024-02-01", cwd=git_repo)
    assert r.code == 0, r.err
    assert list(git_repo.glob("*.ran")) == []
    assert git(git_repo, "status", "--porcelain") == ""


def test_rollback_when_signing_the_tag_fails(osaid, git_repo):
    git(git_repo, "config", "gpg.program", "false")
    before = snapshot(git_repo)
    r = osaid("release", "--sign", "--date", "2024-02-01", cwd=git_repo)
    assert r.code == 1
    assert r.err.startswith("osaid: release failed while tagging v0.0.5: ")
    assert snapshot(git_repo) == before


def test_a_locked_tag_fails_the_transaction_and_changes_nothing(osaid, git_repo):
    lock = git_repo / ".git/refs/tags/checklist-v0.0.1.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text("")
    before = snapshot(git_repo)
    r = osaid("release", "--date", "2024-02-01", cwd=git_repo)
    assert r.code == 1
    assert r.err.startswith("osaid: release failed while publishing (moving the branch and creating the tags in one "
                            "transaction): fatal: prepare: cannot lock ref 'refs/tags/checklist-v0.0.1': ")
    assert r.err.endswith("\nnothing was changed: no commit, no tag, no file (the repository is as it was)\n")
    lock.unlink()
    assert snapshot(git_repo) == before
    assert git(git_repo, "tag", "-l") == ""


def test_signed_release_with_an_ssh_key(osaid, git_repo, tmp_path):
    if not shutil.which("ssh-keygen"):
        pytest.skip("ssh-keygen is not installed")
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    git(git_repo, "config", "gpg.format", "ssh")
    git(git_repo, "config", "user.signingkey", str(key))
    r = osaid("release", "--sign", "--date", "2024-02-01", cwd=git_repo)
    assert r.code == 0, r.err
    assert "-----BEGIN SSH SIGNATURE-----" in git(git_repo, "cat-file", "tag", "v0.0.5")


# --- verify and the hard cases ------------------------------------------------------------------


def test_verify_reports_bad_tags_and_a_skipped_version(osaid, released):
    git(released, "tag", "v0.0.6")  # lightweight, on a commit carrying 0.0.5
    git(released, "tag", "-a", "v0.0.8", "-m", "skips 0.0.7")
    git(released, "tag", "-a", "vnext", "-m", "not a version")
    r = osaid("verify", cwd=released)
    assert r.code == 1
    lines = r.out.splitlines()
    assert "refs/tags/v0.0.6: GOV-12 tag v0.0.6 is not annotated: a release tag records who released what " \
           "and when; recreate it with git tag -a (osaid release does)" in lines
    assert any(l.startswith("refs/tags/v0.0.6: GOV-12 tag v0.0.6 points at commit ") and
               l.endswith("whose definition version is 0.0.5: a tag belongs on the commit that carries its version, "
                          "and never moves") for l in lines)
    assert "refs/tags/v0.0.8: GOV-13 definition: 0.0.8 cannot follow 0.0.6: the next version is 0.0.7 (draft) " \
           "or 1.0-RC1 (rc) (a version was skipped or released out of order)" in lines
    assert "refs/tags/vnext: GOV-12 tag vnext is not named by the scheme (v<version> or checklist-v<version>, " \
           "e.g. v1.0-RC1): rename or delete it" in lines
    assert "CHANGELOG.md: GOV-9 differs from what the release tags give: run osaid changelog" in lines


def test_verify_frozen_release_and_hand_edited_version(osaid, released):
    edit(released / "definition/preamble.yaml", "the world needs", "the world wants")
    r = osaid("verify", cwd=released)
    assert r.out == ("definition/definition.yaml:3:10: GOV-10 definition 0.0.5 is released (tag v0.0.5), but 1 change "
                     "since (osaid diff v0.0.5): run osaid bump --document definition auto before editing a released "
                     "version\n")
    git(released, "checkout", "-q", "--", ".")
    edit(released / "definition/definition.yaml", "version: 0.0.5", "version: 0.0.7")
    r = osaid("verify", cwd=released)
    assert r.out == ("definition/definition.yaml:3:10: GOV-11 definition: 0.0.7 cannot follow 0.0.5: the next version "
                     "is 0.0.6 (draft) or 1.0-RC1 (rc) (osaid bump sets it)\n")


def test_verify_retired_id_reused(osaid, released):
    osaid("bump", "draft", "--date", "2024-03-01", cwd=released)
    p = released / "definition/out-of-scope.yaml"
    p.write_text(p.read_text().replace("id: out-of-scope-list", "id: out-of-scope-issues"), encoding="utf-8")
    edit(p, "deliberately does not settle", "does not settle")
    commit_all(released, "0.0.6 renames a clause")
    assert osaid("release", "--document", "definition", "--date", "2024-03-02", cwd=released).code == 0
    osaid("bump", "draft", "--date", "2024-04-01", cwd=released)
    edit(released / "definition/preamble.yaml", "id: why-open-source-ai", "id: out-of-scope-list")
    r = osaid("verify", cwd=released)
    assert r.code == 1
    assert "definition/preamble.yaml:5:9: GOV-14 clause ID 'out-of-scope-list' was retired in 0.0.6 (it was in 0.0.5), and the work tree reuses " \
           "it for other content: choose a new ID" in r.out


def test_fresh_clone_without_tags_and_shallow_clone(osaid, released, tmp_path):
    bare = tmp_path / "no-tags"
    git(tmp_path, "clone", "-q", "--no-tags", str(released), str(bare))
    r = osaid("versions", cwd=bare)
    assert (r.code, r.out) == (0, "no release yet (releases are git tags: a clone may lack them, git fetch --tags)\n")
    assert "not released (no tag v0.0.5)" in osaid("status", cwd=bare).out
    r = osaid("bump", "draft", cwd=bare)
    assert r.code == 1 and "(or this clone lacks tags: git fetch --tags)" in r.err
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{released}", str(shallow))
    r = osaid("history", "use", "--commits", cwd=shallow)
    assert r.code == 0


def test_versions_text(osaid, released):
    r = osaid("versions", cwd=released)
    head = git(released, "rev-parse", "HEAD")[:10]
    assert r.out.splitlines() == [
        f"definition  0.0.5       2024-02-01  v0.0.5               {head}  first release",
        f"checklist   0.0.1       2024-02-01  checklist-v0.0.1     {head}  first release",
    ]


def test_verify_range_checks_only_tags_in_it(osaid, released):
    first = git(released, "rev-parse", "HEAD").strip()
    git(released, "commit", "-q", "--allow-empty", "-m", "later")
    git(released, "tag", "checklist-v0.0.2")  # lightweight, and on a commit that carries 0.0.1
    r = osaid("verify", "--range", f"{first}..HEAD", cwd=released)
    assert [l.split(" GOV-")[0] for l in r.out.splitlines() if "GOV-12" in l] == \
        ["refs/tags/checklist-v0.0.2:", "refs/tags/checklist-v0.0.2:"]
    r = osaid("verify", "--range", f"{first}~0..{first}", cwd=released)
    assert not [l for l in r.out.splitlines() if "GOV-12" in l]
    r = osaid("verify", "--range", "nowhere..HEAD", cwd=released)
    assert r.code == 2 and r.err.startswith("osaid: cannot read the range nowhere..HEAD: ")


def test_verify_formats(osaid, released):
    git(released, "tag", "v0.0.6")
    r = osaid("verify", "--format", "json", cwd=released)
    assert r.code == 1
    assert {p["rule"] for p in json.loads(r.out)} == {"GOV-12", "GOV-9"}
    r = osaid("verify", "--format", "github", cwd=released)
    assert r.out.startswith("::error file=CHANGELOG.md,title=GOV-9::GOV-9 differs from what the release tags give")


def test_a_note_on_an_id_of_the_last_release_is_valid_everywhere(osaid, released):
    """validate, status and release agree: notes may name an ID the last release had (a removed clause)."""
    osaid("bump", "draft", "--date", "2024-03-01", cwd=released)
    edit(released / "definition/preamble.yaml", "id: why-open-source-ai", "id: why-this-definition")
    (released / "notes").mkdir()
    (released / "notes/definition-0.0.6.yaml").write_text(
        "# yaml-language-server: $schema=../tools/osaid/schemas/notes.schema.json\n"
        "document: definition\nversion: 0.0.6\nnotes:\n  - text: The preamble clause has a new ID.\n"
        "    ids: [why-open-source-ai]\n", encoding="utf-8")
    commit_all(released, "0.0.6")
    assert osaid("validate", cwd=released).code == 0
    assert osaid("status", cwd=released).code == 0
    r = osaid("release", "--dry-run", "--document", "definition", "--date", "2024-03-02", cwd=released)
    assert r.code == 0, r.out


def test_bump_refuses_to_write_a_broken_file(osaid, released):
    p = released / "definition/definition.yaml"
    edit(p, "version: 0.0.5", "version: >-\n  0.0.5")  # valid YAML, but not on one line
    commit_all(released, "a block scalar")
    before = p.read_bytes()
    r = osaid("bump", "draft", "--date", "2024-03-01", cwd=released)
    assert (r.code, r.err) == (1, "osaid: definition/definition.yaml: cannot set the version and the date in "
                                  "place: version, date must each be written on one line (run osaid fmt first)\n")
    assert p.read_bytes() == before

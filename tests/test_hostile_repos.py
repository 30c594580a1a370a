"""Hostile and everyday-odd repositories (issue 9, items 3, 7, 8): every command answers
with a message, never an internal error (exit 3).

A section named like the definition's own file, a missing required file, a new
repository without a commit, tags on a blob or a tree, a broken object store, an
impossible date; clones without tags, shallow clones and exported trees (a missing
tag warns, only release and verify need the tags); core.autocrlf=true.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from conftest import commit_all, edit, git, git_init, run_console

# every command a user may run, with the arguments that reach its core
COMMANDS = [("validate",), ("status",), ("fmt", "--check"), ("diff",), ("diff", "HEAD"), ("diff", "--cached"),
            ("changelog", "--check"), ("history", "use"), ("history", "use", "--commits"), ("verify",),
            ("versions",), ("release", "--dry-run"), ("bump", "draft", "--dry-run"), ("hook", "pre-commit")]


def no_crash(osaid, root: Path, commands=COMMANDS) -> dict:
    """Run each command; none may end in an internal error. Returns {command: Result}."""
    out = {}
    for cmd in commands:
        r = osaid(*cmd, cwd=root)
        assert r.code != 3 and "internal error" not in r.err and "Traceback" not in r.err, (cmd, r.err)
        out[" ".join(cmd)] = r
    return out


def test_a_section_named_definition_is_a_located_gov4(osaid, git_repo):
    edit(git_repo / "definition/definition.yaml", "  - preamble\n", "  - preamble\n  - definition\n")
    git(git_repo, "add", "-A")
    results = no_crash(osaid, git_repo)
    message = ("definition/definition.yaml:6:5: GOV-4 'definition' cannot be a section: definition/definition.yaml "
               "is the definition's own file (title, version, sections); give the section another ID\n")
    assert (results["validate"].code, results["validate"].out) == (1, message)
    assert (results["hook pre-commit"].code, results["hook pre-commit"].out) == (1, message)
    assert results["diff HEAD"].code == 1 and "GOV-4 'definition' cannot be a section" in results["diff HEAD"].err


REQUIRED = ["checklist/checklist.yaml", "checklist/components.yaml", "governance/stakeholders.yaml",
            "governance/endorsements.yaml", "governance/maintainers.yaml", "governance/policy.yaml"]


def test_a_missing_required_file_is_gov4_for_validate_release_and_the_hook(osaid, git_repo):
    for rel in REQUIRED:
        git(git_repo, "rm", "-q", rel)
        git(git_repo, "commit", "-q", "-m", f"remove {rel}")
        results = no_crash(osaid, git_repo, [c for c in COMMANDS if c[0] in ("validate", "release", "hook", "status",
                                                                               "verify", "diff")])
        assert results["validate"].code == 1
        assert results["validate"].out.startswith(f"{rel}: GOV-4 {rel} is missing: every osaid repository has "
                                                  f"one ("), rel
        assert f"restore it (git checkout -- {rel})" in results["validate"].out
        assert results["release --dry-run"].code == 1 and f"GOV-4 {rel} is missing" in results["release --dry-run"].out
        assert results["hook pre-commit"].code == 1 and f"GOV-4 {rel} is missing" in results["hook pre-commit"].out
        git(git_repo, "reset", "-q", "--hard", "HEAD~1")
    assert osaid("validate", cwd=git_repo).code == 0  # and each is back


def test_a_new_repository_without_a_commit(osaid, data_repo):
    git_init(data_repo)
    results = no_crash(osaid, data_repo)
    assert results["diff HEAD"].code == 2
    assert "HEAD has no commit yet (a new repository): make the first commit" in results["diff HEAD"].err
    assert results["history use --commits"].code == 0 and "the work tree" in results["history use --commits"].out
    assert results["validate"].code == 0


def test_tags_on_a_blob_or_a_tree_are_reported_not_followed(osaid, git_repo):
    git(git_repo, "tag", "-a", "-m", "a blob", "v0.0.5", "HEAD:definition/definition.yaml")
    git(git_repo, "tag", "checklist-v0.0.1", "HEAD^{tree}")
    results = no_crash(osaid, git_repo)
    assert results["verify"].code == 1
    assert ("refs/tags/checklist-v0.0.1: GOV-12 tag checklist-v0.0.1 marks a tree, not a commit: a release tag "
            "marks the commit of its release; delete it (git tag -d checklist-v0.0.1) and tag that commit "
            "(osaid release does)") in results["verify"].out
    assert "refs/tags/v0.0.5: GOV-12 tag v0.0.5 marks a blob, not a commit" in results["verify"].out
    r = osaid("diff", "v0.0.5", cwd=git_repo)
    assert (r.code, r.err) == (2, "osaid: 'v0.0.5' names a blob, not a commit: a release tag marks the commit of its "
                                  "release; delete it (git tag -d v0.0.5) and tag that commit\n")
    assert results["release --dry-run"].code == 1
    assert "GOV-12 tag v0.0.5 exists but marks a blob, not a commit: delete it (git tag -d v0.0.5), then release" \
        in results["release --dry-run"].out


def test_a_broken_object_store_is_a_message_not_an_internal_error(git_repo):
    """A git command that fails (a lost object: a broken disk, a bad copy) is the
    machine's problem, said in git's words, exit 1: never 'internal error'."""
    blob = git(git_repo, "rev-parse", "HEAD:definition/preamble.yaml").strip()
    (git_repo / ".git/objects" / blob[:2] / blob[2:]).unlink()
    for cmd in (("diff", "HEAD"), ("history", "preamble", "--commits")):
        r = run_console(*cmd, cwd=git_repo)
        assert r.returncode == 1 and "internal error" not in r.stderr and "Traceback" not in r.stderr, (cmd, r.stderr)
        assert r.stderr.startswith("osaid: ") and blob in r.stderr


# --- item 7: clones without tags, shallow clones, exported trees ---------------------------


def _clone(history_repo: Path, dest: Path, *options: str) -> Path:
    git(dest.parent, "clone", "-q", *options, f"file://{history_repo}", str(dest))
    return dest


WARNING = ("checklist/checklist.yaml:4:21: warning: GOV-4 version '0.0.5' of the definition cannot be checked: "
           "there is no tag v0.0.5 here, and {hint} (osaid release and osaid verify need the tags)\n")


@pytest.mark.parametrize("how, options, hint", [
    ("no tags", ("--no-tags",), "this clone was made without tags: git fetch --tags"),
    ("shallow", ("--depth", "1"), "this clone is shallow: git fetch --tags --unshallow"),
])
def test_a_clone_without_the_tags_warns_and_never_blocks_a_commit(osaid, history_repo, tmp_path, how, options, hint):
    clone = _clone(history_repo, tmp_path / "clone", *options)
    assert "v0.0.5" not in git(clone, "tag", "--list").split()
    r = osaid("validate", cwd=clone)
    assert (r.code, r.out) == (0, "")
    assert WARNING.format(hint=hint) in r.err
    edit(clone / "definition/definition.yaml", "version: 0.0.8", "version: 0.0.9")
    git(clone, "add", "-A")
    r = osaid("hook", "pre-commit", cwd=clone)
    assert (r.code, r.out) == (0, "") and WARNING.format(hint=hint) in r.err
    assert f"  git: release tags may be missing: {hint}" in osaid("status", cwd=clone).out.splitlines()
    if how == "no tags":
        assert ("skipped: no release of the definition yet: give OLD, e.g. osaid diff HEAD (this clone was made "
                "without tags: git fetch --tags)") in osaid("diff", cwd=clone).out
    r = osaid("validate", "--format", "github", cwd=clone)
    assert r.code == 0 and r.out.startswith("::warning file=checklist/checklist.yaml,line=4,col=21,title=GOV-4::")
    # only release and verify need the tags, and they say so
    git(clone, "commit", "-q", "-m", "Start 0.0.9")
    r = osaid("verify", cwd=clone)
    assert r.code == 1 and f".git: GOV-12 the release history cannot be verified here: {hint}" in r.out
    r = osaid("release", "--dry-run", cwd=clone)
    assert r.code == 1 and f"{hint} (osaid release and osaid verify need the tags): a release needs the release " \
                           "tags" in r.out
    git(clone, "fetch", "-q", "--tags", *(("--unshallow",) if how == "shallow" else ()))
    git(clone, "config", "--unset-all", "remote.origin.tagopt") if how == "no tags" else None
    r = osaid("validate", cwd=clone)
    assert (r.code, r.out) == (0, "") and "warning: GOV-" not in r.err, r.err  # with the tags, nothing left unchecked


@pytest.mark.slow
def test_a_real_commit_in_a_clone_without_tags_passes_the_hooks(history_repo, tmp_path, monkeypatch):
    """The whole way, as an editor commits: pre-commit installed, git commit, hooks run."""
    import sys

    from conftest import REPO

    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    clone = _clone(history_repo, tmp_path / "clone", "--no-tags")
    shutil.copy(REPO / ".pre-commit-config.yaml", clone / ".pre-commit-config.yaml")
    (clone / ".venv").symlink_to(Path(sys.prefix))
    (clone / ".gitignore").write_text(".venv\n")
    bin_ = Path(sys.executable).parent
    subprocess.run([str(bin_ / "pre-commit"), "install"], cwd=clone, check=True, capture_output=True)
    edit(clone / "definition/definition.yaml", "version: 0.0.8", "version: 0.0.9")
    git(clone, "add", "-A")
    r = subprocess.run(["git", "commit", "-m", "Start 0.0.9", "-m", "Discussion: https://example.org/d/1"],
                       cwd=clone, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 0, r.stdout
    assert git(clone, "log", "-1", "--format=%s").strip() == "Start 0.0.9"


def test_a_clone_with_its_tags_still_reports_a_version_that_does_not_exist(osaid, history_repo, tmp_path):
    clone = _clone(history_repo, tmp_path / "clone")
    edit(clone / "checklist/checklist.yaml", "definition_version: 0.0.5", "definition_version: 0.0.4")
    r = osaid("validate", cwd=clone)
    assert r.code == 1 and "GOV-4 version '0.0.4' of the definition does not exist" in r.out and "warning" not in r.err


def test_an_exported_tree_warns_and_validates(history_repo, tmp_path):
    archive = tmp_path / "export.tar"
    git(history_repo, "archive", "-o", str(archive), "HEAD")
    tree = tmp_path / "export"
    with tarfile.open(archive) as t:
        t.extractall(tree, filter="data")
    r = run_console("validate", cwd=tree)
    assert r.returncode == 0, r.stdout + r.stderr
    assert WARNING.format(hint="this is not a git repository (an exported tree): releases are git tags; check in a "
                               "clone") in r.stderr


# --- item 8: line endings ------------------------------------------------------------------


def test_autocrlf_checkout_is_canonical(osaid, tmp_path):
    """A clone with core.autocrlf=true (Git for Windows' default) checks the data out with LF."""
    from conftest import REPO

    src = tmp_path / "src"
    src.mkdir()
    for d in ("definition", "checklist", "governance"):
        shutil.copytree(REPO / d, src / d)
    for f in (".gitattributes", "CHANGELOG.md"):
        shutil.copy(REPO / f, src / f)
    git_init(src)
    commit_all(src, "Start")
    clone = tmp_path / "clone"
    subprocess.run(["git", "-c", "core.autocrlf=true", "clone", "-q", "--config", "core.autocrlf=true", str(src),
                    str(clone)], check=True, capture_output=True)
    for rel in (
        "definition/definition.yaml", "checklist/systems/llama-2.yaml", "governance/policy.yaml", "CHANGELOG.md"
    ):
        assert b"\r\n" not in (clone / rel).read_bytes(), rel
    assert b"\r\n" in (clone / ".gitattributes").read_bytes()  # autocrlf is on: only the data is kept LF
    r = osaid("fmt", "--check", cwd=clone)
    assert (r.code, r.out) == (0, "")

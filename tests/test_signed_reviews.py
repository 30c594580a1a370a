"""Signed reviews (policy review.signed: true): a Reviewed-by trailer anyone can type
does not count; a signature git verifies against a maintainer's listed key does.

Real SSH keys made by ssh-keygen in the test, real git signatures, the real
pre-push hook through pre-commit and `osaid verify --range` as CI runs it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, commit_all, edit, git, git_init
from test_hooks import BIN, commit, head, run

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed")


MERGE = "Merge topic\n\nDiscussion: https://example.org/3"


def keypair(folder: Path, name: str) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(folder / name)], check=True)
    return folder / name


@pytest.fixture
def signed(data_repo, tmp_path, monkeypatch):
    """Hooks installed, policy review.signed true, Rita's and Stefano's SSH keys listed; 0.0.5 released and
    pushed; 0.0.6 bumped. Ada Editor (not a maintainer) is the author of the commits."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    keys = tmp_path / "keys"
    keys.mkdir()
    rita, stefano, ada, eve = (keypair(keys, n) for n in ("rita", "stefano", "ada", "eve"))
    root = data_repo
    (root / "governance/maintainers.yaml").write_text(
        "# yaml-language-server: $schema=../tools/osaid/schemas/maintainers.schema.json\n"
        "maintainers:\n"
        "  - id: stefano-maffulli\n    name: Stefano Maffulli\n    email: stefano@example.org\n"
        f"    signing_keys: ['{(stefano.with_suffix('.pub')).read_text().strip()}']\n"
        "  - id: rita-reviewer\n    name: Rita Reviewer\n    email: rita@example.org\n"
        f"    signing_keys: ['{(rita.with_suffix('.pub')).read_text().strip()}']\n",
        encoding="utf-8")
    edit(root / "governance/policy.yaml", "  reviewers_per_change: 1\n", "  reviewers_per_change: 1\n  signed: true\n")
    shutil.copy(REPO / ".pre-commit-config.yaml", root / ".pre-commit-config.yaml")
    (root / ".venv").symlink_to(Path(sys.prefix))
    (root / ".gitignore").write_text(".venv\n")
    git_init(root)
    git(root, "config", "gpg.format", "ssh")
    r = run(root, str(BIN / "osaid"), "fmt")
    commit_all(root, "Start")
    assert run(root, str(BIN / "osaid"), "validate").returncode == 0
    r = run(root, str(BIN / "osaid"), "release", "--date", "2024-02-01")
    assert r.returncode == 0, r.stdout
    assert run(root, str(BIN / "pre-commit"), "install").returncode == 0
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(root, "remote", "add", "origin", str(remote))
    assert run(root, "git", "push", "-q", "origin", "main", "--tags").returncode == 0
    r = run(root, str(BIN / "osaid"), "bump", "draft", "--date", "2024-03-01")
    assert r.returncode == 0, r.stdout
    git(root, "add", "definition/definition.yaml")
    return root, {"rita": rita, "stefano": stefano, "ada": ada, "eve": eve}


def change_of_meaning(root: Path, *trailers: str) -> str:
    edit(root / "definition/what-is-open-source-ai.yaml", "inspect its components", "inspect every component")
    git(root, "add", "-A")
    args = ["--trailer", "Discussion: https://example.org/3"]
    for t in trailers:
        args += ["--trailer", t]
    r = commit(root, "-m", "Reword study", *args)
    assert r.returncode == 0, r.stdout
    return head(root)


def as_(person: str, key: Path) -> list[str]:
    email = f"{person.split()[0].lower()}@example.org"
    return ["-c", f"user.name={person}", "-c", f"user.email={email}", "-c", f"user.signingkey={key}.pub"]


def rejected(root: Path, *refs: str) -> str:
    r = run(root, "git", "push", "origin", "main", *refs)
    assert r.returncode != 0, r.stdout
    assert "GOV-18" in r.stdout and "with a verified signature" in r.stdout, r.stdout
    return r.stdout


def test_a_typed_review_trailer_does_not_count(signed):
    root, _ = signed
    sha = change_of_meaning(root, "Reviewed-by: Rita Reviewer <rita@example.org>")
    out = rejected(root)
    assert (f"GOV-18 commit {sha[:10]} (2024-01-26, Reword study) makes 1 change of meaning but is reviewed by 0 "
            "maintainers other than its author with a verified signature, of 1 needed") in out
    assert f"git tag -s review/{sha[:10]} {sha[:10]}" in out


def test_a_review_tag_signed_by_a_maintainer_counts_and_a_forged_one_does_not(signed):
    root, keys = signed
    sha = change_of_meaning(root)
    # Eve's key is not listed: her signed tag, made in Rita's name, is a forgery.
    git(root, *as_("Rita Reviewer", keys["eve"]), "tag", "-s", "-m", "Reviewed", "review/forged", sha)
    rejected(root, "review/forged")
    git(root, "tag", "-d", "review/forged")
    git(root, *as_("Rita Reviewer", keys["rita"]), "tag", "-s", "-m", "Reviewed", "review/rita", sha)
    r = run(root, "git", "push", "origin", "main", "review/rita")
    assert r.returncode == 0, r.stdout
    # CI checks the same range the same way.
    r = run(root, str(BIN / "osaid"), "verify", "--range", "v0.0.5..main")
    assert r.returncode == 0, r.stdout


def test_a_signed_merge_by_another_maintainer_counts_but_not_the_authors_own(signed):
    root, keys = signed
    git(root, "commit", "-q", "-m", "Bump to 0.0.6")
    git(root, "switch", "-q", "-c", "topic")
    change_of_meaning(root)
    git(root, "switch", "-q", "main")
    # The author merges her own work, signed with a key of hers that a maintainer does not hold.
    git(root, *as_("Ada Editor", keys["ada"]), "merge", "-q", "--no-ff", "-S", "-m", MERGE, "topic")
    rejected(root)
    git(root, "reset", "-q", "--hard", "HEAD^")
    # Rita merges it, signed with her listed key: reviewed.
    git(root, *as_("Rita Reviewer", keys["rita"]), "merge", "-q", "--no-ff", "-S", "-m", MERGE, "topic")
    r = run(root, "git", "push", "origin", "main")
    assert r.returncode == 0, r.stdout


def test_a_maintainer_signing_her_own_commit_is_not_a_review(signed):
    root, keys = signed
    edit(root / "definition/what-is-open-source-ai.yaml", "inspect its components", "inspect every component")
    git(root, "add", "-A")
    r = run(root, "git", *as_("Rita Reviewer", keys["rita"]), "commit", "-S", "-m", "Reword study",
            "--trailer", "Discussion: https://example.org/3",
            env={"GIT_AUTHOR_NAME": "Rita Reviewer", "GIT_AUTHOR_EMAIL": "rita@example.org"})
    assert r.returncode == 0, r.stdout
    rejected(root)
    r = run(root, str(BIN / "osaid"), "verify", "--range", "v0.0.5..main")
    assert r.returncode == 1 and "GOV-18" in r.stdout

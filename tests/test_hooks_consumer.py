"""A second repository (a fork, a translation) consumes this one's .pre-commit-hooks.yaml.

pre-commit try-repo builds osaid from this repository into an environment of
its own (language: python), as it would for any consumer; that install needs
the package index, like the Quick start.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, commit_all, edit, git_init

pytestmark = pytest.mark.slow  # the real pre-commit, try-repo

BIN = Path(sys.executable).parent


def try_repo(consumer: Path, hook: str, home: Path) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run([str(BIN / "pre-commit"), "try-repo", str(REPO), hook, "--all-files"], cwd=consumer,
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_fork_runs_the_published_hooks(data_repo, tmp_path_factory):
    home = tmp_path_factory.mktemp("pre-commit-home")
    git_init(data_repo)
    commit_all(data_repo, "A fork of the definition")
    r = try_repo(data_repo, "osaid", home)
    assert r.returncode == 0, r.stdout
    assert "osaid (canonical form, valid, frozen releases, version order, retired IDs, endorsements kept)" in r.stdout
    assert "Passed" in r.stdout
    edit(data_repo / "checklist/checklist.yaml", "component: training-code", "component: training-kode")
    commit_all(data_repo, "A typo")
    r = try_repo(data_repo, "osaid", home)
    assert r.returncode == 1
    assert "checklist/checklist.yaml:15:16: GOV-4 unknown component 'training-kode'" in r.stdout
    r = try_repo(data_repo, "osaid-fmt", home)
    assert r.returncode == 0, r.stdout

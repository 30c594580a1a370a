"""Shared fixtures: a copy of this repository's data, hermetic git, the CLI in-process."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import history_fixture
import pytest

pytest_plugins = ["coverage_floor"]  # the coverage floor holds for the whole suite only

REPO = Path(__file__).resolve().parent.parent
DATA_DIRS = ("definition", "checklist", "governance")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Editor",
    "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada Editor",
    "GIT_COMMITTER_EMAIL": "ada@example.org",
    "GIT_AUTHOR_DATE": "2024-01-26T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2024-01-26T12:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
    "SOURCE_DATE_EPOCH": "1735603200",  # 2024-12-31: "today" for osaid, fixed
}


@pytest.fixture(autouse=True)
def hermetic_git(monkeypatch, tmp_path_factory):
    """No global or system git config, a fixed author and dates, for us and for osaid."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig-none"))
    for k, v in GIT_ENV.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("OSAID_DEBUG", raising=False)


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, f"git {' '.join(args)} failed: {out.stderr}"
    return out.stdout


def git_init(path: Path) -> Path:
    template = path.parent / f"{path.name}-empty-template"
    template.mkdir(exist_ok=True)
    git(path, "init", "-q", f"--template={template}", "-b", "main")
    return path


def commit_all(path: Path, message: str) -> str:
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", message)
    return git(path, "rev-parse", "HEAD").strip()


REVIEWED = ("--trailer", "Discussion: https://discuss.example.org/t/1",
            "--trailer", "Reviewed-by: Stefano Maffulli <stefano@example.org>")


def commit_reviewed(path: Path, message: str) -> str:
    """commit_all, with the trailers a change of meaning needs (GOV-17, GOV-18) before a release."""
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", message, *REVIEWED)
    return git(path, "rev-parse", "HEAD").strip()


@pytest.fixture
def data_repo(tmp_path: Path) -> Path:
    """A copy of this repository's data files (and schemas), outside git."""
    root = tmp_path / "repo"
    root.mkdir()
    for d in DATA_DIRS:
        shutil.copytree(REPO / d, root / d)
    return root


@pytest.fixture
def git_repo(data_repo: Path) -> Path:
    """The same copy as a git repository with one commit and no tags."""
    git_init(data_repo)
    commit_all(data_repo, "Start the definition")
    return data_repo


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def osaid(capsys, monkeypatch):
    """Run the CLI in-process, as the console script does: osaid(*args, cwd=...)."""
    from osaid.cli import main

    def run(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))  # the exit code: main never exits
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def counting(calls: dict, name: str, real):
    """real, wrapped to count its calls in calls[name] (for tests that bound the work a command does)."""
    def wrapper(*args, **kwargs):
        calls[name] += 1
        return real(*args, **kwargs)
    return wrapper


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def run_console(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed console script, as a user runs it."""
    exe = Path(sys.executable).parent / "osaid"
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def hermetic_env(tmp_path_factory) -> pytest.MonkeyPatch:
    """hermetic_git's environment for a module- or session-scoped fixture (undo() it after)."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("home")
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / "none"))
    for k, v in GIT_ENV.items():
        mp.setenv(k, v)
    return mp


@contextlib.contextmanager
def hermetic_scope(tmp_path_factory):
    """hermetic_git's environment, for a fixture wider than one test (module, session)."""
    mp = hermetic_env(tmp_path_factory)
    try:
        yield
    finally:
        mp.undo()


@pytest.fixture(scope="session")
def history_repo(tmp_path_factory):
    """The fixture history, built once for the module (read-only for tests)."""
    with hermetic_scope(tmp_path_factory):
        yield history_fixture.build(tmp_path_factory.mktemp("history") / "repo")


@pytest.fixture
def writable_history(tmp_path, history_repo):
    """A clone of the fixture history that a test may change."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(history_repo), str(clone))
    return clone


HOOK_FIXTURES = {"hooked", "signed"}  # fixtures that install the real pre-commit (test_hooks, test_signed_reviews)


def pytest_collection_modifyitems(items):
    """A test that drives the real pre-commit is slow: `pytest -m "not slow"` skips it; the default runs it."""
    for item in items:
        if HOOK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)

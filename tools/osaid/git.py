"""Git access: the only module that talks to git.

It runs the git command line (fast to start, honours GIT_INDEX_FILE and the
other variables hooks set); GitPython is left for the history work, where a
persistent object reader pays for its import.
"""

from __future__ import annotations

import os

TAG_PREFIX = {"definition": "v", "checklist": "checklist-v"}


class GitUnavailable(Exception):
    """Not a git repository, or no git: the message says which."""


def _env() -> dict:
    return {**os.environ, "LC_ALL": "C"}


def run(root: str, *args: str) -> str:
    import subprocess

    try:
        out = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True, env=_env(), check=False,
        )
    except FileNotFoundError:
        raise GitUnavailable("git is not installed (or not on PATH)") from None
    if out.returncode != 0:
        msg = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitUnavailable(msg[0] if msg else f"git {' '.join(args)} failed")
    return out.stdout.decode("utf-8", "replace")


def toplevel(root: str) -> str | None:
    """The work tree's top folder, or None outside git."""
    try:
        return run(root, "rev-parse", "--show-toplevel").strip()
    except GitUnavailable:
        return None


def tags(root: str) -> list[str]:
    """Every tag name (raises GitUnavailable outside git)."""
    return run(root, "tag", "--list").split()


def released_versions(tag_names: list[str], document: str) -> set[str]:
    """The versions of a document that have a tag, from tag names."""
    prefix = TAG_PREFIX[document]
    return {t[len(prefix):] for t in tag_names if t.startswith(prefix)}


def tag_name(document: str, version: str) -> str:
    return f"{TAG_PREFIX[document]}{version}"

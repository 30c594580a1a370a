"""Module boundaries and start-up cost: what each entry point imports."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "tools" / "osaid"
HEAVY = ("git", "jsonschema", "deepdiff", "ruamel", "jinja2", "subprocess", "pathlib", "dataclasses", "json")


def imported_after(code: str, cwd: Path = REPO, env: dict | None = None) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def top(mods: set[str]) -> set[str]:
    return {m.split(".")[0] for m in mods}


def test_importing_the_cli_imports_nothing_heavy():
    before = top(imported_after("pass"))
    after = top(imported_after("import osaid.cli"))
    assert not (after - before) & {"git", "jsonschema", "deepdiff", "ruamel", "jinja2", "markdown_it"}
    assert not (after - before) & {"subprocess", "pathlib", "dataclasses", "json"}


def test_warm_validate_does_not_import_ruamel_or_git(tmp_path):
    import os

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    run = "import sys\nfrom osaid.cli import main\nsys.argv=['osaid','validate']\ntry:\n    main()\nexcept SystemExit:\n    pass"
    cold = top(imported_after(run, env=env))
    warm = top(imported_after(run, env=env))
    assert "ruamel" in cold
    assert not warm & {"ruamel", "git", "jsonschema", "deepdiff", "subprocess"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_designated_modules_import_click_ruamel_and_git():
    owners = {"click": {"cli.py"}, "ruamel": {"load.py"}, "git": {"git.py"}}
    for path in sorted(PACKAGE.rglob("*.py")):
        mods = _imports(path)
        for lib, allowed in owners.items():
            if lib in mods:
                assert path.name in allowed, f"{path.name} imports {lib}; only {allowed} may"


def test_core_modules_never_print_or_exit():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("cli.py", "__main__.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("print", "exit", "quit"), f"{path.name}:{node.lineno} calls {node.func.id}"
            if isinstance(node, ast.Attribute) and node.attr == "exit" and getattr(node.value, "id", "") == "sys":
                raise AssertionError(f"{path.name}:{node.lineno} calls sys.exit")


def test_cache_never_serves_stale_data(osaid, data_repo):
    from conftest import edit

    assert osaid("validate", cwd=data_repo).code == 0  # fills the cache
    assert osaid("validate", cwd=data_repo).code == 0  # served from it
    edit(data_repo / "definition/preamble.yaml", "title: Preamble", "titel: Preamble")
    r = osaid("validate", cwd=data_repo)
    assert r.code == 1 and "unknown key 'titel'" in r.out


def test_cache_that_is_corrupt_or_unwritable_is_ignored(osaid, data_repo, tmp_path, monkeypatch):
    cache_home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    assert osaid("validate", cwd=data_repo).code == 0
    (blob,) = list((cache_home / "osaid").iterdir())
    blob.write_bytes(b"\x00garbage")
    assert osaid("validate", cwd=data_repo).code == 0
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/osaid-cannot-write-here")
    assert osaid("validate", cwd=data_repo).code == 0


def test_a_file_with_a_hidden_character_is_reported_on_every_run(osaid, data_repo, tmp_path, monkeypatch):
    """The parse cache keeps only files in which nothing was found: a hidden character (GOV-2),
    found once, is found again on the next run, whose cache is warm (the hit is not re-checked)."""
    from conftest import edit

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    edit(data_repo / "definition/preamble.yaml", "title: Preamble", "title: Pre\u202eamble")
    for _ in range(3):
        r = osaid("validate", cwd=data_repo)
        assert r.code == 1 and "definition/preamble.yaml:" in r.out and "GOV-2 text has U+202E" in r.out, r.out


def test_a_walk_over_many_commits_keeps_the_work_tree_s_parse(tmp_path, monkeypatch):
    """The parse cache keeps a few versions of each file per reading: the work tree's (read both
    ways) survives a walk that reads a hundred committed versions (libyaml alone), so the next
    command's validation reads nothing again."""
    from osaid.repo.cache import ParseCache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = ParseCache(str(tmp_path / "repo"))
    cache.put("definition/a.yaml", "section", b"work tree", {"v": "work"})
    for n in range(100):
        cache.put("definition/a.yaml", "section (libyaml)", f"commit {n}".encode(), {"v": n})
    cache.save({"definition/a.yaml"})
    again = ParseCache(str(tmp_path / "repo"))
    assert again.get("definition/a.yaml", "section", b"work tree") == {"v": "work"}
    assert again.get("definition/a.yaml", "section (libyaml)", b"commit 99") == {"v": 99}
    assert again.get("definition/a.yaml", "section (libyaml)", b"commit 0") is None  # bounded

"""Types inside the test suite, so CI checks them: mypy with the settings in pyproject.toml
([tool.mypy]: every function of tools/osaid annotated, bodies checked, no needless ignore),
and any error fails with mypy's own output. Also the contract that annotation states for
the entry point: main(argv) returns the exit code, and the callers exit with it."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def mypy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", "--no-color-output", "--no-error-summary", *args],
                          cwd=cwd, capture_output=True, text=True)


def test_mypy_clean():
    r = mypy()
    assert r.returncode == 0, r.stdout + r.stderr


def _overrides(key: str) -> list[str]:
    return [m for o in CONFIG.get("overrides", []) if o.get(key) for m in o["module"]]


def test_mypy_configuration_finds_what_it_is_meant_to(tmp_path):
    """The settings really apply: an unannotated function, a wrong type inside an unannotated one
    (check_untyped_defs) and a needless ignore each fail by their code, in every module."""
    pkg = tmp_path / "tools" / "osaid"
    (pkg / "releases").mkdir(parents=True)
    for init in (pkg / "__init__.py", pkg / "releases" / "__init__.py"):
        init.write_text("", encoding="utf-8")
    (pkg / "bad.py").write_text(
        "def untyped(x):\n    return x\n\n\n"                        # no-untyped-def
        "def typed() -> int:\n    return 1  # type: ignore[misc]\n\n\n"  # unused-ignore
        "class C:\n    def __init__(self):\n        self.n: int = 'a'\n",  # assignment, in an unannotated body
        encoding="utf-8")
    (pkg / "releases" / "release.py").write_text("def untyped(x):\n    return x + 'a' - 1\n", encoding="utf-8")  # no-untyped-def
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    r = mypy("--cache-dir", str(tmp_path / "cache"), cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    for where, code in (("bad.py:1:", "no-untyped-def"), ("bad.py:6:", "unused-ignore"),
                        ("bad.py:11:", "assignment")):
        assert any(where in line and f"[{code}]" in line for line in lines), (where, code, r.stdout)
    assert any("release.py:1:" in line and "[no-untyped-def]" in line for line in lines), r.stdout


def test_only_untyped_libraries_skip_import_checks():
    """ignore_missing_imports names only third-party modules that osaid imports and that ship no
    types (no py.typed, no stub package installed): one that gains types must be checked again."""
    skipped = {m.removesuffix(".*") for m in _overrides("ignore_missing_imports")}
    assert "ignore_missing_imports" not in CONFIG  # never for every module
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tools" / "osaid").rglob("*.py"))
    for module in skipped:
        assert f"import {module}" in code or f"from {module} " in code, f"{module} is not imported: drop it"
        spec = importlib.util.find_spec(module)
        assert spec is not None and (spec.submodule_search_locations or spec.origin), module
        if spec.submodule_search_locations:  # a package: typed if it has py.typed
            folder = Path(list(spec.submodule_search_locations)[0])
            assert not (folder / "py.typed").exists(), f"{module} ships types: drop its override"
        else:  # one module (a compiled extension such as _ruamel_yaml): typed if a .pyi stands beside it
            assert spec.origin is not None
            assert not (Path(spec.origin).parent / f"{module}.pyi").exists(), f"{module} ships types: drop its override"
        assert importlib.util.find_spec(f"{module}-stubs") is None


def test_no_module_is_passed_over():
    """Every module is checked: no override turns errors off or lets a function go unannotated."""
    assert not _overrides("ignore_errors")
    assert all(o.get("disallow_untyped_defs", True) for o in CONFIG.get("overrides", []))


def test_main_returns_the_exit_code_and_callers_exit_with_it(tmp_path, capsys):
    """main(argv) -> int never exits; `python -m osaid` exits with its code."""
    from osaid.cli import main

    assert main(["--version"]) == 0
    assert main(["no-such-command"]) == 2
    capsys.readouterr()
    assert main(["--root", str(tmp_path), "validate"]) == 2  # not a repository: a message, not an exit
    assert "not inside an osaid repository" in capsys.readouterr().err
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tools")}
    r = subprocess.run([sys.executable, "-m", "osaid", "no-such-command"], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert "No such command" in r.stderr

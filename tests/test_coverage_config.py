"""The coverage floor: pyproject.toml's configuration and tests/coverage_floor.py, run by pytest on a tiny
project of their own. Code that runs only in a subprocess counts (coverage's patch = ["subprocess"]); the
whole suite below the floor fails; part of the suite (a file, a test, -m, -k, --deselect) never does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import REPO

CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
FLOOR = CONFIG["tool"]["coverage"]["report"]["fail_under"]

# Run as a script, in a subprocess only: 100% when it runs, 0% when it does not.
CODE = "".join(f"def f{i}():\n    return {i}\n\n\n" for i in range(20)) + \
    "if __name__ == '__main__':\n" + "".join(f"    f{i}()\n" for i in range(20))

TESTS = """import os, subprocess, sys
import pytest


@pytest.mark.slow
def test_runs_the_code_in_a_subprocess():
    if not os.environ.get("SKIP_CODE"):
        subprocess.run([sys.executable, "tools/osaid/code.py"], check=True)
"""


def project(root: Path) -> Path:
    """This repository's pyproject.toml and floor plugin, around 40 statements of code in tools/osaid."""
    (root / "tools" / "osaid").mkdir(parents=True)
    (root / "tests").mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copy(REPO / "tests" / "coverage_floor.py", root / "tests" / "coverage_floor.py")
    (root / "tests" / "conftest.py").write_text('pytest_plugins = ["coverage_floor"]\n', encoding="utf-8")
    (root / "tools" / "osaid" / "__init__.py").write_text("", encoding="utf-8")
    (root / "tools" / "osaid" / "code.py").write_text(CODE, encoding="utf-8")
    (root / "tests" / "test_run.py").write_text(TESTS, encoding="utf-8")
    (root / "tests" / "test_other.py").write_text("def test_nothing():\n    pass\n", encoding="utf-8")
    return root


def pytest_in(root: Path, *args: str, skip_code: bool = False) -> subprocess.CompletedProcess:
    # Not measured by this suite's own coverage: its variables would send the inner run's data to ours.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    if skip_code:
        env["SKIP_CODE"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=root, env=env, capture_output=True, text=True)


def test_the_configuration_measures_subprocesses_from_the_package_folder():
    run = CONFIG["tool"]["coverage"]["run"]
    assert "subprocess" in run["patch"] and run["source_dirs"] == ["tools/osaid"]
    assert "--cov" in CONFIG["tool"]["pytest"]["ini_options"]["addopts"].split()
    assert 50 <= FLOOR <= 100


def test_the_whole_suite_is_held_to_the_floor_and_part_of_it_never(tmp_path):
    root = project(tmp_path / "project")
    whole = pytest_in(root)
    assert whole.returncode == 0, whole.stdout + whole.stderr
    # 98%: all but the branch past `if __name__ == '__main__'`, all from the subprocess (none in-process).
    assert f"Required test coverage of {FLOOR:.1f}% reached. Total coverage: 98." in whole.stdout, whole.stdout

    for args in ((), ("tests",)):
        below = pytest_in(root, *args, skip_code=True)
        assert below.returncode == 1, (args, below.stdout + below.stderr)
        assert "2 passed" in below.stdout and f"Coverage failure: total of 0 is less than fail-under={FLOOR}" \
            in below.stdout, (args, below.stdout)

    for args in (("tests/test_other.py",), ("tests/test_run.py::test_runs_the_code_in_a_subprocess",),
                 ("-m", "not slow"), ("-k", "nothing"), ("--deselect", "tests/test_other.py::test_nothing")):
        part = pytest_in(root, *args, skip_code=True)
        assert part.returncode == 0, (args, part.stdout + part.stderr)
        assert f"so its floor ({FLOOR}%) is not applied" in part.stdout, (args, part.stdout)
        assert "Coverage failure" not in part.stdout, (args, part.stdout)

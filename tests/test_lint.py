"""Lint inside the test suite, so CI runs it: ruff with the rules in pyproject.toml ([tool.ruff]:
pyflakes F, syntax errors E9, bugbear B, import sorting I) on tools/ tests/ bench/, and any finding fails."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", *args],
                          cwd=cwd, capture_output=True, text=True)


def test_ruff_clean():
    r = ruff("tools", "tests", "bench")
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_configuration_finds_what_it_is_meant_to(tmp_path):
    """The configuration really selects the rules: each seeded mistake is reported by its code,
    and the fixture exception is limited to tests/."""
    bad = ("import sys\n"                                  # I001 (sys before os)
           "import os\n"                                   # F401
           "def f(xs, ys):\n"
           "    for i, x in enumerate(xs):\n"             # B007 (i unused)
           "        print(x)\n"
           "    return list(zip(xs, ys))\n"               # B905
           "def g(a=[]):\n"                               # B006
           "    return undefined_name\n")                 # F821
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "bad.py").write_text(bad + "def f():\n    pass\n", encoding="utf-8")  # F811
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_bad.py").write_text("from x import hooked  # noqa: F401\n\n\n"
                                                    "def test_a(hooked):\n    pass\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    r = ruff("tools", "tests", cwd=tmp_path)
    assert r.returncode == 1
    for code in ("I001", "F401", "B007", "B905", "B006", "F821", "F811"):
        assert "tools/bad.py" in r.stdout and f" {code} " in r.stdout, (code, r.stdout)
    assert "test_bad.py" not in r.stdout, r.stdout


def collected(*args: str) -> set[str]:
    files = ("tests/test_hooks.py", "tests/test_hooks_consumer.py", "tests/test_release_atomic.py", "tests/test_yaml_fuzz.py")
    # --no-cov: a measured inner run in this folder would combine (and delete) the outer run's subprocess data.
    r = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "--no-cov",
                        *args, *files],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return {line.split("::", 1)[1] for line in r.stdout.splitlines() if "::" in line}


def test_the_default_run_is_everything_and_not_slow_skips_real_pre_commit_and_the_kill_loop():
    """README's Quick start (`pytest -q`, what CI runs) collects every test; `-m "not slow"` leaves out
    those that drive the real pre-commit (the `hooked` fixture, try-repo) and the kill loop."""
    slow = {"test_release_killed_at_random_moments_is_absent_or_complete", "test_a_fork_runs_the_published_hooks",
            "test_invalid_data_is_rejected_then_the_fix_accepted"}
    everything, quick = collected(), collected("-m", "not slow")
    assert slow <= everything and "test_many_more_mutants" in everything
    assert not slow & quick, slow & quick
    assert "test_mutants_are_read_one_way_and_formatted_without_loss" in quick

"""Lint inside the test suite, so CI runs it: ruff with the rules in pyproject.toml ([tool.ruff]:
pyflakes F, syntax errors E9, bugbear B) on tools/ tests/ bench/, and any finding fails."""
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
    bad = ("import os\n"                                   # F401
           "def f(xs, ys):\n"
           "    for i, x in enumerate(xs):\n"             # B007 (i unused)
           "        print(x)\n"
           "    return list(zip(xs, ys))\n"               # B905
           "def g(a=[]):\n"                               # B006
           "    return undefined_name\n")                 # F821
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "bad.py").write_text(bad + "def f():\n    pass\n", encoding="utf-8")  # F811
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_bad.py").write_text("from x import hooked  # noqa: F401\n"
                                                    "def test_a(hooked):\n    pass\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    r = ruff("tools", "tests", cwd=tmp_path)
    assert r.returncode == 1
    for code in ("F401", "B007", "B905", "B006", "F821", "F811"):
        assert "tools/bad.py" in r.stdout and f" {code} " in r.stdout, (code, r.stdout)
    assert "test_bad.py" not in r.stdout, r.stdout

"""README.md's Quick start is two command lines, and .ci/run runs exactly those."""

from __future__ import annotations

import re
import subprocess

from conftest import REPO


def quick_start() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^## Quick start\n\n```sh\n(.*?)```", text, re.MULTILINE | re.DOTALL)
    assert m, "README.md has no Quick start block"
    return m.group(1).strip().splitlines()


def test_readme_starts_with_the_quick_start():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first_heading = re.search(r"^## (.+)$", text, re.MULTILINE).group(1)
    assert first_heading == "Quick start"
    lines = quick_start()
    assert len(lines) == 2
    assert lines[0].endswith("osaid status")
    assert "pytest" in lines[1]


def test_ci_extracts_the_same_two_lines():
    script = (REPO / ".ci/run").read_text(encoding="utf-8")
    awk = re.search(r"awk '([^']+)' README.md", script).group(1)
    out = subprocess.run(["awk", awk, "README.md"], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == quick_start()

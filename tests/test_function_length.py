"""No function in tools/osaid is over 60 lines unless its docstring says why, on a line of its own
starting with "Long:" (issue 16: long steps are split into functions of their own)."""
from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "tools" / "osaid"
LIMIT = 60


def too_long(pkg: Path = PKG) -> list[str]:
    """'path:line name (N lines)' for each function over LIMIT lines without a 'Long:' reason."""
    out = []
    for path in sorted(pkg.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            length = node.end_lineno - node.lineno + 1
            doc = ast.get_docstring(node) or ""
            if length > LIMIT and not any(line.strip().startswith("Long: ") for line in doc.splitlines()):
                out.append(f"{path.relative_to(pkg)}:{node.lineno} {node.name} ({length} lines)")
    return out


def test_no_function_over_60_lines_without_a_reason():
    assert too_long() == [], "split these into steps, or say why not in a 'Long: ...' docstring line"


def test_the_check_sees_a_long_function_and_accepts_a_reason(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(LIMIT))
    (tmp_path / "m.py").write_text(f"def f():\n{body}\n\ndef g():\n    \"\"\"Short.\n\n    Long: one table of"
                                   f" cases.\n    \"\"\"\n{body}", encoding="utf-8")
    assert too_long(tmp_path) == [f"m.py:1 f ({LIMIT + 1} lines)"]

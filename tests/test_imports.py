"""The import graph of tools/osaid, read with ast (module-level and function-level imports both):
no import cycle, and no core module importing click or osaid.render (only the entry points and the
renderers, RENDERERS, do)."""
from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "tools" / "osaid"

# What may import click or osaid.render: the entry points (cli.py, which parses and prints; hooks.py
# and demo.py, which pass render/changelog.py's WRITER to the core) and the renderers (render/, site/).
RENDERERS = ("osaid.cli", "osaid.hooks", "osaid.demo", "osaid.render", "osaid.site")


def module_name(path: Path, pkg: Path) -> str:
    parts = ["osaid", *path.relative_to(pkg).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, name: str) -> set[str]:
    """Every name an import in this file can load, at any depth (functions, branches, try)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.add(module)
            out.update(f"{module}.{a.name}" for a in node.names)  # `from osaid import git` loads osaid.git
    return out


def graph(pkg: Path = PKG) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(edges between osaid modules, every imported name) per module; an import of an enclosing
    package (osaid itself) is no edge: importing a submodule loads it first anyway."""
    files = {module_name(p, pkg): p for p in pkg.rglob("*.py")}
    names = {m: imports(p, m) for m, p in files.items()}
    edges = {m: {d for d in ns if d in files and d != m and not m.startswith(d + ".")} for m, ns in names.items()}
    return edges, names


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[frozenset[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = set()
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.add(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(frozenset(comp))
    return out


def test_cycle_finder_sees_function_level_and_relative_imports(tmp_path):
    """The checker itself: a cycle closed only inside a function, through a relative import, is found."""
    pkg = tmp_path / "osaid"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "a.py").write_text("from osaid import b\n", encoding="utf-8")
    (pkg / "b.py").write_text("def f():\n    if True:\n        from .sub import c\n", encoding="utf-8")
    (pkg / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "sub" / "c.py").write_text("def g():\n    from ..a import x\n", encoding="utf-8")
    (pkg / "d.py").write_text("import click\nfrom osaid.render import headline\n", encoding="utf-8")
    edges, names = graph(pkg)
    assert cycles(edges) == [frozenset({"osaid.a", "osaid.b", "osaid.sub.c"})]
    assert "click" in names["osaid.d"] and "osaid.render" in names["osaid.d"]


def test_no_import_cycle():
    found = cycles(graph()[0])
    assert not found, [f"import cycle {sorted(c)}: break it (move the function that closes it)" for c in found]


def test_core_imports_neither_click_nor_render():
    _, names = graph()
    clicks = [m for m, ns in sorted(names.items()) if m != "osaid.cli" and any(n.split(".")[0] == "click" for n in ns)]
    assert not clicks, f"{clicks} import click: only cli.py does"
    offenders = [m for m, ns in sorted(names.items()) if not any(m == r or m.startswith(r + ".") for r in RENDERERS)
                 and any(n == "osaid.render" or n.startswith("osaid.render.") for n in ns)]
    assert not offenders, f"{offenders} import osaid.render: the core returns data, rendering stays in render/"

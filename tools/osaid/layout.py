"""Where things live in an osaid repository, and which schema each file has."""

from __future__ import annotations

import fnmatch
from pathlib import Path, PurePosixPath

from osaid.errors import UsageError

MARKER = "definition/definition.yaml"
DATA_DIRS = ("definition", "checklist", "governance")
SCHEMAS_DIR = "tools/osaid/schemas"
POLICY = "governance/policy.yaml"

# (glob on the repository-relative path, schema name), first match wins
KINDS: list[tuple[str, str]] = [
    ("definition/definition.yaml", "definition"),
    ("definition/*.yaml", "section"),
    ("checklist/components.yaml", "components"),
    ("checklist/checklist.yaml", "checklist"),
    ("checklist/systems/*.yaml", "system"),
    ("governance/stakeholders.yaml", "stakeholders"),
    ("governance/endorsements.yaml", "endorsements"),
    ("governance/maintainers.yaml", "maintainers"),
    ("governance/policy.yaml", "policy"),
]

# The files of each versioned document (placeholders count here, not in governance/).
DOCUMENTS = {"definition": ("definition/",), "checklist": ("checklist/",)}


def kind_of(rel: str) -> str | None:
    """The schema name for a repository-relative path, or None."""
    for pattern, kind in KINDS:
        if fnmatch.fnmatchcase(rel, pattern) and "/" not in rel[len(pattern.split("*")[0]):]:
            return kind
    return None


def schema_file(kind: str) -> str:
    return f"{kind}.schema.json"


def header(rel: str, kind: str) -> str:
    """The first line of a data file: the schema its editor should use."""
    depth = len(PurePosixPath(rel).parent.parts)
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMAS_DIR}/{schema_file(kind)}"


def find_root(start: Path) -> Path:
    """The nearest folder at or above start holding definition/definition.yaml."""
    start = Path(start).resolve()
    if not start.exists():
        raise UsageError(f"{start}: no such folder")
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            return folder
    raise UsageError(
        f"{start}: not inside an osaid repository (no {MARKER} here or above); "
        "run osaid from the repository, or pass --root"
    )


def discover(root: Path) -> list[str]:
    """Every YAML file under the data folders, repository-relative, sorted."""
    found = []
    for top in DATA_DIRS:
        base = root / top
        if not base.is_dir():
            continue
        for p in base.rglob("*"):
            if not p.is_dir() and p.suffix in (".yaml", ".yml"):  # a dangling link is reported, not skipped
                found.append(p.relative_to(root).as_posix())
    return sorted(found)


def select(root: Path, paths: tuple[str, ...] | list[str]) -> list[str]:
    """Repository-relative data files named by paths (files or folders)."""
    if not paths:
        return discover(root)
    everything = discover(root)
    chosen: list[str] = []
    for raw in paths:
        p = Path(raw)
        absolute = (Path.cwd() / p).resolve() if not p.is_absolute() else p.resolve()
        if not absolute.exists():
            raise UsageError(f"{raw}: no such file or folder")
        try:
            rel = absolute.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{raw}: outside the repository at {root}") from None
        if absolute.is_dir():
            prefix = "" if rel == "." else rel + "/"
            chosen.extend(f for f in everything if f.startswith(prefix))
        else:
            chosen.append(rel)
    return sorted(dict.fromkeys(chosen))


def document_of(rel: str) -> str | None:
    for doc, prefixes in DOCUMENTS.items():
        if rel.startswith(prefixes):
            return doc
    return None


def read(root: Path, rels: list[str]) -> tuple[dict[str, bytes | None], list]:
    """The bytes of each file; an unreadable one maps to None and becomes a problem."""
    from osaid.errors import Problem

    files: dict[str, bytes | None] = {}
    problems = []
    for rel in rels:
        try:
            files[rel] = (root / rel).read_bytes()
        except OSError as e:
            files[rel] = None
            problems.append(Problem(rel, 0, 0, "GOV-1", f"cannot read the file: {e.strerror}"))
    return files, problems

"""Where things live in an osaid repository, and which schema each file has.

Plain os.path, not pathlib: this module is on every hook's start-up path.
"""

from __future__ import annotations

import functools
import os

from osaid.errors import OsaidError, Problem, UsageError

DEFINITION_FILE = "definition/definition.yaml"
DATA_DIRS = ("definition", "checklist", "governance", "notes", "evaluations")
SCHEMAS_DIR = "tools/osaid/schemas"
POLICY = "governance/policy.yaml"
DEFAULT_MAX_BYTES = 262_144  # of a data file, until governance/policy.yaml says otherwise

# (pattern on the repository-relative path, schema name), first match wins;
# a "*" stands for one file name (no "/").
FILE_KINDS: list[tuple[str, str]] = [
    ("definition/definition.yaml", "definition"),
    ("definition/*.yaml", "section"),
    ("checklist/components.yaml", "components"),
    ("checklist/checklist.yaml", "checklist"),
    ("checklist/systems/*.yaml", "system"),
    ("governance/stakeholders.yaml", "stakeholders"),
    ("governance/endorsements.yaml", "endorsements"),
    ("governance/maintainers.yaml", "maintainers"),
    ("governance/policy.yaml", "policy"),
    ("governance/reviews.yaml", "reviews"),
    ("governance/schedule.yaml", "schedule"),
    ("governance/board.yaml", "board"),
    ("notes/*.yaml", "notes"),
    ("evaluations/*.yaml", "evaluation"),
]

# The files of each versioned document (placeholders count here, not in governance/),
# and the file that carries each document's version.
DOCUMENTS = {"definition": ("definition/",), "checklist": ("checklist/",)}
VERSION_FILES = {"definition": DEFINITION_FILE, "checklist": "checklist/checklist.yaml"}


@functools.lru_cache(maxsize=4096)
def file_kind(rel: str) -> str | None:
    """The schema name for a repository-relative path, or None (remembered: asked for every file of
    every state a walk reads)."""
    for pattern, kind in FILE_KINDS:
        if "*" not in pattern:
            if rel == pattern:
                return kind
            continue
        head, tail = pattern.split("*")
        middle = rel[len(head):len(rel) - len(tail)]
        if rel.startswith(head) and rel.endswith(tail) and middle and "/" not in middle:
            return kind
    return None


def schema_file(kind: str) -> str:
    return f"{kind}.schema.json"


MODELINE = "# yaml-language-server: $schema="


def header(rel: str, kind: str, text: str | None = None) -> str:
    """The first line of a data file: the schema its editor should use. The file's own
    modeline (first line of text) is kept when it names the right schema, either as a
    relative path into the package (…/osaid/schemas/<name>.schema.json) or as a published
    URL (https://…/schemas/<name>.schema.json): forks and translations point at those."""
    if text is not None:
        first = text.split("\n", 1)[0].rstrip("\r")
        if first.startswith(MODELINE) and _schema_target_ok(first[len(MODELINE):], schema_file(kind)):
            return first
    depth = rel.count("/")
    return f"{MODELINE}{'../' * depth}{SCHEMAS_DIR}/{schema_file(kind)}"


def _schema_target_ok(target: str, name: str) -> bool:
    import re

    if not target or re.search(r"[\s\x00-\x1f\x7f]", target):
        return False
    if re.match(r"https?://[^/?#]+/", target):
        return target.endswith(f"/schemas/{name}") and "?" not in target and "#" not in target
    return (":" not in target and not target.startswith("/")
            and (target == f"osaid/schemas/{name}" or target.endswith(f"/osaid/schemas/{name}")))


def find_root(start: str) -> str:
    """The nearest folder at or above start holding definition/definition.yaml."""
    folder = os.path.abspath(start)
    if not os.path.isdir(folder):
        raise UsageError(f"{start}: no such folder")
    while True:
        if os.path.isfile(os.path.join(folder, DEFINITION_FILE)):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            raise UsageError(
                f"{os.path.abspath(start)}: not inside an osaid repository (no {DEFINITION_FILE} here or above); "
                "run osaid from the repository, or pass --root"
            )
        folder = parent


def discover(root: str) -> list[str]:
    """Every YAML file under the data folders, repository-relative, sorted.

    Anything that is not a folder counts: a dangling link is reported, not skipped.
    """
    found = []
    for top in DATA_DIRS:
        for folder, dirs, names in os.walk(os.path.join(root, top)):
            dirs.sort()
            rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
            for name in names:
                if name.endswith((".yaml", ".yml")):
                    found.append(f"{rel_folder}/{name}")
    return sorted(found)


def select(root: str, paths: tuple[str, ...] | list[str], everything: list[str] | None = None) -> list[str]:
    """Repository-relative data files named by paths (files or folders)."""
    everything = discover(root) if everything is None else everything
    if not paths:
        return everything
    chosen: list[str] = []
    for raw in paths:
        absolute = os.path.abspath(raw)
        if not os.path.lexists(absolute):
            raise UsageError(f"{raw}: no such file or folder")
        rel = os.path.relpath(absolute, root).replace(os.sep, "/")
        if rel == ".." or rel.startswith("../"):
            raise UsageError(f"{raw}: outside the repository at {root}")
        if os.path.isdir(absolute):
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


def max_bytes(root: str) -> int:
    """The size limit of a data file: governance/policy.yaml's limits.max_file_bytes
    when that file reads (within the default limit), else the default."""
    from osaid import fileio
    from osaid.data import load

    try:
        raw = fileio.read_regular(os.path.join(root, POLICY), DEFAULT_MAX_BYTES)
    except (OSError, OsaidError):
        return DEFAULT_MAX_BYTES
    text, problems = load.decode(POLICY, raw, DEFAULT_MAX_BYTES)
    data, problems = load.parse(POLICY, text) if text is not None else (None, problems)
    limit = data.get("limits") if isinstance(data, dict) else None
    limit = limit.get("max_file_bytes") if isinstance(limit, dict) else None
    return limit if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 else DEFAULT_MAX_BYTES


def read(root: str, rels: list[str], limit: int | None = None) -> tuple[dict[str, bytes | None], list[Problem]]:
    """The bytes of each file; an unreadable one maps to None and becomes a problem.

    Only regular files inside the repository are read, and none over the size
    limit (default: max_bytes(root), looked up only when a file is over the
    default): a link, a FIFO, a device, a folder, or a file reached through a
    link that leads out of the repository is a problem, and a FIFO is never
    waited on.
    """
    from osaid import fileio
    from osaid.data import load

    real_root = os.path.realpath(root)
    files: dict[str, bytes | None] = {}
    problems = []
    for rel in rels:
        path = os.path.join(root, rel)
        files[rel] = None
        real = os.path.realpath(os.path.dirname(path))
        if real != real_root and not real.startswith(real_root + os.sep):
            problems.append(Problem(rel, 0, 0, "GOV-1", f"outside the repository (its folder leads to {real}): "
                                    "data files must be regular files inside the repository"))
            continue
        try:
            try:
                files[rel] = fileio.read_regular(path, limit or DEFAULT_MAX_BYTES)
            except fileio.TooLarge:
                if limit is not None:
                    raise
                limit = max_bytes(root)
                files[rel] = fileio.read_regular(path, limit)
        except fileio.TooLarge as e:
            problems.append(load.too_large(rel, e.size, limit or DEFAULT_MAX_BYTES))
        except fileio.NotRegular as e:
            problems.append(Problem(rel, 0, 0, "GOV-1", f"{e.what}, not a regular file: osaid reads and writes only "
                                    "regular files inside the repository; put the file itself here"))
        except OSError as e:
            problems.append(Problem(rel, 0, 0, "GOV-1", f"cannot read the file: {e.strerror}"))
    return files, problems

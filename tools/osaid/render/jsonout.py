"""Changes as JSON: a stable shape, described by schemas/diff.schema.json."""

from __future__ import annotations

from osaid import visible
from osaid.changes import diff

FORMAT_VERSION = 1


def data(diffs: list, old: str | None, new: str) -> dict:
    return {
        "format": "osaid-diff",
        "format_version": FORMAT_VERSION,
        "old": old,
        "new": new,
        "summary": diff.summary([c for d in diffs for c in d.changes]),
        "documents": [d.as_dict() for d in diffs],
    }


def render(diffs: list, old: str | None, new: str) -> str:
    import json

    # the same data, with control and invisible characters as \u escapes (safe to print)
    return visible.json_text(json.dumps(data(diffs, old, new), indent=2, ensure_ascii=False, sort_keys=False)) + "\n"

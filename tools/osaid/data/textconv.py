"""A data file as lines keyed by IDs, for git's textconv (git diff, git log -p).

Each scalar becomes one line `path: value`, where list entries are named by
their ID (id, component, initials, or component/freedom for votes) instead
of their position, so a line diff shows which clause or row changed and
never a shifted position. A file that does not load is shown as it is:
textconv must never make `git diff` fail. Control and invisible characters
are escaped (visible.py), in keys and values alike, loaded or not.
"""

from __future__ import annotations

from typing import Any

from osaid import visible
from osaid.data import layout, load

KEYS = ("id", "component", "initials")


def _key(item: dict, index: int) -> str:
    if "component" in item and "freedom" in item:
        return f"{item['component']}/{item['freedom']}"
    for k in KEYS:
        if isinstance(item.get(k), str):
            return item[k]
    return str(index)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value).replace("\n", "\\n")


def lines(data: Any, prefix: str = "") -> list[str]:
    if isinstance(data, dict):
        out = []
        for k, v in data.items():
            out.extend(lines(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(data, list):
        if data and all(not isinstance(v, (dict, list)) for v in data):
            return [f"{prefix}: [{', '.join(_scalar(v) for v in data)}]"]
        if not data:
            return [f"{prefix}: []"]
        out = []
        for i, v in enumerate(data):
            if isinstance(v, dict):
                key = _key(v, i)
                # the ID is in the line's name already: leave out its own line
                out.extend(lines({k: x for k, x in v.items() if not (k == "id" and x == key)}, f"{prefix}[{key}]"))
            else:
                out.extend(lines(v, f"{prefix}[{i}]"))
        return out
    return [f"{prefix}: {_scalar(data)}"]


def convert(raw: bytes, name: str = "file") -> str:
    text, problems = load.decode(name, raw, layout.DEFAULT_MAX_BYTES)  # larger: shown as it is, unparsed
    if text is None:
        return visible.escape(raw.decode("utf-8", "replace"))
    data, problems = load.parse(name, text)
    if problems:
        return visible.escape(text)
    return "".join(visible.escape(line, extra="\n") + "\n" for line in lines(data))

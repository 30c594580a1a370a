"""Renderings of changes: text (terminal), Markdown (pull requests), JSON, HTML."""

from __future__ import annotations

import re

from osaid.changes.diff import Change

# A discussion URL that a rendering may turn into a link: http(s), printable ASCII, and nothing
# that could end a Markdown link or an HTML attribute early (no space, quote, bracket, parenthesis).
WEB_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#@!$&*+,;=%-]+")


def group_of(c: Change) -> str:
    """The heading a change goes under: a section, or a part of the checklist."""
    if c.document == "definition":
        return c.id_path[0] if c.id_path else "metadata"
    if c.item == "metadata":
        return "metadata"
    if c.id_path and c.id_path[0] == "systems":
        return f"systems/{c.id_path[1]}"
    return c.id_path[0] if c.id_path else c.item


def group_title(group: str, titles: dict[str, str]) -> str:
    fixed = {"metadata": "Metadata", "categories": "Categories", "components": "Components",
             "rows": "Checklist rows", "at_least_one_of": "At least one of",
             "tally": "Tally of the working groups' votes (tier crossed)"}
    if group in fixed:
        return fixed[group]
    if group.startswith("systems/"):
        return f"System analysis: {titles.get(group, group.split('/', 1)[1])}"
    return titles.get(group, group)


def grouped(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    groups: dict[str, list[Change]] = {}
    for c in changes:
        groups.setdefault(group_of(c), []).append(c)
    return list(groups.items())


def shown(text: object, indent: str = "") -> str:
    """Text from the data as a terminal may print it: control and invisible characters
    escaped (visible.py), each further line indented (so it stays under its entry)."""
    from osaid import visible

    text = visible.escape(str(text))
    return text.replace("\n", "\n" + indent) if indent else visible.escape(text, extra="\n")


def summary_line(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    if not total:
        return "no changes"
    parts = [f"{n} {s}" for s, n in counts.items() if n]
    return f"{total} change{'s' * (total != 1)}: " + ", ".join(parts)

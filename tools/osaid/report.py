"""Problems and status as text, JSON or GitHub annotations (strings; no printing)."""

from __future__ import annotations

from typing import Iterable

from osaid.errors import Problem


def problems_text(problems: Iterable[Problem]) -> str:
    return "".join(p.text() + "\n" for p in problems)


def problems_json(problems: Iterable[Problem]) -> str:
    import json

    return json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False) + "\n"


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def warnings_text(warnings: Iterable[Problem]) -> str:
    """What could not be checked here (it blocks nothing): path:line:col: warning: GOV-n ..."""
    return "".join(f"{w.path}:{w.line}:{w.col}: warning: {w.rule} {w.message}\n" for w in warnings)


def problems_github(problems: Iterable[Problem], level: str = "error") -> str:
    """GitHub Actions workflow commands: one ::error (or ::warning) per problem."""
    out = []
    for p in problems:
        props = f"file={_gh_escape(p.path, True)}"
        if p.line:
            props += f",line={p.line},col={p.col}"
        props += f",title={_gh_escape(p.rule, True)}"
        out.append(f"::{level} {props}::{_gh_escape(p.rule + ' ' + p.message)}\n")
    return "".join(out)


def summary(problems: list[Problem], files: int) -> str:
    if not problems:
        return f"{files} files valid"
    nfiles = len({p.path for p in problems})
    return f"{len(problems)} problem{'s' * (len(problems) != 1)} in {nfiles} file{'s' * (nfiles != 1)} ({files} checked)"


PLACEHOLDERS_PER_FILE = 3


def _lines(found: list, limit: int = 12) -> str:
    nums = sorted({p.line for p in found})
    shown = ", ".join(str(n) for n in nums[:limit])
    return shown + (" ... (osaid status --format json lists all)" if len(nums) > limit else "")


def status_text(st) -> str:
    lines = [f"osaid status of {st.root}", ""]
    lines.append("Documents")
    for d in st.documents:
        if d.version is None:
            lines.append(f"  {d.document:<11} unreadable (see problems below)")
            continue
        if d.released is None:
            rel = "release state unknown"
        elif d.released:
            rel = f"released (tag {d.tag}): frozen, bump before editing"
        else:
            rel = f"not released (no tag {d.tag})"
        latest = f"; latest release {d.latest_release}" if d.latest_release else ""
        lines.append(f"  {d.document:<11} {d.version:<12} {d.stage or 'invalid version'}, {rel}{latest}")
    if st.git != "ok":
        lines.append(f"  git: {st.git}")
    lines.append("")
    lines.append(f"Validation: {summary(st.problems, st.files)}")
    for p in st.problems[:20]:
        lines.append(f"  {p.text()}")
    if len(st.problems) > 20:
        lines.append(f"  ... and {len(st.problems) - 20} more: run osaid validate")
    lines.append("")
    n = len(st.placeholders)
    lines.append(f"Placeholders: {n} open" + (" (each blocks a release candidate, GOV-6)" if n else ""))
    by_file: dict[str, list] = {}
    for p in st.placeholders:
        by_file.setdefault(p.path, []).append(p)
    for path, found in by_file.items():
        for p in found[:PLACEHOLDERS_PER_FILE]:
            lines.append(f"  {p.path}:{p.line}:{p.col}: {p.marker}  {p.context}")
        if len(found) > PLACEHOLDERS_PER_FILE:
            more = found[PLACEHOLDERS_PER_FILE:]
            lines.append(f"  {path}: {len(more)} more, on lines {_lines(more)}")
    if st.endorsements:
        lines.append("")
        rc, final = st.thresholds.get("rc", 0), st.thresholds.get("final", 0)
        lines.append(f"Endorsements of definition {st.endorsed_version} (per group: RC needs {rc}, final {final})")
        width = max(len(c.name) for c in st.endorsements)
        for c in st.endorsements:
            mark_rc = "ok" if c.count >= rc else f"{rc - c.count} short"
            mark_final = "ok" if c.count >= final else f"{final - c.count} short"
            lines.append(f"  {c.name:<{width}}  {c.count}   RC: {mark_rc:<9} final: {mark_final}")
    if st.reviews_due:
        lines.append("")
        lines.append("Review due")
        for p in st.reviews_due:
            lines.append(f"  {p.rule} {p.message}")
    for d in st.documents:
        if not d.next:
            continue
        lines.append("")
        lines.append(f"Next for the {d.document} ({d.version})")
        for s in d.next:
            if not s.blockers:
                lines.append(f"  {s.kind:<6} -> {s.version}: no gate to pass")
            else:
                lines.append(f"  {s.kind:<6} -> {s.version}: blocked")
                for b in s.blockers:
                    lines.append(f"      {b.rule} {b.message}")
    return "\n".join(lines) + "\n"


def status_json(st) -> str:
    import json

    return json.dumps(st.as_dict(), indent=2, ensure_ascii=False) + "\n"

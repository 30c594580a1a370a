"""Problems and status as text, JSON or GitHub annotations (strings; no printing).

Paths and messages quote the data, so control and invisible characters are
escaped in every format (visible.py): a message can never paint a terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from osaid import visible
from osaid.errors import Problem
from osaid.releases import rules

if TYPE_CHECKING:
    from osaid.releases.status import Status


def problems_text(problems: Iterable[Problem]) -> str:
    return "".join(visible.escape(p.text(), extra="\n") + "\n" for p in problems)


def problems_json(problems: Iterable[Problem]) -> str:
    import json

    return visible.json_text(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False)) + "\n"


def _gh_escape(value: str, prop: bool = False) -> str:
    value = visible.escape(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
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
        return f"{files} file{'s' * (files != 1)} valid"
    nfiles = len({p.path for p in problems})
    return f"{len(problems)} problem{'s' * (len(problems) != 1)} in {nfiles} file{'s' * (nfiles != 1)} ({files} checked)"


PLACEHOLDERS_PER_FILE = 3


def _lines(found: list, limit: int = 12) -> str:
    nums = sorted({p.line for p in found})
    shown = ", ".join(str(n) for n in nums[:limit])
    return shown + (" ... (osaid status --format json lists all)" if len(nums) > limit else "")


def status_text(st: Status) -> str:
    """osaid status as text: one section after another (STATUS_SECTIONS), control characters escaped."""
    lines = [f"osaid status of {st.root}", ""]
    for section in STATUS_SECTIONS:
        lines += section(st)
    return visible.escape("\n".join(lines)) + "\n"


def _documents_lines(st: Status) -> list[str]:
    lines = ["Documents"]
    for d in st.documents:
        if d.version is None:
            lines.append(f"  {d.document:<11} unreadable (see problems below)")
            continue
        if d.released is None:
            rel = "release state unknown"
        elif d.released:
            rel = f"released (tag {d.tag}): frozen, bump before editing"
        else:
            rel = f"not released (no tag {d.tag})" + (
                f", dated {d.date} by osaid bump: not a release date" if d.date else
                ", no release date: osaid release writes it")
        latest = f"; latest release {d.latest_release}" if d.latest_release else ""
        lines.append(f"  {d.document:<11} {d.version:<12} {d.stage or 'invalid version'}, {rel}{latest}")
    if st.git != "ok":
        lines.append(f"  git: {st.git}")
    if st.based_on:
        b = st.based_on
        when = f" of {b['date']}" if b.get("date") else ""
        url = f" ({b['url']})" if b.get("url") else ""
        lines.append(f"  based on draft {b['version']} presented at the {b['source']}{when}{url}: "
                     "provenance, not a release")
    return lines


def _validation_lines(st: Status) -> list[str]:
    lines = ["", f"Validation: {summary(st.problems, st.files)}"]
    lines += ["  " + visible.escape(p.text(), extra="\n") for p in st.problems[:20]]
    if len(st.problems) > 20:
        lines.append(f"  ... and {len(st.problems) - 20} more: run osaid validate")
    return lines


def _placeholder_lines(st: Status) -> list[str]:
    n = len(st.placeholders)
    lines = ["", f"Placeholders: {n} open" + (" (each blocks a release candidate, GOV-6)" if n else "")]
    by_file: dict[str, list] = {}
    for p in st.placeholders:
        by_file.setdefault(p.path, []).append(p)
    for path, found in by_file.items():
        for p in found[:PLACEHOLDERS_PER_FILE]:
            lines.append(visible.escape(f"  {p.path}:{p.line}:{p.col}: {p.marker}  {p.context}", extra="\n"))
        if len(found) > PLACEHOLDERS_PER_FILE:
            more = found[PLACEHOLDERS_PER_FILE:]
            lines.append(f"  {path}: {len(more)} more, on lines {_lines(more)}")
    return lines


def _endorsement_lines(st: Status) -> list[str]:
    """Support and endorsements per group, against the gate the next release of the definition applies."""
    if not st.endorsements:
        return []
    definition = next((d for d in st.documents if d.document == "definition"), None)
    now = definition.next[0] if definition and definition.next and definition.next[0].after is None \
        and definition.next[0].version == st.endorsed_version else None
    needed = st.thresholds.get(now.kind) if now else None
    counted = rules.GATE_KIND.get(now.kind) if now else None
    if now is not None and needed is not None and counted is not None:
        gate = f"the {now.kind} gate of {now.version} needs {needed} {rules.KIND_WORDS[counted]} per group"
    else:
        gate = ("no release gate counts these: an RC's gate counts support, a final's endorsements, each of "
                "the version it releases, see Next")
    width = max(len(c.name) for c in st.endorsements)
    lines = ["", f"Support and endorsements of definition {st.endorsed_version} ({gate})",
             f"  {'':<{width}}  support  endorsements"]
    for s, c in zip(st.support or st.endorsements, st.endorsements, strict=True):
        n = s.count if counted == "support" else c.count
        mark = "" if needed is None else "   ok" if n >= needed else f"   {needed - n} short"
        lines.append(f"  {c.name:<{width}}  {s.count if st.support else 0:>7}  {c.count:>12}{mark}")
    return lines


def _description_lines(st: Status) -> list[str]:
    if not st.descriptions:
        return []
    said = {"townhall": "from the town hall of 2024-01-26", "editors": "editors' additions, not in the town hall",
            "not recorded": "source not recorded"}
    return ["", "Descriptions of components and categories (source: in checklist/components.yaml)"] + \
        [f"  {len(ids):>3} {said.get(source, source)}: {', '.join(ids)}" for source, ids in st.descriptions.items()]


def _translation_lines(st: Status) -> list[str]:
    if not st.translations:
        return []
    lines = ["", "Translations (osaid translations status lists the entries; they never block a release)"]
    for t in st.translations:
        total = t["translated"] + t["fuzzy"] + t["missing"]
        lines.append(f"  {t['language']:<6} {t['document']:<11} {t['translated']}/{total} translated, "
                     f"{t['fuzzy']} fuzzy, {t['missing']} missing (catalog for {t['source_version']}, "
                     f"English {t['version']})")
    return lines


def _review_lines(st: Status) -> list[str]:
    lines = []
    if st.reviews_due:
        lines += ["", "Review due"] + [f"  {p.rule} {p.message}" for p in st.reviews_due]
    if st.unreviewable:
        lines += ["", "Reviews (GOV-18)"] + [f"  GOV-18 {gap}" for gap in st.unreviewable]
    return lines


def _next_lines(st: Status) -> list[str]:
    """Each document's next releases: ready, or what blocks each (the gate osaid release applies)."""
    lines = []
    for d in st.documents:
        if not d.next:
            continue
        lines += ["", f"Next for the {d.document} ({d.version})"]
        for s in d.next:
            if s.after:
                step = f"{s.kind:<6} -> {s.version} (after {s.after})"
            elif s.version == d.version:
                step = f"release {s.version} ({s.kind})"
            else:
                step = f"{s.kind:<6} -> {s.version}"
            lines.append(f"  {step}: " + ("ready" if s.ready else "blocked by:"))
            lines += ["      " + " ".join(filter(None, (b.rule, b.message))) for b in s.blockers]
    return lines


def _analyses_and_schedule(st: Status) -> list[str]:
    lines = []
    if st.analyses:
        lines += ["", "Working-group analyses (osaid tally shows their votes)"]
        for a in st.analyses:
            votes = f"{a['votes']} vote{'s' * (a['votes'] != 1)}" if a["votes"] else "no votes yet"
            when = f", session {a['date']}" if a["date"] else ""
            lines.append(f"  {a['name']:<12} {a['status']:<12} {votes}{when}")
    if st.board and (st.board["required"] or st.board["decisions"]):
        need = " (each final of the definition needs one, GOV-22)" if st.board["required"] else ""
        lines += ["", f"Board decisions{need}"]
        for a in st.board["decisions"]:
            lines.append(f"  {a['version']:<12} {a['decision']:<13} {a['date']}  {a['minutes_url']}")
        if not st.board["decisions"]:
            lines.append("  none recorded: the release of 1.0 is blocked until the board approves it (governance/board.yaml)")
    if st.schedule:
        lines += ["", "Schedule (governance/schedule.yaml)"]
        width = max(len(m.name) for m in st.schedule)
        for m in st.schedule:
            state = {"done": f"done {m.done_on} ({m.tag})", "late": f"late (no tag {m.tag})",
                     "due": f"due (no tag {m.tag} yet)", "unknown": "release state unknown",
                     "meeting": "meeting (no release to check)", "no date": "no date set"}[m.state]
            lines.append(f"  {m.name:<{width}}  {m.target or '-':<16} {state}; as said: {m.as_said}")
            lines += [f"  {'':<{width}}    criterion: {c}" for c in m.criteria]
    return lines


# The sections of osaid status, in the order they are shown.
STATUS_SECTIONS = (_documents_lines, _validation_lines, _placeholder_lines, _endorsement_lines, _description_lines,
                   _analyses_and_schedule, _translation_lines, _review_lines, _next_lines)


def status_json(st: Status) -> str:
    import json

    return visible.json_text(json.dumps(st.as_dict(), indent=2, ensure_ascii=False)) + "\n"

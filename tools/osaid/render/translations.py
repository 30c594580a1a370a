"""Translation lags (translations.Lag) as text, JSON and Markdown; the PR comment's note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osaid import visible
from osaid.render.markdown import md

if TYPE_CHECKING:
    from osaid.i18n.translations import Entry, Lag


def _counts(lag: Lag) -> str:
    c = lag.counts
    if c.get("invalid"):
        return "invalid catalog (osaid validate says why)"
    total = c["translated"] + c["fuzzy"] + c["missing"]
    return f"{c['translated']}/{total} translated, {c['fuzzy']} fuzzy, {c['missing']} missing"


def _entry(e: Entry) -> str:
    since = f" (stale since {e.since})" if e.state == "fuzzy" and e.since else \
        f" (new in {e.since})" if e.since else ""
    return f"{e.path}:{e.line}: {e.state}{since}, {e.severity} change: {e.context}"


def _heading(lag: Lag) -> str:
    where = "work tree" if lag.state == "working" else lag.state
    return (f"{lag.language} {lag.document} ({where}, English {lag.version}, "
            f"catalog for {lag.source_version or '?'}): {_counts(lag)}")


def text(lags: list[Lag]) -> str:
    if not lags:
        return "no translation catalogs (translations/<lang>/definition.po): nothing to show\n"
    lines = []
    for lag in lags:
        lines.append(_heading(lag))
        lines.extend("  " + _entry(e) for e in lag.entries)
    return "".join(visible.escape(line) + "\n" for line in lines)


def json(lags: list[Lag]) -> str:
    import json as j

    data = {"format": "osaid-translations", "format_version": 1, "catalogs": [lag.as_dict() for lag in lags]}
    return visible.json_text(j.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def markdown(lags: list[Lag]) -> str:
    if not lags:
        return "**osaid translations**: no catalogs\n"
    lines = ["**osaid translations**", "", "| language | document | state | translated | fuzzy | missing |",
             "|---|---|---|---|---|---|"]
    for lag in lags:
        c = lag.counts
        lines.append(f"| {md(lag.language)} | {lag.document} | {md(lag.state)} | {c['translated']} | "
                     f"{c['fuzzy']} | {c['missing']} |")
    for lag in lags:
        if lag.entries:
            lines += ["", f"#### {md(lag.language)} {lag.document} ({md(lag.state)})", ""]
            lines += [f"- {md(_entry(e))}" for e in lag.entries]
    return "\n".join(lines) + "\n"


def stale_note(stale: dict[str, list[str]]) -> str:
    """The PR comment's line on the languages a change makes stale ('' when none)."""
    if not stale:
        return ""
    parts = [f"{md(lang)} ({len(ctxs)}: {', '.join(md(c) for c in ctxs[:5])}{', …' if len(ctxs) > 5 else ''})"
             for lang, ctxs in sorted(stale.items())]
    return ("\n**Translations made stale by this change** (run `osaid translations update`; "
            f"they never block a release): {'; '.join(parts)}\n")

"""The tally as text, Markdown, JSON and one self-contained HTML heatmap.

Every output shows mu, each count, and why each tier was given, so the tally
can be recomputed by hand.
"""

from __future__ import annotations

import html
import json

from osaid import visible
from osaid.checklist import tally as core

SHORT = {"necessary": "N", "nice_to_have": "NH", "not_necessary": "NN"}
LEGEND = "N = necessary, NH = nice to have, NN = not necessary"


def _counts(counts: dict[str, int]) -> str:
    return " ".join(f"{SHORT[v]} {counts[v]}" for v in core.VERDICTS)


def _rubric(t: core.Tally) -> list[str]:
    lines = ["mu, per freedom: the mean number of 'necessary' votes per component voted on for that freedom."]
    for tier in t.tiers:
        lines.append(f"{tier['tier']}: 'necessary' votes >= {tier['at_least_mu_times']:g} x mu "
                     f"(and at least one); the checklist says {tier['requirement']}")
    lines.append(f"below every tier: {core.UNDEFINED} (the policy defines no lower tier); no votes: {core.TBD}")
    return lines


def _systems_line(t: core.Tally) -> str:
    return ", ".join(f"{s['name']} ({s['status']})" for s in t.systems) or "none"


def _rows(t: core.Tally, freedom: str) -> list[core.Cell]:
    return [t.cell(c, freedom) for c, _ in t.components]


def text(t: core.Tally) -> str:
    out = [f"Systems: {_systems_line(t)}", *_rubric(t), LEGEND, ""]
    for f in t.freedoms:
        out.append(f"{f}: mu = {t.mu[f].text()}")
        for cell in _rows(t, f):
            if not cell.voted:
                continue
            flag = " (ambiguous record: see the analysis' note)" if cell.ambiguous else ""
            out.append(f"  {cell.component:28} {_counts(cell.counts):16} {cell.tier:9} {cell.why}{flag}")
        none = [c.component for c in _rows(t, f) if not c.voted]
        if none:
            out.append(f"  {core.TBD} (no votes): {', '.join(none)}")
        out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    return visible.escape(text).replace("|", "\\|").replace("<", "&lt;")


def markdown(t: core.Tally) -> str:
    out = ["## Tally of the working groups' votes", "", f"Systems: {_md(_systems_line(t))}", ""]
    out += [f"- {_md(line)}" for line in _rubric(t)] + ["", LEGEND, ""]
    for f in t.freedoms:
        out += [f"### {f} (mu = {t.mu[f].text()})", "", "| component | N | NH | NN | tier | why |",
                "|---|---:|---:|---:|---|---|"]
        for cell in _rows(t, f):
            c = cell.counts
            flag = " (ambiguous record)" if cell.ambiguous else ""
            out.append(f"| {_md(cell.component)} | {c['necessary']} | {c['nice_to_have']} | {c['not_necessary']} "
                       f"| **{cell.tier}**{flag} | {_md(cell.why)} |")
        out.append("")
    return "\n".join(out)


def data(t: core.Tally) -> dict:
    """The tally as JSON-ready data (stable keys)."""
    return {
        "systems": t.systems,
        "rubric": {"tiers": t.tiers, "below_every_tier": core.UNDEFINED, "no_votes": core.TBD},
        "freedoms": {f: {"mu": None if m.value is None else f"{m.necessary}/{m.components}",
                         "mu_value": None if m.value is None else float(m.value),
                         "necessary_votes": m.necessary, "components_voted": m.components}
                     for f, m in t.mu.items()},
        "cells": [{"component": cell.component, "freedom": cell.freedom, **cell.counts,
                   "per_system": cell.per_system, "tier": cell.tier, "requirement": cell.requirement,
                   "why": cell.why, "ambiguous": cell.ambiguous}
                  for f in t.freedoms for cell in _rows(t, f)],
    }


def json_text(t: core.Tally) -> str:
    return json.dumps(data(t), indent=2, ensure_ascii=False) + "\n"


CSS = """
:root { color-scheme: light; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 72rem; padding: 1rem; color: #1f2328; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.muted { color: var(--muted); }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th[scope=row] { font-weight: 600; overflow-wrap: anywhere; }
td .tier { display: block; font-weight: 700; font-size: .75rem; text-transform: uppercase; }
td.t-required { background: #1a7f37; color: #fff; }
td.t-undefined { background: #fff8c5; color: #1f2328; }
td.t-TBD { background: #f6f8fa; color: #57606a; }
td.t-other { background: #ddf4ff; color: #1f2328; }
.amb { font-size: .75rem; display: block; }
@media (max-width: 700px) { body { padding: .5rem; } table { font-size: .75rem; } th, td { padding: .2rem; } }
"""


def _e(value: object) -> str:
    return html.escape(visible.escape(str(value)), quote=True)


def _td(cell: core.Cell, counts: dict[str, int] | None = None) -> str:
    counts = cell.counts if counts is None else counts
    klass = cell.tier if cell.tier in ("required", core.UNDEFINED, core.TBD) else "other"
    amb = '<span class="amb">ambiguous record</span>' if cell.ambiguous else ""
    label = f"<span class=\"tier\">{_e(cell.tier)}</span>"
    return (f'<td class="t-{klass}" title="{_e(cell.why)}" data-tier="{_e(cell.tier)}">{label}'
            f"{_e(_counts(counts))}{amb}</td>")


def html_page(t: core.Tally, title: str = "osaid tally") -> str:
    head = "".join(f'<th scope="col">{_e(f)}<br><span class="muted">mu = {_e(t.mu[f].text())}</span></th>'
                   for f in t.freedoms)
    body = []
    for c, name in t.components:
        cells = "".join(_td(t.cell(c, f)) for f in t.freedoms)
        body.append(f'<tr id="{_e(c)}"><th scope="row">{_e(name)}</th>{cells}</tr>')
    out = [f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
           f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
           f"<h1>{_e(title)}</h1>", f'<p class="muted">Systems: {_e(_systems_line(t))}</p>',
           "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in _rubric(t)) + "</ul>",
           f"<p>{_e(LEGEND)}. Each cell: its tier (in words and colour), its counts; hover for why.</p>",
           "<h2>All systems</h2>",
           f'<div class="scroll"><table id="combined"><thead><tr><th scope="col">component</th>{head}</tr></thead>'
           f"<tbody>{''.join(body)}</tbody></table></div>"]
    for s in t.systems:
        if not any(s["id"] in cell.per_system for cell in t.cells.values()):
            out.append(f'<h2>{_e(s["name"])} <span class="muted">({_e(s["status"])})</span></h2><p>No votes yet.</p>')
            continue
        rows = []
        for c, name in t.components:
            cells = "".join(_td(t.cell(c, f), t.cell(c, f).per_system.get(s["id"], dict.fromkeys(core.VERDICTS, 0)),
                                ) for f in t.freedoms)
            rows.append(f'<tr><th scope="row">{_e(name)}</th>{cells}</tr>')
        plain = "".join(f'<th scope="col">{_e(f)}</th>' for f in t.freedoms)
        out.append(f'<h2>{_e(s["name"])} <span class="muted">({_e(s["status"])}; counts, coloured by the '
                   f'combined tier)</span></h2><div class="scroll"><table id="system-{_e(s["id"])}"><thead><tr>'
                   f'<th scope="col">component</th>{plain}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    out.append("<h2>Why each tier</h2><ul>")
    for f in t.freedoms:
        for cell in _rows(t, f):
            if cell.voted:
                out.append(f"<li>{_e(cell.component)} ({_e(f)}): {_e(cell.why)}</li>")
    out.append("</ul></body></html>\n")
    return "".join(out)


def render(t: core.Tally, fmt: str) -> str:
    return {"text": text, "markdown": markdown, "json": json_text, "html": html_page}[fmt](t)

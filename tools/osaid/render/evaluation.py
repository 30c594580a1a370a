"""osaid evaluate's outputs: terminal text, Markdown, JSON and one self-contained HTML page
(a table of systems x components, each verdict in colour and in words)."""

from __future__ import annotations

import html

from osaid import visible

MARK = {"ok": "meets", "fail": "FAILS", "unknown": "unknown", "not required": "not required"}


def _item(i: dict) -> str:
    where = " ".join(x for x in (i["component"], i["freedom"]) if x)
    return f"{where}: {i['reason']}" if where else i["reason"]


def _system_name(v: dict) -> str:
    s = v["system"]
    return f"{s['name']} {s['version']} ({s['creator']})"


def _head(report: dict) -> str:
    return f"checklist {report['checklist_version']}, SPDX License List {report['spdx_license_list']}"


def text(report: dict) -> str:
    out = [f"osaid evaluate: {_head(report)}"]
    for v in report["systems"]:
        out.append("")
        out.append(f"{v['id']}: {v['verdict']}  {_system_name(v)}")
        if v["evaluated_against"] != v["checklist_version"]:
            out.append(f"  (reviewed against checklist {v['evaluated_against']})")
        for i in v["failing"]:
            out.append(f"  fails    {_item(i)}")
        for i in v["unknowns"]:
            out.append(f"  unknown  {_item(i)}")
        for row in v["components"]:
            if row["state"] == "not required":
                continue
            lic = f" [{row['license']}]" if row["license"] else ""
            out.append(f"    {row['component']}{lic}: {MARK[row['state']]}")
            for c in row["checks"]:
                out.append(f"      {c['freedom']}: {c['reason']}")
        for g in v["groups"]:
            out.append(f"    {g['component']} ({g['freedom']}): {MARK[g['state']]}: {g['reason']}")
    return visible.escape("\n".join(out)) + "\n"


def markdown(report: dict) -> str:
    from osaid.render.markdown import md

    out = ["## osaid evaluate", "", md(_head(report)), ""]
    out += ["| system | verdict | why |", "|---|---|---|"]
    for v in report["systems"]:
        why = "<br>".join(md(_item(i)) for i in (v["failing"] or v["unknowns"])[:5]) or "every requirement met"
        out.append(f"| {md(_system_name(v))} | **{md(v['verdict'])}** | {why} |")
    for v in report["systems"]:
        out += ["", f"### {md(_system_name(v))}: {md(v['verdict'])}", "",
                "| component | available | license | required for | result |", "|---|---|---|---|---|"]
        for row in v["components"]:
            if row["state"] == "not required":
                continue
            reasons = "<br>".join(md(f"{c['freedom']}: {c['reason']}") for c in row["checks"])
            out.append(f"| {md(row['name'])} | {md(row['available'])} | {md(row['license'] or 'unknown')} | "
                       f"{md(', '.join(c['freedom'] for c in row['checks']))} | {md(MARK[row['state']])}: {reasons} |")
        for g in v["groups"]:
            out.append(f"| {md(g['component'])} | | | {md(g['freedom'])} | {md(MARK[g['state']])}: {md(g['reason'])} |")
    return "\n".join(out) + "\n"


def json_text(report: dict) -> str:
    import json

    return visible.json_text(json.dumps(report, indent=2, ensure_ascii=False)) + "\n"


CSS = """
:root { color-scheme: light; --line: #d0d7de; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1rem; color: #1f2328; }
table { border-collapse: collapse; } th, td { border: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; }
th { background: #f6f8fa; text-align: left; } td.cell { font-size: .85rem; max-width: 16rem; }
.ok, .qualifies { background: #dafbe1; } .fail, .does-not-qualify { background: #ffebe9; }
.unknown, .undecided { background: #fff8c5; } .not-required { color: #57606a; }
.verdict { font-weight: 600; } caption { text-align: left; color: #57606a; margin-bottom: .5rem; }
"""


def _e(value: object) -> str:
    return html.escape(visible.escape(str(value)), quote=True)


def _cls(state: str) -> str:
    return state.replace(" ", "-")


def html_page(report: dict) -> str:
    cids: list[str] = []
    names: dict[str, str] = {}
    for v in report["systems"]:
        for row in v["components"]:
            if row["state"] != "not required" and row["component"] not in cids:
                cids.append(row["component"])
                names[row["component"]] = row["name"]
    head = "".join(f'<th scope="col">{_e(names[c])}</th>' for c in cids)
    body = []
    for v in report["systems"]:
        rows = {r["component"]: r for r in v["components"]}
        cells = []
        for c in cids:
            r = rows.get(c)
            state = r["state"] if r else "not required"
            why = "; ".join(f"{x['freedom']}: {x['reason']}" for x in r["checks"]) if r else ""
            cells.append(f'<td class="cell {_cls(state)}" data-state="{_e(state)}">'
                         f'<strong>{_e(MARK[state])}</strong>{"<br>" + _e(why) if why else ""}</td>')
        groups = "<br>".join(_e(f"{g['component']} ({g['freedom']}): {MARK[g['state']]}") for g in v["groups"])
        body.append(f'<tr id="{_e(v["id"])}"><th scope="row">{_e(_system_name(v))}</th>'
                    f'<td class="verdict {_cls(v["verdict"])}" data-verdict="{_e(v["verdict"])}">{_e(v["verdict"])}</td>'
                    f'{"".join(cells)}<td class="cell">{groups}</td></tr>')
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>osaid evaluate</title><style>{CSS}</style></head><body>"
            f"<h1>Open Source AI: systems against checklist {_e(report['checklist_version'])}</h1>"
            f"<table><caption>{_e(_head(report))}</caption><thead><tr><th scope=\"col\">system</th>"
            f"<th scope=\"col\">verdict</th>{head}<th scope=\"col\">at least one of</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></body></html>\n")

"""The site's pages of the working group's tally (a heatmap) and of the evaluations
(systems x components, verdicts), built from the work tree's checked data through
site.PAGE_BUILDERS. Numbers are in the page text; every tier and verdict is a colour
AND a word. No I/O, no printing: each builder returns {path: bytes}.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from osaid.site.common import Context, Extension


def _page(ctx: Context, template: str, path: str, **kw: object) -> dict[str, bytes]:
    from osaid.site import common

    env = common.jinja_env()
    up = "../" * path.count("/")
    return {path: env.get_template(template).render(ctx=ctx, up=up, path=path, **kw).encode("utf-8")}


def _tier_class(tier: str) -> str:
    from osaid.checklist import tally

    return {tally.UNDEFINED: "t-undefined", tally.TBD: "t-tbd"}.get(tier, "t-required" if tier == "required"
                                                                     else "t-other")


def tally_page(ctx: Context) -> dict[str, bytes]:
    """tally/index.html: votes per component and freedom, mu, each cell's tier in colour and words."""
    from osaid.checklist import tally
    from osaid.render import tally as render

    data: dict[str, Any] = ctx.data
    t = tally.compute(data) if tally.systems_of(data) else None
    rows = []
    if t is not None:
        for cid, name in t.components:
            cells = []
            for f in t.freedoms:
                c = t.cell(cid, f)
                cells.append({"freedom": f, "tier": c.tier, "cls": _tier_class(c.tier), "why": c.why,
                              "counts": c.counts, "ambiguous": bool(c.ambiguous)})
            rows.append({"id": cid, "name": name, "cells": cells})
    return _page(ctx, "tally.html", "tally/index.html", t=t, rows=rows,
                 rubric=render._rubric(t) if t else [], verdicts=tally.VERDICTS)


VERDICT_CLASS = {"qualifies": "v-ok", "does not qualify": "v-fail", "undecided": "v-unknown"}
STATE_CLASS = {"ok": "v-ok", "fail": "v-fail", "unknown": "v-unknown", "not required": "v-none"}


def evaluations_page(ctx: Context) -> dict[str, bytes]:
    """evaluations/index.html: each evaluated system's verdict against the work tree's checklist."""
    from osaid.checklist import evaluate
    from osaid.render import evaluation as render

    data: dict[str, Any] = ctx.data
    evs = evaluate.evaluations(data)
    checklist = data.get("checklist/checklist.yaml")
    report = evaluate.report([evs[s] for s in sorted(evs)], checklist, data.get("checklist/components.yaml")) \
        if evs and checklist else None
    cols: list[tuple[str, str]] = []
    systems = []
    if report is not None:
        for v in report["systems"]:
            for r in v["components"]:
                if r["state"] != "not required" and (r["component"], r["name"]) not in cols:
                    cols.append((r["component"], r["name"]))
        for v in report["systems"]:
            by = {r["component"]: r for r in v["components"]}
            cells = []
            for cid, _ in cols:
                r = by.get(cid)
                state = r["state"] if r else "not required"
                cells.append({"state": state, "word": render.MARK[state], "cls": STATE_CLASS.get(state, "v-none"),
                              "why": "; ".join(f"{x['freedom']}: {x['reason']}" for x in r["checks"]) if r else ""})
            systems.append({"id": v["id"], "name": render._system_name(v), "verdict": v["verdict"],
                            "cls": VERDICT_CLASS.get(v["verdict"], "v-unknown"), "cells": cells,
                            "reasons": [render._item(i) for i in v["failing"] + v["unknowns"]]})
    return _page(ctx, "evaluations.html", "evaluations/index.html", report=report, cols=cols, systems=systems)


def extensions() -> list[Extension]:
    from osaid.site.common import Extension

    return [Extension("Working-group tally (heatmap)", "tally/index.html", tally_page),
            Extension("Evaluations of AI systems", "evaluations/index.html", evaluations_page)]

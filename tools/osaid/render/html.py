"""Changes as one self-contained HTML page: no network, no external assets.

Side by side (before | after), changed words highlighted, an anchor per ID,
one column on a narrow screen.
"""

from __future__ import annotations

import html
import re

from osaid import visible
from osaid.changes import diff, words
from osaid.changes.diff import headline, value_text
from osaid.render import WEB_URL, group_title, grouped, summary_line

CSS = """
:root { color-scheme: light; --del: #ffd7d5; --ins: #ccf0d3; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 72rem; padding: 1rem; color: #1f2328; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid var(--line); }
.summary, .skipped { color: var(--muted); }
.change { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; overflow: hidden; }
.head { padding: .35rem .6rem; background: #f6f8fa; font-size: .9rem; }
.head a { color: var(--muted); text-decoration: none; margin-left: .4rem; }
.sev { font-weight: 600; text-transform: uppercase; font-size: .75rem; padding: .05rem .4rem; border-radius: 3px; }
.normative .sev { background: #cf222e; color: #fff; } .substantive .sev { background: #bf8700; color: #fff; }
.editorial .sev { background: #d0d7de; color: #1f2328; }
.sides { display: grid; grid-template-columns: 1fr 1fr; }
.side { padding: .5rem .6rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.side + .side { border-left: 1px solid var(--line); }
.label { display: block; font-size: .75rem; color: var(--muted); }
del { background: var(--del); text-decoration: line-through; }
ins { background: var(--ins); text-decoration: none; }
del.ws, ins.ws { text-decoration: none; color: var(--muted); font-weight: 700; padding: 0 .1em; border-radius: 2px; }
@media (max-width: 700px) { .sides { grid-template-columns: 1fr; } .side + .side { border-left: 0; border-top: 1px solid var(--line); } }
"""


def _e(text: object) -> str:
    """Text from the data as HTML text: markup escaped, control and invisible characters shown."""
    return html.escape(visible.escape(str(text)), quote=True)


def _slug(*parts: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")


def _op(op: words.Op) -> str:
    """One piece of a word diff. A change of whitespace alone is shown with markers (· ⏎),
    never struck through (a struck space reads as a hyphen); a changed phrase is marked without
    the spaces at its edges, so no strike runs into the unchanged words."""
    if op.tag == "equal":
        return _e(op.text)
    tag = "del" if op.tag == "delete" else "ins"
    if words.is_space(op):
        what = "whitespace removed" if tag == "del" else "whitespace added"
        marks = words.space_marks(op.text).replace("⏎", "⏎\n")
        return f'<{tag} class="ws" title="{what}">{_e(marks)}</{tag}>'
    core = op.text.strip()
    lead, trail = op.text[:len(op.text) - len(op.text.lstrip())], op.text[len(op.text.rstrip()):]
    return f"{_e(lead)}<{tag}>{_e(core)}</{tag}>{_e(trail)}"


def _sides(c: diff.Change) -> tuple[str, str]:
    if c.words:
        old = "".join(_op(op) for op in c.words if op.tag != "insert")
        new = "".join(_op(op) for op in c.words if op.tag != "delete")
        return old, new
    if c.kind == "added":
        return "", f"<ins>{_e(value_text(c.after))}</ins>"
    if c.kind == "removed":
        return f"<del>{_e(value_text(c.before))}</del>", ""
    return f"<del>{_e(value_text(c.before))}</del>", f"<ins>{_e(value_text(c.after))}</ins>"


def href(url: str) -> str | None:
    """A discussion URL as a link target: http(s) only, escaped; None for anything else."""
    return _e(url) if WEB_URL.fullmatch(url) else None


esc = _e  # for the other pages (render/history.py)


def page(title: str, body: list[str]) -> str:
    out = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
           f"<h1>{_e(title)}</h1>", *body, "</body>", "</html>"]
    return "\n".join(out) + "\n"


def change_article(document: str, c: diff.Change, used: set[str]) -> str:
    """One change: its severity, headline, an anchor unique in the page, before | after."""
    anchor = base = _slug(document, c.item, c.id)
    n = 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    old, new = _sides(c)
    out = [f'<article class="change {c.severity}" id="{anchor}">'
           f'<div class="head"><span class="sev">{c.severity}</span> {_e(headline(c))}'
           f'<a href="#{anchor}" aria-label="link to this change">#</a></div>']
    if c.kind not in ("moved", "renamed") or c.words:
        out.append(f'<div class="sides"><div class="side old"><span class="label">before</span>{old}</div>'
                   f'<div class="side new"><span class="label">after</span>{new}</div></div>')
    out.append("</article>")
    return "\n".join(out)


def render(diffs: list, title: str = "osaid diff") -> str:
    counts = diff.summary([c for d in diffs for c in d.changes])
    out = [f'<p class="summary">{_e(summary_line(counts))}</p>']
    impact = [i for d in diffs for i in d.impact]
    if impact:
        from osaid.checklist.evaluate import impact_line

        out.append('<section id="impact"><h2>Verdicts that change</h2><ul>')
        out += [f"<li>{_e(impact_line(i))}</li>" for i in impact]
        out.append("</ul></section>")
    used: set[str] = set()
    for d in diffs:
        out.append(f'<section id="{_slug(d.document)}">')
        out.append(f"<h2>{_e(d.document.capitalize())}: {_e(d.old_side)} → {_e(d.new_side)}</h2>")
        if d.skipped:
            out.append(f'<p class="skipped">Skipped: {_e(d.skipped)}</p></section>')
            continue
        if not d.changes:
            out.append('<p class="summary">No changes.</p>')
        for group, changes in grouped(d.changes):
            out.append(f'<h3 id="{_slug(d.document, "group", group)}">{_e(group_title(group, d.titles))}</h3>')
            out.extend(change_article(d.document, c, used) for c in changes)
        out.append("</section>")
    return page(title, out)

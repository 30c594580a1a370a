"""The history of an item as text or Markdown."""

from __future__ import annotations

from osaid import words
from osaid.render import headline, shown, value_text, values_in_headline
from osaid.states import describe


def _when(e) -> str:
    parts = [e.version or "-", describe(e.state) if e.state.startswith(":") else
             (e.state if not e.commit or e.state != e.commit else e.commit[:10])]
    if e.commit and e.state != e.commit:
        parts.append(e.commit[:10])
    if e.date:
        parts.append(e.date[:10])
    if e.author:
        parts.append(e.author)
    return "  ".join(parts)


def _detail(c) -> str:
    if c.words:
        return "".join(op.text if op.tag == "equal" else
                       (f"[-{words.display(op)}-]" if op.tag == "delete" else f"{{+{words.display(op)}+}}")
                       for op in words.context(list(c.words)))
    if c.kind == "modified" and not values_in_headline(c):
        return f"{value_text(c.before)} → {value_text(c.after)}"
    if c.kind == "added":
        return value_text(c.after)
    if c.kind == "removed":
        return value_text(c.before)
    return ""


def text(h) -> str:
    out = [shown(f"history of {h.id} in the {h.document}" +
                 (f" (now {', '.join(h.current)})" if h.current and h.current != [h.id] else
                  ("" if h.current else " (no longer present)"))), ""]
    for e in h.events:
        out.append(shown(_when(e) + (f"  {e.subject}" if e.subject else "")))
        for c in e.changes:
            out.append(f"  [{c.severity}] " + shown(headline(c) + (f" ({c.note})" if c.note and c.kind != "renamed" else "")))
            detail = _detail(c)
            if detail:
                out.append(f"      {shown(detail, '      ')}")
        out.append("")
    for s in h.skipped:
        out.append(f"skipped {shown(s)}")
    return "\n".join(out).rstrip("\n") + "\n"


def markdown(h) -> str:
    from osaid.render.markdown import entry, md

    out = [f"### History of `{md(h.id)}` in the {h.document}\n"]
    for e in h.events:
        out.append(f"#### {md(_when(e))}\n")
        if e.subject:
            out.append(f"_{md(e.subject)}_\n")
        out.extend(entry(c) for c in e.changes)
        out.append("")
    for s in h.skipped:
        out.append(f"- skipped {md(s)}")
    return "\n".join(out).rstrip("\n") + "\n"

"""The history of an item as text or Markdown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from osaid.changes import words
from osaid.changes.diff import headline, value_text, values_in_headline
from osaid.render import shown
from osaid.repo.states import describe

if TYPE_CHECKING:
    from osaid.changes.diff import Change
    from osaid.changes.history import Event, History


def _when(e: Event) -> str:
    parts = [e.version or "-", describe(e.state) if e.state.startswith(":") else
             (e.state if not e.commit or e.state != e.commit else e.commit[:10])]
    if e.commit and e.state != e.commit:
        parts.append(e.commit[:10])
    if e.date:
        parts.append(e.date[:10])
    if e.author:
        parts.append(e.author)
    return "  ".join(parts)


def _detail(c: Change) -> str:
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


def _made(e: Event) -> list[tuple[str, str]]:
    """(label, value) lines crediting the commit that made an event's changes: the commit
    (when it is not the one the event is shown at), then its trailers."""
    m = e.made
    if m is None:
        return []
    out = []
    if m.sha != e.commit:
        out.append(("made in", f"{m.sha[:10]}  {m.date[:10]}  {m.author}  {m.subject}"))
    out += [("Discussion:", d) for d in m.discussions] + [("Reviewed-by:", r) for r in m.reviewers]
    return out


def _made_joined(e: Event, sep: str, escape: Callable[[str], str], link: Callable[[str], str]) -> str:
    """_made's lines in a markup: labels and values escaped, a discussion through link."""
    return sep.join(f"{escape(label)} {link(value) if label == 'Discussion:' else escape(value)}"
                    for label, value in _made(e))


def text(h: History) -> str:
    out = [shown(f"history of {h.id} in the {h.document}" +
                 (f" (now {', '.join(h.current)})" if h.current and h.current != [h.id] else
                  ("" if h.current else " (no longer present)"))), ""]
    for e in h.events:
        out.append(shown(_when(e) + (f"  {e.subject}" if e.subject else "")))
        out.extend(f"  {label} {shown(value, '  ')}" for label, value in _made(e))
        for c in e.changes:
            out.append(f"  [{c.severity}] " + shown(headline(c) + (f" ({c.note})" if c.note and c.kind != "renamed" else "")))
            detail = _detail(c)
            if detail:
                out.append(f"      {shown(detail, '      ')}")
        out.append("")
    for s in h.skipped:
        out.append(f"skipped {shown(s)}")
    return "\n".join(out).rstrip("\n") + "\n"


def markdown(h: History) -> str:
    from osaid.render.markdown import entry, link, md

    out = [f"### History of `{md(h.id)}` in the {h.document}\n"]
    for e in h.events:
        out.append(f"#### {md(_when(e))}\n")
        if e.subject:
            out.append(f"_{md(e.subject)}_\n")
        made = _made_joined(e, "<br>\n", md, link)
        if made:
            out.append(made + "\n")
        out.extend(entry(c) for c in e.changes)
        out.append("")
    for s in h.skipped:
        out.append(f"- skipped {md(s)}")
    return "\n".join(out).rstrip("\n") + "\n"


def html(h: History) -> str:
    """The history as one self-contained HTML page (the diff page's style): each event, the
    commit that made it with its discussions as links, and its changes side by side."""
    from osaid.render.html import change_article, esc, href, page

    body = [f'<p class="summary">{esc(h.document.capitalize())}'
            + (f", now {esc(', '.join(h.current))}" if h.current and h.current != [h.id] else
               ("" if h.current else ", no longer present")) + "</p>"]
    used: set[str] = set()
    for e in h.events:
        body.append(f"<section><h2>{esc(_when(e))}</h2>")
        if e.subject:
            body.append(f'<p class="summary">{esc(e.subject)}</p>')
        made = _made_joined(e, "<br>", esc, lambda v: f'<a href="{href(v)}" rel="nofollow noopener">{esc(v)}</a>'
                            if href(v) else esc(v))
        if made:
            body.append(f'<p class="made">{made}</p>')
        body.extend(change_article(h.document, c, used) for c in e.changes)
        body.append("</section>")
    body.extend(f'<p class="skipped">Skipped: {esc(s)}</p>' for s in h.skipped)
    return page(f"History of {h.id} in the {h.document}", body)

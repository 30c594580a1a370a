"""Changes as a pull-request comment (GitHub-flavoured Markdown).

A one-line summary first, then the changes grouped by document and section;
changed words as <del>/<ins> (which, unlike ~~ and **, survive spaces at the
edges of a change); long entries folded in <details>. Never longer than
GitHub's comment limit: past it, a last line says what was left out.
"""

from __future__ import annotations

import html

from osaid import diff, words
from osaid.render import group_title, grouped, headline, summary_line, value_text, values_in_headline

LIMIT = 65_536
FOLD_OVER = 400  # characters of an entry's body above which it is folded
MARKER = "<!-- osaid-diff -->"


def md(text: str) -> str:
    """Escape text for Markdown inline content (and HTML)."""
    text = html.escape(str(text), quote=False)
    for ch in "\\`*_[]|#~":
        text = text.replace(ch, "\\" + ch)
    return text


def _ops(ops) -> str:
    parts = []
    for op in words.context(list(ops)):
        if op.tag == "equal":
            parts.append(md(op.text))
        elif op.tag == "delete":
            parts.append(f"<del>{md(op.text)}</del>")
        else:
            parts.append(f"<ins>{md(op.text)}</ins>")
    return "".join(parts).replace("\n", " ")


def entry(c: diff.Change) -> str:
    head = f"**{c.severity}** · {md(headline(c))}"
    if c.note and c.kind != "renamed":
        head += f" _({md(c.note)})_"
    if c.words:
        body = _ops(c.words)
    elif c.kind == "modified" and not values_in_headline(c):
        body = f"<del>{md(value_text(c.before))}</del> → <ins>{md(value_text(c.after))}</ins>"
    elif c.kind == "added":
        body = f"<ins>{md(value_text(c.after))}</ins>"
    elif c.kind == "removed":
        body = f"<del>{md(value_text(c.before))}</del>"
    else:
        body = ""
    if len(body) > FOLD_OVER:
        return f"- {head}\n  <details><summary>show the change</summary>\n\n  {body}\n\n  </details>"
    return f"- {head}" + (f": {body}" if body else "")


def entry_lines(changes: list[diff.Change], titles: dict[str, str], level: int) -> list[str]:
    """Changes grouped under headings of the given level (for the changelog)."""
    out = []
    for group, members in grouped(changes):
        out.append(f"{'#' * level} {md(group_title(group, titles))}\n")
        out.extend(entry(c) for c in members)
        out.append("")
    return out


def render(diffs: list, limit: int = LIMIT) -> str:
    all_changes = [c for d in diffs for c in d.changes]
    counts = diff.summary(all_changes)
    lines = [MARKER, f"**osaid diff**: {summary_line(counts)}", ""]
    blocks: list[tuple[str, int]] = []  # (text, number of changes it holds)
    for d in diffs:
        blocks.append((f"### {d.document.capitalize()}: {md(d.old_side)} → {md(d.new_side)}\n", 0))
        if d.skipped:
            blocks.append((f"_Skipped: {md(d.skipped)}_\n", 0))
            continue
        if not d.changes:
            blocks.append(("No changes.\n", 0))
        for group, changes in grouped(d.changes):
            blocks.append((f"#### {md(group_title(group, d.titles))}\n", 0))
            for c in changes:
                blocks.append((entry(c), 1))
            blocks.append(("", 0))
    text = "\n".join(lines) + "\n"
    shown = 0
    total = len(all_changes)
    for block, n in blocks:
        candidate = text + block + "\n"
        notice = _notice(total - shown - n)
        if len(candidate) + len(notice) > limit and n:
            text += _notice(total - shown)
            return text
        text = candidate
        shown += n
    return text


def _notice(left: int) -> str:
    return (f"\n**{left} more change{'s' * (left != 1)} left out** to stay within GitHub's "
            f"{LIMIT:,}-character comment limit: run `osaid diff` to see them all.\n")

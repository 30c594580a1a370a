"""Changes for a terminal: grouped by document and section, colour when wanted.

Text from the data is shown(): control and invisible characters escaped, and
the lines of a multi-line text indented under their change, so no text can
paint the terminal, hide a change or pass for another entry.
"""

from __future__ import annotations

from osaid.changes import diff, words
from osaid.changes.diff import headline, value_text, values_in_headline
from osaid.render import group_title, grouped, shown, summary_line

DETAIL = "      "  # the indent of a change's words, and of every line of them

_COLORS = {"red": "\x1b[31m", "green": "\x1b[32m", "bold": "\x1b[1m", "dim": "\x1b[2m", "yellow": "\x1b[33m",
           "reset": "\x1b[0m"}
_SEVERITY_COLOR = {"normative": "red", "substantive": "yellow", "editorial": "dim"}


def render(diffs: list, color: bool = False) -> str:
    def paint(text: str, name: str) -> str:
        return f"{_COLORS[name]}{text}{_COLORS['reset']}" if color else text

    out: list[str] = []
    impact = [i for d in diffs for i in d.impact]
    if impact:
        from osaid.checklist.evaluate import impact_line

        out.append(paint("verdicts that change (evaluated systems)", "bold"))
        out.extend(f"  {shown(impact_line(i))}" for i in impact)
        out.append("")
    for d in diffs:
        title = f"{d.document} {d.old_side} → {d.new_side}"
        out.append(paint(shown(title), "bold"))
        if d.skipped:
            out.append(f"  skipped: {shown(d.skipped)}")
            out.append("")
            continue
        out.append(f"  {summary_line(diff.summary(d.changes))}")
        for group, changes in grouped(d.changes):
            out.append("")
            out.append(f"  {shown(group_title(group, d.titles))}")
            for c in changes:
                note = f" ({c.note})" if c.note and c.kind != "renamed" else ""
                out.append(f"    {paint(f'[{c.severity}]', _SEVERITY_COLOR[c.severity])} {shown(headline(c) + note)}")
                if c.words:
                    parts = []
                    for op in words.context(list(c.words)):
                        text = shown(words.display(op), DETAIL)
                        if op.tag == "equal":
                            parts.append(text)
                        elif op.tag == "delete":
                            parts.append(paint(text, "red") if color else f"[-{text}-]")
                        else:
                            parts.append(paint(text, "green") if color else f"{{+{text}+}}")
                    out.append(DETAIL + "".join(parts))
                elif c.kind == "modified" and not values_in_headline(c):
                    out.append(DETAIL + shown(f"{value_text(c.before)} → {value_text(c.after)}", DETAIL))
                elif c.kind in ("added", "removed"):
                    out.append(DETAIL + shown(value_text(c.after if c.kind == "added" else c.before), DETAIL))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"

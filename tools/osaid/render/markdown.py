"""Changes as a pull-request comment (GitHub-flavoured Markdown).

A one-line summary first, then the changes grouped by document and section;
changed words as <del>/<ins> (which, unlike ~~ and **, survive spaces at the
edges of a change); long entries folded in <details>. Never longer than
GitHub's comment limit: past it, a last line says what was left out.

Text from the data can neither break out of its entry nor ping anyone: md()
escapes HTML and every inline Markdown construct, writes a line break as
<br> (so no text starts a line of its own: no list item, heading, rule,
table, fence or HTML block), escapes control and invisible characters, and
puts a zero-width space into what GitHub would turn into a mention, a
reference or a link (@user, @org/team, #123, GH-123, owner/repo#1, commit
hashes, URLs, www.).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from osaid import visible
from osaid.changes import diff, words
from osaid.changes.diff import headline, value_text, values_in_headline
from osaid.render import WEB_URL, group_title, grouped, summary_line

LIMIT = 65_536
FOLD_OVER = 400  # characters of an entry's body above which it is folded
COMMENT_MARKER = "<!-- osaid-diff -->"


ZWSP = "&#8203;"  # a zero-width space, as an entity: breaks an autolink, shows nothing
_AUTOLINKS = re.compile(
    r"(?<=@)(?=[A-Za-z0-9])"            # @user, @org/team, owner/repo@sha, user@example.org
    r"|(?<=#)(?=[0-9])"                 # #123, owner/repo#123
    r"|(?i:(?<=\bGH))(?=-[0-9])"         # GH-123
    r"|(?<=:)(?=//)"                    # https://, ftp://
    r"|(?i:(?<=\bwww))(?=\.)"           # www.
)
_HASH = re.compile(r"\b[0-9A-Fa-f]{7,40}\b")  # a commit hash: cut into pieces of 6, too short to link
_LIST_START = re.compile(r"[-+=]|[0-9]{1,9}[.)]")


def md(text: str) -> str:
    """Text from the data as inline Markdown (and HTML) that renders as itself, on one line."""
    text = str(text)
    text = html.escape(text if visible.none_in(text) else visible.escape(text), quote=False)
    for ch in "\\`*_[]|#~$":
        text = text.replace(ch, "\\" + ch)
    low = text.lower()  # every place _AUTOLINKS marks is at one of these (looking costs a tenth of the sub)
    if "@" in text or "#" in text or "://" in text or "gh-" in low or "www." in low:
        text = _AUTOLINKS.sub(ZWSP, text)
    text = _HASH.sub(lambda m: ZWSP.join(m.group()[i:i + 6] for i in range(0, len(m.group()), 6)), text)
    return text.replace("\n", "<br>")


def link(url: str) -> str:
    """A discussion URL as a Markdown link (http and https only, nothing that could end the link
    early); anything else as text."""
    return f"[{md(url)}]({url})" if WEB_URL.fullmatch(url) else md(url)


def _line_start(text: str) -> str:
    """Markdown that starts a line (a folded body) and must stay a paragraph: no indented
    code, list item, rule or setext underline from its first characters."""
    stripped = text.lstrip(" \t")
    lead = "".join("&#32;" if ch == " " else "&#9;" for ch in text[:len(text) - len(stripped)])
    m = _LIST_START.match(stripped)
    if m:
        stripped = stripped[:m.end() - 1] + "\\" + stripped[m.end() - 1:]
    return lead + stripped


def _ops(ops: Iterable[words.Op]) -> str:
    parts = []
    for op in words.context(list(ops)):
        if op.tag == "equal":
            parts.append(md(op.text))
        elif op.tag == "delete":
            parts.append(f"<del>{md(words.display(op))}</del>")
        else:
            parts.append(f"<ins>{md(words.display(op))}</ins>")
    return "".join(parts)


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
        return f"- {head}\n  <details><summary>show the change</summary>\n\n  {_line_start(body)}\n\n  </details>"
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
    lines = [COMMENT_MARKER, f"**osaid diff**: {summary_line(counts)}", ""]
    impact = [i for d in diffs for i in d.impact]
    if impact:  # first: which AI systems this change makes qualify or not
        from osaid.checklist.evaluate import impact_line

        lines += ["**Verdicts that change** (evaluated systems):", ""]
        lines += [f"- {md(impact_line(i))}" for i in impact] + [""]
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

"""Governance as a third thing that diffs, changelogs and histories report. No printing.

The rules of the process live in governance/policy.yaml (every number the
rules use), governance/maintainers.yaml (who reviews and releases),
governance/stakeholders.yaml (the groups whose endorsements the gates count)
and GOVERNANCE.md (the rules themselves, by section). They are read at a
state as ID-keyed items (document.Document), compared by diff.compare, and
then rated by the governance severity rules (GOVERNANCE.md, "Severity of a
change"): a threshold, a maintainer, a stakeholder group or a rule changed is
normative.

Endorsements and periodic reviews (endorsements.yaml, reviews.yaml) are not
part of it: they are append-only records of what people said (GOV-16), not
rules; the release gates count them, and a governance diff listing each one
would ask a discussion and a review of every endorsement.

Also here: who may review a change (one small function, the only place that
decides it) and which maintainers nobody can review.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from osaid.changes import diff, words
from osaid.data.document import Document
from osaid.errors import OsaidError

if TYPE_CHECKING:
    from osaid.repo.states import States

NAME = "governance"
POLICY = "governance/policy.yaml"
MAINTAINERS = "governance/maintainers.yaml"
STAKEHOLDERS = "governance/stakeholders.yaml"
MARKDOWN = "GOVERNANCE.md"
YAML_FILES = (POLICY, MAINTAINERS, STAKEHOLDERS)
FILES = YAML_FILES + (MARKDOWN,)
TITLES = {"policy": "Policy (governance/policy.yaml)", "maintainers": "Maintainers (governance/maintainers.yaml)",
          "stakeholders": "Stakeholder groups (governance/stakeholders.yaml)", MARKDOWN: "Rules (GOVERNANCE.md)"}
# GOVERNANCE.md sections (and those under them) whose text is a rule: their changes are normative.
RULE_SECTIONS = frozenset({"the-rules", "severity-of-a-change"})
_RULE_HEADING = re.compile(r"^(GOV-\d+)\b")
# Stakeholder group fields that say who belongs to a group (the rest only illustrate).
GROUP_FIELDS = frozenset({"name", "description"})
# Fields whose values are prose: diffed word by word, editorial if only style changed.
PROSE = frozenset({"name", "role", "description", "examples", "outreach", "title", "text"})


# -- reading a state -----------------------------------------------------------------------------

def raw_files(states: States, state: str) -> dict[str, bytes]:
    """The bytes of the governance files in a state (WORKTREE, INDEX or a git ref); absent ones left out."""
    from osaid.repo.states import WORKTREE

    if state == WORKTREE:
        out = {}
        for rel in FILES:
            path = os.path.join(states.root, rel)
            if not os.path.lexists(path):
                continue
            try:
                with open(path, "rb") as f:
                    out[rel] = f.read()
            except OSError as e:
                raise OsaidError(f"{rel}: cannot read the file: {e.strerror}") from None
        return out
    # the state's listing (one git process per state and run, shared with the documents' files)
    return {rel: states.blob(blob) for rel, blob in states.listing(state).items() if rel in FILES}


def build(states: States, state: str, raw: dict[str, bytes] | None = None) -> Document:
    """The governance of a state as ID-keyed items (its YAML checked as every data file is)."""
    raw = raw_files(states, state) if raw is None else raw
    yaml = {rel: b for rel, b in raw.items() if rel in YAML_FILES}
    data = states.repository(state, yaml).data if yaml else {}
    markdown = raw.get(MARKDOWN)
    return from_data(data, markdown.decode("utf-8", "replace") if markdown is not None else None)


def from_data(data: dict[str, Any], markdown: str | None) -> Document:
    doc = Document(NAME, None)
    policy = data.get(POLICY)
    if policy:
        for key, value in _leaves(policy):
            doc.add("policy", key, ("policy", key), "policy", {"value": value})
    for m in (data.get(MAINTAINERS) or {}).get("maintainers", []):
        doc.add("maintainer", m["id"], ("maintainers", m["id"]), "maintainers",
                {k: v for k, v in m.items() if k != "id"})
    for g in (data.get(STAKEHOLDERS) or {}).get("groups", []):
        doc.add("group", g["id"], ("stakeholders", g["id"]), "stakeholders",
                {k: v for k, v in g.items() if k != "id"})
    if markdown is not None:
        for kind, id_, title, text, above in sections(markdown):
            doc.add(kind, id_, (MARKDOWN, *above, id_), f"{MARKDOWN}:{kind}s", {"title": title, "text": text})
    return doc


def _leaves(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted key, value) of every value of the policy; a list of scalars is one value."""
    if isinstance(data, dict):
        return [leaf for k, v in data.items() for leaf in _leaves(v, f"{prefix}{k}.")]
    if isinstance(data, list) and all(not isinstance(v, (dict, list)) for v in data):
        return [(prefix[:-1], ", ".join(str(v) for v in data))]
    if isinstance(data, list):
        return [leaf for i, v in enumerate(data) for leaf in _leaves(v, f"{prefix}{i}.")]
    return [(prefix[:-1], data)]


def slug(heading: str) -> str:
    """A heading's ID: GOV-n for a rule, else its GitHub-style anchor."""
    m = _RULE_HEADING.match(heading)
    if m:
        return m.group(1).lower()
    s = re.sub(r"[^\w\- ]", "", heading.lower()).strip().replace(" ", "-")
    return s or "section"


def sections(markdown: str) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    """(item kind, ID, title, text, IDs of the headings above) of each section of GOVERNANCE.md:
    a heading and the text up to the next heading. Headings found by markdown-it (CommonMark's
    block rules only: inline parsing is not needed), so a '#' in a code block, or in a quote or a
    list, starts no section; an ID used twice gets -2, -3 as GitHub does."""
    from markdown_it import MarkdownIt

    lines = markdown.splitlines()
    parser = MarkdownIt("zero").enable(["heading", "lheading", "fence", "code", "blockquote", "list", "html_block"])
    tokens = parser.parse(markdown)
    heads = []  # (level, first line, line after the heading, title)
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and t.map and t.level == 0:
            heads.append((int(t.tag[1:]), t.map[0], t.map[1], tokens[i + 1].content.strip()))
    out = []
    stack: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for n, (level, _start, body, title) in enumerate(heads):
        end = heads[n + 1][1] if n + 1 < len(heads) else len(lines)
        id_ = slug(title)
        seen[id_] = seen.get(id_, 0) + 1
        if seen[id_] > 1:
            id_ = f"{id_}-{seen[id_]}"
        while stack and stack[-1][0] >= level:
            stack.pop()
        above = tuple(s for _, s in stack)
        stack.append((level, id_))
        text = "\n".join(lines[body:end]).strip("\n")
        kind = "rule" if _RULE_HEADING.match(title) else "section"
        out.append((kind, id_, title, text, above))
    return out


# -- severity ------------------------------------------------------------------------------------

def _rule_text(doc: Document | None, id_: str) -> bool:
    """Whether a GOVERNANCE.md section is a rule or stands under a section of rules."""
    if doc is None:
        return False
    it = doc.items.get(("rule", id_)) or doc.items.get(("section", id_))
    if it is None:
        return False
    return it.item == "rule" or bool(set(it.path[1:]) & RULE_SECTIONS)


def severity(c: diff.Change, old: Document | None, new: Document | None) -> str:
    """The severity of one governance change (GOVERNANCE.md, "Severity of a change")."""
    if c.kind == "moved":
        return "editorial"  # the order of keys, maintainers, groups or sections carries no meaning
    prose_only = c.kind == "modified" and isinstance(c.before, str) and isinstance(c.after, str) \
        and c.field in PROSE and words.editorial(c.before, c.after)
    if c.item == "policy":
        return "normative"  # every value of the policy is a number or a word that a rule uses
    if c.item == "maintainer":
        if c.kind == "modified" and c.field == "role":
            return "editorial" if prose_only else "substantive"
        return "normative"  # who may review and release; name and email are what trailers match
    if c.item == "group":
        if c.kind == "modified" and c.field not in GROUP_FIELDS:
            return "editorial" if prose_only else "substantive"
        return "editorial" if prose_only else "normative"
    if c.item in ("rule", "section"):
        if prose_only:
            return "editorial"
        ruled = c.item == "rule" or _rule_text(old, c.before if c.kind == "renamed" else c.id) \
            or _rule_text(new, c.id)
        if ruled:
            return "normative"
        return c.severity if c.kind == "renamed" else "substantive"  # a new heading: its title change is rated too
    return c.severity


def compare(old: Document | None, new: Document | None) -> list[diff.Change]:
    """Every governance change from old to new, rated by the governance rules."""
    if old is None and new is None:
        return []
    return rate(diff.compare(old, new), old, new)


def rate(found: list[diff.Change], old: Document | None, new: Document | None) -> list[diff.Change]:
    """Changes of governance items with their words (prose) and their governance severity."""
    out = []
    for c in found:
        if c.kind == "modified" and c.words is None and c.field in PROSE and isinstance(c.before, str) \
                and isinstance(c.after, str):
            c = c._replace(words=tuple(words.word_diff(c.before, c.after)))
        out.append(c._replace(severity=severity(c, old, new)))
    return out


def in_force(states: States, state: str) -> tuple[list[dict], int, bool] | None:
    """(maintainers, reviewers_per_change, whether reviews must be signed) as a state has
    them, or None when it lacks either file."""
    raw = {rel: b for rel, b in raw_files(states, state).items() if rel in (POLICY, MAINTAINERS)}
    if len(raw) < 2:
        return None
    data = states.repository(state, raw).data
    review = data[POLICY]["review"]
    return data[MAINTAINERS]["maintainers"], review["reviewers_per_change"], review.get("signed", False)


# -- who may review ------------------------------------------------------------------------------

def folded(text: str) -> str:
    """A name or email as identities compare it: compatibility forms (NFKC), no invisible
    (format) characters, runs of spaces as one, case folded; so that 'RITA  Reviewer' or a
    fullwidth or zero-width-spaced spelling is the same person."""
    import unicodedata

    text = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")
    return " ".join(text.split()).casefold()


def identity(text: str) -> tuple[str, str]:
    """(name, email) from 'Name <email>' (either may be empty), folded."""
    m = re.match(r"\s*(.*?)\s*<([^>]*)>\s*$", text)
    if m:
        return folded(m.group(1)), folded(m.group(2))
    return folded(text), ""


def _is(person: tuple[str, str], m: dict) -> bool:
    name, mail = person
    m_name, m_mail = folded(m["name"]), folded(m.get("email", ""))
    if mail and m_mail:
        return mail == m_mail
    return bool(name) and name == m_name


def approvals(maintainers: list[dict], author: tuple[str, str], reviewed_by: list[str]) -> list[str]:
    """The IDs of the maintainers whose review of a commit counts: each Reviewed-by value names
    one maintainer of `maintainers` (those in office BEFORE the change: nobody approves their own
    appointment), by email when both have one, else by name; the author never counts, nor does
    one maintainer twice, nor one trailer for two maintainers."""
    author = (folded(author[0]), folded(author[1]))
    authors = {m["id"] for m in maintainers
               if (author[1] and folded(m.get("email", "")) == author[1]) or folded(m["name"]) == author[0]}
    out: list[str] = []
    for value in reviewed_by:
        person = identity(value)
        match = next((m["id"] for m in maintainers if _is(person, m)), None)
        if match is not None and match not in authors and match not in out:
            out.append(match)
    return out


def unreviewable(maintainers: list[dict], needed: int) -> list[str]:
    """For each maintainer whose changes of meaning nobody can approve (fewer other maintainers
    than policy.review.reviewers_per_change), a sentence saying so."""
    out = []
    for m in maintainers:
        others = len(maintainers) - 1
        if others < needed:
            out.append(f"nobody can review the changes of meaning of {m['name']} ({m['id']}): "
                       f"{others} other maintainer{'s' * (others != 1)} in governance/maintainers.yaml, "
                       f"{needed} needed (policy: review.reviewers_per_change), so each such change "
                       "fails GOV-18 on push and in CI")
    return out

"""What the site's builder (build.py) and its page modules share: the records a page is built
from (Context, Version), the Jinja2 environment and its filters, and how a page module plugs in
(Extension)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from osaid import package
from osaid.changes import changelog, diff
from osaid.data import document
from osaid.data.document import Document
from osaid.repo.states import States

if TYPE_CHECKING:
    import jinja2
    import markupsafe

TEMPLATES = os.path.join(package.TEMPLATES, "site")


FREEDOMS = ("use", "study", "modify", "share")


@dataclass
class Extension:
    """A page builder from another module: title and path for the index's link, and the builder."""
    title: str
    path: str
    build: Callable[["Context"], dict[str, bytes]]
    feed: Callable[["Context"], list[dict]] | None = None  # Atom entries: {title, id, updated, link, summary}


@dataclass
class Version:
    document: str
    version: str
    tag: str | None  # None: the working draft
    date: str | None
    previous: str | None
    doc: Document | None  # (the field `document` hides the module of that name here)
    entry: changelog.Entry | None = None
    key: str = ""  # what its pages depend on (tag object ids), for the cache

    @property
    def slug(self) -> str:
        return "draft" if self.tag is None else self.version


@dataclass
class Context:
    root: str
    base_url: str
    definition: list[Version] = field(default_factory=list)  # oldest first, the draft last
    checklist: list[Version] = field(default_factory=list)
    governance: dict = field(default_factory=dict)  # the work tree's governance files, {rel: data}
    extensions: list[Extension] = field(default_factory=list)
    data: dict = field(default_factory=dict)  # the work tree's checked data files, {rel: data}


def jinja_env() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    from osaid.changes.diff import headline
    from osaid.render import group_title, grouped, summary_line
    from osaid.render import html as page

    def sides(c: diff.Change) -> tuple[markupsafe.Markup, markupsafe.Markup]:
        import markupsafe

        old, new = page._sides(c)
        return markupsafe.Markup(old), markupsafe.Markup(new)

    env.filters.update(visible=lambda t: visible_text(t), slug=slug_of, headline=headline, summary=summary_line)
    env.globals.update(grouped=grouped, group_title=group_title, sides=sides, diff_summary=diff.summary,
                       freedoms=FREEDOMS)
    return env


def visible_text(text: object) -> str:
    from osaid import visible

    return visible.escape(str(text))


def slug_of(*parts: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(str(p) for p in parts).lower()).strip("-")


def load_version(states: States, v: Version) -> document.Document | None:
    """The document of a version, loaded once."""
    if v.doc is None and v.tag is not None:
        v.doc = document.build(states.repository(v.tag, states.files(v.tag)).data).get(v.document)
    return v.doc


def section_clauses(doc: document.Document | None) -> list[tuple[dict, list[document.Item]]]:
    """(section fields with its id, its clauses) in the document's order."""
    if doc is None:
        return []
    out = []
    for sid in doc.order.get("sections", []):
        sec = doc.items[("section", sid)]
        clauses = [doc.items[("clause", cid)] for cid in doc.order.get(f"clauses:{sid}", [])]
        out.append(({"id": sid, "title": sec.fields["title"]}, clauses))
    return out

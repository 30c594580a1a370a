"""The site's translation pages (issue 15 item 5): each language's version of the definition,
for the working draft and each release whose tree holds a catalog, and the feed's translation updates.

A clause's state is the catalog's (translations.py): translated, fuzzy (the English changed
after it was translated: stale) or missing. A stale or missing clause is marked in words
and shown with the current English beside it, so a reader never takes an old translation
for the current text. Nothing here prints or writes: pages are {path: bytes}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from osaid.i18n import translations

if TYPE_CHECKING:
    from osaid.data.document import Document
    from osaid.repo.states import States
    from osaid.site.common import Context, Extension, Version

NAME = "definition"
TITLE = "Translations"
INDEX = "translations/index.html"


@dataclass
class Clause:
    id: str
    kind: str
    english: str
    state: str  # translated | fuzzy | missing
    text: str = ""  # the translation (fuzzy: made for the English in `previous`)
    previous: str | None = None
    since: str | None = None
    severity: str | None = None


@dataclass
class Page:
    lang: str
    version: Version
    catalog: bytes
    title: str = ""
    title_translated: bool = False
    sections: list[tuple[str, str, bool, list[Clause]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    invalid: bool = False

    @property
    def path(self) -> str:
        return f"translations/{self.lang}/{self.version.slug}/index.html"


def _catalogs(ctx: Context, states: States, v: Version) -> dict[str, bytes]:
    """{lang: bytes} of the definition's catalogs in a version: its tag's tree, or the work tree."""
    from osaid.repo import git

    if v.tag is None:
        found = translations.catalogs(ctx.root)
    elif git.toplevel(ctx.root) is None:
        return {}
    else:
        listing = git.ls_tree(ctx.root, v.tag, (translations.DIR,))
        found = {rel: states.blob(blob) for rel, blob in listing.items()}
    out = {}
    for rel, raw in found.items():
        where = translations.split(rel)
        if where and where[1] == NAME and translations.LANG.match(where[0]):  # else: GOV-24 names it
            out[where[0]] = raw
    return out


def _page(lang: str, v: Version, raw: bytes, doc: Document) -> Page:
    from osaid.site import common

    page = Page(lang, v, raw, counts={s: 0 for s in translations.STATES})
    po, problem = translations.parse(translations.catalog_path(lang, NAME), raw)
    if problem:  # validate names it; the site shows the English only
        page.invalid = True
        po = []
    entries = {e.msgctxt: e for e in po if not e.obsolete}

    def translate(ctx_name: str, english: str) -> tuple[str, bool]:
        e = entries.get(ctx_name)
        if e is not None and e.msgstr and not e.fuzzy and e.msgid == english:
            return e.msgstr, True
        return english, False

    meta = next((it for (kind, _), it in doc.items.items() if kind == "metadata"), None)
    page.title, page.title_translated = translate(translations.context(NAME, meta, "title"),
                                                  meta.fields.get("title", "")) if meta else ("", False)
    for sec, clauses in common.section_clauses(doc):
        item = doc.items[("section", sec["id"])]
        title, done = translate(translations.context(NAME, item, "title"), sec["title"])
        out = []
        for c in clauses:
            english = c.fields.get("text", "")
            e = entries.get(translations.context(NAME, c, "text"))
            comment = (e.comment or "") if e is not None else ""
            if e is None or not e.msgstr:
                cl = Clause(c.id, c.fields.get("kind", ""), english, "missing",
                            since=comment[len("new in "):] if comment.startswith("new in ") else None)
            elif e.fuzzy or e.msgid != english:
                cl = Clause(c.id, c.fields.get("kind", ""), english, "fuzzy", e.msgstr,
                            e.previous_msgid if e.fuzzy and e.previous_msgid else e.msgid,
                            comment[len("stale since "):] if comment.startswith("stale since ") else None)
            else:
                cl = Clause(c.id, c.fields.get("kind", ""), english, "translated", e.msgstr)
            page.counts[cl.state] += 1
            out.append(cl)
        page.sections.append((sec["id"], title, done, out))
    return page


def collect(ctx: Context, states: States) -> dict[str, list[Page]]:
    """{lang: [Page, oldest first]}: each version of the definition that has the language's catalog."""
    from osaid.site import common

    out: dict[str, list[Page]] = {}
    for v in ctx.definition:
        found = _catalogs(ctx, states, v)
        if not found:
            continue
        doc = common.load_version(states, v)
        if doc is None:
            continue
        for lang, raw in sorted(found.items()):
            out.setdefault(lang, []).append(_page(lang, v, raw, doc))
    return out


def feed(langs: dict[str, list[Page]]) -> list[dict]:
    """The feed's translation updates: a version whose catalog differs from the one before it."""
    out = []
    for lang, pages in langs.items():
        before = None
        for p in pages:
            if p.catalog != before:
                c = p.counts
                total = sum(c.values())
                out.append({"title": f"Translation {lang} of the definition {p.version.version}"
                                     f"{'' if p.version.tag else ' (working draft)'}",
                            "id": f"urn:osaid:translation:{lang}:{NAME}:{p.version.slug}",
                            "updated": p.version.date, "link": p.path,
                            "summary": f"{'The first catalog' if before is None else 'The catalog changed'}: "
                                       f"{c['translated']}/{total} clauses translated, {c['fuzzy']} stale, "
                                       f"{c['missing']} missing."})
            before = p.catalog
    return out


def extensions(ctx: Context, states: States) -> list[Extension]:
    """The translation pages as a site.Extension (none when no version has a catalog)."""
    from osaid.site import common

    langs = collect(ctx, states)
    if not langs:
        return []

    def build(ctx: Context) -> dict[str, bytes]:
        env = common.jinja_env()
        files: dict[str, bytes] = {}

        def render(name: str, path: str, **kw: object) -> None:
            files[path] = env.get_template(name).render(ctx=ctx, up="../" * path.count("/"), path=path,
                                                         **kw).encode("utf-8")

        for pages in langs.values():
            for p in pages:
                others = [o for o in pages if o is not p]
                render("translation.html", p.path, p=p, others=others)
        render("translations.html", INDEX, langs=langs)
        return files

    return [common.Extension(TITLE, INDEX, build, lambda ctx: feed(langs))]

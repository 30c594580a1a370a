"""Translations as gettext catalogs, clause by clause. No printing.

`translations/<lang>/definition.po` and `checklist.po`: one entry per
translatable text (titles, clause texts, category and component names and
descriptions), msgctxt = the item's ID path and field (`preamble/why.text`,
`components/code.name`, `definition.title`), msgid = the English text, the
English version in the header (X-Source-Version). polib reads and writes them
(imported only here, inside the functions that need it).

What the tool owns in an entry: msgctxt, msgid, the fuzzy flag, `#| msgid`
(the previous English) and the extracted comment `#. stale since V` /
`#. new in V`. What translators own: msgstr and their own `#` comments.
`update` never loses a msgstr: a changed English text makes it fuzzy, a
renamed ID carries it along, a removed text makes it obsolete (`#~`).
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from osaid.data import document as documents
from osaid.errors import OsaidError, Problem, UsageError

if TYPE_CHECKING:
    from osaid.repo.states import States

DIR = "translations"
RULE = "GOV-24"
WRAP = 78
LANG = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2}|@[a-z]+|-[A-Za-z0-9]{2,8})?$")
# the translatable fields of each kind of item
FIELDS = {"metadata": ("title",), "section": ("title",), "clause": ("text",),
          "category": ("name", "description"), "component": ("name", "description")}
STATES = ("translated", "fuzzy", "missing")
_SEVERITY_ORDER = {"normative": 0, "substantive": 1, "editorial": 2, None: 3}


@dataclass(frozen=True)
class Text:
    """One translatable English text of a document."""
    context: str  # msgctxt: ID path and field
    english: str
    item: documents.Item
    field: str


def context(doc_name: str, item: documents.Item, fld: str) -> str:
    return f"{'/'.join(item.path) or doc_name}.{fld}"


def texts(doc: documents.Document) -> list[Text]:
    """The translatable texts of a document, in document order."""
    out = []
    for it in doc.items.values():
        for fld in FIELDS.get(it.item, ()):
            value = it.fields.get(fld)
            if isinstance(value, str) and value:
                out.append(Text(context(doc.name, it, fld), value, it, fld))
    return out


def catalog_path(lang: str, doc: str) -> str:
    return f"{DIR}/{lang}/{doc}.po"


def catalogs(root: str, langs: tuple[str, ...] = ()) -> dict[str, bytes]:
    """{rel: bytes} of the work tree's catalogs (of LANGS only, if given)."""
    out: dict[str, bytes] = {}
    top = os.path.join(root, DIR)
    if not os.path.isdir(top):
        return out
    for lang in sorted(os.listdir(top)):
        if langs and lang not in langs:
            continue
        for doc in documents.DOCUMENTS:
            path = os.path.join(top, lang, f"{doc}.po")
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    out[catalog_path(lang, doc)] = f.read()
    return out


def languages(root: str) -> list[str]:
    top = os.path.join(root, DIR)
    return sorted(d for d in os.listdir(top) if os.path.isdir(os.path.join(top, d))) if os.path.isdir(top) else []


def relative(root: str, path: str) -> str | None:
    """A path given on the command line as repository-relative, if it is under translations/ (else None)."""
    rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    return rel if rel == DIR or rel.startswith(DIR + "/") else None


def split(rel: str) -> tuple[str, str] | None:
    """(lang, document) of a catalog path, or None if it is not one."""
    parts = rel.split("/")
    if len(parts) == 3 and parts[0] == DIR and parts[2][:-3] in documents.DOCUMENTS and parts[2].endswith(".po"):
        return parts[1], parts[2][:-3]
    return None


# --- reading and writing ----------------------------------------------------------------------------------------

def parse(rel: str, raw: bytes) -> tuple[Any, Problem | None]:
    """(polib.POFile, None) or (None, Problem): a catalog that does not parse is a located message."""
    import polib

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        return None, Problem(rel, line, 0, RULE, f"not UTF-8 (byte {e.start}): save the catalog as UTF-8")
    for n, row in enumerate(text.split("\n"), 1):  # polib is lenient: an unquoted or unterminated string
        if row.strip() and not row.startswith("#") and not _PO_LINE.match(row):  # would be read as ""
            return None, Problem(rel, n, 0, RULE, "not a valid gettext catalog line (a keyword and a quoted "
                                 "string, or a quoted string, expected): fix it with a PO editor "
                                 f"(msgfmt --check {rel} locates it too)")
    try:
        po = polib.pofile(text, wrapwidth=WRAP, check_for_duplicates=True)
    except (OSError, ValueError) as e:
        m = re.search(r"line (\d+)", str(e))
        return None, Problem(rel, int(m.group(1)) if m else 1, 0, RULE,
                             f"not a valid gettext catalog: {e}; fix it with a PO editor (msgfmt --check {rel} "
                             "locates it too)")
    return po, None


def render(po: Any) -> bytes:
    """A catalog in canonical form: header, entries in the order given, obsolete ones last by context."""
    po.wrapwidth = WRAP
    active = [e for e in po if not e.obsolete]
    obsolete = sorted((e for e in po if e.obsolete), key=lambda e: (e.msgctxt or "", e.msgid))
    for e in active + obsolete:
        e.occurrences = []
        if not e.fuzzy:
            e.previous_msgid = None
            e.comment = "" if (e.comment or "").startswith("stale since") else e.comment
        if e.msgstr and (e.comment or "").startswith("new in"):
            e.comment = ""
    po[:] = active + obsolete
    return str(po).encode("utf-8")


def new_catalog(lang: str, doc: documents.Document) -> Any:
    import polib

    po = polib.POFile(wrapwidth=WRAP)
    po.header = f"Translation of the osaid {doc.name} into {lang}."
    po.metadata = header(lang, doc, {})
    return po


def header(lang: str, doc: documents.Document, old: dict) -> dict:
    meta = {"Project-Id-Version": f"osaid {doc.name} {doc.version}", "Language": lang,
            "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit", "X-Source-Version": str(doc.version)}
    kept = {k: v for k, v in old.items() if k not in meta}  # translators' own: Last-Translator, Language-Team ...
    if "PO-Revision-Date" not in kept:  # msgfmt --check wants the translators' fields: a new catalog's are empty
        from osaid.dates import today

        kept["PO-Revision-Date"] = f"{today()} 00:00+0000"
    kept.setdefault("Last-Translator", "")
    kept.setdefault("Language-Team", "")
    return meta | dict(sorted(kept.items()))


# --- update -----------------------------------------------------------------------------------------------------

@dataclass
class Updated:
    rel: str
    raw: bytes
    changed: bool
    added: int = 0
    fuzzy: int = 0
    renamed: int = 0
    retired: int = 0


def merge(po: Any, lang: str, doc: documents.Document, renames: dict[str, str]) -> tuple[object, Updated]:
    """The catalog in step with the English document; renames: {old context: new context}."""
    import polib

    english = texts(doc)
    wanted = {t.context for t in english}
    active = {e.msgctxt: e for e in po if not e.obsolete and e.msgctxt is not None}
    retired = {e.msgctxt: e for e in po if e.obsolete and e.msgctxt is not None}
    by_new = {new: old for old, new in renames.items() if old in active and old not in wanted}
    # an unknown context whose English is, word for word, a new text without an entry: the same text renamed
    orphans = {e.msgid: c for c, e in active.items() if c not in wanted and c not in by_new.values()}
    back = {e.msgid: c for c, e in retired.items() if e.msgstr and c not in wanted}
    revived: set[str] = set()
    stat = Updated("", b"", False)
    out, used = [], set()
    for t in english:
        e: Any = active.get(t.context)
        source: str | None = t.context
        if e is None and t.context in by_new:
            source = by_new[t.context]
            e = active[source]
            stat.renamed += 1
        elif e is None and t.english in orphans and orphans[t.english] not in used:
            source = orphans[t.english]
            e = active[source]
            stat.renamed += 1
        elif e is None and t.context in retired and retired[t.context].msgstr:
            e, source = retired[t.context], None  # a text back: its old translation (fuzzy if the English differs)
            e.obsolete = False
        elif e is None and t.english in back and back[t.english] not in revived:
            e, source = retired[back[t.english]], None  # a removed text back, word for word, under a new ID
            e.obsolete = False
            revived.add(back[t.english])
            stat.renamed += 1
        if source:
            used.add(source)
        if e is None:
            e = polib.POEntry(msgctxt=t.context, msgid=t.english, msgstr="", comment=f"new in {doc.version}")
            stat.added += 1
        elif e.msgid != t.english:
            if e.msgstr:
                if not e.fuzzy:
                    e.previous_msgid = e.msgid
                    e.flags.append("fuzzy")
                    e.comment = f"stale since {doc.version}"
                stat.fuzzy += 1
            e.msgid = t.english
        e.msgctxt = t.context
        out.append(e)
    gone = [e for c, e in active.items() if c not in used and c not in wanted]
    for e in gone:
        if e.msgstr:
            e.obsolete = True
            stat.retired += 1
    keep_retired = [e for c, e in retired.items() if c not in wanted and c not in revived]
    po[:] = out + [e for e in gone if e.obsolete] + keep_retired
    po.metadata = header(lang, doc, po.metadata)
    return po, stat


def renames_of(changes: list) -> dict[str, str]:
    """{old context: new context} of every translatable field of the renamed items in a diff."""
    out = {}
    for c in changes:
        if c.kind == "renamed":
            old_path = "/".join(c.id_path[:-1] + (c.before,))
            new_path = "/".join(c.id_path)
            for fld in FIELDS.get(c.item, ()):
                out[f"{old_path}.{fld}"] = f"{new_path}.{fld}"
    return out


def update(root: str, langs: tuple[str, ...], docs: dict, renames: dict[str, dict[str, str]]) -> list[Updated]:
    """Each catalog of LANGS (all languages with a catalog when empty) brought in step; nothing is
    written here. A language named that has no catalog yet gets new ones (empty translations).
    Raises UsageError (naming every problem) when a catalog does not parse: nothing is written then."""
    for lang in langs:
        if not LANG.match(lang):
            raise UsageError(f"{lang!r} is not a language code: use the gettext form, e.g. ja, pt_BR, sr@latin")
    existing = catalogs(root, langs)
    chosen = list(langs) or languages(root)
    problems, out = [], []
    for lang in chosen:
        for name, doc in docs.items():
            rel = catalog_path(lang, name)
            raw = existing.get(rel)
            if raw is None:
                if langs or any(split(r) == (lang, n) for r in existing for n in docs):
                    po = new_catalog(lang, doc)
                else:
                    continue
            else:
                po, problem = parse(rel, raw)
                if problem:
                    problems.append(problem)
                    continue
            po, stat = merge(po, lang, doc, renames.get(name, {}))
            new = render(po)
            stat.rel, stat.raw, stat.changed = rel, new, new != raw
            out.append(stat)
    if problems:
        raise OsaidError("nothing written: fix these catalogs first:\n" + "\n".join(p.text() for p in problems))
    return out


# --- validation -------------------------------------------------------------------------------------------------

def check(files: dict[str, bytes], docs: dict, markers: Sequence[str] = ()) -> list[Problem]:
    """GOV-24: each catalog parses, is canonical, names only IDs the English has, is in step with it
    (or fuzzy), carries no placeholder marker and no hidden character."""
    out = []
    for rel in sorted(files):
        where = split(rel)
        if where is None:
            out.append(Problem(rel, 1, 0, RULE, f"not a catalog path: catalogs are {DIR}/<lang>/definition.po "
                               "or checklist.po"))
            continue
        lang, name = where
        if not LANG.match(lang):
            out.append(Problem(rel, 1, 0, RULE, f"{lang!r} is not a language code: name the folder by its gettext "
                               "code, e.g. ja, pt_BR, sr@latin"))
        po, problem = parse(rel, files[rel])
        if problem:
            out.append(problem)
            continue
        doc = docs.get(name)
        if doc is None:
            continue
        english = {t.context: t.english for t in texts(doc)}
        if po.metadata.get("Language") != lang:
            out.append(Problem(rel, 1, 0, RULE, f"its header says Language: {po.metadata.get('Language')!r} in the "
                               f"folder {lang!r}: make them agree"))
        update_hint = f"run osaid translations update {lang}"
        seen = set()
        for e in po:
            if not e.obsolete:
                out += _entry_problems(rel, e, english, name, update_hint, markers)
                if e.msgctxt is not None:
                    seen.add(e.msgctxt)
        missing = [c for c in english if c not in seen]
        if missing:
            out.append(Problem(rel, 1, 0, RULE, f"{len(missing)} English text(s) have no entry (first: "
                               f"{missing[0]}); {update_hint}"))
        if not any(p.path == rel for p in out) and render(po) != files[rel]:
            out.append(Problem(rel, 1, 0, RULE, f"not in canonical form (order, wrapping, header); {update_hint}"))
    return out


def _entry_problems(rel: str, e: Any, english: dict[str, str], name: str, update_hint: str,
                    markers: Iterable[str]) -> list[Problem]:
    """GOV-24 on one entry of a catalog: it names an ID path the English has, is in step with it
    (or fuzzy), and its translation carries no placeholder, hidden character or other formats."""
    from osaid import visible
    from osaid.data import placeholders

    line = e.linenum or 1
    if e.msgctxt is None:
        return [Problem(rel, line, 0, RULE, f"an entry without msgctxt (msgid {e.msgid[:40]!r}): each "
                        f"entry names its ID path; {update_hint}")]
    out = []
    if e.msgctxt not in english:
        out.append(Problem(rel, line, 0, RULE, f"unknown ID path {e.msgctxt!r}: the English {name} has no "
                           f"such text; {update_hint} (it follows renames and retires removed texts)"))
    elif e.msgid != english[e.msgctxt] and not e.fuzzy:
        out.append(Problem(rel, line, 0, RULE, f"{e.msgctxt}: the English text changed since this entry "
                           f"was translated; {update_hint} (it marks it fuzzy)"))
    for m in placeholders.find({rel: e.msgstr}, list(markers)):
        out.append(Problem(rel, line, 0, RULE, f"{e.msgctxt}: placeholder {m.marker} in the translation: "
                           "finish it, or leave the msgstr empty"))
    hidden = visible.first(e.msgstr)
    if hidden:
        out.append(Problem(rel, line, 0, RULE, f"{e.msgctxt}: the translation holds {hidden[1]}: remove it"))
    if e.msgstr and _formats(e.msgid) != _formats(e.msgstr):
        out.append(Problem(rel, line, 0, RULE, f"{e.msgctxt}: the translation's format placeholders "
                           f"{sorted(_formats(e.msgstr))} differ from the English "
                           f"{sorted(_formats(e.msgid))}: keep the same ones"))
    return out


_PO_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"(?:[^"\\]|\\.)*"[ \t]*\r?$')
_FORMAT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{[A-Za-z_][A-Za-z0-9_]*\}")


def _formats(text: str) -> set[str]:
    return set(_FORMAT.findall(text or "")) - {"%%"}


# --- status -----------------------------------------------------------------------------------------------------

@dataclass
class Entry:
    context: str
    state: str  # translated | fuzzy | missing
    severity: str | None  # of the English change that made it fuzzy or missing
    since: str | None  # the English version since which it is stale or new
    path: str
    line: int
    previous: str | None = None  # the English the translation was made for (fuzzy)


@dataclass
class Lag:
    state: str  # "working" or a release tag
    language: str
    document: str
    source_version: str | None
    version: str | None  # of the English document
    counts: dict = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)  # fuzzy and missing, normative first

    def as_dict(self) -> dict:
        return asdict(self)


def lag(state: str, rel: str, raw: bytes, doc: documents.Document, terms: frozenset[str] = frozenset()) -> Lag:
    """How far one catalog is behind its English document."""
    from osaid.changes import diff

    lang, name = split(rel) or ("", "")
    po, problem = parse(rel, raw)
    result = Lag(state, lang, name, None, doc.version, {s: 0 for s in STATES})
    if problem:
        result.counts["invalid"] = 1
        return result
    result.source_version = po.metadata.get("X-Source-Version")
    entries = {e.msgctxt: e for e in po if not e.obsolete}
    required = documents.required_components(doc) if name == "checklist" else set()
    for t in texts(doc):
        e = entries.get(t.context)
        if e is None or not e.msgstr:
            since = (e.comment or "")[len("new in "):] if e is not None and (e.comment or "").startswith("new in") \
                else None
            result.entries.append(Entry(t.context, "missing", diff.presence_severity(doc, t.item, required),
                                        since, rel, e.linenum if e else 1))
        elif e.fuzzy or e.msgid != t.english:
            before = e.previous_msgid if e.fuzzy and e.previous_msgid else e.msgid
            old = t.item._replace(fields={**t.item.fields, t.field: before})
            sev = diff._field_severity(name, old, t.item, t.field, before, t.english, terms) \
                if before != t.english else "editorial"
            since = (e.comment or "")[len("stale since "):] if (e.comment or "").startswith("stale since") else None
            result.entries.append(Entry(t.context, "fuzzy", sev, since, rel, e.linenum, before))
        else:
            result.counts["translated"] += 1
            continue
        result.counts[result.entries[-1].state] += 1
    result.entries.sort(key=lambda x: (_SEVERITY_ORDER[x.severity], x.line))
    return result


def stale_by(changes: list, files: dict[str, bytes]) -> dict[str, list[str]]:
    """{language: [context, ...]}: the translated texts these changes make fuzzy, and the texts
    they add (missing in every language until translated)."""
    modified: dict[str, set[str]] = {}
    added: dict[str, set[str]] = {}
    for c in changes:
        fields = FIELDS.get(c.item, ())
        base = "/".join(c.id_path) or c.document
        if c.kind == "modified" and c.field in fields:
            modified.setdefault(c.document, set()).add(f"{base}.{c.field}")
        elif c.kind == "added":
            added.setdefault(c.document, set()).update(f"{base}.{f}" for f in fields)
    out: dict[str, list[str]] = {}
    for rel, raw in sorted(files.items()):
        where = split(rel)
        if where is None:
            continue
        lang, name = where
        po, problem = parse(rel, raw)
        done = {e.msgctxt for e in po if e.msgstr and not e.obsolete} if po else set()
        hits = sorted((modified.get(name, set()) & done) | added.get(name, set()))
        if hits:
            out.setdefault(lang, []).extend(hits)
    return out


# --- the repository: states, renames, releases ------------------------------------------------------------------

def working_documents(states: States) -> dict:
    from osaid.repo.states import WORKTREE

    return documents.build(states.repository(WORKTREE).data)


def _tag_of(root: str, name: str, version: str | None) -> str | None:
    from osaid.repo import release_tags

    return next((tag for v, tag in release_tags.released(root, name) if str(v) == version), None)


def renames_since(states: States, docs: dict, files: dict[str, bytes]) -> dict[str, dict[str, str]]:
    """{document: {old context: new context}}: the renames (diff.py, kind "renamed") from each
    catalog's source version, and from HEAD, to the work tree."""
    from osaid.changes import compare
    from osaid.repo import git
    from osaid.repo.states import WORKTREE

    if git.toplevel(states.root) is None:
        return {}
    out: dict[str, dict[str, str]] = {}
    for name in docs:
        bases = ["HEAD"] if git.head(states.root) else []
        for rel, raw in files.items():
            if (split(rel) or ("", ""))[1] == name:
                po, problem = parse(rel, raw)
                tag = _tag_of(states.root, name, po.metadata.get("X-Source-Version")) if po else None
                if tag and tag not in bases:
                    bases.append(tag)
        for base in bases:
            try:
                found = compare.between(states, base, WORKTREE, (name,))
            except (OsaidError, git.GitError):  # an old state that no longer loads names no renames
                continue
            for d in found:
                out.setdefault(name, {}).update(renames_of(d.changes))
    return out


def run_update(root: str, langs: tuple[str, ...]) -> list[Updated]:
    from osaid.repo.states import States

    with States(root) as states:
        docs = working_documents(states)
        files = catalogs(root, langs)
        return update(root, langs, docs, renames_since(states, docs, files))


def write(root: str, updated: list[Updated]) -> None:
    from osaid.fileio import write_atomic

    for u in updated:
        if u.changed:
            os.makedirs(os.path.join(root, os.path.dirname(u.rel)), exist_ok=True)
            write_atomic(os.path.join(root, u.rel), u.raw)


def validate_worktree(root: str, markers: Sequence[str] = ()) -> list[Problem]:
    """GOV-24 on the work tree's catalogs (none: nothing to do, nothing loaded)."""
    files = catalogs(root)
    stray = _stray(root)
    if not files and not stray:
        return []
    from osaid.repo.states import States

    with States(root) as states:
        try:
            docs = working_documents(states)
        except OsaidError:  # invalid English: validate reports it; catalogs are checked once it loads
            return []
    return check({**files, **stray}, docs, markers)


def _stray(root: str) -> dict[str, bytes]:
    """Files under translations/ that are not catalogs of a known document (reported, not read)."""
    out = {}
    top = os.path.join(root, DIR)
    for folder, dirs, names in os.walk(top):
        dirs.sort()
        for n in sorted(names):
            rel = os.path.relpath(os.path.join(folder, n), root).replace(os.sep, "/")
            if n.endswith(".po") and split(rel) is None:
                out[rel] = b""
    return out


def status(root: str, langs: tuple[str, ...] = (), releases: bool = True) -> list[Lag]:
    """Each language's lag, in the work tree and (releases) at each release tag."""
    from osaid.changes import diff
    from osaid.repo import git
    from osaid.repo.states import States

    out = []
    with States(root) as states:
        docs = working_documents(states)
        terms = diff.defined_terms(docs.get("definition"))
        for rel, raw in catalogs(root, langs).items():
            name = (split(rel) or ("", ""))[1]
            if name in docs:
                out.append(lag("working", rel, raw, docs[name], terms))
        if not releases or git.toplevel(root) is None:
            return out
        from osaid.repo import release_tags

        for name in documents.DOCUMENTS:
            for _, tag in release_tags.released(root, name):
                listing = git.ls_tree(root, tag, (DIR,))
                wanted = {rel: b for rel, b in listing.items()
                          if (split(rel) or ("", ""))[1] == name and (not langs or (split(rel) or ("", ""))[0] in langs)}
                if not wanted:
                    continue
                try:
                    doc = documents.build(states.repository(tag).data).get(name)
                except (OsaidError, git.GitError):  # an old release that no longer loads: no lag shown
                    continue
                if doc is None:
                    continue
                for rel, blob in sorted(wanted.items()):
                    out.append(lag(tag, rel, states.blob(blob), doc, terms))
    return out

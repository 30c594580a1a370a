"""Changes between two states of the repository, per document: what `osaid diff`
and `osaid changelog` render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import overload

from osaid.changes import diff, governance
from osaid.data import document, layout
from osaid.errors import UsageError
from osaid.releases.version import Version, VersionError, tag_name
from osaid.repo import git, release_tags
from osaid.repo.cache import decode_changes, encode_changes
from osaid.repo.states import INDEX, WORKTREE, States, describe


@dataclass
class DocumentDiff:
    document: str
    old_state: str | None
    new_state: str
    old_version: str | None
    new_version: str | None
    changes: list[diff.Change] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # section ID -> title (new, else old)
    skipped: str | None = None  # why this document was not compared
    impact: list[dict] = field(default_factory=list)  # evaluated systems whose verdict differs (evaluate.impact)

    @property
    def old_side(self) -> str:
        """The old state as headings show it: 'version (state)', or only the state for governance."""
        return self.old_label if self.document == governance.NAME else f"{self.old_version or '-'} ({self.old_label})"

    @property
    def new_side(self) -> str:
        return self.new_label if self.document == governance.NAME else f"{self.new_version or '-'} ({self.new_label})"

    @property
    def old_label(self) -> str:
        return describe(self.old_state) if self.old_state else "nothing"

    @property
    def new_label(self) -> str:
        return describe(self.new_state)

    def as_dict(self) -> dict:
        return {
            "document": self.document,
            "old": {"state": self.old_state, "version": self.old_version},
            "new": {"state": self.new_state, "version": self.new_version},
            "skipped": self.skipped,
            "summary": diff.summary(self.changes),
            "changes": [c.as_dict() for c in self.changes],
        } | ({"impact": self.impact} if self.impact else {})


def titles_of(*docs: document.Document | None) -> dict[str, str]:
    """{section ID: its title, "systems/<ID>": the system's name} of the sections and systems of docs
    (the later doc wins). Looked up through the containers that list them, not over every item."""
    titles: dict[str, str] = {}
    for doc in docs:
        if doc is None:
            continue
        for kind, container, key, name in (("section", "sections", "{}", "title"),
                                            ("system", "systems", "systems/{}", "name")):
            for id_ in doc.order.get(container, []):
                it = doc.items.get((kind, id_))
                if it is not None:
                    titles[key.format(id_)] = it.fields[name]
    return titles


def notes_of(states: States, state: str, name: str, version: str | None) -> dict | None:
    """The maintainers' notes on a version, as they are in a state (None if there are none)."""
    import os

    if version is None:
        return None
    rel = f"notes/{name}-{version}.yaml"
    try:
        if state == WORKTREE:
            if not os.path.lexists(os.path.join(states.root, rel)):
                return None
            raw = layout.read(states.root, [rel])[0][rel]
            if raw is None:  # not a regular file, too large: validate says so
                return None
        else:
            listing = states.listing(state)
            if rel not in listing:
                return None
            raw = states.blob(listing[rel])
    except (OSError, git.GitError):
        return None
    return states.repository(state, {rel: raw}).data.get(rel)


def reclassify(found: list[diff.Change], notes: dict | None) -> list[diff.Change]:
    """Changes with the severities the maintainers set on purpose (notes' reclassify), reason shown:
    each reclassification covers exactly one change (reclass.covers)."""
    from osaid.changes import reclass

    return reclass.apply(found, notes)


def reclassification_changes(states: States, old: str, new: str, diffs: list[DocumentDiff]) -> list[diff.Change]:
    """A change to the maintainers' reclassifications is itself a change of meaning
    (substantive): it must be discussed and reviewed like the change it reclassifies.
    Those of every version count, not only the one the commit carries: a reclassification
    planted for a version not begun yet would apply, unreviewed, once it is."""
    out = []
    for d in diffs:
        if d.document == governance.NAME:
            continue
        versions = {d.new_version} | noted_versions(states, old, d.document) | noted_versions(states, new, d.document)
        for version in sorted(v for v in versions if v is not None):
            before = (notes_of(states, old, d.document, version) or {}).get("reclassify")
            after = (notes_of(states, new, d.document, version) or {}).get("reclassify")
            if before != after:
                rid = f"{d.document}-{version}"
                out.append(diff.Change(d.document, "notes", rid, ("notes", rid), "modified", "reclassify",
                                       before, after, "substantive", None))
    return out


def noted_versions(states: States, state: str, name: str) -> set[str]:
    """The versions of a document that have a notes file in a state."""
    import os

    prefix = f"{name}-"
    if state == WORKTREE:
        try:
            rels = [f"notes/{f}" for f in os.listdir(os.path.join(states.root, "notes"))]
        except OSError:
            return set()
    else:
        try:
            rels = list(states.listing(state))
        except git.GitError:
            return set()
    return {rel[len("notes/") + len(prefix):-len(".yaml")] for rel in rels
            if rel.startswith(f"notes/{prefix}") and rel.endswith(".yaml") and "/" not in rel[len("notes/"):]}


def _diff_key(states: States, name: str, base: str, target: str) -> tuple | None:
    """The result cache's key of a document's diff between two commits (None when a side is the
    work tree or the index, which change without a commit): what it depends on is in them."""
    if base in (WORKTREE, INDEX) or target in (WORKTREE, INDEX):
        return None
    return ("diff", name, states.commit(base), states.commit(target))


def _cached_diff(states: States, key: tuple, name: str, base: str, target: str) -> DocumentDiff | None:
    hit = states.results.get(key)
    if hit is None:
        return None
    try:
        old_version, new_version, changes, titles, impact = hit
        return DocumentDiff(name, base, target, old_version, new_version, decode_changes(changes), dict(titles),
                            impact=impact)
    except (TypeError, ValueError):  # an entry of another shape: computed again
        return None


def between(states: States, old: str | None, new: str, documents: tuple[str, ...]) -> list[DocumentDiff]:
    """Each document's changes from old (None: its latest release) to new. A bare version
    (0.0.7) names each document's own tag (v0.0.7, checklist-v0.0.7; the governance: the
    definition's); a document without that release is skipped, saying so."""
    if git.toplevel(states.root) is None:
        raise UsageError("osaid diff compares git states, and this is not a git repository")
    built: dict[str, dict] = {}
    out = []
    missing: list[UsageError] = []
    for name in documents:
        try:
            base, target = ref_for(states.root, old, name), ref_for(states.root, new, name)
        except UsageError as e:
            missing.append(e)
            out.append(DocumentDiff(name, old, new, None, None, skipped=str(e)))
            continue
        if name == governance.NAME:
            out.append(governance_between(states, base, target))
            continue
        if base is None:
            rel = release_tags.released(states.root, name)
            if not rel:
                why = git.missing_tags_hint(states.root)  # shallow, --no-tags: say how to get them
                hint = f" ({why})" if why else ""
                new_version = _version(document.build(states.repository(target).data).get(name))
                out.append(DocumentDiff(name, None, target, None, new_version,
                                        skipped=f"no release of the {name} yet: give OLD, e.g. osaid diff HEAD{hint}"))
                continue
            base = rel[-1][1]
        key = _diff_key(states, name, base, target)
        hit = _cached_diff(states, key, name, base, target) if key else None
        if hit is not None:
            out.append(hit)
            continue
        if target not in built:
            built[target] = document.build(states.repository(target).data)
        new_docs = built[target]
        if base not in built:
            built[base] = document.build(states.repository(base).data)
        o, n = built[base].get(name), new_docs.get(name)
        terms = diff.defined_terms(built[base].get("definition"), new_docs.get("definition"))
        found = diff.compare(o, n, terms) if (o or n) else []
        found = reclassify(found, notes_of(states, target, name, _version(n)))
        if name == "checklist":
            found += tally_changes(with_policy(states, base, states.repository(base).data),
                                   with_policy(states, target, states.repository(target).data))
        out.append(DocumentDiff(name, base, target, _version(o), _version(n), found, titles_of(o, n)))
        if name == "checklist" and found:
            from osaid.checklist import evaluations

            out[-1].impact = evaluations.impact_between(states, base, target)
        if key:
            d = out[-1]
            states.results.put(key, (d.old_version, d.new_version, encode_changes(d.changes), list(d.titles.items()),
                                     d.impact))
    if missing and len(missing) == len(documents):
        raise missing[0]
    return out


@overload
def ref_for(root: str, ref: str, name: str) -> str: ...
@overload
def ref_for(root: str, ref: None, name: str) -> None: ...
@overload
def ref_for(root: str, ref: str | None, name: str) -> str | None: ...
def ref_for(root: str, ref: str | None, name: str) -> str | None:
    """A ref as given, or a bare version as the document's release tag (0.0.7 -> v0.0.7 for the
    definition and the governance, checklist-v0.0.7 for the checklist). A version the document
    never released is a UsageError that lists its tags. A tag named exactly as given comes
    first; a branch or other ref of that name only when the document has no such tag."""
    if ref is None or ref.startswith(":"):
        return ref
    try:
        names = git.tags(root)
        Version.parse(ref)
    except (git.GitError, VersionError):
        return ref
    doc = "definition" if name == governance.NAME else name
    tag = tag_name(doc, ref)
    if ref in names or tag in names:
        return ref if ref in names else tag
    try:
        git.resolve(root, ref)
        return ref
    except git.GitError:
        pass
    tags = [t for _, t in release_tags.released(root, doc)]
    raise UsageError(f"{ref!r} is not a released version of the {doc} (its release tags: "
                     f"{', '.join(tags) or 'none yet'}): give one of them, or a version it has")


def with_policy(states: States, state: str, data: dict) -> dict:
    """A state's document data and its governance/policy.yaml (the tally's rubric), checked."""
    from osaid.data import layout

    raw = governance.raw_files(states, state).get(layout.POLICY)
    return data if raw is None else {**data, **states.repository(state, {layout.POLICY: raw}).data}


def tally_changes(old_data: dict, new_data: dict) -> list[diff.Change]:
    """The cells of the working groups' tally whose tier differs between two states (because
    votes changed, or the rubric): substantive, with why the new tier was given."""
    from osaid.checklist import tally

    if not any(rel.startswith(tally.SYSTEMS_DIR) for rel in list(old_data) + list(new_data)):
        return []
    return [diff.Change("checklist", "tally", f"{t.component}/{t.freedom}", ("tally", t.component, t.freedom),
                        "modified", "tier", t.before, t.after, "substantive", None, f"now {t.after_why}")
            for t in tally.tier_changes(tally.compute(old_data), tally.compute(new_data))]


def governance_between(states: States, old: str | None, new: str) -> DocumentDiff:
    """The governance changes from old (None: the definition's latest release) to new. Files
    that are byte for byte the same are not even parsed (a hook stays fast)."""
    base = old
    if base is None:
        rel = release_tags.released(states.root, "definition")
        if not rel:
            return DocumentDiff(governance.NAME, None, new, None, None,
                                skipped="no release of the definition yet to compare the governance with: "
                                        "give OLD, e.g. osaid diff HEAD")
        base = rel[-1][1]
    found = governance_changes(states, base, new)
    return DocumentDiff(governance.NAME, base, new, None, None, found, dict(governance.TITLES))


def governance_changes(states: States, old: str, new: str) -> list[diff.Change]:
    """The governance changes between two states (any of them WORKTREE, INDEX or a ref)."""
    try:
        a, b = governance.raw_files(states, old), governance.raw_files(states, new)
    except git.GitError as e:
        raise UsageError(str(e)) from None
    if a == b:
        return []
    same = {rel for rel in set(a) & set(b) if a[rel] == b[rel]}
    a = {rel: raw for rel, raw in a.items() if rel not in same}
    b = {rel: raw for rel, raw in b.items() if rel not in same}
    return governance.compare(governance.build(states, old, a), governance.build(states, new, b))


def of_meaning(states: States, old: str, new: str) -> list[diff.Change]:
    """The substantive and normative changes from old to new of everything under review:
    both documents, the governance, and the maintainers' reclassifications."""
    diffs = between(states, old, new, document.DOCUMENTS + (governance.NAME,))
    found = diff.of_meaning([c for d in diffs for c in d.changes])
    return found + reclassification_changes(states, old, new, diffs)


def _version(doc: document.Document | None) -> str | None:
    return doc.version if doc else None


"""The osaid command line: click parses, the core does the work, this prints.

The only module that imports click. Exit codes: 0 clean, 1 problems found or
files rewritten, 2 usage, 3 internal error.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from osaid import __version__
from osaid.errors import Interrupted, OsaidError

if TYPE_CHECKING:
    from osaid.repo.states import States

REPORT_URL = "https://github.com/osaid/osaid/issues"


def _root(ctx: click.Context) -> str:
    """--root, or the repository around the current folder (a subcommand's context has its group's obj)."""
    from osaid.data import layout

    return layout.find_root(ctx.obj.get("root") or os.getcwd())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", "-C", metavar="DIR", help="The repository (default: found from the current folder).")
@click.version_option(__version__, prog_name="osaid")
@click.pass_context
def cli(ctx: click.Context, root: str | None) -> None:
    """The Open Source AI Definition, kept in git: validate, format, and see where it stands."""
    ctx.obj = {"root": root}


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text: path:line:col: GOV-n message; json: an array; github: Actions annotations.")
@click.argument("paths", nargs=-1, type=click.Path())
@click.pass_context
def validate(ctx: click.Context, fmt: str, paths: tuple[str, ...]) -> int:
    """Check every data file (or PATHS) against its schema and the cross-references.

    Cross-references are always checked against the whole repository; with
    PATHS, only the problems in those files are reported.
    """
    from osaid.data import layout
    from osaid.render import report

    root = _root(ctx)
    from osaid.i18n import translations

    catalogs = [rel for p in paths if (rel := translations.relative(root, p))]  # GOV-24's files
    paths = tuple(p for p in paths if not translations.relative(root, p))
    rels = layout.discover(root)
    chosen = layout.select(root, paths, rels) if paths or not catalogs else []
    from osaid.repo import worktree

    repo = worktree.check(root, rels + [r for r in chosen if r not in rels])
    problems, warnings = repo.problems, repo.warnings
    checked = len(chosen)
    if catalogs or not paths:
        problems = sorted(problems + translations.validate_worktree(root, (repo.policy or {}).get("placeholders", [])))
        checked += sum(1 for r in translations.catalogs(root) if not catalogs or any(r.startswith(c) for c in catalogs))
    if paths or catalogs:
        wanted = set(chosen)
        problems = [p for p in problems if p.path in wanted or any(p.path.startswith(c) for c in catalogs)]
        warnings = [p for p in warnings if p.path in wanted]
    out = {"text": report.problems_text, "json": report.problems_json, "github": report.problems_github}[fmt]
    click.echo(out(problems), nl=False)
    if fmt == "github":
        click.echo(report.problems_github(warnings, "warning"), nl=False)
    else:
        click.echo(report.warnings_text(warnings), nl=False, err=True)
    if fmt == "text":
        click.echo(report.summary(problems, checked), err=True)
    return 1 if problems else 0


@cli.command()
@click.option("--check", is_flag=True, help="Write nothing; list the files that are not canonical (exit 1 if any).")
@click.argument("paths", nargs=-1, type=click.Path())
@click.pass_context
def fmt(ctx: click.Context, check: bool, paths: tuple[str, ...]) -> int:
    """Rewrite data files (or PATHS) in canonical form; exit 1 if any changed."""
    from osaid.data import fmt as core
    from osaid.data import layout
    from osaid.render import report

    root = _root(ctx)
    chosen = layout.select(root, paths)
    files, problems = layout.read(root, chosen)
    result = core.format_files(files, layout.max_bytes(root))
    problems = sorted(problems + result.problems)
    if problems:
        click.echo(report.problems_text(problems), nl=False)
        click.echo(f"osaid fmt: nothing written: fix the {len(problems)} problem(s) above first", err=True)
        return 1
    if check:
        click.echo(report.problems_text(core.check_problems(files, result.changed)), nl=False)
        return 1 if result.changed else 0
    core.write(root, result.changed)
    for rel in result.changed:
        click.echo(f"reformatted {rel}")
    return 1 if result.changed else 0


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def status(ctx: click.Context, fmt: str) -> int:
    """Versions, release state, validity, placeholders and release readiness."""
    from osaid.releases import status as core
    from osaid.render import report

    st = core.collect(_root(ctx))
    click.echo(report.status_text(st) if fmt == "text" else report.status_json(st), nl=False)
    return 1 if st.problems else 0


@cli.command()
@click.option("--systems", "systems", metavar="ID[,ID...]", help="Tally only these analyses (default: all).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html"]), default="text",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of printing.")
@click.pass_context
def tally(ctx: click.Context, systems: str | None, fmt: str, output: str | None) -> int:
    """The working groups' votes per component and freedom, mu, and the tier the rubric gives (GOV-21)."""
    from osaid.checklist import tally as core
    from osaid.render import report
    from osaid.render import tally as render
    from osaid.repo import worktree

    data, problems = worktree.tally_inputs(_root(ctx))
    if problems:
        click.echo(report.problems_text(problems), nl=False)
        click.echo("osaid tally: fix the problems above first (the tally reads these files)", err=True)
        return 1
    chosen = [s.strip() for s in systems.split(",") if s.strip()] if systems else None
    _emit(render.render(core.compute(data, chosen), fmt), output)
    return 0


SEVERITY = click.Choice(["editorial", "substantive", "normative"])


def _emit(text: str, output: str | None) -> None:
    """Print, or write atomically to a file."""
    if output:
        from osaid.fileio import write_atomic

        write_atomic(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("systems", nargs=-1)
@click.option("--checklist", "checklist_ref", metavar="VERSION-or-REF",
              help="Evaluate against this checklist version (its tag) or git ref (default: the work tree's).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html"]), default="text",
              show_default=True)
@click.option("--fail-on", type=click.Choice(["not-qualified", "undecided"]),
              help="Exit 1 when a system does not qualify (not-qualified), or also when one is undecided.")
@click.option("--import", "import_", nargs=2, metavar="FORMAT FILE",
              help="Write evaluations/<system>.yaml from another tool's file: mot (the Model Openness Tool's model YAML).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of printing.")
@click.pass_context
def evaluate(ctx: click.Context, systems: tuple[str, ...], checklist_ref: str | None, fmt: str,
             fail_on: str | None, import_: tuple[str, str] | None, output: str | None) -> int:
    """Which evaluated AI systems qualify under a checklist version, and why.

    Per system: qualifies, does not qualify (each failing requirement), or
    undecided (each unknown that decides it); per component the reasoning.
    """
    from osaid.checklist import evaluate
    from osaid.checklist import evaluations as core
    from osaid.render import report

    root = _root(ctx)
    if import_ is not None:
        written, notes = core.import_file(root, import_[0], import_[1], _today())
        for line in notes:
            click.echo(line, err=True)
        click.echo(f"wrote {written}")
        return 0
    result, problems = core.collect(root, systems, checklist_ref)
    if result is None:
        click.echo(report.problems_text(problems), nl=False)
        return 1
    from osaid.render import evaluation as render

    out = {"text": render.text, "markdown": render.markdown, "json": render.json_text, "html": render.html_page}[fmt]
    _emit(out(result), output)
    failing: dict[str | None, set[str]] = {"not-qualified": {evaluate.NOT_QUALIFIED},
                                            "undecided": {evaluate.NOT_QUALIFIED, evaluate.UNDECIDED}}
    bad = failing.get(fail_on, set())
    return 1 if any(v["verdict"] in bad for v in result["systems"]) else 0


@cli.command("diff")
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--cached", is_flag=True, help="Compare with the index (what is staged) instead of the work tree.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html"]), default="text",
              show_default=True)
@click.option("--document", "documents", type=click.Choice(["definition", "checklist", "governance"]), multiple=True,
              help="Only this document (repeatable; default all three).")
@click.option("--min-severity", type=SEVERITY, default="editorial", show_default=True,
              help="Show only changes at or above this severity.")
@click.option("--fail-on", type=SEVERITY, help="Exit 1 when a change at or above this severity exists.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of printing.")
@click.pass_context
def diff_cmd(ctx: click.Context, old: str | None, new: str | None, cached: bool, fmt: str,
             documents: tuple[str, ...], min_severity: str, fail_on: str | None, output: str | None) -> int:
    """What changed in meaning from OLD to NEW, clause by clause, word by word.

    OLD defaults to each document's latest release tag; NEW to the work tree
    (the index with --cached). Both may be any git ref: a tag, a branch, a
    commit, HEAD~3.
    """
    from osaid.changes import compare as core
    from osaid.changes import diff as model
    from osaid.repo.states import INDEX, WORKTREE, States

    if cached and new:
        raise click.UsageError("give NEW or --cached, not both")
    root = _root(ctx)
    target = INDEX if cached else (new or WORKTREE)
    with States(root, persistent=True) as states:
        diffs = core.between(states, old, target, documents or ("definition", "checklist", "governance"))
    failing = fail_on is not None and any(model.rank(c.severity) >= model.rank(fail_on)
                                          for d in diffs for c in d.changes)
    floor = model.rank(min_severity)
    for d in diffs:
        d.changes = [c for c in d.changes if model.rank(c.severity) >= floor]
    if fmt == "text":
        from osaid.render import text

        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        _emit(text.render(diffs, color=color), output)
    elif fmt == "markdown":
        from osaid.i18n import translations
        from osaid.render import markdown
        from osaid.render.translations import stale_note

        catalogs = translations.catalogs(root)  # the languages this change makes stale, if any
        note = stale_note(translations.stale_by([c for d in diffs for c in d.changes], catalogs)) if catalogs else ""
        _emit(markdown.render(diffs) + note, output)
    elif fmt == "json":
        from osaid.render import jsonout

        _emit(jsonout.render(diffs, old, target), output)
    else:
        from osaid.render import html

        _emit(html.render(diffs), output)
    return 1 if failing else 0


@cli.command()
@click.argument("span", metavar="[A..B]", required=False)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if CHANGELOG.md differs from what the tags give.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="For A..B: how to print the entries.")
@click.option("--document", type=click.Choice(["definition", "checklist"]),
              help="For A..B given as bare versions: which document (default: definition).")
@click.pass_context
def changelog(ctx: click.Context, span: str | None, check: bool, fmt: str, document: str | None) -> int:
    """Write CHANGELOG.md from the release tags, or print the entries of A..B.

    Every released version of each document, newest first, against the one
    before it, with its date and the maintainers' notes. Text above the
    marker line of CHANGELOG.md is kept as written.
    """
    from osaid.changes import changelog as core
    from osaid.render import report
    from osaid.repo.states import States

    root = _root(ctx)
    with States(root, persistent=True) as states:
        entries, problems = core.entries(states)
    if problems:
        click.echo(report.problems_text(problems), nl=False)
        click.echo("osaid changelog: nothing written: fix the notes above first", err=True)
        return 1
    if span:
        chosen = core.select(entries, span, document)
        if fmt == "json":
            import json

            from osaid.visible import json_text

            click.echo(json_text(json.dumps([e.as_dict() for e in chosen], indent=2, ensure_ascii=False)))
        else:
            from osaid.render.changelog import render_markdown

            click.echo(render_markdown(chosen), nl=False)
        return 0
    from osaid.render.changelog import regenerate

    existing, wanted = regenerate(root, entries)
    if wanted == existing:
        if not check:
            click.echo(f"{core.FILE} is up to date")
        return 0
    if check:
        click.echo(report.problems_text([core.stale()]), nl=False)
        return 1
    from osaid.fileio import write_atomic

    write_atomic(os.path.join(root, core.FILE), wanted)
    click.echo(f"wrote {core.FILE} ({len(entries)} release{'s' * (len(entries) != 1)})")
    return 0


@cli.command()
@click.argument("item_id", metavar="ID")
@click.option("--commits", is_flag=True, help="Every commit that touched it, not only the released versions.")
@click.option("--document", type=click.Choice(["definition", "checklist", "governance"]),
              help="Where to look (default: all three).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html"]), default="text",
              show_default=True)
@click.pass_context
def history(ctx: click.Context, item_id: str, commits: bool, document: str | None, fmt: str) -> int:
    """The life of one clause, component or checklist row.

    When it appeared, every change (version, commit, author, date, severity,
    words, and the commit that made it with its Discussion: and Reviewed-by:
    trailers), when it moved, was renamed (followed across the rename), removed,
    or came back under a new ID.
    """
    from osaid.changes import history as core
    from osaid.render import history as render
    from osaid.repo.states import States

    with States(_root(ctx)) as states:
        h = core.follow(states, item_id, document, commits)
    if fmt == "json":
        import json

        from osaid.visible import json_text

        click.echo(json_text(json.dumps(h.as_dict(), indent=2, ensure_ascii=False)))
    elif fmt in ("markdown", "html"):
        click.echo(getattr(render, fmt)(h), nl=False)
    else:
        click.echo(render.text(h), nl=False)
    return 0


@cli.command()
@click.argument("item_id", metavar="ID")
@click.option("--field", help="The field whose change is meant (text, kind, id for a rename ...), when the item "
              "has several changes.")
@click.option("--to", "severity", type=SEVERITY, required=True, help="The severity the maintainers set.")
@click.option("--reason", required=True, help="Why (shown in the changelog).")
@click.option("--document", type=click.Choice(["definition", "checklist"]), help="Where the item is (default: both).")
@click.option("--item", metavar="KIND", help="The kind of item (component, row ...), when two share the ID.")
@click.pass_context
def reclassify(ctx: click.Context, item_id: str, field: str | None, severity: str, reason: str,
               document: str | None, item: str | None) -> int:
    """Set the severity of the one change of ID since the last release, in the version's notes.

    The entry covers exactly that change (its before and after): a later edit
    of the same field is judged afresh. The reclassification is itself a
    substantive change: commit it with a Discussion: trailer and have it reviewed.
    """
    from osaid.changes import reclass
    from osaid.repo.states import States

    root = _root(ctx)
    with States(root) as states:
        p = reclass.plan(states, item_id, field, severity, reason,
                         (document,) if document else ("definition", "checklist"), item)
    reclass.write(root, p)
    click.echo(f"{'replaced' if p.replaced else 'wrote'} in {p.rel}: {reclass.describe(p.change)} by the rules "
               f"(since {p.tag}), reclassified {severity}\n  {p.entry['change']}")
    click.echo("A reclassification is itself a substantive change: commit it with a 'Discussion: https://...' "
               "trailer, and have it reviewed (Reviewed-by:).")
    return 0


@cli.command(hidden=False)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def textconv(file: str) -> int:
    """Print FILE as ID-keyed lines, for git's diff.osaid.textconv (see README)."""
    from osaid.data import textconv as core
    from osaid.fileio import read_regular

    click.echo(core.convert(read_regular(file), file), nl=False)
    return 0


def _today() -> str:
    from osaid.dates import today

    return today()


DATE = click.option("--date", metavar="YYYY-MM-DD",
                    help="The date to write (default: today, UTC; or SOURCE_DATE_EPOCH's day).")
DOCUMENT = click.option("--document", type=click.Choice(["definition", "checklist"]), default="definition",
                        show_default=True)


@cli.command()
@click.argument("kind", type=click.Choice(["draft", "rc", "final", "errata", "minor", "major", "auto"]))
@DOCUMENT
@click.option("--dry-run", is_flag=True, help="Say what would change, change nothing.")
@DATE
@click.pass_context
def bump(ctx: click.Context, kind: str, document: str, dry_run: bool, date: str | None) -> int:
    """Move a document to its next version (and date), changing nothing else.

    KIND: draft (0.0.N -> 0.0.N+1, X.Y-draftN -> X.Y-draftN+1), rc, final,
    errata (X.Y[.Z] -> X.Y.Z+1), minor (-> X.Y+1-draft1), major
    (-> X+1.0-draft1), or auto: errata when only editorial changes follow a
    final, otherwise the next draft (the next RC after an RC).
    """
    from osaid.releases import bump as core
    from osaid.render import summary_line
    from osaid.repo.states import States

    root = _root(ctx)
    with States(root) as states:
        p = core.plan(states, document, kind, _validated_date(date, states, (document,)))
    click.echo(f"{document} {p.old} -> {p.new} ({p.kind}" + (f": {p.reason})" if p.reason != "asked for" else ")"))
    click.echo(f"changes since {p.old} was released: {summary_line(p.summary)}")
    if dry_run:
        click.echo(f"dry run: {p.path} not written")
        return 0
    core.write(root, p)
    click.echo(f"wrote {p.path} (version {p.new}, date {p.date})")
    return 0


def _validated_date(date: str | None, states: States, documents: tuple[str, ...]) -> str:
    """--date, checked (a real day, not before the documents' last release; exit 2), or today."""
    from osaid import dates
    from osaid.repo import release_tags

    return _today() if date is None else dates.checked(date, release_tags.last_release_date(states, documents))


@cli.command()
@click.option("--document", type=click.Choice(["definition", "checklist"]), multiple=True,
              help="Release only this document (repeatable; default: every document with an unreleased version).")
@click.option("--dry-run", is_flag=True, help="Run every check and show every step; change nothing.")
@click.option("--sign", is_flag=True, help="Sign the tags with git's configured key (git tag -s).")
@DATE
@click.pass_context
def release(ctx: click.Context, document: tuple[str, ...], dry_run: bool, sign: bool, date: str | None) -> int:
    """Release the working version: check everything, then date, changelog, commit, tag.

    Nothing is written unless every check passes, and if a step fails the
    repository is put back as it was. It never pushes: it prints the command.
    """
    from osaid.releases import release as core
    from osaid.repo.states import States

    root = _root(ctx)
    ctx.with_resource(core.interruptible())  # SIGINT, SIGTERM, SIGHUP: end the release cleanly (130, 143, 129)
    left = core.unfinished(root)  # a release interrupted after it was published: finish it
    if left:
        click.echo(f"{'would finish' if dry_run else 'finishing'} the release {', '.join(left.tags)} (commit "
                   f"{left.commit[:10]}), interrupted before the work tree and the index were brought up to it: "
                   + ", ".join(left.paths))
        if not dry_run:
            core.finish(root, left)
            click.echo("done: the release is complete")
        return 0
    with States(root) as states:
        from osaid.render.changelog import WRITER

        p = core.plan(states, document or None, _validated_date(date, states, document or ("definition", "checklist")),
                      WRITER)
    for t in p.targets:
        click.echo(f"release {t.document} {t.version} as {t.tag} ({t.stage})")
    for c in p.checks:
        click.echo(f"  {'ok  ' if c.ok else 'FAIL'}  {c.name}")
        for problem in c.problems:
            click.echo(_visible(f"        {problem}"))
    if not p.ok:
        click.echo("osaid release: nothing was changed", err=True)
        return 1
    steps = [f"write {rel}" for rel in p.writes] + [f'commit "{p.message}"'] + \
            [f"{'sign and ' if sign else ''}tag {t.tag} (annotated; its message is the changelog entry)" for t in p.targets]
    if dry_run:
        click.echo("would:")
        for s_ in steps:
            click.echo(f"  {s_}")
        click.echo("dry run: nothing was changed")
        return 0
    commit = core.execute(root, p, sign=sign)
    for s_ in steps:
        click.echo(f"  done  {s_}")
    click.echo(f"released in commit {commit[:10]}; nothing was pushed. To publish:\n  {p.push_command()}")
    return 0


@cli.command()
@click.option("--range", "span", metavar="A..B", help="Check only the release tags on commits in A..B.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.pass_context
def verify(ctx: click.Context, span: str | None, fmt: str) -> int:
    """Check the release history: tags, versions, changelog, retired IDs, frozen releases."""
    from osaid.releases import verify as core
    from osaid.render import report
    from osaid.repo.states import States

    with States(_root(ctx), persistent=True) as states:
        from osaid.render.changelog import WRITER

        problems = core.check(states, WRITER, span)
    out = {"text": report.problems_text, "json": report.problems_json, "github": report.problems_github}[fmt]
    click.echo(out(problems), nl=False)
    if fmt == "text":
        click.echo(f"{len(problems)} problem{'s' * (len(problems) != 1)}" if problems else "release history verified",
                   err=True)
    return 1 if problems else 0


@cli.command()
@click.option("--document", type=click.Choice(["definition", "checklist"]), help="Only this document.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def versions(ctx: click.Context, document: str | None, fmt: str) -> int:
    """Every released version: date, tag, commit, and its changes by severity."""
    from osaid.changes import changelog as core
    from osaid.changes import diff as model
    from osaid.repo.states import States

    with States(_root(ctx)) as states:
        entries, _ = core.entries(states, (document,) if document else ("definition", "checklist"))
    rows: list[dict[str, Any]] = [
        {"document": e.document, "version": e.version, "date": e.date, "tag": e.tag, "commit": e.commit,
         "previous": e.previous, "changes": model.summary(e.changes)} for e in entries]
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2))
        return 0
    if not rows:
        click.echo("no release yet (releases are git tags: a clone may lack them, git fetch --tags)")
        return 0
    for r in rows:
        c = r["changes"]
        counts = "first release" if r["previous"] is None else \
            f"{c['normative']} normative, {c['substantive']} substantive, {c['editorial']} editorial"
        click.echo(f"{r['document']:<11} {r['version']:<11} {r['date'] or '-':<10}  {r['tag']:<20} "
                   f"{r['commit'][:10]}  {counts}")
    return 0


@cli.command()
@click.option("-o", "--output", "out", metavar="DIR", default="site", show_default=True, type=click.Path(file_okay=False),
              help="Where to write the site.")
@click.option("--base-url", default="", metavar="URL", help="Where it will be published (absolute links in the feed).")
@click.option("--check", "check", metavar="DIR", type=click.Path(file_okay=False),
              help="Write nothing; exit 1 if the site in DIR is not what the tags and the work tree give.")
@click.pass_context
def site(ctx: click.Context, out: str, base_url: str, check: str | None) -> int:
    """Build the static site: every version, every diff, each clause's history, the road to 1.0, a feed."""
    from osaid.site import build as core

    files = core.build(_root(ctx), base_url)
    if check is not None:
        stale = core.stale(check, files) if os.path.isdir(check) else sorted(files)
        for path in stale[:20]:
            click.echo(_visible(f"{os.path.join(check, path)}: not current: run osaid site -o {check}"))
        if len(stale) > 20:
            click.echo(f"... and {len(stale) - 20} more")
        if not stale:
            click.echo(f"{check} is current ({len(files)} files)")
        return 1 if stale else 0
    written, removed = core.write(out, files)
    click.echo(f"wrote {out}: {written} of {len(files)} files changed, {len(removed)} removed")
    return 0


@cli.command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
def demo(directory: str) -> int:
    """Make DIR a sandbox repository with a SYNTHETIC release history to try the commands on.

    DIR must be new or empty. The history (drafts 0.0.5 to 0.0.8 with every kind of change,
    discussions and reviews in the trailers) is played on a copy of the data osaid ships
    with; none of it happened. Then it prints the commands to try.
    """
    import shlex
    import shutil

    from osaid import demo as core

    made = core.build(directory)
    me = os.path.realpath(sys.argv[0]) if sys.argv and os.path.basename(sys.argv[0]) == "osaid" else None
    on_path = shutil.which("osaid")
    prog = "osaid" if me is None or (on_path and os.path.realpath(on_path) == me) else shlex.quote(me)
    click.echo(f"made {made.root}: a sandbox repository with a SYNTHETIC history ({made.commits} commits; "
               f"releases {', '.join(made.releases)}), played on a copy of {made.source}.")
    click.echo("Its history is synthetic: the commits, releases, maintainer and discussions are made up; "
               "only the starting data is osaid's.")
    click.echo("Try:")
    click.echo(f"  cd {shlex.quote(made.root)}")
    for command in made.commands:
        click.echo("  " + (prog + command[len("osaid"):] if command.startswith("osaid ") else command))
    return 0


@cli.group()
def translations() -> None:
    """Translations as gettext catalogs (translations/<lang>/definition.po, checklist.po)."""


@translations.command("update")
@click.argument("langs", nargs=-1)
@click.pass_context
def translations_update(ctx: click.Context, langs: tuple[str, ...]) -> int:
    """Bring the catalogs of LANGS (default: every language) in step with the English: new texts added,
    changed ones fuzzy with the previous English, renamed IDs followed, removed ones obsolete.
    Naming a language without catalogs starts them. Exit 1 if a catalog was written."""
    from osaid.i18n import translations as core

    root = _root(ctx)
    updated = core.run_update(root, langs)
    core.write(root, updated)
    for u in updated:
        if u.changed:
            click.echo(f"updated {u.rel}: {u.added} new, {u.fuzzy} fuzzy, {u.renamed} renamed, {u.retired} retired")
    if not updated:
        click.echo("no catalogs: name a language to start one, e.g. osaid translations update ja", err=True)
    return 1 if any(u.changed for u in updated) else 0


@translations.command("status")
@click.argument("langs", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--working-only", is_flag=True, help="Only the work tree, not each release.")
@click.pass_context
def translations_status(ctx: click.Context, langs: tuple[str, ...], fmt: str, working_only: bool) -> int:
    """Per language: translated, fuzzy (stale since version X) and missing texts, the most serious
    English change first, with path:line of each entry; for the work tree and each release."""
    from osaid.i18n import translations as core
    from osaid.render import translations as out

    lags = core.status(_root(ctx), langs, releases=not working_only)
    click.echo({"text": out.text, "json": out.json, "markdown": out.markdown}[fmt](lags), nl=False)
    return 0


@cli.group()
def hook() -> None:
    """Entry points for git hooks (run through pre-commit: see .pre-commit-hooks.yaml)."""


def _hook_result(problems: list) -> int:
    from osaid.render import report

    click.echo(report.problems_text(problems), nl=False)
    return 1 if problems else 0


@hook.command("pre-commit")
@click.option("--fix", is_flag=True, help="Also rewrite PATHS in canonical form (osaid fmt), in the same process.")
@click.argument("paths", nargs=-1)
@click.pass_context
def hook_pre_commit(ctx: click.Context, fix: bool, paths: tuple[str, ...]) -> int:
    """Check what is staged: valid, frozen releases, version order, retired IDs, endorsements kept.

    The whole staged state is checked, whatever PATHS pre-commit passes,
    because a change in one file can break a reference in another. With
    --fix, the data files among PATHS are first put in canonical form (a
    rewritten file fails the hook, as a fixer does: stage it and commit again).
    """
    from osaid import hooks
    from osaid.data import layout
    from osaid.render import report

    root = _root(ctx)
    code = 0
    refused: list = []  # files fmt cannot put in canonical form without changing their data
    if fix and paths:
        from osaid.data import fmt as formatter

        rels = [r for r in layout.select(root, [p for p in paths if os.path.lexists(p)]) if layout.file_kind(r)]
        files, _ = layout.read(root, rels)
        result = formatter.format_files(files, layout.max_bytes(root))
        formatter.write(root, result.changed)  # files that do not load are left as they are, for the checks to report
        for rel in result.changed:
            click.echo(f"reformatted {rel}")
        refused = [p for p in result.problems if p.rule == "GOV-5"]
        code = 1 if result.changed else 0
    warnings: list = []
    problems = hooks.pre_commit(root, warnings)
    click.echo(report.warnings_text(warnings), nl=False, err=True)
    return max(code, _hook_result(sorted(refused + problems)))


@hook.command("commit-msg")
@click.argument("message_file", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def hook_commit_msg(ctx: click.Context, message_file: str) -> int:
    """A commit with changes of meaning carries a Discussion: trailer."""
    from osaid import hooks

    return _hook_result(hooks.commit_msg(_root(ctx), message_file))


@hook.command("pre-push")
@click.pass_context
def hook_pre_push(ctx: click.Context) -> int:
    """osaid verify on the pushed commits (PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF, or on a first push
    every commit the remote PRE_COMMIT_REMOTE_NAME lacks), with the review rules."""
    from osaid import hooks

    env = os.environ.get
    return _hook_result(hooks.pre_push(_root(ctx), env("PRE_COMMIT_FROM_REF"), env("PRE_COMMIT_TO_REF"),
                                       env("PRE_COMMIT_LOCAL_BRANCH"), env("PRE_COMMIT_REMOTE_NAME")))


def _visible(text: str) -> str:
    """A message that quotes user data, with control and invisible characters escaped."""
    from osaid.visible import escape

    return escape(text)


def main(argv: list[str] | None = None) -> int:
    """Run osaid with argv (default: sys.argv[1:]) and return the exit code, never exiting: the console
    script and `python -m osaid` exit with it (an error is a message; OSAID_DEBUG=1 lets a bug's traceback out)."""
    from osaid.repo.git import forget_tags

    forget_tags()  # tags are read once per command
    try:
        code = cli.main(args=argv, prog_name="osaid", standalone_mode=False)
    except click.exceptions.Exit as e:
        code = e.exit_code
    except click.ClickException as e:
        e.show()
        code = e.exit_code
    except click.Abort as e:  # click's word for a KeyboardInterrupt (Ctrl-C): exit 130, as a shell expects
        click.echo("osaid: interrupted" if isinstance(e.__cause__, KeyboardInterrupt) else "osaid: aborted", err=True)
        code = 130 if isinstance(e.__cause__, KeyboardInterrupt) else 1
    except Interrupted as e:  # a signal where a command handles it (release): exit 128 + its number
        click.echo(f"osaid: {e}", err=True)
        code = e.exit_code
    except OsaidError as e:
        click.echo(_visible(f"osaid: {e}"), err=True)
        code = e.exit_code
    except KeyboardInterrupt:
        click.echo("osaid: interrupted", err=True)
        code = 130
    except OSError as e:  # the machine's, not a bug of ours: a folder, a permission, a full disk
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        click.echo(_visible(f"osaid: {where}{e.strerror or e}"), err=True)
        code = 1
    except Exception as e:  # the last line of defence: never a bare traceback
        if os.environ.get("OSAID_DEBUG"):
            raise
        click.echo(
            f"osaid: internal error: {type(e).__name__}: {_visible(str(e))}\n"
            f"This is a bug in osaid, not in your files. Please report it at {REPORT_URL} "
            "with the command you ran (OSAID_DEBUG=1 shows the traceback).",
            err=True,
        )
        code = 3
    return code or 0

"""osaid demo: a sandbox repository with a release history to try every command on.

A fresh clone has no release tags, so diff, history, changelog and versions have
nothing to show. build() copies the data osaid ships with (the repository's
definition, checklist and governance; in a wheel, the copy packaged beside this module)
into a new git repository and plays a SYNTHETIC history on it: drafts with
every kind of change (modified, added, removed, moved within and across sections,
renamed; normative, substantive and editorial; a checklist decision and a component
recategorised), commits with `Discussion:` and `Reviewed-by:` trailers, a maintainers'
note, and releases made by the real `osaid bump` and `osaid release` code. Nothing in it
happened: every commit message, the CHANGELOG's head, the demo's maintainers (added to
governance/maintainers.yaml as synthetic) and its discussion links (example.org) say so.

The repository is built in a hidden folder beside DIR and moved into place at the end,
so DIR holds either the whole demo or nothing. git runs through git.py with a fixed,
synthetic identity and dates, and without the user's git configuration (no hooks, no
signing): the same data always gives the same commits.
"""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from osaid.data import layout
from osaid.errors import OsaidError, UsageError
from osaid.repo import git

PACKAGED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_repository")  # in a wheel (pyproject.toml)
COPIED = ("definition", "checklist", "governance", "notes", ".gitattributes")

EDITOR = ("Demo Editor", "editor@demo.example.org")
MAINTAINER = ("Demo Maintainer", "maintainer@demo.example.org")
REVIEW = f"Reviewed-by: {MAINTAINER[0]} <{MAINTAINER[1]}>"
SYNTHETIC = ("Synthetic: made by osaid demo to show the tools; this change is in no real draft of the "
             "Open Source AI Definition.")
DISCUSS = "https://discuss.example.org/t/osaid-demo-"  # example.org: a reserved domain, no real thread

CHANGELOG_HEAD = (
    "# Changelog (synthetic demo)\n\n"
    "This repository was made by `osaid demo`: every release below is SYNTHETIC, played on a copy of\n"
    "the data to show what the tools do. None of it is the history of the Open Source AI Definition.\n\n"
)
DEMO_MAINTAINER = (
    f"  - id: demo-maintainer\n    name: {MAINTAINER[0]}\n    email: {MAINTAINER[1]}\n"
    "    role: Synthetic maintainer of the osaid demo sandbox; not a person.\n"
)
DEMO_CLAUSE = ("  - id: demo-data-rights\n    text: >-\n      Demo: a clause osaid demo adds to show an addition; "
               "it is in no real\n      draft.\n")
OECD_TEXT = ("  - id: oecd-ai-system-text\n    text: >-\n      TK: the OECD's definition of an AI system, "
             "quoted in full, with its\n      source.\n")
NEW_SECTION = (
    "# yaml-language-server: $schema=../tools/osaid/schemas/section.schema.json\n"
    "id: license-checklist\ntitle: License checklist (demo)\nclauses:\n"
    "  - id: checklist-purpose\n    text: 'Demo: a section osaid demo adds to show a new section.'\n"
    "  - id: checklist-legal\n    kind: requirement\n"
    "    text: 'Demo: a requirement osaid demo adds; it is in no real draft.'\n"
)
SWAP = ("  - id: study\n    kind: freedom\n    text: Study how the system works and inspect its components.\n",
        "  - id: share\n    kind: freedom\n    text: Share the system with or without modifications, for any purpose.\n")
NOTE = (
    "# yaml-language-server: $schema=../tools/osaid/schemas/notes.schema.json\n"
    "document: definition\nversion: 0.0.8\nnotes:\n"
    "  - text: >-\n      Synthetic note (osaid demo): the clause removed in 0.0.7 is back under a\n"
    "      new ID.\n    ids: [demo-data-rights-again]\n"
)

# The history: ("commit", author, subject, [(path, old, new)], discussion slug or None),
# ("bump", document), ("release",). An old of "" writes new as the whole file; a discussion
# slug marks a change of meaning: Discussion: and Reviewed-by: trailers.
Step = tuple
SCRIPT: list[Step] = [
    ("commit", MAINTAINER, "Demo: add the demo's synthetic maintainer",
     [("governance/maintainers.yaml", "\nmaintainers:\n", "\nmaintainers:\n" + DEMO_MAINTAINER),
      ("CHANGELOG.md", "", CHANGELOG_HEAD)], None),
    ("release",),
    ("bump", "definition"), ("bump", "checklist"),
    ("commit", EDITOR, "Reword the freedom to use",
     [("definition/what-is-open-source-ai.yaml", "for any purpose and without having", "for any purpose without having")],
     "freedom-to-use"),
    ("commit", EDITOR, "Curly quotes around the term AI system",
     [("definition/ai-system.yaml", 'the term "AI system"', "the term “AI system”")], None),
    ("commit", EDITOR, "Put the freedom to share before the freedom to study",
     [("definition/what-is-open-source-ai.yaml", SWAP[1], ""), ("definition/what-is-open-source-ai.yaml", *SWAP),
      ("definition/what-is-open-source-ai.yaml", "to adapt to your needs.\n", "to adapt to your needs.\n" + SWAP[0])],
     None),
    ("commit", EDITOR, "Add a clause to the out-of-scope issues",
     [("definition/out-of-scope.yaml", "not settle.'\n", "not settle.'\n" + DEMO_CLAUSE)], "data-rights"),
    ("commit", EDITOR, "Require the model parameters for the freedom to use",
     [("checklist/checklist.yaml", "  - component: model-parameters\n    legal_framework: TBD\n    requirements:\n"
       "      use: TBD", "  - component: model-parameters\n    legal_framework: TBD\n    requirements:\n"
       "      use: required"),
      ("checklist/checklist.yaml", "      share: TBD\n    note: >-\n      The Llama 2 working group was split on use",
       "      share: TBD\n    overrides:\n      use:\n        reason: 'Demo: a decision osaid demo makes against the "
       "tally; none was made.'\n        discussion: " + DISCUSS + "model-parameters\n    note: >-\n"
       "      The Llama 2 working group was split on use")], "model-parameters"),
    ("commit", EDITOR, "Count sample model outputs as documentation",
     [("checklist/components.yaml", "name: Sample model outputs\n    category: model",
       "name: Sample model outputs\n    category: documentation")], "sample-outputs"),
    ("release",),
    ("bump", "definition"),
    ("commit", EDITOR, "Rename clause preferred-form-question to preferred-form-text",
     [("definition/preferred-form.yaml", "id: preferred-form-question", "id: preferred-form-text")], None),
    ("commit", EDITOR, "Remove the clause on data rights",
     [("definition/out-of-scope.yaml", DEMO_CLAUSE, "")], "data-rights-removed"),
    ("commit", EDITOR, "Move the OECD text to the preamble",
     [("definition/ai-system.yaml", OECD_TEXT, ""), ("definition/preamble.yaml", "for.\n", "for.\n" + OECD_TEXT)],
     "oecd-text"),
    ("commit", EDITOR, "Add the license checklist section",
     [("definition/definition.yaml", "  - out-of-scope\n", "  - out-of-scope\n  - license-checklist\n"),
      ("definition/license-checklist.yaml", "", NEW_SECTION)], "license-checklist"),
    ("release",),
    ("bump", "definition"),
    ("commit", EDITOR, "Bring back the clause on data rights",
     [("definition/out-of-scope.yaml", "not settle.'\n",
       "not settle.'\n" + DEMO_CLAUSE.replace("demo-data-rights", "demo-data-rights-again"))], "data-rights-back"),
    ("commit", MAINTAINER, "Note on 0.0.8: the clause on data rights is back", [("notes/definition-0.0.8.yaml", "", NOTE)],
     None),
    ("release",),
]

TRY = [
    "osaid versions",
    "osaid diff v0.0.5 v0.0.6",
    "osaid diff v0.0.6 v0.0.7 --format html -o diff.html",
    "osaid history preferred-form-question",
    "osaid history demo-data-rights --commits",
    "osaid changelog v0.0.5..v0.0.8",
    "osaid verify",
    "git log --format='%h %ad %an: %s%n%(trailers:key=Discussion,key=Reviewed-by)' --date=short",
]


@dataclass
class Demo:
    root: str
    source: str
    releases: list[str] = field(default_factory=list)  # tag names, in order
    commits: int = 0
    commands: list[str] = field(default_factory=lambda: list(TRY))


def source() -> str:
    """The repository data osaid ships with: packaged in a wheel, or the checkout it runs from."""
    checkout = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for candidate in (PACKAGED, checkout):
        if os.path.isfile(os.path.join(candidate, layout.DEFINITION_FILE)):
            return candidate
    raise OsaidError(f"the data osaid ships with is missing (neither {PACKAGED} nor {checkout} holds "
                     f"{layout.DEFINITION_FILE}): reinstall osaid")


def _check_target(target: str) -> str:
    target = os.path.abspath(target)
    if os.path.lexists(target) and not (os.path.isdir(target) and not os.path.islink(target)
                                        and not os.listdir(target)):
        raise UsageError(f"{target} already exists and is not an empty folder: name a new folder for the demo")
    parent = os.path.dirname(target)
    if not os.path.isdir(parent):
        raise UsageError(f"{parent} does not exist: create it first, or name a folder in an existing one")
    return target


@contextmanager
def _identity(who: tuple[str, str], when: str) -> Iterator[None]:
    """git as `who` at `when`, with none of the user's git configuration."""
    keys = {"GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1], "GIT_COMMITTER_NAME": who[0],
            "GIT_COMMITTER_EMAIL": who[1], "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}
    unset = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_CONFIG_COUNT",
             "GIT_CONFIG_PARAMETERS", "GIT_CEILING_DIRECTORIES")
    saved = {k: os.environ.get(k) for k in (*keys, *unset)}
    os.environ.update(keys)
    for k in unset:
        os.environ.pop(k, None)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _apply(root: str, subject: str, edits: list) -> None:
    for rel, old, new in edits:
        path = os.path.join(root, rel)
        if old == "":
            os.makedirs(os.path.dirname(path), exist_ok=True)
            text = new
        else:
            with open(path, encoding="utf-8", newline="") as f:
                text = f.read()
            if old not in text:
                raise OsaidError(f"osaid demo: the step {subject!r} no longer applies to {rel} as osaid ships it "
                                 f"(it looks for {old[:60]!r}); please report it")
            text = text.replace(old, new, 1)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)


def _message(subject: str, discussion: str | None) -> str:
    trailers = f"\n\nDiscussion: {DISCUSS}{discussion}\n{REVIEW}" if discussion else ""
    return f"{subject}\n\n{SYNTHETIC}{trailers}\n"


def _play(root: str, start: datetime.date) -> tuple[list[str], int]:
    from osaid.releases import bump, release
    from osaid.render.changelog import WRITER
    from osaid.repo.states import States

    releases: list[str] = []
    commits = 0
    for i, step in enumerate(SCRIPT):
        day = start + datetime.timedelta(days=3 * i)
        when = f"{day.isoformat()}T12:00:00+00:00"
        who = step[1] if step[0] == "commit" else MAINTAINER
        with _identity(who, when):
            if step[0] == "commit":
                _, _, subject, edits, discussion = step
                _apply(root, subject, edits)
                git.run(root, "add", "-A")
                git.run(root, "commit", "-q", "--no-verify", "-F", "-", input=_message(subject, discussion))
            elif step[0] == "bump":
                with States(root) as states:
                    bumped = bump.plan(states, step[1], "draft", day.isoformat())
                bump.write(root, bumped)
                git.run(root, "commit", "-q", "--no-verify", "-a", "-F", "-",
                        input=_message(f"Start {step[1]} {bumped.new} (osaid bump draft)", None))
            else:
                git.forget_tags()
                with States(root) as states:
                    p = release.plan(states, None, day.isoformat() if releases else _data_date(root), WRITER)
                if not p.ok:
                    raise OsaidError("osaid demo: a release of the demo failed its checks; please report it:\n" +
                                     "\n".join(f"  {c.name}: {pr}" for c in p.checks for pr in c.problems))
                release.execute(root, p)
                releases += [t.tag for t in p.targets]
            commits += 1
    git.forget_tags()
    return releases, commits


def _data_date(root: str) -> str:
    from osaid.data import load

    with open(os.path.join(root, layout.DEFINITION_FILE), encoding="utf-8") as f:
        data, problems = load.parse(layout.DEFINITION_FILE, f.read())
    # the working version has no release date: the sandbox's story starts on the day of the
    # draft it is based on (based_on.date), when there is no date of its own
    date = data.get("date") or (data.get("based_on") or {}).get("date") if isinstance(data, dict) else None
    if problems or not isinstance(date, str):
        raise OsaidError(f"osaid demo: {layout.DEFINITION_FILE} as osaid ships it has neither a date nor a based_on.date")
    return date


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def build(target: str) -> Demo:
    """Make the demo repository at target (a new or empty folder): all of it, or nothing."""
    import tempfile

    target = _check_target(target)
    src = source()
    work = tempfile.mkdtemp(prefix=".osaid-demo-", dir=os.path.dirname(target))
    try:
        for name in COPIED:
            path = os.path.join(src, name)
            if os.path.isdir(path):
                shutil.copytree(path, os.path.join(work, name))
            elif os.path.isfile(path):
                shutil.copyfile(path, os.path.join(work, name))
        start = datetime.date.fromisoformat(_data_date(work))
        with _identity(MAINTAINER, f"{start.isoformat()}T12:00:00+00:00"):
            git.run(work, "init", "-q", "-b", "main")
        releases, commits = _play(work, start)
        os.chmod(work, 0o777 & ~_umask())  # mkdtemp made it private
        if os.path.isdir(target):
            os.rmdir(target)  # empty (checked): replaced by the finished demo
        os.rename(work, target)
    except git.GitError as e:
        shutil.rmtree(work, ignore_errors=True)
        raise OsaidError(f"osaid demo: git failed: {e}") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Demo(target, src, releases, commits)

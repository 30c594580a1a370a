"""A real git history of the definition, built with the git command line.

v0.0.5 + checklist-v0.0.1   the start (with a typo in the preamble)
v0.0.6 + checklist-v0.0.2   a freedom reworded (normative), the typo fixed and
                            a quote style changed (editorial), a clause added,
                            two freedoms swapped (moved), a checklist
                            requirement decided (normative), a component's
                            category changed (normative)
v0.0.7                      a clause ID renamed, a clause removed, a clause
                            moved to another section, a whole section added
v0.0.8                      the removed clause back under a new ID
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

BASE = Path(__file__).resolve().parent / "fixtures" / "history-base"  # frozen: goldens hold commit ids

DATES = iter(f"2024-0{m}-{d:02d}T12:00:00+00:00" for m in range(2, 10) for d in range(1, 29))


def _git(root: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ)
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env)
    assert out.returncode == 0, f"git {' '.join(args)}: {out.stderr}"
    return out.stdout


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def _commit(root: Path, message: str, tags: tuple[str, ...] = ()) -> None:
    date = next(DATES)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", message, date=date)
    for t in tags:
        _git(root, "tag", "-a", t, "-m", f"Release {t}", date=date)


def set_version(root: Path, rel: str, version: str, date: str) -> None:
    p = root / rel
    lines = p.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.startswith("version: "):
            lines[i] = f"version: {version}"
        elif line.startswith("date: "):
            lines[i] = f"date: '{date}'"
    p.write_text("\n".join(lines), encoding="utf-8")


def build(root: Path) -> Path:
    """Build the history in root (created); return root."""
    global DATES
    DATES = iter(f"2024-0{m}-{d:02d}T12:00:00+00:00" for m in range(2, 10) for d in range(1, 29))
    root.mkdir(parents=True)
    for d in ("definition", "checklist", "governance"):
        shutil.copytree(BASE / d, root / d)
    template = root.parent / f"{root.name}-template"
    template.mkdir(exist_ok=True)
    _git(root, "init", "-q", f"--template={template}", "-b", "main")

    # v0.0.5: the start, with a typo
    _edit(root, "definition/preamble.yaml", "why the world needs a definition", "why the world needs a defintion")
    _commit(root, "Draft 0.0.5", ("v0.0.5", "checklist-v0.0.1"))

    # v0.0.6
    set_version(root, "definition/definition.yaml", "0.0.6", "2024-02-16")
    _edit(root, "definition/what-is-open-source-ai.yaml",
          "text: Use the system for any purpose and without having to ask for permission.",
          "text: Use the system for any purpose without having to ask for permission.")
    _edit(root, "definition/preamble.yaml", "a defintion of", "a definition of")
    _edit(root, "definition/ai-system.yaml", 'the term "AI system"', "the term “AI system”")
    _edit(root, "definition/out-of-scope.yaml", "    text: 'TK: the issues this definition deliberately does not settle.'\n",
          "    text: 'TK: the issues this definition deliberately does not settle.'\n"
          "  - id: out-of-scope-data-rights\n"
          "    text: The rights to training data are governed by the laws that apply to that data.\n")
    swap = root / "definition/what-is-open-source-ai.yaml"
    text = swap.read_text(encoding="utf-8")
    study = "  - id: study\n    kind: freedom\n    text: Study how the system works and inspect its components.\n"
    share = "  - id: share\n    kind: freedom\n    text: Share the system with or without modifications, for any purpose.\n"
    text = text.replace(study, "@STUDY@").replace(share, study).replace("@STUDY@", share)
    swap.write_text(text, encoding="utf-8")
    set_version(root, "checklist/checklist.yaml", "0.0.2", "2024-02-16")
    _edit(root, "checklist/checklist.yaml", "  - component: model-parameters\n    legal_framework: TBD\n"
          "    requirements:\n      use: TBD", "  - component: model-parameters\n    legal_framework: TBD\n"
          "    requirements:\n      use: required")
    _edit(root, "checklist/components.yaml", "name: Sample model outputs\n    category: model",
          "name: Sample model outputs\n    category: documentation")
    _commit(root, "Draft 0.0.6: reword the freedom to use", ("v0.0.6", "checklist-v0.0.2"))

    # v0.0.7
    set_version(root, "definition/definition.yaml", "0.0.7", "2024-03-01")
    _edit(root, "definition/preferred-form.yaml", "id: preferred-form-question", "id: preferred-form-text")
    _edit(root, "definition/out-of-scope.yaml", "  - id: out-of-scope-data-rights\n"
          "    text: The rights to training data are governed by the laws that apply to that data.\n", "")
    moved = "  - id: oecd-ai-system-text\n    text: >-\n      TK: the OECD's definition of an AI system, quoted in full, with its\n      source.\n"
    _edit(root, "definition/ai-system.yaml", moved, "")
    p = root / "definition/preamble.yaml"
    p.write_text(p.read_text(encoding="utf-8") + moved, encoding="utf-8")
    _edit(root, "definition/definition.yaml", "  - out-of-scope\n", "  - out-of-scope\n  - license-checklist\n")
    (root / "definition/license-checklist.yaml").write_text(
        "# yaml-language-server: $schema=../tools/osaid/schemas/section.schema.json\n"
        "id: license-checklist\ntitle: License checklist\nclauses:\n"
        "  - id: checklist-purpose\n    text: The checklist says which components each freedom needs.\n"
        "  - id: checklist-legal\n    kind: requirement\n"
        "    text: Each required component is available under terms that grant the four freedoms.\n",
        encoding="utf-8")
    _commit(root, "Draft 0.0.7: add the license checklist section", ("v0.0.7",))

    # v0.0.8: the removed clause comes back under a new ID
    set_version(root, "definition/definition.yaml", "0.0.8", "2024-03-15")
    _edit(root, "definition/out-of-scope.yaml", "    text: 'TK: the issues this definition deliberately does not settle.'\n",
          "    text: 'TK: the issues this definition deliberately does not settle.'\n"
          "  - id: training-data-rights\n"
          "    text: The rights to training data are governed by the laws that apply to that data.\n")
    _commit(root, "Draft 0.0.8: bring back the clause on data rights", ("v0.0.8",))
    return root

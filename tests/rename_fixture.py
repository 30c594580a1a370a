"""A real git history where IDs are renamed while their text changes, built with git.

Five releases of the definition (v0.0.5 to v0.0.9) and four of the checklist:

v0.0.5 + checklist-v0.0.1   the start; the Llama 2 analysis records checklist_version 0.0.1
v0.0.6 + checklist-v0.0.2   declared: clause preferred-form-question -> preferred-form-components,
                            its text rewritten; component model-parameters -> model-weights,
                            renamed and described anew (its row follows)
v0.0.7 + checklist-v0.0.3   undeclared: clause oecd-ai-system -> oecd-ai-system-term (similar text);
                            component training-code -> training-pipeline-code (same name, new
                            description: similar by its name only); component usage-documentation
                            removed while the Llama 2 votes on it stay (made against 0.0.1)
v0.0.8 + checklist-v0.0.4   declared chain: preferred-form-components -> preferred-form-parts
                            (renamed_from names both older IDs), text rewritten again; a section
                            added first, and section ai-system moved from place 2 to place 5
v0.0.9                      declared: section out-of-scope -> scope-limits, retitled, its file renamed
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import history_fixture as hf

SECTION = "# yaml-language-server: $schema=../tools/osaid/schemas/section.schema.json\n"


def _release(root: Path, message: str, definition: str, checklist: str | None = None) -> None:
    date = f"2024-0{int(definition.rsplit('.', 1)[1]) - 3}-01"
    hf.set_version(root, "definition/definition.yaml", definition, date)
    tags = [f"v{definition}"]
    if checklist:
        hf.set_version(root, "checklist/checklist.yaml", checklist, date)
        p = root / "checklist/checklist.yaml"
        p.write_text(re.sub(r"(?m)^definition_version: .*$", f"definition_version: {definition}",
                            p.read_text(encoding="utf-8")), encoding="utf-8")
        tags.append(f"checklist-v{checklist}")
    hf._commit(root, message, tuple(tags))


def _component(root: Path, old: str, new: str) -> None:
    hf._edit(root, "checklist/components.yaml", old, new)


def build(root: Path) -> Path:
    """Build the history in root (created); return root."""
    hf.DATES = iter(f"2024-0{m}-{d:02d}T12:00:00+00:00" for m in range(2, 10) for d in range(1, 29))
    root.mkdir(parents=True)
    for d in ("definition", "checklist", "governance"):
        shutil.copytree(hf.BASE / d, root / d)
    template = root.parent / f"{root.name}-template"
    template.mkdir(exist_ok=True)
    hf._git(root, "init", "-q", f"--template={template}", "-b", "main")

    # v0.0.5: the start; the analysis says which checklist it was made against
    hf._edit(root, "checklist/systems/llama-2.yaml", "date: '2024-01-26'\n",
             "date: '2024-01-26'\nchecklist_version: 0.0.1\n")
    hf._commit(root, "Draft 0.0.5", ("v0.0.5", "checklist-v0.0.1"))

    # v0.0.6: two declared renames whose text changes too
    hf._edit(root, "definition/preferred-form.yaml",
             "  - id: preferred-form-question\n    text: >-\n"
             "      TK: what the preferred form to make modifications to an AI system is,\n"
             "      component by component, once the system analyses have been generalised.\n",
             "  - id: preferred-form-components\n    renamed_from: [preferred-form-question]\n    text: >-\n"
             "      The preferred form is the one in which a skilled person would change\n"
             "      each component: its code, its data and its parameters.\n")
    _component(root, "  - id: model-parameters\n    name: Model parameters\n    category: model\n"
               "    description: The values learned in training, such as weights.\n",
               "  - id: model-weights\n    renamed_from: [model-parameters]\n    name: Model weights\n"
               "    category: model\n    description: The weights and biases that training produced.\n")
    hf._edit(root, "checklist/checklist.yaml", "  - component: model-parameters\n", "  - component: model-weights\n")
    _release(root, "Draft 0.0.6: declare two renames", "0.0.6", "0.0.2")

    # v0.0.7: undeclared renames (one by its text, one by its name alone); a component removed
    hf._edit(root, "definition/ai-system.yaml",
             '  - id: oecd-ai-system\n    kind: term\n    text: This definition uses the term "AI system" as the OECD defines it.\n',
             '  - id: oecd-ai-system-term\n    kind: term\n'
             '    text: This definition uses the term "AI system" exactly as the OECD defines it.\n')
    _component(root, "  - id: training-code\n    name: Training code\n    category: code\n"
               "    description: Code that trains the model from the data.\n",
               "  - id: training-pipeline-code\n    name: Training code\n    category: code\n"
               "    description: Scripts and configuration that run each stage of the pipeline, end to end.\n")
    hf._edit(root, "checklist/checklist.yaml", "  - component: training-code\n", "  - component: training-pipeline-code\n")
    _component(root, "  - id: usage-documentation\n    name: Usage documentation\n    category: documentation\n"
               "    description: Documentation that explains how to run and use the system.\n", "")
    p = root / "checklist/checklist.yaml"
    text = p.read_text(encoding="utf-8")
    start = text.index("  - component: usage-documentation\n")
    end = text.find("  - component:", start + 10)
    p.write_text(text[:start] + (text[end:] if end != -1 else ""), encoding="utf-8")
    _release(root, "Draft 0.0.7: rename without declaring, drop usage documentation", "0.0.7", "0.0.3")

    # v0.0.8: the chain goes on, declared with both older IDs; a section added, another moved
    hf._edit(root, "definition/preferred-form.yaml",
             "  - id: preferred-form-components\n    renamed_from: [preferred-form-question]\n    text: >-\n"
             "      The preferred form is the one in which a skilled person would change\n"
             "      each component: its code, its data and its parameters.\n",
             "  - id: preferred-form-parts\n    renamed_from: [preferred-form-components, preferred-form-question]\n"
             "    text: >-\n      The preferred form is the one a skilled person would use to change\n"
             "      the system: all its code, a description of its data, and its weights.\n")
    hf._edit(root, "definition/definition.yaml", "  - preamble\n  - ai-system\n  - what-is-open-source-ai\n"
             "  - preferred-form\n", "  - definitions\n  - preamble\n  - what-is-open-source-ai\n  - preferred-form\n"
             "  - ai-system\n")
    (root / "definition/definitions.yaml").write_text(
        SECTION + "id: definitions\ntitle: Definitions\nclauses:\n"
        "  - id: definitions-intro\n    text: The terms below have the meaning given here.\n", encoding="utf-8")
    _release(root, "Draft 0.0.8: continue the rename, move the AI system section", "0.0.8", "0.0.4")

    # v0.0.9: a section renamed (its file too) and retitled, declared
    (root / "definition/out-of-scope.yaml").unlink()
    (root / "definition/scope-limits.yaml").write_text(
        SECTION + "id: scope-limits\nrenamed_from: [out-of-scope]\ntitle: Limits of scope\nclauses:\n"
        "  - id: out-of-scope-list\n    text: 'TK: the issues this definition deliberately does not settle.'\n",
        encoding="utf-8")
    hf._edit(root, "definition/definition.yaml", "  - out-of-scope\n", "  - scope-limits\n")
    _release(root, "Draft 0.0.9: rename the out-of-scope section", "0.0.9")
    return root

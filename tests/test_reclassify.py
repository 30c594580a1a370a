"""A reclassification covers exactly one change (issue 8, item 2): `osaid reclassify` writes it,
and a later edit of the same field is judged afresh by the commit-msg hook, `osaid verify`, the
pre-push hook, `osaid diff` and the release (real git, real pre-commit)."""

from __future__ import annotations

import json

from conftest import edit, git
from test_hooks import BIN, bump, commit, head, hooked, run  # noqa: F401  (hooked is a fixture)

CLAUSE = "definition/what-is-open-source-ai.yaml"
REVIEWED = "Reviewed-by: Rita Reviewer <rita@example.org>"


def osaid_cli(root, *args):
    return run(root, str(BIN / "osaid"), *args)


def test_a_reclassified_change_covers_nothing_later(hooked):
    """The bypass of the issue: 'any purpose' reclassified editorial, then 'non-commercial purposes'
    with no trailer: rejected by commit-msg, shown normative by osaid diff, refused by verify and pre-push."""
    bump(hooked)
    edit(hooked / CLAUSE, "for any purpose and", "for every purpose and")  # 'any' -> 'every': normative
    r = osaid_cli(hooked, "reclassify", "use", "--to", "editorial", "--reason", "Same scope in plainer words.")
    assert r.returncode == 0, r.stdout
    assert r.stdout.startswith("wrote in notes/definition-0.0.6.yaml: modified clause use (text), normative by the "
                               "rules (since v0.0.5), reclassified editorial\n"
                               "  Use the system for [-any-]{+every+} purpose and without having to ask for permission.\n")
    notes = (hooked / "notes/definition-0.0.6.yaml").read_text(encoding="utf-8")
    assert "    change: >-\n      Use the system for [-any-]{+every+} purpose and without having to ask\n" \
           "      for permission.\n    sha256: " in notes
    assert osaid_cli(hooked, "fmt").returncode == 1  # the clause is now folded: the hash is of the data, not the bytes
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Plainer freedom to use")  # the reclassification itself is substantive
    assert r.returncode != 0
    assert "GOV-17 this commit makes 1 change of meaning (substantive: modified notes definition-0.0.6 (reclassify))" \
        in r.stdout
    r = commit(hooked, "-m", "Plainer freedom to use", "--trailer", "Discussion: https://example.org/7",
               "--trailer", REVIEWED)
    assert r.returncode == 0, r.stdout
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode == 0, r.stdout
    out = osaid_cli(hooked, "diff", "--document", "definition").stdout
    assert "[editorial] modified clause use (text) (reclassified editorial: Same scope in plainer words.)" in out

    # the same field again: another change, judged afresh
    edit(hooked / CLAUSE, "for every purpose and", "for non-commercial purposes and")
    osaid_cli(hooked, "fmt")
    git(hooked, "add", "-A")
    before = head(hooked)
    r = commit(hooked, "-m", "Narrow the freedom to use")
    assert r.returncode != 0
    assert "GOV-17 this commit makes 1 change of meaning (normative: modified clause use (text))" in r.stdout
    assert head(hooked) == before
    r = osaid_cli(hooked, "diff", "--document", "definition", "--format", "json")
    (use,) = [c for c in json.loads(r.stdout)["documents"][0]["changes"] if c["id"] == "use"]
    assert (use["severity"], use["note"]) == ("normative", None)

    r = commit(hooked, "--no-verify", "-m", "Narrow the freedom to use")  # past the local hooks
    assert r.returncode == 0, r.stdout
    sha = head(hooked)[:10]
    r = osaid_cli(hooked, "verify", "--range", "origin/main..main")
    assert r.returncode == 1
    assert f"{sha}: GOV-18 commit {sha} (2024-01-26, Narrow the freedom to use) makes 1 change of meaning but is reviewed " \
           "by 0 maintainers other than its author" in r.stdout
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode != 0
    assert f"GOV-18 commit {sha} (2024-01-26, Narrow the freedom to use)" in r.stdout
    assert git(hooked, "rev-parse", "origin/main").strip() != head(hooked)

    # discussed and reviewed after all, it is pushed; the release then finds the reclassification stale
    r = commit(hooked, "--amend", "--no-edit", "--trailer", "Discussion: https://example.org/8", "--trailer", REVIEWED)
    assert r.returncode == 0, r.stdout
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode == 0, r.stdout
    r = osaid_cli(hooked, "release", "--dry-run", "--date", "2024-04-01")
    assert r.returncode == 1
    assert "notes/definition-0.0.6.yaml: GOV-4 reclassifies a change of use (text) (Use the system for " \
           "[-any-]{+every+} purpose and without having to ask for permission.) that is not the change from 0.0.5 " \
           "to 0.0.6: the item changed after it was reclassified, and that change is judged afresh; run osaid " \
           "reclassify use again, or remove the entry" in r.stdout


def test_reclassify_refuses_what_it_cannot_pin_down(osaid, git_repo):
    root = git_repo
    notes = root / "notes/definition-0.0.6.yaml"
    r = osaid("reclassify", "use", "--to", "editorial", "--reason", "x", cwd=root)
    assert (r.code, r.err) == (2, "osaid: 'use' has no release to compare with: a reclassification covers a change "
                                  "since the last release\n")
    git(root, "tag", "-a", "v0.0.5", "-m", "0.0.5")
    git(root, "tag", "-a", "checklist-v0.0.1", "-m", "0.0.1")
    edit(root / CLAUSE, "for any purpose and", "for every purpose and")
    r = osaid("reclassify", "use", "--to", "editorial", "--reason", "x", cwd=root)
    assert (r.code, r.err) == (2, "osaid: definition 0.0.5 is released and frozen: bump it first (osaid bump draft "
                                  "--document definition), then reclassify the changes of the new version\n")
    edit(root / "definition/definition.yaml", "version: 0.0.5", "version: 0.0.6")
    edit(root / "checklist/checklist.yaml", "version: 0.0.1", "version: 0.0.2")
    edit(root / "checklist/components.yaml", "such as weights.", "such as the weights.")  # a component and its row
    edit(root / "checklist/checklist.yaml", "component: model-parameters\n    legal_framework: TBD",
         "component: model-parameters\n    legal_framework: Copyright")
    # renamed, moved to another section and reworded: three changes, so --field says which
    d = root / "definition"
    moved = "  - id: oecd-ai-system-text\n    text: >-\n      TK: the OECD's definition of an AI system, quoted in full, with its\n      source.\n"
    edit(d / "ai-system.yaml", moved, "")
    with open(d / "preamble.yaml", "a", encoding="utf-8") as f:
        f.write(moved.replace("oecd-ai-system-text", "oecd-quote").replace("in full", "in full,"))
    cases = [
        (("nope",), "osaid: no item 'nope' in the definition or the checklist: give an ID as the YAML has it\n"),
        (("study",), "osaid: 'study' has not changed since the last release: there is no change to reclassify\n"),
        (("use", "--field", "kind"), "osaid: 'use' has no change of field 'kind' since v0.0.5; its changes: modified clause "
                                     "use (text), normative (--field text)\n"),
        (("model-parameters",), "osaid: 'model-parameters' has 2 changes since checklist-v0.0.1; say which:\n"
                                "  --item component --field description: modified component model-parameters "
                                "(description), substantive\n"
                                "  --item row --field legal_framework: modified checklist row model-parameters "
                                "(legal_framework), normative\n"),
        (("model-parameters", "--item", "vote"), "osaid: 'model-parameters' has no change of item 'vote' since "
                                                 "checklist-v0.0.1; its changes: modified component model-parameters "
                                                 "(description), substantive (--item component --field description); "
                                                 "modified checklist row model-parameters (legal_framework), normative "
                                                 "(--item row --field legal_framework)\n"),
        (("use", "--reason", "  "), "osaid: --reason must say why (it is shown in the changelog)\n"),
        (("use", "--to", "normative"), "osaid: the change of 'use' (modified clause use (text), normative) is "
                                       "normative by the rules already: nothing to reclassify\n"),
        (("oecd-quote",), "osaid: 'oecd-quote' has 3 changes since v0.0.5; say which:\n"
                          "  --field id: renamed clause oecd-ai-system-text → oecd-quote (similarity 1.00; "
                          "substantive: it also moved; undeclared: declare it with renamed_from: [oecd-ai-system-text]), substantive\n"
                          "  --field container: moved clause oecd-quote from ai-system to preamble, substantive\n"
                          "  --field text: modified clause oecd-quote (text), editorial\n"),
    ]
    for args, err in cases:
        extra = [a for a in ("--to", "--reason") if a not in args]
        defaults = {"--to": "editorial", "--reason": "A reason."}
        r = osaid("reclassify", *args, *[x for a in extra for x in (a, defaults[a])], cwd=root)
        assert (r.code, r.err) == (2, err), args
        assert not notes.exists(), args  # nothing written

    # an invalid notes file is never rewritten
    notes.parent.mkdir()
    notes.write_text("document: definition\nversion: 0.0.6\nnotes: []\n", encoding="utf-8")
    r = osaid("reclassify", "use", "--to", "editorial", "--reason", "x", cwd=root)
    assert r.code == 1
    assert r.err.startswith("osaid: notes/definition-0.0.6.yaml:3:8: GOV-2 notes: must not be empty\n")  # and nothing else
    assert notes.read_text(encoding="utf-8") == "document: definition\nversion: 0.0.6\nnotes: []\n"

    # a valid one keeps its notes and comments; the entry is written canonical, then replaced, not doubled
    notes.write_text("# yaml-language-server: $schema=../tools/osaid/schemas/notes.schema.json\n"
                     "document: definition\nversion: 0.0.6\n# kept\nnotes:\n  - text: Keep me.\n    ids: [use]\n",
                     encoding="utf-8")
    r = osaid("reclassify", "oecd-quote", "--field", "id", "--to", "editorial", "--reason", "A shorter ID.", cwd=root)
    assert r.code == 0, r.err
    r = osaid("reclassify", "use", "--to", "substantive", "--reason", "First thought.", cwd=root)
    assert r.code == 0, r.err
    r = osaid("reclassify", "use", "--to", "editorial", "--reason", "Same scope in plainer words.", cwd=root)
    assert (r.code, r.out.split(":", 1)[0]) == (0, "replaced in notes/definition-0.0.6.yaml")
    text = notes.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../tools/osaid/schemas/notes.schema.json\n"
                           "document: definition\nversion: 0.0.6\n# kept\nnotes:\n  - text: Keep me.\n    ids: [use]\n"
                           "reclassify:\n  - id: oecd-quote\n    field: id\n    change: oecd-ai-system-text → oecd-quote\n"
                           "    sha256: ")
    assert text.count("  - id: use\n") == 1 and "Same scope in plainer words." in text and "First thought" not in text
    r = osaid("reclassify", "model-parameters", "--item", "row", "--to", "substantive", "--reason", "Named, not "
              "decided.", cwd=root)
    assert r.code == 0, r.err
    assert r.out.startswith("wrote in notes/checklist-0.0.2.yaml: modified checklist row model-parameters "
                            "(legal_framework), normative by the rules (since checklist-v0.0.1), reclassified "
                            "substantive\n  [-TBD-]{+Copyright+}\n")
    assert osaid("fmt", "--check", "notes", cwd=root).code == 0
    assert osaid("fmt", cwd=root).code == 1 and osaid("validate", cwd=root).code == 0
    out = osaid("diff", "--document", "definition", cwd=root).out
    assert "[editorial] renamed clause oecd-ai-system-text → oecd-quote (similarity 1.00; substantive: it also " \
           "moved; undeclared: declare it with renamed_from: [oecd-ai-system-text]; reclassified editorial: A shorter ID.)" in out
    assert "[substantive] moved clause oecd-quote from ai-system to preamble" in out  # not covered: its own change
    assert "[editorial] modified clause use (text) (reclassified editorial: Same scope in plainer words.)" in out


def test_an_old_style_reclassification_is_refused_with_a_fix(osaid, git_repo):
    """Entries that name no exact change (every change of a field, as before) are located GOV-2 errors,
    and osaid reclassify replaces one for the same item and field (and only then writes)."""
    root = git_repo
    git(root, "tag", "-a", "v0.0.5", "-m", "0.0.5")
    edit(root / "definition/definition.yaml", "version: 0.0.5", "version: 0.0.6")
    edit(root / CLAUSE, "for any purpose and", "for all purpose and")
    (root / "notes").mkdir()
    notes = root / "notes/definition-0.0.6.yaml"
    old_style = ("# yaml-language-server: $schema=../tools/osaid/schemas/notes.schema.json\n"
                 "document: definition\nversion: 0.0.6\nreclassify:\n  - id: use\n    field: text\n"
                 "    severity: editorial\n    reason: Any change of the text.\n")
    notes.write_text(old_style + "  - id: study\n    severity: editorial\n    reason: Any change.\n", encoding="utf-8")
    r = osaid("validate", cwd=root)
    assert r.code == 1
    assert r.out.startswith("notes/definition-0.0.6.yaml:5:5: GOV-2 reclassify[0]: missing required key 'change' ")
    assert "notes/definition-0.0.6.yaml:5:5: GOV-2 reclassify[0]: missing required key 'sha256' (The exact change " \
           "covered: the SHA-256 of its document, ID, field, before and after, so that a later edit is judged " \
           "afresh; write the entry with: osaid reclassify ID [--field FIELD] --to SEVERITY --reason TEXT)\n" in r.out
    assert "notes/definition-0.0.6.yaml:9:5: GOV-2 reclassify[1]: missing required key 'sha256' " in r.out
    before = notes.read_bytes()
    r = osaid("reclassify", "use", "--to", "editorial", "--reason", "Same scope.", cwd=root)
    assert r.code == 1 and "reclassify[1]: missing required key 'sha256'" in r.err  # study's is still old-style
    assert r.err.endswith("osaid reclassify: nothing written: fix notes/definition-0.0.6.yaml first\n")
    assert notes.read_bytes() == before
    notes.write_text(old_style, encoding="utf-8")
    r = osaid("reclassify", "use", "--to", "editorial", "--reason", "Same scope.", cwd=root)
    assert (r.code, r.out.split(":", 1)[0]) == (0, "replaced in notes/definition-0.0.6.yaml"), r.err
    assert osaid("validate", "notes", cwd=root).code == 0
    assert "sha256: " in notes.read_text(encoding="utf-8") and "Any change of the text" not in notes.read_text()

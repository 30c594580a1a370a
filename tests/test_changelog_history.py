"""osaid changelog and osaid history on the fixture history."""

from __future__ import annotations

import json

from conftest import edit, git
from test_diff import golden


def test_changelog_golden_and_deterministic(osaid, writable_history):
    r = osaid("changelog", cwd=writable_history)
    assert (r.code, r.out) == (0, "wrote CHANGELOG.md (6 releases)\n")
    first = (writable_history / "CHANGELOG.md").read_bytes()
    golden("CHANGELOG.md", first.decode("utf-8"))
    assert osaid("changelog", cwd=writable_history).out == "CHANGELOG.md is up to date\n"
    assert (writable_history / "CHANGELOG.md").read_bytes() == first
    assert osaid("changelog", "--check", cwd=writable_history).code == 0


def test_changelog_keeps_text_above_the_marker_and_its_line_endings(osaid, writable_history):
    from osaid.render.changelog import CHANGELOG_MARKER as MARKER

    p = writable_history / "CHANGELOG.md"
    p.write_bytes(f"# Our changelog\r\n\r\nWritten by hand.\r\n\r\n{MARKER}\r\nstale\r\n".encode())
    r = osaid("changelog", "--check", cwd=writable_history)
    assert (r.code, r.out) == (1, "CHANGELOG.md: GOV-9 differs from what the release tags give: run osaid changelog\n")
    osaid("changelog", cwd=writable_history)
    text = p.read_bytes().decode()
    assert text.startswith(f"# Our changelog\r\n\r\nWritten by hand.\r\n\r\n{MARKER}\r\n\r\n## Definition\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_changelog_notes_and_a_note_naming_a_missing_id(osaid, writable_history):
    notes = writable_history / "notes"
    notes.mkdir()
    (notes / "definition-0.0.9.yaml").write_text(
        "# yaml-language-server: $schema=../tools/osaid/schemas/notes.schema.json\n"
        "document: definition\nversion: 0.0.9\nnotes:\n"
        "  - text: The freedom to use is shorter.\n    ids: [use]\n", encoding="utf-8")
    edit(writable_history / "definition/definition.yaml", "version: 0.0.8", "version: 0.0.9")
    assert osaid("validate", cwd=writable_history).code == 0
    git(writable_history, "commit", "-qam", "0.0.9")
    git(writable_history, "add", "notes")
    git(writable_history, "commit", "-qm", "notes")
    git(writable_history, "tag", "-a", "v0.0.9", "-m", "0.0.9")
    r = osaid("changelog", "0.0.8..0.0.9", cwd=writable_history)
    assert r.code == 0
    assert "Notes:\n\n- The freedom to use is shorter. (`use`)" in r.out or \
           "Notes:\n- The freedom to use is shorter. (`use`)" in r.out

    edit(notes / "definition-0.0.9.yaml", "ids: [use]", "ids: [usage]")
    r = osaid("validate", cwd=writable_history)
    assert r.out == ("notes/definition-0.0.9.yaml:6:11: GOV-4 note names 'usage', which is in neither "
                     "definition 0.0.9 nor its latest release: fix the ID\n")
    git(writable_history, "commit", "-qam", "bad note")
    git(writable_history, "tag", "-f", "-a", "v0.0.9", "-m", "0.0.9")
    r = osaid("changelog", cwd=writable_history)
    assert r.code == 1
    assert r.out == ("notes/definition-0.0.9.yaml: GOV-4 note names 'usage', which is in neither 0.0.9 "
                     "nor the version before it: fix the ID\n")
    assert not (writable_history / "CHANGELOG.md").exists()


def test_changelog_range_json_and_errors(osaid, history_repo):
    r = osaid("changelog", "v0.0.6..v0.0.8", "--format", "json", cwd=history_repo)
    entries = json.loads(r.out)
    assert [e["version"] for e in entries] == ["0.0.8", "0.0.7"]
    assert entries[0]["summary"] == {"normative": 0, "substantive": 1, "editorial": 0}
    r = osaid("changelog", "checklist-v0.0.1..checklist-v0.0.2", "--format", "json", cwd=history_repo)
    assert [(e["document"], e["version"]) for e in json.loads(r.out)] == [("checklist", "0.0.2")]
    r = osaid("changelog", "0.0.6..0.0.9", cwd=history_repo)
    assert (r.code, r.err) == (2, "osaid: definition 0.0.9 is not a released version "
                                  "(released: 0.0.8, 0.0.7, 0.0.6, 0.0.5)\n")
    assert osaid("changelog", "0.0.6", cwd=history_repo).code == 2


def test_history_across_versions(osaid, history_repo):
    r = osaid("history", "use", cwd=history_repo)
    golden("history-use.txt", r.out)
    h = json.loads(osaid("history", "use", "--format", "json", cwd=history_repo).out)
    assert [(e["version"], e["state"], [c["kind"] for c in e["changes"]]) for e in h["events"]] == [
        ("0.0.5", "v0.0.5", ["added"]), ("0.0.6", "v0.0.6", ["modified"])]
    assert h["events"][1]["changes"][0]["severity"] == "normative"
    assert h["events"][1]["author"] == "Ada Editor"


def test_history_follows_a_rename(osaid, history_repo):
    h = json.loads(osaid("history", "preferred-form-question", "--format", "json", cwd=history_repo).out)
    assert h["current"] == ["preferred-form-text"]
    assert [c["kind"] for e in h["events"] for c in e["changes"]] == ["added", "renamed"]
    # and from the new name back to the start
    h2 = json.loads(osaid("history", "preferred-form-text", "--format", "json", cwd=history_repo).out)
    assert [(e["version"], [c["kind"] for c in e["changes"]]) for e in h2["events"]] == [
        ("0.0.5", ["added"]), ("0.0.7", ["renamed"])]
    assert h2["events"] == h["events"] and h2["current"] == h["current"]


def test_history_across_removal_and_readdition_with_commits(osaid, history_repo):
    r = osaid("history", "out-of-scope-data-rights", "--commits", cwd=history_repo)
    golden("history-out-of-scope-data-rights-commits.txt", r.out)
    h = json.loads(osaid("history", "out-of-scope-data-rights", "--commits", "--format", "json", cwd=history_repo).out)
    kinds = [(e["version"], c["kind"], c["id"]) for e in h["events"] for c in e["changes"]]
    assert kinds == [("0.0.6", "added", "out-of-scope-data-rights"),
                     ("0.0.7", "removed", "out-of-scope-data-rights"),
                     ("0.0.8", "added", "training-data-rights")]
    assert h["events"][2]["changes"][0]["note"] == "back under a new ID: was out-of-scope-data-rights, similarity 1.00"
    assert all(len(e["commit"]) == 40 for e in h["events"])


def test_history_markdown_and_component_with_its_row(osaid, history_repo):
    md = osaid("history", "model-parameters", "--format", "markdown", cwd=history_repo).out
    assert md.startswith("### History of `model-parameters` in the checklist\n")
    assert "**normative** · modified checklist row model-parameters (requirements.use): " \
           "<del>TBD</del> → <ins>required</ins>" in md


def test_history_errors(osaid, history_repo, data_repo):
    r = osaid("history", "no-such-id", cwd=history_repo)
    assert (r.code, r.err) == (1, "osaid: no clause, component or other item has the ID 'no-such-id' in any "
                                  "release or the work tree\n")
    r = osaid("history", "use", cwd=data_repo)
    assert r.code == 2 and "not a git repository" in r.err


def test_this_repositorys_changelog_is_up_to_date(osaid):
    from conftest import REPO

    r = osaid("changelog", "--check", cwd=REPO)
    assert (r.code, r.out) == (0, "")


def test_a_reclassification_is_shown_in_the_changelog(osaid, writable_history):
    root = writable_history
    edit(root / "definition/definition.yaml", "version: 0.0.8", "version: 0.0.9")
    edit(root / "definition/preamble.yaml", "the world needs", "the world wants")
    r = osaid("reclassify", "why-open-source-ai", "--to", "editorial", "--reason", "A synonym in a placeholder.",
              cwd=root)
    assert r.code == 0, r.err
    git(root, "add", "-A")
    git(root, "commit", "-qm", "0.0.9")
    git(root, "tag", "-a", "v0.0.9", "-m", "0.0.9")
    r = osaid("changelog", "0.0.8..0.0.9", cwd=root)
    assert "1 change: 1 editorial." in r.out
    assert "- **editorial** · modified clause why-open-source-ai (text) _(reclassified editorial: A synonym in a " \
           "placeholder.)_: TK: why the world <del>needs</del><ins>wants</ins> a definition" in r.out


def test_a_changelog_that_is_not_utf8(osaid, writable_history):
    (writable_history / "CHANGELOG.md").write_bytes(b"# Changes\n\xff\n")
    r = osaid("changelog", cwd=writable_history)
    assert (r.code, r.err) == (1, "osaid: CHANGELOG.md is not UTF-8: save it as UTF-8 first\n")
    assert (writable_history / "CHANGELOG.md").read_bytes() == b"# Changes\n\xff\n"
    r = osaid("verify", cwd=writable_history)
    assert "CHANGELOG.md: GOV-9 differs from what the release tags give: run osaid changelog" in r.out
    git(writable_history, "add", "CHANGELOG.md")
    git(writable_history, "commit", "-qm", "a broken changelog")
    edit(writable_history / "definition/definition.yaml", "version: 0.0.8", "version: 0.0.9")
    git(writable_history, "commit", "-qam", "0.0.9")
    r = osaid("release", "--dry-run", cwd=writable_history)
    assert r.code == 1
    assert r.out.splitlines()[-2:] == ["  FAIL  CHANGELOG.md can be regenerated",
                                       "        CHANGELOG.md is not UTF-8: save it as UTF-8 first"]

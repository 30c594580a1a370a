"""Renames, declared (renamed_from) and undeclared, on a real history (tests/rename_fixture.py):
golden diffs, changelog and histories; history from any ID of a chain; one computation of a
move's places; renamed_from validated (GOV-14); analyses checked against their checklist version."""

from __future__ import annotations

import json
import re

import pytest
import rename_fixture
from conftest import git, hermetic_env, run_console
from test_diff import golden

CHAINS = [  # (document, oldest ID, newest ID)
    ("definition", "preferred-form-question", "preferred-form-parts"),
    ("definition", "oecd-ai-system", "oecd-ai-system-term"),
    ("definition", "out-of-scope", "scope-limits"),
    ("checklist", "model-parameters", "model-weights"),
    ("checklist", "training-code", "training-pipeline-code"),
]


@pytest.fixture(scope="module")
def renames_repo(tmp_path_factory):
    mp = hermetic_env(tmp_path_factory)
    root = rename_fixture.build(tmp_path_factory.mktemp("renames") / "repo")
    yield root
    mp.undo()


@pytest.fixture
def clone(tmp_path, renames_repo):
    c = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(renames_repo), str(c))
    git(c, "fetch", "-q", "--tags")
    return c


def test_every_release_of_the_fixture_is_valid(osaid, renames_repo):
    for tag in ("v0.0.5", "v0.0.6", "v0.0.7", "v0.0.8", "v0.0.9"):
        git(renames_repo, "checkout", "-q", tag)
        r = osaid("validate", cwd=renames_repo)
        assert r.code == 0, (tag, r.out, r.err)
    git(renames_repo, "checkout", "-q", "main")


@pytest.mark.parametrize("fmt,ext", [("text", "txt"), ("markdown", "md"), ("json", "json"), ("html", "html")])
def test_diff_golden(osaid, renames_repo, fmt, ext):
    r = osaid("diff", "v0.0.5", "v0.0.9", "--format", fmt, cwd=renames_repo)
    assert (r.code, r.err) == (0, "")
    golden(f"renames-diff-v0.0.5-v0.0.9.{ext}", r.out)


def test_declared_and_undeclared_renames_in_the_diff(osaid, renames_repo):
    r = osaid("diff", "v0.0.5", "v0.0.9", "--format", "json", cwd=renames_repo)
    changes = [c for d in json.loads(r.out)["documents"] for c in d["changes"]]
    renamed = {(c["item"], c["before"], c["after"]): c["note"] for c in changes if c["kind"] == "renamed"}
    assert renamed == {
        # across three versions: preferred-form-parts names both older IDs
        ("clause", "preferred-form-question", "preferred-form-parts"): "declared (renamed_from), similarity 0.37",
        ("clause", "oecd-ai-system", "oecd-ai-system-term"): "similarity 0.97; normative: its text changed too; "
                                                             "undeclared: declare it with renamed_from: [oecd-ai-system]",
        ("section", "out-of-scope", "scope-limits"): "declared (renamed_from), similarity 0.73",
        # similar by its name alone: the description was rewritten
        ("component", "training-code", "training-pipeline-code"):
            "similarity of its name 1.00; substantive: its description changed too; "
            "undeclared: declare it with renamed_from: [training-code]",
        ("component", "model-parameters", "model-weights"): "declared (renamed_from), similarity 0.61",
        # a row follows its component's declaration
        ("row", "training-code", "training-pipeline-code"):
            "similarity 1.00; undeclared: declare it with renamed_from: [training-code] on its component",
        ("row", "model-parameters", "model-weights"): "declared (renamed_from), similarity 1.00",
    }
    assert [(c["kind"], c["id"]) for c in changes if c["kind"] in ("added", "removed") and c["item"] in
            ("clause", "section")] == [("added", "definitions"), ("added", "definitions-intro")]
    # the removed component keeps its votes: no vote changed
    assert not [c for c in changes if c["item"] == "vote"]
    assert [(c["kind"], c["id"]) for c in changes if c["kind"] == "removed"] == [
        ("removed", "usage-documentation"), ("removed", "usage-documentation")]


def test_changelog_golden(osaid, clone):
    r = osaid("changelog", cwd=clone)
    assert (r.code, r.out) == (0, "wrote CHANGELOG.md (9 releases)\n")
    golden("renames-CHANGELOG.md", (clone / "CHANGELOG.md").read_text(encoding="utf-8"))
    r = osaid("changelog", "v0.0.5..v0.0.9", "--format", "json", cwd=clone)
    assert (r.code, r.err) == (0, "")
    golden("renames-changelog-v0.0.5..v0.0.9.json", r.out)
    renamed = [(e["version"], c["before"], c["note"].split(",")[0]) for e in json.loads(r.out)
               for c in e["changes"] if c["kind"] == "renamed"]
    assert renamed == [("0.0.9", "out-of-scope", "declared (renamed_from)"),
                       ("0.0.8", "preferred-form-components", "declared (renamed_from)"),
                       ("0.0.7", "oecd-ai-system", "similarity 0.97; normative: its text changed too; undeclared: "
                                                   "declare it with renamed_from: [oecd-ai-system]"),
                       ("0.0.6", "preferred-form-question", "declared (renamed_from)")]


@pytest.mark.parametrize("document,oldest,newest", CHAINS)
def test_history_from_either_end_of_a_chain_is_the_same_life(osaid, renames_repo, document, oldest, newest):
    outs = {}
    for fmt, ext in (("text", "txt"), ("markdown", "md"), ("json", "json")):
        new = osaid("history", newest, "--format", fmt, cwd=renames_repo)
        old = osaid("history", oldest, "--format", fmt, cwd=renames_repo)
        assert (new.code, new.err, old.code, old.err) == (0, "", 0, ""), (new.err, old.err)
        golden(f"renames-history-{newest}.{ext}", new.out)
        outs[fmt] = (old.out, new.out)
    old, new = (json.loads(x) for x in outs["json"])
    assert old["events"] == new["events"] and old["current"] == new["current"] == [newest]
    assert old["document"] == new["document"] == document
    assert [c["kind"] for e in new["events"] for c in e["changes"]][:1] == ["added"]
    assert oldest in [c["before"] for e in new["events"] for c in e["changes"] if c["kind"] == "renamed"] or \
        any(c["id"] == oldest for c in new["events"][0]["changes"])
    # the text differs only in its heading
    assert outs["text"][0].split("\n")[1:] == outs["text"][1].split("\n")[1:]
    assert outs["text"][0].split("\n")[0] == f"history of {oldest} in the {document} (now {newest})"


def test_history_from_the_middle_of_a_chain_and_by_commits(osaid, renames_repo):
    ends = json.loads(osaid("history", "preferred-form-parts", "--format", "json", cwd=renames_repo).out)
    middle = json.loads(osaid("history", "preferred-form-components", "--format", "json", cwd=renames_repo).out)
    assert middle["events"] == ends["events"]
    assert [(e["version"], [c["kind"] for c in e["changes"]]) for e in ends["events"]] == [
        ("0.0.5", ["added"]), ("0.0.6", ["renamed", "modified"]), ("0.0.8", ["renamed", "modified"])]
    by_commit = json.loads(osaid("history", "preferred-form-parts", "--commits", "--format", "json",
                                 cwd=renames_repo).out)
    assert [[c["kind"] for c in e["changes"]] for e in by_commit["events"]] == [
        ["added"], ["renamed", "modified"], ["renamed", "modified"]]


def test_diff_and_history_give_the_same_places(osaid, renames_repo):
    d = osaid("diff", "v0.0.7", "v0.0.8", "--document", "definition", cwd=renames_repo).out
    h = osaid("history", "ai-system", cwd=renames_repo).out
    # places as a reader counts them, in the whole old and new lists (a section was added first)
    line = "[editorial] moved section ai-system from place 2 to 5"
    assert line in d and line in h, (d, h)
    for commits in ((), ("--commits",)):
        dj = json.loads(osaid("diff", "v0.0.7", "v0.0.8", "--format", "json", cwd=renames_repo).out)
        hj = json.loads(osaid("history", "ai-system", *commits, "--format", "json", cwd=renames_repo).out)
        moved_d = [(c["before"], c["after"]) for doc in dj["documents"] for c in doc["changes"] if c["kind"] == "moved"]
        moved_h = [(c["before"], c["after"]) for e in hj["events"] for c in e["changes"] if c["kind"] == "moved"]
        assert moved_d == moved_h == [(2, 5)]


def _validate(osaid, root):
    r = osaid("validate", cwd=root)
    return r.code, r.out + r.err


def test_renamed_from_is_checked(osaid, clone):
    d = clone / "definition"
    text = (d / "preferred-form.yaml").read_text(encoding="utf-8")
    # an old ID still in use, one that no release had, one taken by two items, one of another kind
    (d / "preferred-form.yaml").write_text(text.replace(
        "    renamed_from: [preferred-form-components, preferred-form-question]\n",
        "    renamed_from: [preferred-form-components, use, no-such-clause]\n") +
        "  - id: preferred-form-extra\n    renamed_from: [preferred-form-components, out-of-scope]\n"
        "    text: More.\n",
        encoding="utf-8")
    code, out = _validate(osaid, clone)
    assert code == 1
    assert re.findall(r"^.*GOV-14.*$", out, re.M) == [
        "definition/preferred-form.yaml:6:47: GOV-14 renamed_from names 'use', which is still in use in the "
        "definition: an ID is renamed from one that is gone; remove it from renamed_from, or rename that one",
        "definition/preferred-form.yaml:6:52: GOV-14 renamed_from names 'no-such-clause', which is not a clause "
        "of the last release of the definition: fix the ID, or remove it",
        "definition/preferred-form.yaml:11:20: GOV-14 'preferred-form-components' is declared as the old ID of "
        "'preferred-form-extra' and of 'preferred-form-parts': an old ID has one successor; remove one",
        # a section's old ID (renamed away in 0.0.9) declared on a clause
        "definition/preferred-form.yaml:11:47: GOV-14 renamed_from names 'out-of-scope', which is not a clause of "
        "the last release of the definition (it was a section: a rename keeps the kind of item): fix the ID, or "
        "remove it",
    ], out


def test_renamed_from_before_any_release(osaid, data_repo):
    rel = data_repo / "definition" / "preamble.yaml"
    text = rel.read_text(encoding="utf-8")
    rel.write_text(text.replace("  - id: why-open-source-ai\n", "  - id: why-open-source-ai\n"
                                "    renamed_from: [why-now]\n", 1), encoding="utf-8")
    code, out = _validate(osaid, data_repo)
    assert code == 1
    assert "GOV-14 renamed_from names 'why-now', but the definition has no release yet: a rename before the " \
           "first release needs no declaration; remove renamed_from" in out


def test_fmt_keeps_renamed_from_after_the_id(osaid, clone):
    p = clone / "definition" / "preferred-form.yaml"
    text = p.read_text(encoding="utf-8")
    moved = text.replace("  - id: preferred-form-parts\n    renamed_from: [preferred-form-components, preferred-form-question]\n",
                         "  - renamed_from: [preferred-form-components, preferred-form-question]\n    id: preferred-form-parts\n")
    assert moved != text
    p.write_text(moved, encoding="utf-8")
    r = osaid("fmt", cwd=clone)
    assert r.code == 1, r.out + r.err
    assert "  - id: preferred-form-parts\n    renamed_from: [preferred-form-components, preferred-form-question]\n" \
        in p.read_text(encoding="utf-8")
    assert osaid("validate", cwd=clone).code == 0


def test_textconv_shows_the_declaration(osaid, renames_repo):
    r = osaid("textconv", str(renames_repo / "definition" / "preferred-form.yaml"), cwd=renames_repo)
    assert "clauses[preferred-form-parts].renamed_from: [preferred-form-components, preferred-form-question]\n" in r.out


def test_an_id_renamed_away_is_never_used_again(clone):
    """GOV-14: bringing back preferred-form-question with its own last text was fine for an ID that was
    merely removed; renamed away (declared), it stays retired."""
    p = clone / "definition" / "preferred-form.yaml"
    kept = p.read_text(encoding="utf-8").replace(
        "    renamed_from: [preferred-form-components, preferred-form-question]\n", "")
    p.write_text(kept + "  - id: preferred-form-question\n    text: >-\n      TK: what the preferred form to make "
                 "modifications to an AI system is,\n      component by component, once the system analyses "
                 "have been generalised.\n", encoding="utf-8")
    p = clone / "definition" / "definition.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("version: 0.0.9", "version: 0.0.10"), encoding="utf-8")
    git(clone, "add", "-A")
    staged = git(clone, "diff", "--cached", "--name-only")
    r = run_console("hook", "pre-commit", cwd=clone)  # what the installed hook runs: it judges the index
    assert r.returncode == 1, r.stdout + r.stderr
    gov14 = [t for t in (r.stdout + r.stderr).splitlines() if " GOV-14 " in t]
    # at the reused ID in the staged file (line after the kept text, column of the value), and the state named
    # is the one checked (the index), the old name and the name it went to
    where = f"definition/preferred-form.yaml:{kept.count(chr(10)) + 1}:9: GOV-14 "
    assert len(gov14) == 1 and gov14[0].startswith(where), gov14
    assert "'preferred-form-question' was renamed to 'preferred-form-components' in 0.0.6" in gov14[0]
    assert "the index uses it again" in gov14[0], gov14
    assert git(clone, "diff", "--cached", "--name-only") == staged  # the hook changed nothing staged


def test_an_analysis_is_checked_against_its_checklist_version(osaid, clone):
    p = clone / "checklist" / "systems" / "llama-2.yaml"
    text = p.read_text(encoding="utf-8")
    assert "component: usage-documentation" in text and "component: model-parameters" in text
    assert _validate(osaid, clone)[0] == 0  # votes on components that 0.0.1 had, later renamed or removed

    p.write_text(text.replace("checklist_version: 0.0.1\n", ""), encoding="utf-8")
    code, out = _validate(osaid, clone)
    assert code == 1
    assert re.findall(r"GOV-4 unknown component '([a-z-]+)'", out) == [
        "training-code", "model-parameters", "usage-documentation"], out

    p.write_text(text.replace("checklist_version: 0.0.1\n", "checklist_version: 0.0.9\n")
                 .replace("component: research-papers", "component: research-paper"), encoding="utf-8")
    code, out = _validate(osaid, clone)
    problems = [line for line in out.splitlines() if " GOV-" in line]
    assert (code, problems) == (1, ["checklist/systems/llama-2.yaml:5:20: GOV-4 checklist version '0.0.9' does not "
                                    "exist (the checklist is at '0.0.4', and there is no release tag "
                                    "checklist-v0.0.9): name a released version, or the working one"]), out

    p.write_text(text.replace("component: research-papers", "component: research-paper"), encoding="utf-8")
    code, out = _validate(osaid, clone)
    assert code == 1
    assert re.findall(r"^.*GOV-4.*$", out, re.M) == [
        "checklist/systems/llama-2.yaml:114:16: GOV-4 unknown component 'research-paper' in checklist 0.0.1 "
        "(checklist_version): fix the ID"], out

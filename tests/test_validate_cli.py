"""osaid validate on whole repositories: cross-references, formats, exit codes."""

from __future__ import annotations

import json
import shutil

from conftest import edit, git, run_console


def test_this_repository_is_valid(osaid):
    from conftest import REPO

    r = osaid("validate", cwd=REPO)
    assert (r.code, r.out) == (0, "")  # nothing to report (the summary's count of files is incidental)
    assert "GOV-" not in r.err and "problem" not in r.err, r.err


def test_missing_and_orphan_section_files(osaid, data_repo):
    (data_repo / "definition/preamble.yaml").rename(data_repo / "definition/intro.yaml")
    r = osaid("validate", cwd=data_repo)
    assert r.code == 1
    assert r.out.splitlines() == [
        "definition/definition.yaml:5:5: GOV-4 section 'preamble' has no file: "
        "create definition/preamble.yaml, or remove it from the list",
        "definition/intro.yaml:2:1: GOV-4 section file is not in the sections of definition/definition.yaml: "
        "add 'intro' there, or delete the file",
    ]


def test_clause_id_reused_in_another_section(osaid, data_repo):
    edit(data_repo / "definition/preamble.yaml", "id: why-open-source-ai", "id: use")
    r = osaid("validate", cwd=data_repo)
    assert r.code == 1
    assert r.out == ("definition/what-is-open-source-ai.yaml:10:9: GOV-3 clause ID 'use' is already used at "
                     "definition/preamble.yaml clauses[0].id: IDs are unique in their document; choose another\n")


def test_checklist_references(osaid, git_repo):
    edit(git_repo / "checklist/checklist.yaml", "component: training-code", "component: training-kode")
    edit(git_repo / "checklist/checklist.yaml", "      share: TBD\n", "      sell: TBD\n")
    edit(git_repo / "checklist/checklist.yaml", "definition_version: 0.0.5", "definition_version: 0.0.4")
    r = osaid("validate", cwd=git_repo)
    assert r.code == 1
    assert r.out.splitlines() == [
        "checklist/checklist.yaml:3:21: GOV-4 version '0.0.4' of the definition does not exist "
        "(the definition is at '0.0.5', and there is no tag v0.0.4)",
        "checklist/checklist.yaml:5:3: GOV-4 component 'training-code' has no checklist row: "
        "add one (with TBD where undecided)",
        "checklist/checklist.yaml:8:7: GOV-4 no requirement for freedom 'share': add 'share: TBD' if it is undecided",
        "checklist/checklist.yaml:11:7: GOV-4 unknown freedom 'sell' (the definition's freedoms: modify, share, study, use)",
        "checklist/checklist.yaml:15:16: GOV-4 unknown component 'training-kode': "
        "add it to checklist/components.yaml, or fix the ID",
    ]


def test_votes_and_endorsements_references(osaid, git_repo):
    edit(git_repo / "checklist/systems/llama-2.yaml", "component: model-card", "component: model-kard")
    edit(git_repo / "checklist/systems/llama-2.yaml", "freedom: use\n    necessary: [EL, SM]", "freedom: usage\n    necessary: [EL, SM]")
    (git_repo / "governance/endorsements.yaml").write_text(
        "# yaml-language-server: $schema=../tools/osaid/schemas/endorsements.schema.json\n"
        "endorsements:\n"
        "  - id: ann\n    kind: support\n    name: Ann Bee\n    group: regulators\n    version: 0.0.5\n"
        "    date: '2024-02-01'\n    statement_url: https://example.org/ann\n"
        "  - id: bob\n    kind: support\n    name: Bob Cee\n    group: regulator\n    version: 0.0.3\n"
        "    date: '2024-02-01'\n    statement_url: https://example.org/bob\n", encoding="utf-8")
    r = osaid("validate", cwd=git_repo)
    assert r.code == 1
    assert r.out.splitlines() == [
        "checklist/systems/llama-2.yaml:125:16: GOV-4 unknown component 'model-kard': "
        "add it to checklist/components.yaml, or fix the ID",
        "checklist/systems/llama-2.yaml:135:14: GOV-4 unknown freedom 'usage' "
        "(the definition's freedoms: modify, share, study, use)",
        "governance/endorsements.yaml:6:12: GOV-4 unknown stakeholder group 'regulators' "
        "(known: end-user, license-creator, licensee, regulator, subject, system-creator)",
        "governance/endorsements.yaml:14:14: GOV-4 version '0.0.3' of the definition does not exist "
        "(the definition is at '0.0.5', and there is no tag v0.0.3)",
    ]


def test_a_tagged_version_exists(osaid, git_repo):
    edit(git_repo / "checklist/checklist.yaml", "definition_version: 0.0.5", "definition_version: 0.0.4")
    assert osaid("validate", cwd=git_repo).code == 1
    git(git_repo, "tag", "-a", "v0.0.4", "-m", "Definition 0.0.4")
    assert osaid("validate", cwd=git_repo).code == 0


def test_unknown_files_in_data_folders(osaid, data_repo):
    shutil.copy(data_repo / "governance/policy.yaml", data_repo / "governance/policy.yml")
    (data_repo / "checklist/notes.yaml").write_text("a: 1\n", encoding="utf-8")
    r = osaid("validate", cwd=data_repo)
    assert r.code == 1
    assert r.out.splitlines() == [
        "checklist/notes.yaml: GOV-2 no schema for this path (osaid data files are: definition/definition.yaml, "
        "definition/*.yaml, checklist/components.yaml, checklist/checklist.yaml, checklist/systems/*.yaml, "
        "governance/stakeholders.yaml, governance/endorsements.yaml, governance/maintainers.yaml, "
        "governance/policy.yaml, governance/reviews.yaml, governance/schedule.yaml, governance/board.yaml, notes/*.yaml, evaluations/*.yaml): move or remove the file",
        "governance/policy.yml: GOV-2 osaid data files end in .yaml: rename the file",
    ]


def test_all_problems_are_reported_not_the_first(osaid, data_repo):
    edit(data_repo / "definition/preamble.yaml", "title: Preamble", "title: Preamble\ntitle: Again")
    edit(data_repo / "governance/maintainers.yaml", "name: Stefano Maffulli", "nom: Stefano Maffulli")
    (data_repo / "definition/out-of-scope.yaml").write_bytes(b"id: out-of-scope\ntitle: \xff\n")
    r = osaid("validate", cwd=data_repo)
    assert r.code == 1
    assert [tuple(l.split(" ")[:2]) for l in r.out.splitlines()] == [
        ("definition/out-of-scope.yaml:2:8:", "GOV-1"),  # not UTF-8
        ("definition/preamble.yaml:4:1:", "GOV-1"),  # a key given twice
        ("governance/maintainers.yaml:3:5:", "GOV-2"),  # name missing
        ("governance/maintainers.yaml:4:5:", "GOV-2"),  # nom unknown
    ]


def test_file_over_the_policy_limit(osaid, data_repo):
    edit(data_repo / "governance/policy.yaml", "max_file_bytes: 262144", "max_file_bytes: 400")
    r = osaid("validate", cwd=data_repo)
    assert r.code == 1
    size = (data_repo / "checklist/checklist.yaml").stat().st_size
    assert f"checklist/checklist.yaml: GOV-1 file is {size} bytes, over the limit of 400 " \
           "(governance/policy.yaml limits.max_file_bytes): split it, or raise the limit" in r.out.splitlines()


def test_bom_and_crlf_are_read(osaid, data_repo):
    p = data_repo / "governance/maintainers.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes().replace(b"\n", b"\r\n"))
    assert osaid("validate", cwd=data_repo).code == 0


def test_paths_limit_the_report(osaid, data_repo):
    edit(data_repo / "governance/maintainers.yaml", "name: Stefano Maffulli", "nom: Stefano Maffulli")
    edit(data_repo / "definition/preamble.yaml", "title: Preamble", "titel: Preamble")
    r = osaid("validate", "definition", cwd=data_repo)
    assert r.code == 1
    assert [l.split(":")[0] for l in r.out.splitlines()] == ["definition/preamble.yaml"] * 2
    r = osaid("validate", "checklist/components.yaml", cwd=data_repo)
    assert (r.code, r.out) == (0, ""), r.out  # the other files' problems are not reported


def test_json_format(osaid, data_repo):
    edit(data_repo / "definition/preamble.yaml", "title: Preamble", "titel: Preamble")
    r = osaid("validate", "--format", "json", cwd=data_repo)
    assert r.code == 1
    assert json.loads(r.out) == [
        {"path": "definition/preamble.yaml", "line": 2, "col": 1, "rule": "GOV-2",
         "message": "missing required key 'title' (The section's heading)"},
        {"path": "definition/preamble.yaml", "line": 3, "col": 1, "rule": "GOV-2",
         "message": "unknown key 'titel' (allowed here: id, renamed_from, title, clauses)"},
    ]
    from conftest import REPO

    assert json.loads(osaid("validate", "--format", "json", cwd=REPO).out) == []


def test_github_format(osaid, data_repo):
    edit(data_repo / "definition/preamble.yaml", "title: Preamble", "titel: Preamble")
    r = osaid("validate", "--format", "github", cwd=data_repo)
    assert r.code == 1
    assert r.out.splitlines()[1] == (
        "::error file=definition/preamble.yaml,line=3,col=1,title=GOV-2::GOV-2 unknown key 'titel' "
        "(allowed here: id, renamed_from, title, clauses)")


def test_usage_errors_exit_2(osaid, data_repo, tmp_path):
    r = osaid("validate", "--format", "xml", cwd=data_repo)
    assert r.code == 2 and "Invalid value for '--format'" in r.err
    r = osaid("validate", "no/such/file.yaml", cwd=data_repo)
    assert (r.code, r.err) == (2, "osaid: no/such/file.yaml: no such file or folder\n")
    r = osaid("validate", str(tmp_path), cwd=data_repo)
    assert r.code == 2 and "outside the repository" in r.err
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    r = osaid("validate", cwd=outside)
    assert r.code == 2
    assert r.err == (f"osaid: {outside}: not inside an osaid repository (no definition/definition.yaml here "
                     "or above); run osaid from the repository, or pass --root\n")
    r = osaid("--root", str(tmp_path / "missing"), "status")
    assert (r.code, r.err) == (2, f"osaid: {tmp_path / 'missing'}: no such folder\n")
    r = osaid("frobnicate")
    assert r.code == 2 and "No such command 'frobnicate'" in r.err


def test_root_option_and_subfolders(osaid, data_repo):
    assert osaid("--root", str(data_repo), "validate").code == 0
    assert osaid("validate", cwd=data_repo / "checklist" / "systems").code == 0


def test_internal_errors_exit_3_without_traceback(osaid, data_repo, monkeypatch):
    from osaid.data import validate as core

    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(core, "check", boom)
    r = osaid("validate", cwd=data_repo)
    assert r.code == 3
    assert r.err.startswith("osaid: internal error: RuntimeError: simulated bug\nThis is a bug in osaid")
    assert "Traceback" not in r.err


def test_unreadable_file(osaid, data_repo):
    # works as root too: a dangling link is never followed (data files are regular files)
    p = data_repo / "definition/preamble.yaml"
    p.unlink()
    p.symlink_to("nowhere.yaml")
    r = osaid("validate", cwd=data_repo)
    assert r.code == 1
    assert r.out == ("definition/preamble.yaml: GOV-1 a symbolic link, not a regular file: osaid reads and "
                     "writes only regular files inside the repository; put the file itself here\n")


def test_console_script_from_a_shell(data_repo):
    """The installed entry point, in a real process, as a user types it."""
    r = run_console("validate", cwd=data_repo)
    assert (r.returncode, r.stdout) == (0, ""), r.stdout + r.stderr
    assert "Traceback" not in r.stderr and "GOV-" not in r.stderr, r.stderr
    edit(data_repo / "definition/definition.yaml", "version: 0.0.5", "version: 1.0")
    r = run_console("validate", cwd=data_repo)
    assert r.returncode == 1
    assert r.stdout == ("definition/definition.yaml:3:10: GOV-1 version is read by YAML as a number, "
                        "not a string: quote it, e.g. '1.0'\n")

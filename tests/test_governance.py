"""GOVERNANCE.md, the rule registry, the tool's messages and governance/policy.yaml agree.

The rules are read from GOVERNANCE.md. Each is checked where the document says it is enforced: for
the commands that check a repository (`osaid validate`, `osaid fmt --check`, `osaid verify`), by
breaking each rule in a real repository and reading the rule ID in the real messages of the installed
`osaid`; for every rule, by the rule ID starting a message somewhere in the package's source.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
from conftest import (
    REPO,
    commit_all,
    commit_reviewed,
    edit,
    git,
    git_init,
    hermetic_scope,
    run_console,
)

from osaid.data import load
from osaid.releases import rules

DOC = (REPO / "GOVERNANCE.md").read_text(encoding="utf-8")
SECTIONS = dict(re.findall(r"^### (GOV-\d+) (.+)$", DOC, re.MULTILINE))
TABLE = {rule: (title, where) for rule, title, where
         in re.findall(r"^\| (GOV-\d+) \| ([^|]+?) \| (.+?) \|$", DOC, re.MULTILINE)}
SOURCE = REPO / "tools" / "osaid"


def test_every_rule_has_a_section_and_every_section_a_rule():
    assert len(SECTIONS) >= 20
    assert SECTIONS == rules.RULES


def test_every_rule_is_in_the_table():
    assert {rule: title for rule, (title, _) in TABLE.items()} == rules.RULES


# --- every rule starts a message somewhere in the package (whatever module it lives in) --------------------


def _rule_ids_in_messages(path: Path) -> set[str]:
    """Rule IDs that start a string in the code (a message, a Problem's rule), not those a docstring
    mentions, nor the registry's entries (a rule ID paired with its title from GOVERNANCE.md)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            skip.add(id(node.body[0].value))
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values, strict=True):
                if isinstance(k, ast.Constant) and isinstance(v, ast.Constant) and SECTIONS.get(k.value) == v.value:
                    skip.add(id(k))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            m = re.match(r"(GOV-\d+)\b", node.value)
            if m:
                found.add(m.group(1))
    return found


def _package_rule_ids() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):  # subpackages too: modules move between folders
        for rule in _rule_ids_in_messages(path):
            found.setdefault(rule, set()).add(path.relative_to(SOURCE).as_posix())
    return found


def test_every_rule_starts_a_message_and_every_message_names_a_rule():
    used = _package_rule_ids()
    assert len(list(SOURCE.rglob("*.py"))) >= 30
    assert set(used) - set(SECTIONS) == set(), "a message names a rule that GOVERNANCE.md lacks"
    assert set(SECTIONS) - set(used) == set(), "a rule in GOVERNANCE.md has no message in tools/osaid"


def test_the_registry_alone_is_not_a_message(tmp_path):
    """The scan would see a rule that only the registry names as unenforced (the test above can fail)."""
    registry = tmp_path / "registry.py"
    registry.write_text('"""GOV-1 in a docstring."""\nRULES = {"GOV-1": "Data files are strict YAML"}\n'
                        'def f():\n    """GOV-2 in a docstring."""\n    return "see GOV-3"\n', encoding="utf-8")
    assert _rule_ids_in_messages(registry) == set()
    registry.write_text('X = Problem("a.yaml", 1, 1, "GOV-1", "m")\nY = f"GOV-2 {x}"\n'
                        'Z = "GOV-6" if kind == "rc" else "GOV-8"\n', encoding="utf-8")
    assert _rule_ids_in_messages(registry) == {"GOV-1", "GOV-2", "GOV-6", "GOV-8"}


# --- each rule, broken in a real repository, is reported by the commands GOVERNANCE.md names ---------------

LINE = re.compile(r"^(?P<path>[^\s:]+)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<rule>GOV-\d+) \S")


def _named_in_table(command: str) -> set[str]:
    """The rules whose "enforced by" cell in GOVERNANCE.md names `osaid <command>`."""
    return {rule for rule, (_, where) in TABLE.items() if re.search(rf"`osaid {command}\b", where)}


def _copy_of_this_repository(root: Path, *dirs: str) -> Path:
    root.mkdir()
    for d in ("definition", "checklist", "governance", *dirs):
        shutil.copytree(REPO / d, root / d)
    return root


def _run(root: Path, *args: str, **env: str) -> tuple[int, list[str]]:
    r = run_console(*args, cwd=root, env=env or None)
    assert "Traceback" not in r.stderr, r.stderr
    return r.returncode, (r.stdout + r.stderr).splitlines()


# The breaches of the data-file rules. "English intact" ones leave the definition and the checklist
# valid: translation catalogs are checked against the English only once it loads.
INTACT = {
    "GOV-1": ("governance/stakeholders.yaml", "a key given twice"),
    "GOV-2": ("governance/maintainers.yaml", "an unknown key"),
    "GOV-23": ("evaluations/affiliated.yaml", "an evaluation whose reviewers all work for the creator"),
    "GOV-24": ("translations/ja/definition.po", "a catalog line that is not gettext"),
    "GOV-5": ("definition/preamble.yaml", "a title in double quotes (valid, not canonical)"),
}
BROKEN_ENGLISH = {
    "GOV-3": ("checklist/components.yaml", "a category ID used twice"),
    "GOV-4": ("checklist/checklist.yaml", "a row for a component that does not exist"),
    "GOV-14": ("definition/ai-system.yaml", "renamed_from names an ID still in use"),
    "GOV-21": ("checklist/checklist.yaml", "a requirement the tally contradicts, with no override"),
}


@pytest.fixture(scope="module")
def data_runs(tmp_path_factory):
    """One repository, its data broken rule by rule; what validate and fmt --check say, in two rounds."""
    with hermetic_scope(tmp_path_factory):
        root = _copy_of_this_repository(tmp_path_factory.mktemp("data") / "repo", "evaluations")
        git_init(root)
        commit_all(root, "Start the definition")
        code, out = _run(root, "release", "--date", "2024-02-01")
        assert code == 0, out
        before = {rel: (root / rel).read_bytes() for rel in ("definition/preamble.yaml", "CHANGELOG.md")}

        edit(root / "definition/preamble.yaml", "title: Preamble", 'title: "Preamble"')
        preamble = (root / "definition/preamble.yaml").read_bytes()
        runs = {"fmt --check (valid)": _run(root, "fmt", "--check")}  # fmt writes nothing while a file is invalid
        assert (root / "definition/preamble.yaml").read_bytes() == preamble, "fmt --check rewrote a file"

        edit(root / "governance/stakeholders.yaml", "    name: System Creator\n",
              "    name: System Creator\n    name: The System Creator\n")
        edit(root / "governance/maintainers.yaml", "name: Stefano Maffulli", "nom: Stefano Maffulli")
        shutil.copy(Path(__file__).parent / "examples/evaluation/invalid/affiliated.yaml",
                    root / "evaluations/affiliated.yaml")
        (root / "translations/ja").mkdir(parents=True)
        (root / "translations/ja/definition.po").write_text(
            'msgid ""\nmsgstr ""\n"Language: ja\\n"\n\nmsgctxt definition.title\nmsgid "x"\nmsgstr "y"\n',
            encoding="utf-8")
        runs["validate (English intact)"] = _run(root, "validate")
        runs["fmt --check (invalid)"] = _run(root, "fmt", "--check")
        assert (root / "definition/preamble.yaml").read_bytes() == preamble, "fmt --check rewrote a file"

        edit(root / "checklist/components.yaml", "  - id: data\n", "  - id: code\n")
        edit(root / "checklist/checklist.yaml", "component: training-code", "component: training-kode")
        edit(root / "definition/ai-system.yaml", "  - id: oecd-ai-system\n",
              "  - id: oecd-ai-system\n    renamed_from: [oecd-ai-system-text]\n")
        p = root / "checklist/checklist.yaml"
        text = p.read_text(encoding="utf-8")
        start = text.index("  - component: inference-code\n")
        end = text.index("  - component:", start + 1)
        assert "      use: required\n" in text[start:end]
        p.write_text(text[:start] + text[start:end].replace("      use: required\n", "      use: optional\n")
                     + text[end:], encoding="utf-8")
        runs["validate (English broken)"] = _run(root, "validate")
        assert (root / "CHANGELOG.md").read_bytes() == before["CHANGELOG.md"]
        yield runs


def _problems(lines: list[str]) -> list[tuple[str, str, bool]]:
    """(path, rule, located at line:col) of each problem line."""
    return [(m["path"], m["rule"], m["line"] is not None) for m in map(LINE.match, lines) if m]


def test_validate_reports_every_rule_governance_md_says_it_enforces(data_runs):
    named = _named_in_table("validate")
    scenarios = {r: w for r, w in {**INTACT, **BROKEN_ENGLISH}.items() if r != "GOV-5"}
    assert named == set(scenarios), "GOVERNANCE.md and this test's scenarios disagree on what validate enforces"
    seen = set()
    for run, expected in (("validate (English intact)", INTACT), ("validate (English broken)", BROKEN_ENGLISH)):
        code, lines = data_runs[run]
        assert code == 1, lines
        problems = _problems(lines)
        assert problems and len(problems) == len(lines) - 1, lines  # every line a problem, then the count
        for rule, (path, what) in expected.items():
            if rule in named:
                assert (path, rule, True) in problems, f"{rule} ({what}) not reported at {path}:line:col: {lines}"
        seen |= {rule for _, rule, _ in problems}
    assert seen - named == set(), "validate reports a rule GOVERNANCE.md does not say it enforces"


def test_fmt_check_reports_every_rule_governance_md_says_it_enforces(data_runs):
    named = _named_in_table("fmt")
    assert named == {"GOV-1", "GOV-5"}, "GOVERNANCE.md and this test's scenarios disagree on what fmt enforces"
    problems = set()
    for run in ("fmt --check (valid)", "fmt --check (invalid)"):
        code, lines = data_runs[run]
        assert code == 1, lines
        problems |= {(path, rule) for path, rule, _ in _problems(lines)}
    assert {(INTACT[r][0], r) for r in named} <= problems, problems
    assert {rule for _, rule in problems} <= named, problems


@pytest.fixture(scope="module")
def history_runs(tmp_path_factory):
    """A released history broken rule by rule; what osaid verify says, in two rounds."""
    with hermetic_scope(tmp_path_factory):
        root = _copy_of_this_repository(tmp_path_factory.mktemp("history") / "repo")
        git_init(root)
        commit_all(root, "Start the definition")

        def osaid(*args: str) -> None:
            code, out = _run(root, *args)
            assert code == 0, out

        osaid("release", "--date", "2024-02-01")  # definition 0.0.5, checklist 0.0.1
        # checklist 1.0-RC1 and 1.0, tagged by hand (only osaid verify reads them)
        osaid("bump", "--document", "checklist", "rc", "--date", "2024-03-01")
        commit_all(root, "Checklist 1.0-RC1")
        git(root, "tag", "-a", "checklist-v1.0-RC1", "-m", "checklist 1.0-RC1")
        osaid("bump", "--document", "checklist", "final", "--date", "2024-03-02")
        commit_all(root, "Checklist 1.0")
        git(root, "tag", "-a", "checklist-v1.0", "-m", "checklist 1.0")
        # definition 0.0.6 retires the clause ID out-of-scope-list
        osaid("bump", "--document", "definition", "draft", "--date", "2024-03-03")
        edit(root / "definition/out-of-scope.yaml", "id: out-of-scope-list", "id: out-of-scope-issues")
        edit(root / "definition/out-of-scope.yaml", "deliberately does not settle", "does not settle")
        commit_reviewed(root, "Rename a clause")
        osaid("release", "--document", "definition", "--date", "2024-03-04")
        assert _run(root, "verify") == (0, ["release history verified"]), "the history starts clean"

        # round 1: the work tree and the tags
        edit(root / "CHANGELOG.md", "0.0.6", "0.0.6 (edited by hand)")  # GOV-9
        edit(root / "checklist/checklist.yaml", "legal_framework: TBD", "legal_framework: OSI-approved")  # GOV-10
        edit(root / "definition/definition.yaml", "version: 0.0.6", "version: 0.0.8")  # GOV-11
        edit(root / "definition/preamble.yaml", "id: why-open-source-ai", "id: out-of-scope-list")  # GOV-14
        git(root, "tag", "vnext")  # GOV-12
        runs = {"verify": _run(root, "verify", SOURCE_DATE_EPOCH="1800000000")}  # 2027: checklist 1.0 is due (GOV-19)

        # round 2: a pushed range with an unreviewed change of meaning and a tag that skips a version
        git(root, "checkout", "-q", "--", ".")
        git(root, "tag", "-d", "vnext")
        osaid("bump", "--document", "definition", "draft", "--date", "2024-03-05")
        edit(root / "definition/what-is-open-source-ai.yaml", "for any purpose", "for most purposes")
        commit = commit_all(root, "Reword the freedom to use")  # GOV-17, GOV-18
        git(root, "tag", "-a", "v0.0.9", "-m", "skips 0.0.7 and 0.0.8")  # GOV-13 (and GOV-12: HEAD carries 0.0.7)
        runs["verify --range"] = _run(root, "verify", "--range", "v0.0.6..HEAD")
        yield runs, commit[:10]


def test_verify_reports_every_rule_governance_md_says_it_enforces(history_runs):
    runs, commit = history_runs
    named = _named_in_table("verify")
    expected = {
        "verify": {"GOV-9": "CHANGELOG.md", "GOV-10": "checklist/checklist.yaml:2:10",
                   "GOV-11": "definition/definition.yaml:3:10", "GOV-12": "refs/tags/vnext",
                   "GOV-14": "definition/preamble.yaml:5:9", "GOV-19": "governance/reviews.yaml"},
        "verify --range": {"GOV-13": "refs/tags/v0.0.9", "GOV-17": commit, "GOV-18": commit},
    }
    assert named == {r for e in expected.values() for r in e}, \
        "GOVERNANCE.md and this test's scenarios disagree on what verify enforces"
    seen = set()
    for run, wanted in expected.items():
        code, lines = runs[run]
        assert code == 1, lines
        for rule, where in wanted.items():
            assert any(line.startswith(f"{where}: {rule} ") for line in lines), f"{run}: no {where}: {rule}: {lines}"
        seen |= {rule for _, rule, _ in _problems(lines)}
    assert seen - named == set(), "verify reports a rule GOVERNANCE.md does not say it enforces"


# --- the numbers GOVERNANCE.md quotes are the policy's -------------------------------------------------------


def _policy_value(policy: dict, key: str):
    node = policy
    for part in key.split("."):
        node = node[part]
    return ", ".join(node) if isinstance(node, list) else str(node)


def test_numbers_quoted_in_governance_match_the_policy():
    text = (REPO / "governance/policy.yaml").read_text(encoding="utf-8")
    policy, problems = load.parse("governance/policy.yaml", text)
    assert not problems
    quoted = re.findall(r"\(policy: ([a-z_.]+) = ([^)]+)\)", DOC)
    assert len(quoted) >= 4
    for key, value in quoted:
        assert _policy_value(policy, key) == value, f"GOVERNANCE.md quotes {key} = {value}"

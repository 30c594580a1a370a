"""GOVERNANCE.md, the rule registry, the messages and governance/policy.yaml agree."""

from __future__ import annotations

import re

from conftest import REPO

from osaid.data import load
from osaid.releases import rules

DOC = (REPO / "GOVERNANCE.md").read_text(encoding="utf-8")


def test_every_rule_has_a_section_and_every_section_a_rule():
    sections = dict(re.findall(r"^### (GOV-\d+) (.+)$", DOC, re.MULTILINE))
    assert sections == rules.RULES


def test_every_rule_is_in_the_table():
    table = dict(re.findall(r"^\| (GOV-\d+) \| ([^|]+?) \|", DOC, re.MULTILINE))
    assert table == rules.RULES


def _rule_ids_in_messages(path) -> set[str]:
    """Rule IDs that start a string in the code (a message), not those a docstring mentions."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            m = re.match(r"(GOV-\d+)\b", node.value)
            if m:
                found.add(m.group(1))
    return found


def test_every_rule_id_in_the_code_exists_and_every_rule_is_enforced():
    used = set()
    for path in (REPO / "tools" / "osaid").rglob("*.py"):
        if path.name != "rules.py":
            used |= _rule_ids_in_messages(path)
    used |= {b for b in re.findall(r'Blocker\("(GOV-\d+)"', (REPO / "tools/osaid/releases/rules.py").read_text())}
    used |= set(re.findall(r'"(GOV-\d+)" if kind == "rc" else "(GOV-\d+)"',
                           (REPO / "tools/osaid/releases/rules.py").read_text())[0])
    assert used - set(rules.RULES) == set(), "a message names a rule that GOVERNANCE.md lacks"
    assert set(rules.RULES) - used == set(), "a rule in GOVERNANCE.md has no enforcement"


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

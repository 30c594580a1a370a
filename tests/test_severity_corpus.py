"""The severity corpus (tests/severity_corpus/*.tsv), each pair inside a real clause through
`osaid diff --format json`: one git repository whose release has one clause per pair and whose
work tree changes each, one osaid process; then each clause's severity is checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    DATA_DIRS,
    REPO,
    commit_all,
    git,
    git_init,
    hermetic_env,
    run_console,
)

CORPUS = Path(__file__).parent / "severity_corpus"
TEMPLATE = "Under this clause, {} is what the licensee receives."


def _read(name: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            category, before, after = line.split("\t")
            rows.append((category, before, after))
    return rows


NOT_EDITORIAL = _read("not_editorial.tsv")
EDITORIAL = _read("editorial.tsv")
# typos the rules do not accept as fixes: not editorial, but no change of meaning either
NOT_A_FIX = ("ambiguous-typo", "two-edit-typo", "compound-typo", "capitalised-typo", "not-a-fix")
MEANING = [r for r in NOT_EDITORIAL if r[0] not in NOT_A_FIX]

# Case changes: (clause id, kind, before, after, expected to be editorial). The term clause defines
# "Open Source AI" (and the released ai-system section defines "AI system").
TERM = 'In this definition, "Open Source AI" means an AI system made available under terms that grant the freedoms.'
CASES = [
    ("case-term", "prose", "Every Open Source AI ships its weights.", "Every open source AI ships its weights.", False),
    ("case-term-title", "prose", "Every Open Source AI ships its weights.", "Every Open source AI ships its weights.",
     False),
    ("case-term-hyphen", "prose", "Every Open Source AI ships its weights.", "Every Open-Source AI ships its weights.",
     False),
    ("case-term-made", "prose", "Every open source AI ships its weights.", "Every Open Source AI ships its weights.",
     False),
    ("case-quoted-term", "prose", "An AI system has parts.", "An AI System has parts.", False),
    ("case-term-swapped", "prose", "An Open Source AI ships weights; an open source AI ships code.",
     "An open source AI ships weights; an Open Source AI ships code.", False),
    ("case-term-plural", "prose", "All AI systems have parts.", "All AI Systems have parts.", False),
    ("case-term-possessive", "prose", "An Open Source AI's weights.", "An open source AI's weights.", False),
    ("case-in-the-term", "term", TERM, TERM.replace('"Open Source AI"', '"open source AI"'), False),
    ("case-other", "prose", "Under This Clause the weights stay.", "under this clause the weights stay.", True),
    ("case-acronym", "prose", "The OECD text is quoted.", "The Oecd text is quoted.", True),
    ("case-term-kept", "prose", "Every Open Source AI ships its WEIGHTS.", "Every Open Source AI ships its weights.",
     True),
]


def _yaml_text(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a YAML 1.2 double-quoted scalar


def _section(texts: list[tuple[str, str, str]]) -> str:
    lines = ["# yaml-language-server: $schema=../tools/osaid/schemas/section.schema.json",
             "id: corpus", "title: Corpus", "clauses:"]
    for cid, kind, text in texts:
        lines += [f"  - id: {cid}"] + ([f"    kind: {kind}"] if kind != "prose" else []) + \
                 [f"    text: {_yaml_text(text)}"]
    return "\n".join(lines) + "\n"


def _clauses(side: int) -> list[tuple[str, str, str]]:
    out = [("defines-open-source-ai", "term", TERM),
           ("uses-jargon", "prose", "The data ships as json files in a repo.")]  # the words jargon rows change
    out += [(f"n-{i:03d}", "prose", TEMPLATE.format((b, a)[side])) for i, (_, b, a) in enumerate(NOT_EDITORIAL)]
    out += [(f"e-{i:03d}", "prose", TEMPLATE.format((b, a)[side])) for i, (_, b, a) in enumerate(EDITORIAL)]
    out += [(cid, kind, (b, a)[side]) for cid, kind, b, a, _ in CASES]
    return out


@pytest.fixture(scope="module")
def severities(tmp_path_factory) -> dict[str, str]:
    """{clause id: severity of its text change} from one `osaid diff --format json` run."""
    mp = hermetic_env(tmp_path_factory)
    home = Path(os.environ["HOME"])
    try:
        root = tmp_path_factory.mktemp("corpus") / "repo"
        root.mkdir()
        for d in DATA_DIRS:
            shutil.copytree(REPO / d, root / d)
        meta = root / "definition/definition.yaml"
        text = meta.read_text(encoding="utf-8")
        meta.write_text(text.replace("  - out-of-scope\n", "  - out-of-scope\n  - corpus\n"), encoding="utf-8")
        section = root / "definition/corpus.yaml"
        section.write_text(_section(_clauses(0)), encoding="utf-8")
        components = root / "checklist/components.yaml"
        for cid, (before, _) in CHECKLIST.items():
            _set_description(components, cid, before)
        git_init(root)
        commit_all(root, "Draft 0.0.5 with the corpus")
        git(root, "tag", "-a", "v0.0.5", "-m", "Definition 0.0.5")
        git(root, "tag", "-a", "checklist-v0.0.1", "-m", "Checklist 0.0.1")
        section.write_text(_section(_clauses(1)), encoding="utf-8")
        for cid, (_, after) in CHECKLIST.items():
            _set_description(components, cid, after)
        env = {"XDG_CACHE_HOME": str(home / "cache")}
        r = run_console("diff", "--format", "json", cwd=root, env=env)
        assert r.returncode == 0, r.stdout + r.stderr
        report = json.loads(r.stdout)
    finally:
        mp.undo()
    definition, checklist = report["documents"][:2]  # then the governance
    assert definition["old"]["state"] == "v0.0.5" and definition["new"]["state"] == ":worktree"
    assert checklist["old"]["state"] == "checklist-v0.0.1"
    out = {}
    for c in definition["changes"] + checklist["changes"]:
        assert c["kind"] == "modified" and c["field"] in ("text", "description"), c  # nothing else changed
        out[c["id"]] = c["severity"]
    return out


# The checklist's prose: the definition's terms hold there too. {component: (before, after)}
CHECKLIST = {
    "training-code": ("Code that trains an Open Source AI model.", "Code that trains an open source AI model."),
    "data-preprocessing-code": ("Code That Cleans the data.", "Code that cleans the data."),
}


def _set_description(path: Path, cid: str, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index(f"  - id: {cid}\n")
    while not lines[at].startswith("    description:"):
        at += 1
    lines[at] = f"    description: {_yaml_text(text)}\n"
    path.write_text("".join(lines), encoding="utf-8")


def test_the_corpus_is_big_enough_and_has_no_duplicates():
    assert len(MEANING) >= 150 and len(EDITORIAL) >= 100
    for rows in (NOT_EDITORIAL, EDITORIAL):
        pairs = [(b, a) for _, b, a in rows]
        assert len(pairs) == len(set(pairs))
        assert all(b != a for b, a in pairs)
    assert {c for c, _, _ in MEANING} >= {"antonym", "negation", "near-homograph", "legal-term", "number", "modal"}


@pytest.mark.parametrize("i,row", list(enumerate(NOT_EDITORIAL)), ids=[f"{c}:{b}->{a}" for c, b, a in NOT_EDITORIAL])
def test_a_change_of_meaning_is_never_editorial(severities, i, row):
    assert severities[f"n-{i:03d}"] in ("substantive", "normative")


@pytest.mark.parametrize("i,row", list(enumerate(EDITORIAL)), ids=[f"{c}:{b}->{a}" for c, b, a in EDITORIAL])
def test_a_typo_fix_is_editorial(severities, i, row):
    assert severities[f"e-{i:03d}"] == "editorial"


@pytest.mark.parametrize("cid,editorial", [(c[0], c[4]) for c in CASES], ids=[c[0] for c in CASES])
def test_case_of_a_defined_term(severities, cid, editorial):
    assert (severities[cid] == "editorial") is editorial
    if cid == "case-in-the-term":
        assert severities[cid] == "normative"


def test_case_of_a_defined_term_in_the_checklist(severities):
    assert severities["training-code"] == "substantive"
    assert severities["data-preprocessing-code"] == "editorial"


def test_the_dictionary_is_loaded_only_for_a_candidate_spelling_fix():
    """A hook must start fast: no change that fails a cheap check loads the dictionary."""
    code = ("import sys; from osaid.changes import words\n"
            "assert not words.editorial('models must ship weights', 'models may ship weights')\n"
            "assert not words.editorial('the data is open', 'the data is opened here')\n"
            "assert not words.editorial('give 10 units', 'give 100 units')\n"
            "assert words.editorial('the data is open', 'The data is open!')\n"
            "assert 'osaid.changes.lexicon' not in sys.modules\n"
            "assert words.editorial('the dtaa is open', 'the data is open')\n"
            "assert 'osaid.changes.lexicon' in sys.modules\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

"""Issue 12, item 8: descriptive texts say whether the town hall of 2024-01-26 holds them
(source: townhall) or the editors added them (source: editors); status and diff show it."""

from __future__ import annotations

import json

from conftest import REPO, edit
from ruamel.yaml import YAML

# The town hall's own words for the descriptions it gives (slides 12 and 14 of the seed transcript).
TOWNHALL = {
    "supporting-libraries": "Any libraries or other code artifacts that are part of the system, such as tokenizers "
                            "and hyperparameter search code, if used.",
    "model": "TK",  # "Model [description TK]": the town hall left it to be written
}


def test_townhall_descriptions_are_the_town_halls_words():
    comps = YAML(typ="safe").load((REPO / "checklist/components.yaml").read_text(encoding="utf-8"))
    entries = comps["categories"] + comps["components"]
    assert all(e.get("source") in ("townhall", "editors") for e in entries)  # each one says
    town = {e["id"]: " ".join(e["description"].split()) for e in entries if e["source"] == "townhall"}
    assert town == TOWNHALL


def test_sources_in_status_validate_and_diff(osaid, git_repo):
    r = osaid("status", cwd=git_repo)
    lines = r.out.splitlines()
    assert "Descriptions of components and categories (source: in checklist/components.yaml)" in lines
    assert "    2 from the town hall of 2024-01-26: model, supporting-libraries" in lines
    assert any(l.startswith("   21 editors' additions, not in the town hall: code, data, documentation, ")
               for l in lines)
    st = json.loads(osaid("status", "--format", "json", cwd=git_repo).out)
    assert st["descriptions"]["townhall"] == ["model", "supporting-libraries"]

    p = git_repo / "checklist/components.yaml"
    edit(p, "    description: Code that trains the model from the data.\n    source: editors",
         "    description: Code that trains the model from the data.\n    source: minutes")
    r = osaid("validate", cwd=git_repo)
    assert r.code == 1
    line = p.read_text(encoding="utf-8").splitlines().index("    source: minutes") + 1
    assert r.out.startswith(f"checklist/components.yaml:{line}:13: GOV-2 components[1].source: 'minutes' ")

    edit(p, "source: minutes", "source: townhall")  # claimed for the town hall: a reviewable change
    r = osaid("diff", "HEAD", "--format", "json", cwd=git_repo)
    found = [c for c in json.loads(r.out)["documents"][1]["changes"] if c["field"] == "source"]
    assert [(c["id"], c["before"], c["after"], c["severity"]) for c in found] == \
        [("training-code", "editors", "townhall", "substantive")]

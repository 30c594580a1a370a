"""GOV-23 and the evaluation checks in the real pre-commit hook: a commit of an evaluation
whose reviewers all work for the creator is refused; with an unaffiliated reviewer it passes."""

from __future__ import annotations

from conftest import edit, git
from test_evaluate import component, open_components, write_eval
from test_hooks import commit, head, hooked  # noqa: F401 (the fixture)


def test_pre_commit_refuses_an_evaluation_reviewed_only_by_its_creator(hooked):  # noqa: F811
    before = head(hooked)
    write_eval(hooked, "own", open_components(component("training-data", license="Apach-2.0")),
               affiliation="Example Labs, Inc.")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Evaluate our own system")
    assert r.returncode != 0
    assert ("evaluations/own.yaml:11:3: GOV-23 every reviewer is affiliated with the creator (Example Labs): "
            "add a reviewer unaffiliated with it") in r.stdout
    assert "GOV-2 unknown SPDX ID 'Apach-2.0' (SPDX License List " in r.stdout
    assert head(hooked) == before
    edit(hooked / "evaluations/own.yaml", "license: Apach-2.0", "license: Apache-2.0")
    edit(hooked / "evaluations/own.yaml", "reviewers:\n", "reviewers:\n  - name: Bo\n    affiliation: none\n")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Evaluate our own system, reviewed by someone else")
    assert r.returncode == 0, r.stdout
    assert head(hooked) != before

"""Sound severities at the commit-msg hook (GOV-17), through real pre-commit and real commits:
a "spelling fix" that changes meaning needs a Discussion; a real typo fix does not."""

from __future__ import annotations

from conftest import edit, git
from test_hooks import bump, commit, head, hooked  # noqa: F401 (hooked is a fixture)

FILE = "definition/what-is-open-source-ai.yaml"


def test_a_word_for_another_word_needs_a_discussion_a_typo_fix_does_not(hooked):  # noqa: F811
    bump(hooked)
    path = hooked / FILE
    for before, after, change in [
        ("how the system works", "how the system forks", "normative: modified clause study (text)"),
        ("available under legal terms", "available under regal terms", "normative: modified clause freedoms-intro"),
        ("available under legal terms", "unavailable under legal terms", "normative: modified clause freedoms-intro"),
        ("how the system works", "how the syst\u0435m works", "normative: modified clause study (text)"),  # Cyrillic e
    ]:
        edit(path, before, after)
        git(hooked, "add", "-A")
        start = head(hooked)
        r = commit(hooked, "-m", "Fix a typo")
        if "reformatted" in r.stdout:  # the canonical form folds a longer line anew: stage it, try again
            git(hooked, "add", "-A")
            r = commit(hooked, "-m", "Fix a typo")
        assert r.returncode != 0, (after, r.stdout)
        assert f"GOV-17 this commit makes 1 change of meaning ({change}" in r.stdout, r.stdout
        assert head(hooked) == start
        git(hooked, "checkout", "HEAD", "--", FILE)

    # A typo that was discussed and committed ...
    edit(path, "how the system works", "how the system wroks")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Reword study", "--trailer", "Discussion: https://discuss.example.org/t/1")
    assert r.returncode == 0, r.stdout
    # ... is then fixed with no Discussion: a non-word became the word it most likely meant.
    edit(path, "how the system wroks", "how the system works")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Fix a typo")
    assert r.returncode == 0, r.stdout
    assert "works and inspect" in git(hooked, "show", f"HEAD:{FILE}")

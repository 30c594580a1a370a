"""Issue 12, item 8: a working version has no release date until osaid release writes one
(the town hall's 2024-01-26 is the date of the draft the text is based on, not a release)."""

from __future__ import annotations

import json

from conftest import REPO, git


def test_working_version_has_no_release_date_until_released(osaid, git_repo):
    for rel in ("definition/definition.yaml", "checklist/checklist.yaml"):
        assert "\ndate:" not in (REPO / rel).read_text(encoding="utf-8")  # the shipped data presents no date
    lines = osaid("status", cwd=git_repo).out.splitlines()
    assert ("  definition  0.0.5        draft, not released (no tag v0.0.5), no release date: osaid release "
            "writes it") in lines
    assert osaid("validate", cwd=git_repo).code == 0  # validate agrees: no date is valid
    st = json.loads(osaid("status", "--format", "json", cwd=git_repo).out)
    assert [d["date"] for d in st["documents"]] == [None, None]

    # the release writes the date on the line after the version, in the tagged commit
    assert osaid("release", "--date", "2024-02-01", cwd=git_repo).code == 0
    assert "\nversion: 0.0.5\ndate: '2024-02-01'\n" in git(git_repo, "show", "v0.0.5:definition/definition.yaml")
    assert "\nversion: 0.0.1\ndate: '2024-02-01'\n" in git(git_repo, "show", "checklist-v0.0.1:checklist/checklist.yaml")
    assert osaid("verify", cwd=git_repo).code == 0

    # a bumped working version carries the bump's date, which status does not call a release date
    assert osaid("bump", "draft", "--date", "2024-02-05", cwd=git_repo).code == 0
    lines = osaid("status", cwd=git_repo).out.splitlines()
    assert ("  definition  0.0.6        draft, not released (no tag v0.0.6), dated 2024-02-05 by osaid bump: not a "
            "release date; latest release 0.0.5") in lines

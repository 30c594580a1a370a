"""osaid status: versions, release state in and out of git, placeholders, readiness."""

from __future__ import annotations

import json

from conftest import REPO, commit_all, edit, git

ENDORSE = """  - id: {id}
    kind: {kind}
    name: {name}
    group: {group}
    version: {version}
    date: '2024-02-01'
    statement_url: https://example.org/{id}
"""


def endorse(root, entries, withdrawn=()):
    p = root / "governance/endorsements.yaml"
    lines = p.read_text(encoding="utf-8").split("\n")[0] + "\nendorsements:\n"
    for i, (group, version, *kind) in enumerate(entries):
        lines += ENDORSE.format(id=f"e{i}", name=f"Person {i}", group=group, version=version,
                                kind=kind[0] if kind else "support")
        if i in withdrawn:
            lines += "    withdrawn:\n      date: '2024-03-01'\n"
    p.write_text(lines, encoding="utf-8")


def test_status_of_this_repository(osaid):
    r = osaid("status", cwd=REPO)
    assert r.code == 0
    lines = r.out.splitlines()
    at = next(i for i, l in enumerate(lines) if l.startswith("Validation: "))
    assert "problem" not in lines[at] and not lines[at + 1].startswith("  "), lines[at:at + 2]  # nothing listed
    assert any(l.startswith("  definition  0.0.5        draft, ") for l in lines)
    assert any(l.startswith("  checklist   0.0.1        draft, ") for l in lines)
    assert "  rc     -> 1.0-RC1 (after 0.0.5): blocked by:" in lines


def test_outside_git_says_so(osaid, data_repo):
    r = osaid("status", cwd=data_repo)
    assert r.code == 0
    assert "  definition  0.0.5        draft, release state unknown" in r.out.splitlines()
    assert "  git: not a git repository: release state unknown (releases are git tags)" in r.out.splitlines()


def test_git_without_tags(osaid, git_repo):
    r = osaid("status", cwd=git_repo)
    assert r.code == 0
    lines = r.out.splitlines()
    assert ("  definition  0.0.5        draft, not released (no tag v0.0.5), no release date: osaid release writes it"
            in lines)
    assert ("  checklist   0.0.1        draft, not released (no tag checklist-v0.0.1), no release date: osaid release "
            "writes it") in lines
    assert "  git: no tags: nothing released yet (a shallow clone may lack them: git fetch --tags)" in lines


def test_released_version_is_reported_frozen(osaid, git_repo):
    git(git_repo, "tag", "-a", "v0.0.5", "-m", "Definition 0.0.5")
    git(git_repo, "tag", "-a", "checklist-v0.0.1", "-m", "Checklist 0.0.1")
    r = osaid("status", cwd=git_repo)
    lines = r.out.splitlines()
    assert "  definition  0.0.5        draft, released (tag v0.0.5): frozen, bump before editing; " \
           "latest release 0.0.5" in lines
    assert "  checklist   0.0.1        draft, released (tag checklist-v0.0.1): frozen, bump before editing; " \
           "latest release 0.0.1" in lines
    assert not any(l.startswith("  git:") for l in lines)


def test_placeholders_with_locations(osaid, data_repo):
    r = osaid("status", "--format", "json", cwd=data_repo)
    st = json.loads(r.out)
    found = {(p["path"], p["line"], p["col"], p["marker"]) for p in st["placeholders"]}
    assert ("definition/preamble.yaml", 7, 7, "TK") in found
    assert ("checklist/components.yaml", 15, 18, "TK") in found
    assert not any(p[0].startswith("governance/") for p in found)
    assert len(found) == 97  # 14 requirements the invented rule had set are TBD until the tally decides (GOV-21)
    doc = {d["document"]: d for d in st["documents"]}
    assert doc["definition"]["placeholders"] == 4
    assert doc["checklist"]["placeholders"] == 93


def test_readiness_counts_endorsements_of_the_version_each_gate_releases(osaid, git_repo):
    groups = ["system-creator", "license-creator", "regulator", "licensee", "end-user", "subject"]
    # two supports each, but one regulator's is withdrawn, one licensee supports another version, and
    # one end user endorses rather than supports: the two kinds are counted apart
    entries = [(g, "0.0.5") for g in groups for _ in range(2)]
    entries[7] = ("licensee", "0.0.4")
    entries[9] = ("end-user", "0.0.5", "endorsement")
    endorse(git_repo, entries, withdrawn={4})
    r = osaid("status", cwd=git_repo)
    lines = r.out.splitlines()
    assert r.code == 1  # 0.0.4 does not exist: validation reports it
    assert ("Support and endorsements of definition 0.0.5 (no release gate counts these: an RC's gate counts "
            "support, a final's endorsements, each of the version it releases, see Next)") in lines
    assert "                   support  endorsements" in lines
    assert "  Regulator              1             0" in lines and "  Subject                2             0" in lines
    assert "  End User               1             1" in lines
    assert "  release 0.0.5 (draft): blocked by:" in lines
    assert "      GOV-4 1 problem in the data files (osaid validate lists them): fix them first" in lines
    # the RC gate counts endorsements of 1.0-RC1, not of the working draft
    assert ("      GOV-7 support of 1.0-RC1: System Creator: 0 of 2; License Creator: 0 of 2; Regulator: 0 "
            "of 2; Licensee: 0 of 2; End User: 0 of 2; Subject: 0 of 2 (record each in governance/endorsements.yaml "
            "with kind: support)") in lines
    assert not any("of 0.0.5:" in line for line in lines)


def test_complete_draft_is_blocked_by_endorsements_of_the_rc_only(osaid, git_repo):
    groups = ["system-creator", "license-creator", "regulator", "licensee", "end-user", "subject"]
    endorse(git_repo, [(g, "0.0.5") for g in groups for _ in range(2)])
    for rel in ("definition/preamble.yaml", "definition/ai-system.yaml", "definition/preferred-form.yaml",
                "definition/out-of-scope.yaml"):
        p = git_repo / rel
        p.write_text(p.read_text(encoding="utf-8").replace("TK:", "Text:"), encoding="utf-8")
    commit_all(git_repo, "Complete the definition")
    st = json.loads(osaid("status", "--format", "json", cwd=git_repo).out)
    definition = next(d for d in st["documents"] if d["document"] == "definition")
    rc = next(n for n in definition["next"] if n["kind"] == "rc")
    assert rc["version"] == "1.0-RC1" and rc["after"] == "0.0.5" and rc["ready"] is False
    assert [b["rule"] for b in rc["blockers"]] == ["GOV-7"]
    assert rc["blockers"][0]["message"].startswith("support of 1.0-RC1: System Creator: 0 of 2;")
    checklist = next(d for d in st["documents"] if d["document"] == "checklist")
    rc = next(n for n in checklist["next"] if n["kind"] == "rc")
    assert rc["blockers"] == [{"rule": "GOV-6", "message": "93 placeholders (TK, TODO, TBD) left in the checklist: "
                                                          "write what they stand for (osaid status lists them)"}]


def test_status_of_a_broken_repository_still_reports(osaid, data_repo):
    (data_repo / "checklist/checklist.yaml").write_text("rows: [\n", encoding="utf-8")
    r = osaid("status", cwd=data_repo)
    assert r.code == 1
    assert "  checklist   unreadable (see problems below)" in r.out.splitlines()
    assert any(l.startswith("  checklist/checklist.yaml:2:1: GOV-1 ") for l in r.out.splitlines()), r.out


def test_status_json_is_complete(osaid, git_repo):
    st = json.loads(osaid("status", "--format", "json", cwd=git_repo).out)
    assert set(st) == {"root", "git", "files", "problems", "documents", "placeholders", "endorsed_version",
                       "endorsements", "thresholds", "valid", "reviews_due", "unreviewable", "based_on", "analyses",
                       "schedule", "board", "translations", "support", "descriptions"}
    assert st["valid"] is True and st["thresholds"] == {"rc": 2, "final": 5}


def test_status_reports_a_review_that_is_due(osaid, git_repo, monkeypatch):
    import subprocess

    def sh(*args):
        r = subprocess.run(args, cwd=git_repo, capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr

    # a final version released on 2024-01-26 (the tag is made by hand here: status only reads it)
    edit(git_repo / "definition/definition.yaml", "version: 0.0.5", "version: '1.0'\ndate: '2024-01-26'")
    commit_all(git_repo, "1.0")
    git(git_repo, "tag", "-a", "v1.0", "-m", "1.0")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15
    r = osaid("status", cwd=git_repo)
    assert ("  GOV-19 definition 1.0 was last released or reviewed on 2024-01-26, more than 365 days ago "
            "(policy: review.interval_days): review it, and record the review (document, version, date, outcome, "
            "url) in governance/reviews.yaml") in r.out.splitlines()
    (git_repo / "governance/reviews.yaml").write_text(
        "# yaml-language-server: $schema=../tools/osaid/schemas/reviews.schema.json\nreviews:\n"
        "  - document: definition\n    version: '1.0'\n    date: '2026-06-01'\n    outcome: Kept.\n"
        "    url: https://example.org/review\n", encoding="utf-8")
    assert "Review due" not in osaid("status", cwd=git_repo).out

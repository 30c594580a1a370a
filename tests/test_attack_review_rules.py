"""Attacks on the merged review rules (issue 8): ways to slip a change of meaning past
GOV-17 (Discussion:) and GOV-18 (Reviewed-by:) with ordinary git commands.
Real git, real pre-commit hooks (the `hooked` fixture of test_hooks), the installed script.
"""

from __future__ import annotations

from conftest import edit, git
from test_hooks import BIN, bump, commit, head, hooked, run  # noqa: F401 (hooked is a fixture)
from test_review_rules import DISCUSSED, REVIEWED, STUDY, remote_head

SHARE = ("definition/what-is-open-source-ai.yaml", "Share the system with or without modifications, for any purpose.",
         "Share the system with or without modifications, for any non-commercial purpose.")


def test_an_evil_merge_needs_a_discussion_of_its_own_changes(hooked):
    """A merge whose result differs from both of its parents (a change made while merging, or a
    conflict resolved into new words) changes meaning itself: it needs a Discussion: trailer
    even though each commit it brings in is discussed. A clean merge of discussed commits does not."""
    pushed = remote_head(hooked, "origin")
    git(hooked, "switch", "-q", "-c", "side")
    bump(hooked)
    edit(hooked / STUDY[0], *STUDY[1:])
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "Reword study", *DISCUSSED, *REVIEWED).returncode == 0
    git(hooked, "switch", "-q", "main")
    r = run(hooked, "git", "merge", "--no-ff", "--no-commit", "side")
    assert r.returncode == 0, r.stdout
    edit(hooked / SHARE[0], *SHARE[1:])  # slipped in while merging: in neither parent
    git(hooked, "add", "-A")
    assert commit(hooked, "--no-verify", "-m", "Merge side", *REVIEWED).returncode == 0
    sha = head(hooked)[:10]
    r = run(hooked, str(BIN / "osaid"), "verify", "--range", "origin/main..main")
    assert r.returncode == 1
    assert [line for line in r.stdout.splitlines() if "GOV-17" in line] == [
        f"{sha}: GOV-17 merge {sha} (2024-01-26, Merge side) makes 1 change of meaning of its own, in neither "
        "of the commits it merges (normative: modified clause share (text)), but its message has no "
        "'Discussion: https://...' trailer: add the line where it was discussed before it is pushed "
        "(git commit --amend)"]
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode != 0 and f"{sha}: GOV-17 merge {sha}" in r.stdout
    assert remote_head(hooked, "origin") == pushed

    # the same merge without the slipped change (the local hook asks a Discussion: of any merge): clean
    git(hooked, "reset", "-q", "--hard", "HEAD^1")
    r = run(hooked, "git", "merge", "--no-ff", "--no-verify", "-m", "Merge side\n\nReviewed-by: Rita Reviewer <rita@example.org>",
            "side")
    assert r.returncode == 0, r.stdout
    r = run(hooked, str(BIN / "osaid"), "verify", "--range", "origin/main..main")
    assert "GOV-17" not in r.stdout and "GOV-18" not in r.stdout, r.stdout


def test_a_maintainer_cannot_review_their_own_commit_under_a_variant_of_their_name(hooked):
    """The author never counts as a reviewer, matched by email or by name: a name spelt with other
    case, spaces, compatibility or invisible characters (and another email) is still theirs."""
    bump(hooked)
    edit(hooked / STUDY[0], *STUDY[1:])
    git(hooked, "add", "-A")
    assert commit(hooked, "--no-verify", "-m", "Reword study", *DISCUSSED).returncode == 0
    for variant in ("Rita  Reviewer", "RITA REVIEWER", "\uff32ita Reviewer", "Rita\u00a0Reviewer",
                    "Rita Revi\u200bewer", "Rita Reviewer\u2060"):
        r = commit(hooked, "--amend", "--no-verify", "--author", f"{variant} <rita@home.example>",
                   "-m", "Reword study", *DISCUSSED, *REVIEWED)
        assert r.returncode == 0, r.stdout
        r = run(hooked, str(BIN / "osaid"), "verify", "--range", "origin/main..main")
        assert r.returncode == 1 and "is reviewed by 0 maintainers other than its author, of 1 needed" in r.stdout, \
            (variant, r.stdout)
    # another person with another name is a reviewer
    r = commit(hooked, "--amend", "--no-verify", "--author", "Robin Writer <robin@example.org>",
               "-m", "Reword study", *DISCUSSED, *REVIEWED)
    r = run(hooked, str(BIN / "osaid"), "verify", "--range", "origin/main..main")
    assert r.returncode == 0, r.stdout

BOARD = """# yaml-language-server: $schema=../tools/osaid/schemas/board.schema.json
approvals:
  - id: board-2024-10
    version: '1.0'
    date: '2024-10-20'
    decision: not approved
    minutes_url: https://example.org/minutes/2024-10-20
"""


def test_the_board_s_decisions_stay_append_only_past_no_verify(hooked):
    """GOV-22 (and GOV-16 alike): the pre-commit hook refuses a changed or deleted decision, but
    `git commit --no-verify` skips it; the pre-push hook and CI (osaid verify) check every pushed
    commit against its parents, so 'not approved' cannot quietly become 'approved'."""
    p = hooked / "governance/board.yaml"
    p.write_text(BOARD, encoding="utf-8")
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "The board does not approve 1.0").returncode == 0
    assert run(hooked, "git", "push", "origin", "main").returncode == 0
    pushed = remote_head(hooked, "origin")
    p.write_text(p.read_text(encoding="utf-8").replace("not approved", "approved"), encoding="utf-8")
    git(hooked, "add", "-A")
    assert commit(hooked, "--no-verify", "-m", "Tidy board.yaml").returncode == 0
    sha = head(hooked)[:10]
    expected = (f"{sha}: GOV-22 commit {sha} (2024-01-26, Tidy board.yaml) changes governance/board.yaml: the "
                "board's decision 'board-2024-10' changed: a decision stays as it was recorded; put it back, and "
                "record a new decision if there is one")
    r = run(hooked, str(BIN / "osaid"), "verify", "--range", "origin/main..main")
    assert r.returncode == 1 and expected in r.stdout.splitlines(), r.stdout
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode != 0 and expected in r.stdout.splitlines()
    assert remote_head(hooked, "origin") == pushed
    # deleted in a merge (the side branch keeps it): checked against every parent
    git(hooked, "reset", "-q", "--hard", "origin/main")
    git(hooked, "switch", "-q", "-c", "side")
    (hooked / "notes.txt").write_text("side\n")
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "Side work").returncode == 0
    git(hooked, "switch", "-q", "main")
    assert run(hooked, "git", "merge", "--no-ff", "--no-commit", "side").returncode == 0
    p.write_text(p.read_text(encoding="utf-8").split("approvals:")[0] + "approvals: []\n", encoding="utf-8")
    git(hooked, "add", "-A")
    assert commit(hooked, "--no-verify", "-m", "Merge side").returncode == 0
    r = run(hooked, str(BIN / "osaid"), "verify", "--range", "origin/main..main")
    assert r.returncode == 1 and "GOV-22 commit" in r.stdout and "'board-2024-10' (1.0, 2024-10-20) was deleted" \
        in r.stdout, r.stdout
    assert r.stdout.count("GOV-22") == 1  # once, though both parents had it


def test_a_pull_request_is_judged_by_the_base_s_osaid_not_its_own(tmp_path):
    """A pull request that makes a change of meaning and rewrites tools/osaid/releases/verify.py to find
    nothing would pass its own check: the review job installs the osaid of the base commit."""
    import os
    import subprocess

    from conftest import REPO, commit_all, git_init
    from test_workflows import workflow

    job = workflow(REPO / ".github/workflows/pull-request.yml")["jobs"]["review"]
    steps = {s.get("name"): s for s in job["steps"]}
    assert '"$RUNNER_TEMP/osaid-base"' in steps["Install"]["run"] and "-e ." not in steps["Install"]["run"]
    repo = tmp_path / "pr"
    (repo / "tools/osaid/releases").mkdir(parents=True)
    (repo / "tools/osaid/releases/verify.py").write_text("def run(*a, **k):\n    return ['the base']\n")
    git_init(repo)
    base = commit_all(repo, "Base")
    (repo / "tools/osaid/releases/verify.py").write_text("def run(*a, **k):\n    return []\n")
    commit_all(repo, "Quietly trust everything")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    r = subprocess.run(["bash", "-e", "-c", steps["The base's osaid"]["run"]], cwd=repo, capture_output=True,
                       text=True, env={**os.environ, "BASE_SHA": base, "RUNNER_TEMP": str(temp)})
    assert r.returncode == 0, r.stderr
    assert (temp / "osaid-base/tools/osaid/releases/verify.py").read_text() == "def run(*a, **k):\n    return ['the base']\n"


def test_a_reclassification_planted_for_a_future_version_is_a_change_of_meaning(hooked):
    """notes/definition-0.0.6.yaml written while 0.0.5 is the working version (its reclassification
    of a change not made yet, pinned by its sha256): a change of the reclassifications of any
    version needs a discussion and a review, not only of the version the commit carries."""
    clause = "definition/what-is-open-source-ai.yaml"
    bump(hooked)
    edit(hooked / clause, "for any purpose and", "for every purpose and")  # normative by the rules
    r = run(hooked, str(BIN / "osaid"), "reclassify", "use", "--to", "editorial", "--reason", "Plainer.")
    assert r.returncode == 0, r.stdout
    planted = (hooked / "notes/definition-0.0.6.yaml").read_text(encoding="utf-8")
    git(hooked, "reset", "-q", "--hard")
    (hooked / "notes/definition-0.0.6.yaml").write_text(planted, encoding="utf-8")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Prepare notes")
    assert r.returncode != 0 and "GOV-17 this commit makes 1 change of meaning (substantive: modified notes " \
        "definition-0.0.6 (reclassify))" in r.stdout, r.stdout
    assert commit(hooked, "--no-verify", "-m", "Prepare notes").returncode == 0
    planted_at = head(hooked)[:10]
    bump(hooked)
    edit(hooked / clause, "for any purpose and", "for every purpose and")
    git(hooked, "add", "-A")
    assert commit(hooked, "--no-verify", "-m", "Plainer freedom to use").returncode == 0
    r = run(hooked, str(BIN / "osaid"), "verify", "--range", "origin/main..main")
    assert r.returncode == 1 and f"{planted_at}: GOV-17 commit {planted_at}" in r.stdout \
        and f"{planted_at}: GOV-18 commit {planted_at}" in r.stdout, r.stdout

"""The review rules cannot be walked past (issue 8, items 4, 5, 6 and 9).

GOV-17 (Discussion:) and GOV-18 (Reviewed-by:) are checked where a commit is made
AND where it leaves the machine or is released: an amend, a commit made without
hooks, a merge, a first push to an empty remote or to a remote never fetched, and
`osaid release` on unreviewed history are each rejected, naming the rule and the
fix. `osaid status` says, per next version, what `osaid release` would say.
Real git, real pre-commit (the `hooked` fixture of test_hooks), the installed script.
"""

from __future__ import annotations

import json

from conftest import commit_all, commit_reviewed, edit, git
from test_hooks import BIN, bump, commit, head, hooked, run  # noqa: F401 (hooked is a fixture)
from test_release import complete_definition, endorse, released, snapshot  # noqa: F401 (released is a fixture)

STUDY = ("definition/what-is-open-source-ai.yaml", "inspect its components", "inspect every component")
DISCUSSED = ("--trailer", "Discussion: https://example.org/3")
REVIEWED = ("--trailer", "Reviewed-by: Rita Reviewer <rita@example.org>")
MEANING = "makes 1 change of meaning (normative: modified clause study (text))"
NO_DISCUSSION = ("but its message has no 'Discussion: https://...' trailer{}: add the line where it was discussed "
                 "before it is pushed (git commit --amend for the last commit, git rebase -i for an older one)")


def gov17(sha: str, subject: str, date: str = "2024-01-26", bad: str = "") -> str:
    return f"{sha}: GOV-17 commit {sha} ({date}, {subject}) {MEANING} {NO_DISCUSSION.format(bad)}"


def gov18(sha: str, subject: str, date: str = "2024-01-26") -> str:
    return (f"{sha}: GOV-18 commit {sha} ({date}, {subject}) makes 1 change of meaning but is reviewed by 0 "
            "maintainers other than its author, of 1 needed: a maintainer listed in governance/maintainers.yaml adds "
            "'Reviewed-by: Name <email>' to the commit message (git commit --amend --trailer ...) before it is pushed")


def remote_head(root, remote: str, ref: str = "main") -> str | None:
    out = git(root, "ls-remote", remote, ref).split()
    return out[0] if out else None


def test_amend_merge_and_no_verify_cannot_drop_the_discussion(hooked):
    """Item 4: commit-msg compares HEAD with the index, so an amend that drops the trailer passes it;
    osaid verify (pre-push, CI) checks every pushed commit's message."""
    pushed = remote_head(hooked, "origin")
    bump(hooked)
    edit(hooked / STUDY[0], *STUDY[1:])
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "Reword study", *DISCUSSED, *REVIEWED).returncode == 0
    r = commit(hooked, "--amend", "-m", "Reword study", *REVIEWED)  # the Discussion: line is gone
    assert r.returncode == 0, r.stdout  # the local hook cannot see it: HEAD is the commit being amended
    sha = head(hooked)[:10]
    r = run(hooked, str(BIN / "osaid"), "verify", "--range", "origin/main..main")
    assert r.returncode == 1 and gov17(sha, "Reword study") in r.stdout.splitlines()
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode != 0 and gov17(sha, "Reword study") in r.stdout.splitlines()
    assert "GOV-18" not in r.stdout  # the review is there; only the discussion is missing
    assert remote_head(hooked, "origin") == pushed

    # no hooks at all, and a Discussion that is not a URL
    r = commit(hooked, "--amend", "--no-verify", "-m", "Reword study", "--trailer", "Discussion: see the forum",
               *REVIEWED)
    assert r.returncode == 0
    r = run(hooked, "git", "push", "origin", "main")
    assert gov17(head(hooked)[:10], "Reword study", bad=" ('see the forum' is not an http(s) URL)") \
        in r.stdout.splitlines()
    # a Discussion: line in the body is not a trailer
    message = ("Reword study\n\nDiscussion: https://example.org/3\n\nAnd more words after it.\n\n"
               "Reviewed-by: Rita Reviewer <rita@example.org>\n")
    assert commit(hooked, "--amend", "--no-verify", "-m", message).returncode == 0
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode != 0 and gov17(head(hooked)[:10], "Reword study") in r.stdout.splitlines()

    # a merge brings in a commit made without hooks: the merge is discussed and reviewed, the commit is not
    git(hooked, "reset", "-q", "--hard", "origin/main")
    git(hooked, "switch", "-q", "-c", "side")
    bump(hooked)
    edit(hooked / STUDY[0], *STUDY[1:])
    git(hooked, "add", "-A")
    assert commit(hooked, "--no-verify", "-m", "Quietly reword study").returncode == 0
    side = head(hooked)[:10]
    git(hooked, "switch", "-q", "main")
    r = run(hooked, "git", "merge", "--no-ff", "-m", "Merge side\n\nDiscussion: https://example.org/3\n"
            "Reviewed-by: Rita Reviewer <rita@example.org>", "side")
    assert r.returncode == 0, r.stdout
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode != 0 and gov17(side, "Quietly reword study") in r.stdout.splitlines()
    assert remote_head(hooked, "origin") == pushed

    # the fix the message gives: the trailer back on the commit, then the push passes
    git(hooked, "reset", "-q", "--hard", "origin/main")
    bump(hooked)
    edit(hooked / STUDY[0], *STUDY[1:])
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "Reword study", *DISCUSSED, *REVIEWED).returncode == 0
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode == 0, r.stdout
    assert remote_head(hooked, "origin") == head(hooked)


def test_first_push_to_an_empty_remote_or_a_remote_never_fetched(hooked, tmp_path):
    """Item 5: when the pushed history reaches the root commit, pre-commit gives no from-ref;
    every commit that remote lacks is checked (all of them for an empty remote)."""
    upstream = tmp_path / "upstream.git"  # has the history so far; this clone never fetches it
    git(tmp_path, "clone", "-q", "--bare", str(tmp_path / "remote.git"), str(upstream))
    git(hooked, "remote", "add", "upstream", str(upstream))
    fresh = tmp_path / "fresh.git"
    git(tmp_path, "init", "-q", "--bare", str(fresh))
    git(hooked, "remote", "add", "fresh", str(fresh))
    by_url = tmp_path / "by-url.git"
    git(tmp_path, "init", "-q", "--bare", str(by_url))

    bump(hooked)
    edit(hooked / STUDY[0], *STUDY[1:])
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "Reword study", *DISCUSSED).returncode == 0  # discussed, not reviewed
    sha = head(hooked)[:10]
    for target in (["fresh", "main"], [str(by_url), "main"], ["upstream", "main:refs/heads/reword"]):
        r = run(hooked, "git", "push", *target)
        assert r.returncode != 0, (target, r.stdout)
        assert gov18(sha, "Reword study") in r.stdout.splitlines(), (target, r.stdout)
        assert "GOV-17" not in r.stdout
    assert git(hooked, "ls-remote", str(fresh)) == git(hooked, "ls-remote", str(by_url)) == ""
    assert remote_head(hooked, "upstream", "reword") is None

    assert commit(hooked, "--amend", "--no-edit", *REVIEWED).returncode == 0  # the fix the message gives
    for target in (["fresh", "main"], [str(by_url), "main"], ["upstream", "main:refs/heads/reword"]):
        r = run(hooked, "git", "push", *target)
        assert r.returncode == 0, (target, r.stdout)
    assert remote_head(hooked, "fresh") == remote_head(hooked, "upstream", "reword") == head(hooked)


def _commit_on(root, monkeypatch, day: str, message: str, *trailers: str) -> str:
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{day}T12:00:00+00:00")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, *trailers)
    return git(root, "rev-parse", "--short=10", "HEAD").strip()


def _gate_problems(out: str, name: str) -> list[str]:
    """The problems `osaid release` lists under one of its checks."""
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line[8:] == name)
    found = []
    for line in lines[at + 1:]:
        if not line.startswith(" " * 8):
            break
        found.append(line[8:])
    return found


def test_release_refuses_unreviewed_history_and_writes_nothing(osaid, released, monkeypatch):
    """Item 6: every commit since the document's last release, each offending one listed
    with its date and subject, before anything is written."""
    osaid("bump", "draft", "--date", "2024-03-01", cwd=released)
    _commit_on(released, monkeypatch, "2024-03-01", "Bump")  # editorial: needs nothing
    start = git(released, "rev-parse", "HEAD").strip()
    edit(released / STUDY[0], *STUDY[1:])
    a = _commit_on(released, monkeypatch, "2024-03-05", "Reword study")
    edit(released / "definition/preamble.yaml", "why the world needs", "why the world wants")
    b = _commit_on(released, monkeypatch, "2024-03-06", "Reword preamble", *DISCUSSED)
    edit(released / "definition/preamble.yaml", "why the world wants", "why everyone wants")
    c = _commit_on(released, monkeypatch, "2024-03-07", "Reword preamble again", *DISCUSSED,
                   "--trailer", "Reviewed-by: Ada Editor <ada@example.org>")  # the author reviewing herself
    edit(released / "definition/preamble.yaml", "why everyone wants", "why everyone wants,")
    _commit_on(released, monkeypatch, "2024-03-08", "Punctuation")  # editorial: needs nothing
    edit(released / "definition/preamble.yaml", "why everyone wants,", "why everybody wants,")
    _commit_on(released, monkeypatch, "2024-03-09", "Reviewed wording", *DISCUSSED,
               "--trailer", "Reviewed-by: Stefano Maffulli <stefano@example.org>")
    before = snapshot(released)
    end = ("of 1 needed: a maintainer listed in governance/maintainers.yaml adds 'Reviewed-by: Name <email>' to the "
           "commit message (git commit --amend --trailer ...) before it is pushed")
    wanted = [
        f"GOV-17 commit {a} (2024-03-05, Reword study) {MEANING} {NO_DISCUSSION.format('')}",
        f"GOV-18 commit {c} (2024-03-07, Reword preamble again) makes 1 change of meaning but is reviewed by 0 "
        f"maintainers other than its author, {end}",
        f"GOV-18 commit {b} (2024-03-06, Reword preamble) makes 1 change of meaning but is reviewed by 0 maintainers "
        f"other than its author, {end}",
        f"GOV-18 commit {a} (2024-03-05, Reword study) makes 1 change of meaning but is reviewed by 0 maintainers "
        f"other than its author, {end}",
    ]
    for extra in ((), ("--dry-run",)):
        r = osaid("release", "--document", "definition", "--date", "2024-03-10", *extra, cwd=released)
        assert (r.code, r.err) == (1, "osaid release: nothing was changed\n")
        assert "  FAIL  the draft gate for definition 0.0.6" in r.out.splitlines()
        assert _gate_problems(r.out, "the draft gate for definition 0.0.6") == wanted
        assert snapshot(released) == before
    # the status says the same, word for word
    assert _status_blockers(osaid, released, "0.0.6") == wanted

    # the fix: the commits made again with their trailers, before anything is tagged
    git(released, "reset", "-q", "--hard", start)
    edit(released / STUDY[0], *STUDY[1:])
    commit_reviewed(released, "Reword study")
    r = osaid("release", "--document", "definition", "--date", "2024-03-10", cwd=released)
    assert r.code == 0, r.out
    assert git(released, "tag", "-l", "v0.0.6").strip() == "v0.0.6"


def _status(osaid, root) -> dict:
    st = json.loads(osaid("status", "--format", "json", cwd=root).out)
    return {d["document"]: d for d in st["documents"]}["definition"]


def _status_blockers(osaid, root, version: str) -> list[str]:
    stage = next(n for n in _status(osaid, root)["next"] if n["version"] == version)
    return [f"{b['rule']} {b['message']}" for b in stage["blockers"]]


def _release_says(osaid, root, stage: str, version: str) -> list[str]:
    r = osaid("release", "--document", "definition", "--dry-run", cwd=root)
    return _gate_problems(r.out, f"the {stage} gate for definition {version}")


BOARD = ("GOV-22 no decision of the board on 1.0 (policy: board.approves_final): record its approval in "
         "governance/board.yaml (date, decision, vote, minutes_url)")


def test_status_says_what_release_would_at_each_step(osaid, released):
    """Item 9: the gate of each next version counts endorsements of that version, as the release will."""
    groups = "System Creator, License Creator, Regulator, Licensee, End User, Subject".split(", ")

    def short(version, have, needed):
        kind, words = ("support", "support") if "RC" in version else ("endorsement", "endorsements")
        return (f"{words} of {version}: " + "; ".join(f"{g}: {have} of {needed}" for g in groups)
                + f" (record each in governance/endorsements.yaml with kind: {kind})")

    # 0.0.6, not released, endorsed by two per group: those count for no gate
    osaid("bump", "draft", "--date", "2024-03-01", cwd=released)
    endorse(released, "0.0.6", 2)
    commit_reviewed(released, "0.0.6, endorsed")
    lines = osaid("status", cwd=released).out.splitlines()
    assert "  release 0.0.6 (draft): ready" in lines
    assert "  rc     -> 1.0-RC1 (after 0.0.6): blocked by:" in lines
    assert "      GOV-7 " + short("1.0-RC1", 0, 2) in lines
    assert not any("of 0.0.6:" in line for line in lines)
    assert _release_says(osaid, released, "draft", "0.0.6") == _status_blockers(osaid, released, "0.0.6") == []
    assert osaid("release", "--document", "definition", "--date", "2024-03-02", cwd=released).code == 0

    # 1.0-RC1, complete and endorsed: ready, as release finds it
    osaid("bump", "rc", "--date", "2024-04-01", cwd=released)
    complete_definition(released)
    endorse(released, "1.0-RC1", 2, start=100)
    commit_reviewed(released, "RC1")
    assert "  release 1.0-RC1 (rc): ready" in osaid("status", cwd=released).out.splitlines()
    # its final gate will count endorsements of 1.0, not the 1.0-RC1 ones just recorded
    assert _status_blockers(osaid, released, "1.0") == ["GOV-8 " + short("1.0", 0, 5), BOARD]
    assert _release_says(osaid, released, "rc", "1.0-RC1") == []
    assert osaid("release", "--document", "definition", "--date", "2024-04-02", cwd=released).code == 0

    # at the released 1.0-RC1: the final gate counts endorsements of 1.0, the next RC those of 1.0-RC2
    definition = _status(osaid, released)
    assert [(n["kind"], n["version"], n["after"], n["ready"]) for n in definition["next"]] == [
        ("rc", "1.0-RC2", None, False), ("final", "1.0", None, False)]
    assert _status_blockers(osaid, released, "1.0-RC2") == ["GOV-7 " + short("1.0-RC2", 0, 2)]
    assert _status_blockers(osaid, released, "1.0") == ["GOV-8 " + short("1.0", 0, 5), BOARD]

    # after bump final, with a late change of meaning: blocked exactly as release is
    osaid("bump", "final", "--date", "2024-10-01", cwd=released)
    endorse(released, "1.0", 5, start=200)
    p = released / "governance/endorsements.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "    withdrawn:\n      date: '2024-10-02'\n", encoding="utf-8")
    edit(released / "definition/what-is-open-source-ai.yaml", "for any purpose and", "for any lawful purpose and")
    commit_all(released, "1.0 with a late change")  # neither discussed nor reviewed
    said = _status_blockers(osaid, released, "1.0")
    assert [s.split(" ", 1)[0] for s in said] == ["GOV-8", "GOV-22", "GOV-15", "GOV-17", "GOV-18"]
    assert said[0] == ("GOV-8 endorsements of 1.0: Subject: 4 of 5 (record each in governance/endorsements.yaml "
                       "with kind: endorsement)")
    assert said == _release_says(osaid, released, "final", "1.0")
    lines = osaid("status", cwd=released).out.splitlines()
    assert "  release 1.0 (final): blocked by:" in lines
    assert "Support and endorsements of definition 1.0 (the final gate of 1.0 needs 5 endorsements per group)" in lines
    assert "  Subject                0             4   1 short" in lines


def test_what_a_push_sends(git_repo):
    """The commits pre-push checks, from what pre-commit passes: a range when the remote's commit
    is known here; otherwise every commit the remote lacks; more, never less, when unsure."""
    from osaid import hooks

    root = str(git_repo)
    first = git(git_repo, "rev-parse", "HEAD").strip()
    edit(git_repo / "definition/preamble.yaml", "title: Preamble", "title: The preamble")
    second = commit_all(git_repo, "Retitle")
    assert hooks.pushed(root, first, "0" * 40) == []  # a deletion
    assert hooks.pushed(root, first, second, "refs/heads/main", "origin") == [f"{first}..{second}"]
    unknown = "1234567890abcdef1234567890abcdef12345678"
    assert hooks.pushed(root, unknown, second, None, "origin") == [second, "--not", "--remotes=origin"]
    # a first push: pre-commit gives only the local ref and the remote
    assert hooks.pushed(root, None, None, "refs/heads/main", "origin") == ["refs/heads/main", "--not",
                                                                         "--remotes=origin"]
    assert hooks.pushed(root, None, None, "no-such-ref", "origin") == ["HEAD", "--branches", "--not",
                                                                      "--remotes=origin"]
    assert hooks.pushed(root, None, None) == ["HEAD", "--not", "--remotes"]
    assert git(git_repo, "rev-list", *hooks.pushed(root, None, None, "refs/heads/main", "origin")).split() == \
        [second, first]

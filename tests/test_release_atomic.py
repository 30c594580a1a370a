"""osaid release survives interruption and races: published in one git transaction, or not at all.

Every test runs the installed `osaid` script in a real process on a real repository, and compares
what a user would check: HEAD, the tags (and their objects), the index, every file of the work
tree (temporary files included), lock and temporary files in .git.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import git

OSAID = str(Path(sys.executable).parent / "osaid")
DATE = "2024-02-01"
RUNS, BATCH = 52, 4
NOTHING = "nothing was changed: no commit, no tag, no file (the repository is as it was)\n"


def state(root: Path):
    """What a user would compare: HEAD, every tag and the object it names, the index, git status
    (untracked and ignored files too), every file's bytes, and leftover locks and temp files in .git."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
             if p.is_file() and ".git" not in p.relative_to(root).parts}
    leftovers = sorted(p.relative_to(root).as_posix() for p in (root / ".git").rglob("*")
                       if p.name.endswith((".lock", ".tmp")) or p.name.startswith("tmp_"))
    return {"head": git(root, "rev-parse", "HEAD").strip(),
            "tags": git(root, "for-each-ref", "--format=%(refname) %(objectname)", "refs/tags"),
            "index": git(root, "ls-files", "-s"),
            "status": git(root, "status", "--porcelain", "--ignored"),
            "files": files, "leftovers": leftovers}


def osaid(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([OSAID, *args], cwd=root, capture_output=True, text=True)


def copy(src: Path, dst: Path) -> Path:
    subprocess.run(["cp", "-a", str(src), str(dst)], check=True)
    return dst


def wait_group(pgid: int, timeout: float = 20.0) -> None:
    """Until every process of the group is gone (a git that osaid started may outlive a SIGKILL)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.005)
    raise AssertionError(f"processes of group {pgid} still running")


@pytest.fixture
def released_state(git_repo, tmp_path):
    """The state a release of git_repo reaches (commit and tag ids are fixed: hermetic dates)."""
    ref = copy(git_repo, tmp_path / "reference")
    r = osaid(ref, "release", "--date", DATE)
    assert r.returncode == 0, r.stderr
    return state(ref)


@pytest.mark.slow
def test_release_killed_at_random_moments_is_absent_or_complete(git_repo, tmp_path, released_state):
    """SIGKILL, SIGINT (to the whole process group, as a terminal's Ctrl-C), SIGTERM and SIGHUP at
    random moments over the measured run time: the repository is exactly as before or exactly
    released; only after SIGKILL may the release be published with the work tree behind, and a
    rerun then finishes it. A handled signal exits 128 + its number, with no traceback."""
    before = state(git_repo)
    roots = [copy(git_repo, tmp_path / f"timed{i}") for i in range(BATCH)]
    t0 = time.monotonic()  # the run time, measured as the runs are made: BATCH at a time
    timed, ends = [start(root) for root in roots], {}
    while len(ends) < BATCH:
        ends.update({i: time.monotonic() - t0 for i, p in enumerate(timed) if i not in ends and p.poll() is not None})
        time.sleep(0.005)
    assert [p.wait() for p in timed] == [0] * BATCH
    duration = sorted(ends.values())[BATCH // 2]
    rng = random.Random(20240201)
    signals = [signal.SIGKILL, signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
    seen: dict[str, int] = {}
    for first in range(0, RUNS, BATCH):
        roots = [copy(git_repo, tmp_path / f"run{run}") for run in range(first, first + BATCH)]
        # half over the whole run, half over its end, where the objects are made and published
        kills = sorted((rng.uniform(0, duration * 1.2) if run % 2 else rng.uniform(duration * 0.7, duration * 1.05),
                        run, signals[run % 4], root) for run, root in enumerate(roots, first))
        t0 = time.monotonic()
        procs = {run: start(root) for _, run, _, root in kills}
        for delay, run, sig, _root in kills:
            time.sleep(max(0.0, t0 + delay - time.monotonic()))
            try:
                if sig in (signal.SIGINT, signal.SIGHUP):
                    os.killpg(procs[run].pid, sig)  # a terminal signals the whole foreground group, git included
                else:
                    os.kill(procs[run].pid, sig)
            except ProcessLookupError:
                pass
        for delay, run, sig, root in kills:
            p = procs[run]
            out, err = p.communicate()
            wait_group(p.pid)
            outcome = check(root, before, released_state, sig, p.returncode, err, f"run {run}: {sig.name} after {delay:.3f} s")
            seen[outcome] = seen.get(outcome, 0) + 1
            if outcome == "published, work tree behind" or (outcome == "absent" and seen[outcome] == 1):
                r = osaid(root, "release", "--date", DATE)
                assert r.returncode == 0, f"run {run}: rerun: {r.stdout}{r.stderr}"
                assert state(root) == released_state, f"run {run}: rerun"
    print(f"\n{RUNS} kills over {duration:.2f} s runs ({BATCH} at a time): {seen}")
    assert seen.get("absent") and len(seen) > 1, seen


def start(root: Path) -> subprocess.Popen:
    return subprocess.Popen([OSAID, "release", "--date", DATE], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def check(root: Path, before: dict, released: dict, sig: int, code: int, err: str, where: str) -> str:
    """The outcome of one killed release: absent, complete, or (SIGKILL only) published with the
    work tree behind; anything else fails the test."""
    now = state(root)
    where = f"{where}: exit {code}\n{err}"
    # Python's own KeyboardInterrupt traceback only if the signal came before osaid's code ran
    assert "Traceback" not in err or code == -signal.SIGINT, where
    if now == before:
        assert code in (128 + sig, -sig), where
        if sig != signal.SIGKILL and code == 128 + sig:
            assert err.endswith("\n" + NOTHING) or err in (f"osaid: interrupted ({sig.name})\n",
                                                            "\nosaid: interrupted\n"), where
        return "absent"
    if now == released:
        assert code in (0, 128 + sig, -sig), where
        return "complete"
    where += f"\ndiffers from before in {[k for k in now if now[k] != before[k]]}: leftovers {now['leftovers']}"
    assert sig == signal.SIGKILL, where  # a handled signal never leaves a release half-done
    assert (now["head"], now["tags"]) == (released["head"], released["tags"]), where
    return "published, work tree behind"


def test_parallel_releases_one_wins_the_other_touches_nothing(git_repo, tmp_path, released_state):
    """Rounds of two `osaid release` started together on one repository: one wins, the other fails
    (on the transaction, or on its checks seeing the winner's release) and changes nothing."""
    for round_ in range(4):
        root = copy(git_repo, tmp_path / f"round{round_}")
        procs = [subprocess.Popen([OSAID, "release", "--date", DATE], cwd=root, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = sorted((p.wait(), p.stdout.read(), p.stderr.read()) for p in procs)
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        (won, _, _), (lost, out, err) = results
        assert (won, lost) == (0, 1), results
        assert "osaid release: nothing was changed" in err or err.endswith(NOTHING), results
        assert state(root) == released_state, results


def test_a_branch_moved_after_the_checks_fails_the_transaction(git_repo, monkeypatch):
    """Another commit (or release) moves the branch, or makes the tag, between the checks and the
    publication: the transaction checks the old values, so this release fails and changes nothing
    (git commit would have put the release on top of the other commit)."""
    from osaid.errors import OsaidError
    from osaid.releases import release
    from osaid.render.changelog import WRITER
    from osaid.repo.states import States

    monkeypatch.chdir(git_repo)
    with States(str(git_repo)) as states:
        p = release.plan(states, None, DATE, WRITER)
    assert p.ok
    git(git_repo, "commit", "-q", "--allow-empty", "-m", "Someone else's commit")
    before = state(git_repo)
    with pytest.raises(OsaidError) as e:
        release.execute(str(git_repo), p)
    assert str(e.value).startswith("release failed while publishing (moving the branch and creating the tags in one "
                                   "transaction): fatal: prepare: cannot lock ref 'refs/heads/main': is at "
                                   f"{before['head']} but expected ")
    assert str(e.value).endswith("\n" + NOTHING.rstrip("\n"))
    assert state(git_repo) == before

    git(git_repo, "reset", "-q", "--hard", "HEAD^")
    with States(str(git_repo)) as states:
        p = release.plan(states, None, DATE, WRITER)
    git(git_repo, "tag", "checklist-v0.0.1")  # someone tags by hand meanwhile
    before = state(git_repo)
    with pytest.raises(OsaidError) as e:
        release.execute(str(git_repo), p)
    assert "fatal: prepare: cannot lock ref 'refs/tags/checklist-v0.0.1': reference already exists" in str(e.value)
    assert state(git_repo) == before


def _hook(root: Path, name: str, body: str) -> None:
    hooks = root / ".git/hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / name).write_text("#!/bin/sh\n" + body)
    (hooks / name).chmod(0o755)


def _start(root: Path, *args: str) -> subprocess.Popen:
    p = subprocess.Popen([OSAID, "release", "--date", DATE, *args], cwd=root, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    (root / ".git/osaid.pid").write_text(str(p.pid))
    return p


def test_a_signal_during_the_transaction_waits_until_the_release_is_complete(git_repo, tmp_path, released_state):
    """git's reference-transaction hook signals osaid while the refs are locked: the signal waits
    for the work tree and the index, then osaid exits 143 / 129 / 130 and says the release is complete."""
    for sig, code in ((signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)):
        root = copy(git_repo, tmp_path / sig.name)
        _hook(root, "reference-transaction",
              f'[ "$1" = prepared ] && kill -{sig.name[3:]} "$(cat .git/osaid.pid)" && sleep 0.3\nexit 0\n')
        p = _start(root)
        out, err = p.communicate()
        (root / ".git/osaid.pid").unlink()
        (root / ".git/hooks/reference-transaction").unlink()
        assert p.returncode == code, err
        commit = released_state["head"]
        assert err == (f"osaid: interrupted ({sig.name}), after the release was complete; the release is published: "
                       f"commit {commit[:10]} on main, tags v0.0.5, checklist-v0.0.1\n")
        assert state(root) == released_state


def test_a_signal_before_the_transaction_changes_nothing(git_repo, tmp_path):
    """SIGINT while the tag is being signed (the signing program sends it): nothing is published,
    no scratch repository is left, exit 130. A transaction that a hook refuses changes nothing either."""
    signer = tmp_path / "signer"
    signer.write_text(f'#!/bin/sh\nkill -INT "$(cat {git_repo}/.git/osaid.pid)"\nsleep 2\nexit 1\n')
    signer.chmod(0o755)
    git(git_repo, "config", "gpg.program", str(signer))
    before = state(git_repo)
    p = _start(git_repo, "--sign")
    out, err = p.communicate()
    (git_repo / ".git/osaid.pid").unlink()
    assert (p.returncode, err) == (130, f"osaid: interrupted (SIGINT)\n{NOTHING}")
    assert state(git_repo) == before

    _hook(git_repo, "reference-transaction", '[ "$1" = prepared ] && exit 1\nexit 0\n')
    r = osaid(git_repo, "release", "--date", DATE)
    assert r.returncode == 1
    assert r.stderr.startswith("osaid: release failed while publishing")
    assert r.stderr.endswith(NOTHING)
    (git_repo / ".git/hooks/reference-transaction").unlink()
    assert state(git_repo) == before


def test_a_rerun_finishes_a_published_release_or_says_what_to_do(git_repo, tmp_path, released_state):
    """The state a SIGKILL after the transaction leaves (refs moved; index and work tree as before,
    a write's temporary file left): the dry run says so, a rerun finishes; an edit of a released
    file in the meantime is never overwritten: the rerun says what to do."""
    root = copy(git_repo, tmp_path / "behind")
    assert osaid(root, "release", "--date", DATE).returncode == 0
    git(root, "read-tree", "HEAD^")  # the index as before the release
    git(root, "checkout-index", "-f", "-a")
    (root / "CHANGELOG.md").unlink()
    (root / ".CHANGELOG.md.k2j4_x9q.tmp").write_text("half a changelog")
    behind = state(root)
    assert behind["status"] != ""
    commit = released_state["head"][:10]
    r = osaid(root, "release", "--dry-run")
    assert (r.returncode, r.stdout) == (0, f"would finish the release checklist-v0.0.1, v0.0.5 (commit {commit}), "
                                           "interrupted before the work tree and the index were brought up to it: "
                                           "CHANGELOG.md, checklist/checklist.yaml, definition/definition.yaml\n")
    assert state(root) == behind

    (root / "definition/definition.yaml").write_text("title: my own edit\n")
    r = osaid(root, "release")
    assert r.returncode == 1
    assert r.stderr == (f"osaid: the release checklist-v0.0.1, v0.0.5 (commit {commit}) is published, but "
                        "definition/definition.yaml in the work tree is neither the release's version nor the one "
                        "before it: keep a copy of your edit, take the release's version (git checkout HEAD -- "
                        "definition/definition.yaml), then run osaid release again to finish the release\n")
    git(root, "checkout", "HEAD", "--", "definition/definition.yaml")
    r = osaid(root, "release")
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("CHANGELOG.md, checklist/checklist.yaml\ndone: the release is complete\n")
    assert state(root) == released_state
    r = osaid(root, "release")  # complete: back to the ordinary checks
    assert r.returncode == 1 and "nothing to release" in r.stdout


def test_edits_after_a_complete_release_are_not_taken_for_an_interrupted_one(git_repo):
    """After a complete release, a bump (uncommitted) then osaid release: the ordinary checks
    answer (commit it first), not the completion of an interrupted release."""
    assert osaid(git_repo, "release", "--date", DATE).returncode == 0
    assert osaid(git_repo, "bump", "draft", "--date", "2024-03-01").returncode == 0
    (git_repo / "CHANGELOG.md").write_text("edited\n")
    r = osaid(git_repo, "release", "--date", DATE)
    assert r.returncode == 1
    assert ("        uncommitted changes: CHANGELOG.md, definition/definition.yaml: commit or stash them first"
            in r.stdout.splitlines())
    assert (git_repo / "CHANGELOG.md").read_text() == "edited\n"


def test_two_reruns_at_once_finish_the_release_once(git_repo):
    """Two `osaid release` see the same interrupted release: the first finishes it, the second
    (which waited for the lock) finds it done, says so, and changes nothing."""
    from osaid.errors import OsaidError
    from osaid.releases import release

    assert osaid(git_repo, "release", "--date", DATE).returncode == 0
    git(git_repo, "read-tree", "HEAD^")
    git(git_repo, "checkout-index", "-f", "-a")
    left = release.unfinished(str(git_repo))
    assert left is not None and release.unfinished(str(git_repo)) == left
    release.finish(str(git_repo), left)
    done = state(git_repo)
    with pytest.raises(OsaidError) as e:
        release.finish(str(git_repo), left)
    assert str(e.value) == "another osaid release finished this release meanwhile; " + NOTHING.rstrip("\n")
    assert state(git_repo) == done and done["status"] == ""


def test_an_ignored_changelog_is_still_released_and_staged(git_repo):
    """CHANGELOG.md in .gitignore: the release commits and stages it all the same."""
    (git_repo / ".gitignore").write_text("CHANGELOG.md\n")
    git(git_repo, "add", ".gitignore")
    git(git_repo, "commit", "-q", "-m", "ignore the changelog")
    r = osaid(git_repo, "release", "--date", DATE)
    assert r.returncode == 0, r.stderr
    assert git(git_repo, "ls-files", "CHANGELOG.md") == "CHANGELOG.md\n"
    assert git(git_repo, "status", "--porcelain") == ""


def test_a_git_stopped_by_an_interruption_leaves_no_lock(git_repo):
    """A signal raised in osaid while git holds index.lock (here `git commit -a` waiting for its
    hook; in a release, the index refresh of git status): git is stopped so that it removes the
    lock (SIGTERM), not killed with it in place."""
    from osaid.errors import Interrupted
    from osaid.repo import git as osaid_git

    def interrupt(signum, frame):
        raise Interrupted(signal.SIGTERM)

    _hook(git_repo, "pre-commit", "sleep 3\n")
    (git_repo / "governance/policy.yaml").write_text("# edited\n", encoding="utf-8")
    before = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with pytest.raises(Interrupted):
            osaid_git.run(str(git_repo), "commit", "-q", "-a", "-m", "x")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
    assert not (git_repo / ".git/index.lock").exists()
    assert git(git_repo, "status", "--porcelain") == " M governance/policy.yaml\n"


def test_staging_waits_for_a_git_that_holds_the_index(git_repo, released_state):
    """Another git holds index.lock just when the release stages its files (a `git status` of a
    second release refreshing the index): the release waits for it, and completes."""
    _hook(git_repo, "reference-transaction", '[ "$1" = committed ] && : > .git/index.lock && '
                                             '(sleep 0.4; rm -f .git/index.lock) >/dev/null 2>&1 &\nexit 0\n')
    r = osaid(git_repo, "release", "--date", DATE)
    assert r.returncode == 0, r.stderr
    (git_repo / ".git/hooks/reference-transaction").unlink()
    assert state(git_repo) == released_state

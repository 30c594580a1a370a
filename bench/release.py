#!/usr/bin/env python3
"""Benchmark: osaid release (a real one, on a copy), its --dry-run and osaid bump --dry-run, against the floor
of a release by hand (git commit + git tag -a), on a clone of this repository
and on the synthetic 1,000-commit, 100-tag repository of bench/history.py.

    .venv/bin/python bench/release.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import history  # noqa: E402  (the synthetic repository)

ROOT = Path(__file__).resolve().parent.parent
OSAID = str(Path(sys.executable).parent / "osaid")


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def sh(cwd: Path, *cmd: str, env: dict) -> None:
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.org", GIT_COMMITTER_NAME="Bench",
               GIT_COMMITTER_EMAIL="bench@example.org", XDG_CACHE_HOME=tempfile.mkdtemp(prefix="osaid-bench-"))
    base = Path(tempfile.mkdtemp(prefix="osaid-bench-release-"))

    # this repository: a clone, released once (bump needs a released version to follow);
    # a second clone bumped to a new draft (release needs an unreleased one)
    here = base / "this-released"
    sh(base, "git", "clone", "-q", str(ROOT), str(here), env=env)
    sh(here, OSAID, "release", "--date", "2024-02-01", env=env)
    here_next = base / "this-next"
    sh(base, "git", "clone", "-q", str(here), str(here_next), env=env)
    sh(here_next, OSAID, "bump", "draft", "--date", "2024-03-01", env=env)
    sh(here_next, "git", "commit", "-qam", "bump", env=env)
    # the synthetic history: 1,000 commits, 100 tags (its last version released); and a bumped clone
    synth = base / "synthetic-released"
    history.build(synth, 1)
    synth_next = base / "synthetic-next"
    sh(base, "git", "clone", "-q", str(synth), str(synth_next), env=env)
    sh(synth_next, OSAID, "bump", "draft", "--date", "2024-03-01", env=env)
    sh(synth_next, "git", "commit", "-qam", "bump", env=env)

    results = {}
    for label, repo, repo_next in (("this repository", here, here_next),
                                   ("synthetic (1,000 commits, 100 tags)", synth, synth_next)):
        floor_repo = base / f"floor-{repo.name}"
        sh(base, "git", "clone", "-q", str(repo), str(floor_repo), env=env)
        commands = {
            "osaid release --dry-run": ([OSAID, "release", "--dry-run", "--date", "2024-04-01"], repo_next),
            "osaid bump draft --dry-run": ([OSAID, "bump", "draft", "--dry-run", "--date", "2024-04-01"], repo),
        }
        times = {k: [] for k in commands}
        rss = {k: 0 for k in commands}
        codes = {}
        floor = []
        for cmd, cwd in commands.values():
            timed(cmd, cwd, env)  # warm up
        for i in range(args.runs):
            for name, (cmd, cwd) in commands.items():
                wall, peak, code = timed(cmd, cwd, env)
                times[name].append(wall)
                rss[name] = max(rss[name], peak)
                codes[name] = code
            copy = base / f"real-{repo_next.name}-{i}"  # a real release: objects, one ref transaction, files
            sh(base, "cp", "-a", str(repo_next), str(copy), env=env)
            wall, peak, code = timed([OSAID, "release", "--date", "2024-04-01"], copy, env)
            times.setdefault("osaid release", []).append(wall)
            rss["osaid release"], codes["osaid release"] = max(rss.get("osaid release", 0), peak), code
            t0 = time.perf_counter()
            sh(floor_repo, "git", "commit", "-q", "--allow-empty", "-m", f"release {i}", env=env)
            sh(floor_repo, "git", "tag", "-a", f"bench-{i}", "-m", f"release {i}", env=env)
            floor.append(time.perf_counter() - t0)
        results[label] = ({k: statistics.median(v) for k, v in times.items()}, rss, codes, statistics.median(floor))
    shutil.rmtree(base, ignore_errors=True)
    for label, (med, rss, codes, floor) in results.items():
        print(f"\n{label}: median of {args.runs} runs")
        print(f"  {'command':<30} {'median':>9} {'peak RSS':>9} {'x floor':>8}  exit")
        print(f"  {'git commit + git tag -a':<30} {floor * 1000:>7.0f}ms {'':>9} {1:>7.2f}x")
        for name in med:
            print(f"  {name:<30} {med[name] * 1000:>7.0f}ms {rss[name] / 1024:>7.1f}MB {med[name] / floor:>7.2f}x  {codes[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

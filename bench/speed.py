#!/usr/bin/env python3
"""Benchmark: issue 11's table, osaid against the floor `git log -p -- definition`.

Builds (with git fast-import, bench/history.py's generator) the synthetic histories
(SIZExCOMMITSxTAGS: 1x = 10 sections of 15 clauses; 10x, 100x; 1,000 or 10,000 commits;
100 or 500 release tags) and measures, each command in a fresh process, side by side
in one run: the floor, then each osaid command twice, first with an empty cache
($XDG_CACHE_HOME/osaid) and then a second time with the cache the first run left.
Prints, per history, the median wall time, the peak memory and the ratio to the floor.

    .venv/bin/python bench/speed.py [--histories 1x1000x100,100x1000x100] [--runs 3] [--keep DIR]
                                    [--commands history,verify]  (a subset, by first word)
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

from history import build  # noqa: E402  (the generator)

BIN = Path(sys.executable).parent
FLOOR = ["git", "log", "-p", "--", "definition"]
COMMANDS = {
    "history s0-c0 --commits": ["history", "s0-c0", "--commits", "--format", "json"],
    "changelog --check": ["changelog", "--check"],
    "verify": ["verify"],
    "release --dry-run": ["release", "--dry-run"],
}


def run_once(cmd: list[str], cwd: Path, env: dict) -> tuple[tuple[float, float], int, int]:
    """((wall, CPU) seconds, peak RSS KB, exit code) of one command in a fresh process.
    CPU time (user + system) is what a loaded machine changes least."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    return (time.perf_counter() - t0, usage.ru_utime + usage.ru_stime), usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def parse_history(spec: str) -> tuple[int, int, int]:
    size, commits, tags = (int(part) for part in spec.lower().split("x"))
    return size, commits, tags


def measure(repo: Path, runs: int, scratch: Path, commands: dict) -> dict:
    """{name: (first-run times, second-run times, peak RSS KB, exit codes)}, the floor's first-run times only."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "OSAID_NO_CACHE")}
    out: dict = {"floor": ([], [], 0, set())}
    for name in commands:
        out[name] = ([], [], 0, set())
    for i in range(runs):
        wall, rss, code = run_once(FLOOR, repo, env)
        out["floor"][0].append(wall)
        for name, args in commands.items():
            cache = scratch / f"cache-{i}-{name.split()[0]}"
            shutil.rmtree(cache, ignore_errors=True)
            env["XDG_CACHE_HOME"] = str(cache)  # empty: the first run; then the cache it left
            first, second, peak, codes = out[name]
            for times in (first, second):
                wall, rss, code = run_once([str(BIN / "osaid"), *args], repo, env)
                times.append(wall)
                codes.add(code)
                peak = max(peak, rss)
            out[name] = (first, second, peak, codes)
            shutil.rmtree(cache, ignore_errors=True)
    return out


def _cell(times: list[tuple[float, float]], floor: list[tuple[float, float]] | None = None) -> str:
    """'wall ms (x floor), CPU ms (x floor's CPU)', medians."""
    wall, cpu = (statistics.median(t[i] for t in times) for i in (0, 1))
    if floor is None:
        return f"{wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms"
    fw, fc = (statistics.median(t[i] for t in floor) for i in (0, 1))
    return f"{wall * 1000:.0f} ms ({wall / fw:.1f}x), CPU {cpu * 1000:.0f} ms ({cpu / max(fc, 1e-3):.1f}x)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--histories", default="1x1000x100,10x1000x100,100x1000x100",
                    help="comma-separated SIZExCOMMITSxTAGS, e.g. 1x10000x500")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", help="build the repositories in this folder and keep them (and reuse them)")
    ap.add_argument("--commands", help="comma-separated first words of the commands to measure "
                    f"(default: all of {', '.join(n.split()[0] for n in COMMANDS)})")
    args = ap.parse_args()
    wanted = set(args.commands.split(",")) if args.commands else {n.split()[0] for n in COMMANDS}
    commands = {n: a for n, a in COMMANDS.items() if n.split()[0] in wanted}
    if not commands:
        ap.error(f"--commands: none of {args.commands!r} is one of {', '.join(n.split()[0] for n in COMMANDS)}")
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        return report(args.histories, args.runs, Path(args.keep), commands)
    with tempfile.TemporaryDirectory(prefix="osaid-speed-") as tmp:
        return report(args.histories, args.runs, Path(tmp), commands)


def report(histories: str, runs: int, base: Path, commands: dict) -> int:
    """Build (or reuse) each history in base, measure, print the table."""
    rows: dict[str, dict] = {}
    for spec in histories.split(","):
        size, commits, tags = parse_history(spec)
        repo = base / f"{size}x-{commits}c-{tags}t"
        if not (repo / ".git").exists():
            t0 = time.perf_counter()
            facts = build(repo, size, commits, tags)
            print(f"built {spec}: {facts['definition_bytes'] // 1024} KB in {facts['sections']} sections "
                  f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        rows[spec] = measure(repo, runs, base, commands)
    print(f"median of {runs} runs; each osaid command first with an empty cache, then a second time; "
          f"x = ratio to the floor (wall time; CPU time, user + system)\n")
    print("| command | " + " | ".join(f"{s}: first | {s}: second" for s in rows) + " |")
    print("|---" * (1 + 2 * len(rows)) + "|")
    cells = []
    for r in rows.values():
        cells += [_cell(r["floor"][0]), ""]
    print("| `git log -p -- definition` (floor) | " + " | ".join(cells) + " |")
    for name in commands:
        cells = []
        for r in rows.values():
            cells += [_cell(times, r["floor"][0]) for times in r[name][:2]]
        print(f"| `osaid {name}` | " + " | ".join(cells) + " |")
    cells = []
    for r in rows.values():
        cells += [f"{max(r[n][2] for n in commands) / 1024:.0f} MB", ""]
    print("| peak memory, any osaid command | " + " | ".join(cells) + " |")
    codes = {spec: {n: sorted(r[n][3]) for n in commands} for spec, r in rows.items()}
    print(f"\nexit codes: {codes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark: what each release costs in a first `osaid changelog` (no cache).

Builds a synthetic history (bench/history.py's generator; default 100x: 1,000 section
files, 15,000 clauses, 1,000 commits, 100 tags: about ten files change per release) and
runs the changelog in this process with OSAID_NO_CACHE=1, timing each release's entry
(CPU): the first release is read whole; each later one should cost what changed in it
plus a pass over its listing and items.

    .venv/bin/python bench/per_release.py [--size 100] [--repo DIR (reuse a built one)]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from history import build  # noqa: E402


def measure(repo: Path) -> list[float]:
    os.environ["OSAID_NO_CACHE"] = "1"
    from osaid.changes import changelog
    from osaid.repo.states import States

    real = changelog._entry
    times: list[float] = []

    def timed(*args, **kwargs):
        t0 = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            times.append(time.process_time() - t0)

    changelog._entry = timed
    try:
        with States(str(repo)) as states:
            changelog.entries(states, ("definition",))
    finally:
        changelog._entry = real
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--repo", help="a repository bench/speed.py --keep built (else one is built)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(args.repo) if args.repo else Path(tmp) / "r"
        if not args.repo:
            build(repo, args.size)
        times = measure(repo)
    rest = times[1:]
    print(f"{len(times)} releases: the first {times[0] * 1000:.0f} ms (read whole); each later one: "
          f"median {statistics.median(rest) * 1000:.1f} ms, max {max(rest) * 1000:.1f} ms; "
          f"all {sum(times):.2f} s (CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

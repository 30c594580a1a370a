#!/usr/bin/env python3
"""Benchmark: reading the versions of a section file whole, or in pieces (data/pieces.py).

Builds the 1x synthetic history (bench/history.py's generator), takes every version of
definition/s0.yaml (a 5 KB section of 15 to 35 clauses; one clause changes per version),
and reads them all, in this process, three ways: load.parse (libyaml, the whole text),
Pieces.parse (one Pieces for the walk, as a run has), and validate.check of the file with
and without pieces (parse, schema, hidden characters, per-file checks). Prints the time
per version (median of --runs) and checks that the readings agree.

    .venv/bin/python bench/pieces.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from history import build  # noqa: E402

from osaid.data import load, validate  # noqa: E402
from osaid.data.pieces import Pieces  # noqa: E402

REL = "definition/s0.yaml"


def versions(repo: Path) -> list[bytes]:
    shas = subprocess.run(["git", "log", "--format=%H", "--reverse", "--", REL], cwd=repo, check=True,
                          capture_output=True, text=True).stdout.split()
    return [subprocess.run(["git", "show", f"{sha}:{REL}"], cwd=repo, check=True, capture_output=True).stdout
            for sha in shas]


def per_version(fn, raws: list[bytes], runs: int) -> float:
    times = []
    for _ in range(runs):
        state = fn()  # a fresh reader for each walk (a run's Pieces starts empty)
        t0 = time.perf_counter()
        for raw in raws:
            state(raw)
        times.append((time.perf_counter() - t0) / len(raws))
    return statistics.median(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "r"
        build(repo, 1)
        raws = versions(repo)
    texts = [r.decode("utf-8") for r in raws]
    walk = Pieces()
    assert all(walk.parse(REL, t) == load.parse(REL, t, agree=False)[0] for t in texts), "readings differ"

    def whole():
        return lambda raw: load.parse(REL, raw.decode("utf-8"), agree=False)

    def pieces():
        p = Pieces()
        return lambda raw: p.parse(REL, raw.decode("utf-8"))

    def check_whole():
        return lambda raw: validate.check({REL: raw}, cross=False, agree=False)

    def check_pieces():
        p = Pieces()
        return lambda raw: validate.check({REL: raw}, cross=False, agree=False, pieces=p)

    print(f"{len(raws)} versions of {REL} ({len(raws[-1]) / 1000:.1f} KB at the end); ms per version, "
          f"median of {args.runs} walks")
    rows = [("read (libyaml), whole", whole), ("read, in pieces", pieces),
            ("checked (validate.check), whole", check_whole), ("checked, in pieces", check_pieces)]
    for name, fn in rows:
        print(f"  {name:<34} {per_version(fn, raws, args.runs):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

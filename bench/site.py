#!/usr/bin/env python3
"""Benchmark: osaid site for 100 releases of the 10x definition (bench/history.py's repository).

Measures, each in a fresh process: the first build (no cache), a rebuild with nothing new
(every old version's pages from the cache), and the rebuild after one new release (one
commit, one tag): the incremental case. Targets: under 10 s cold, under 2 s after a release.

    .venv/bin/python bench/site.py [--factor 10] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import history  # noqa: E402  (bench/history.py: the synthetic repository)


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - t0, p.returncode, (p.stdout + p.stderr).strip().splitlines()[-1:]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--keep", help="build the repository in this folder and keep it")
    args = ap.parse_args()
    osaid = str(history.BIN / "osaid")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735603200", "GIT_AUTHOR_NAME": "Bench",
           "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_NAME": "Bench",
           "GIT_COMMITTER_EMAIL": "bench@example.org"}
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="osaid-bench-site-"))
    repo = base / f"x{args.factor}"
    if repo.exists():
        shutil.rmtree(repo)
    facts = history.build(repo, args.factor)
    out = base / "site"
    cold = timed([osaid, "site", "-o", str(out)], repo, env)
    again = timed([osaid, "site", "-o", str(out)], repo, env)
    # one new release: a clause reworded, the version bumped, tagged
    defn = repo / "definition/definition.yaml"
    text = defn.read_text(encoding="utf-8")
    version = next(line.split(": ")[1] for line in text.splitlines() if line.startswith("version: "))
    new = "0.0." + str(int(version.rsplit(".", 1)[1]) + 1)
    defn.write_text(text.replace(f"version: {version}", f"version: {new}"), encoding="utf-8")
    s1 = repo / "definition/s1.yaml"
    s1.write_text(s1.read_text(encoding="utf-8").replace("      ", "      Now ", 1), encoding="utf-8")
    subprocess.run(["git", "commit", "-qam", f"Release {new}"], cwd=repo, env=env, check=True)
    subprocess.run(["git", "tag", "-a", f"v{new}", "-m", "Release"], cwd=repo, env=env, check=True)
    incremental = timed([osaid, "site", "-o", str(out)], repo, env)
    check = timed([osaid, "site", "--check", str(out)], repo, env)
    files = sum(1 for p in out.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"x{args.factor}: definition {facts['definition_bytes'] // 1024} KB in {facts['sections']} sections, "
          f"100 releases; site: {files} files, {size // (1024 * 1024)} MB")
    for name, (wall, code, last) in (("first build (no cache)", cold), ("rebuild, nothing new", again),
                                     ("rebuild after one new release", incremental), ("--check", check)):
        print(f"  {name:<32} {wall:>6.2f} s  exit {code}  {' '.join(last)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

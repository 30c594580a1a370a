#!/usr/bin/env python3
"""Benchmark: `osaid validate` on the whole repository against the anchors.

Runs every command N times, interleaved (so that load on the machine hits
them alike), each in a fresh process, and prints the median and the fastest
wall time, the peak memory (maxrss of that process), and ratios against
`python -c pass` and `check-jsonschema` on the largest single data file.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/validate.py [--runs 30]

Bytecode caching is left on (PYTHONDONTWRITEBYTECODE is removed from the
environment), as on a user's machine.
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

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        if not found:
            sys.exit(f"bench: {name} is not installed: run .venv/bin/pip install -e '.[bench]'")
        return found
    return str(path)


def run_once(cmd: list[str], env: dict) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in KiB, exit code) of one fresh process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, p.returncode


def largest_data_file() -> Path:
    files = [p for d in ("definition", "checklist", "governance") for p in (ROOT / d).rglob("*.yaml")]
    return max(files, key=lambda p: p.stat().st_size)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cache_home = tempfile.mkdtemp(prefix="osaid-bench-cache-")
    env["XDG_CACHE_HOME"] = cache_home
    cold_env = {**env, "OSAID_NO_CACHE": "1"}

    big = largest_data_file()
    sys.path.insert(0, str(ROOT / "tools"))
    from osaid.data import layout

    schema = ROOT / layout.SCHEMAS_DIR / layout.schema_file(layout.file_kind(big.relative_to(ROOT).as_posix()))
    osaid = tool("osaid")
    commands = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "osaid --help": ([osaid, "--help"], env),
        "osaid validate (warm: parse cache)": ([osaid, "validate"], env),
        "osaid validate (cold: no cache)": ([osaid, "validate"], cold_env),
        f"check-jsonschema ({big.name})": ([tool("check-jsonschema"), "--schemafile", str(schema), str(big)], env),
        f"yamllint ({big.name})": ([tool("yamllint"), str(big)], env),
    }
    for cmd, e in commands.values():  # warm up: bytecode, page cache, osaid's parse cache
        run_once(cmd, e)
    times: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, int] = {k: 0 for k in commands}
    codes: dict[str, int] = {}
    for _ in range(args.runs):
        for name, (cmd, e) in commands.items():
            wall, peak, code = run_once(cmd, e)
            times[name].append(wall)
            rss[name] = max(rss[name], peak)
            codes[name] = code
    shutil.rmtree(cache_home, ignore_errors=True)

    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    base = med["python -c pass"]
    anchor = med[f"check-jsonschema ({big.name})"]
    files = len(layout.discover(str(ROOT)))
    print(f"osaid validate: {files} files, {sum(p.stat().st_size for d in layout.DATA_DIRS for p in (ROOT / d).rglob('*.yaml'))} bytes; "
          f"largest {big.relative_to(ROOT)} ({big.stat().st_size} bytes); {args.runs} runs each, interleaved")
    print(f"{'command':<42} {'median':>8} {'min':>8} {'peak RSS':>9} {'x python':>9} {'x check-js':>10}  exit")
    for name in commands:
        print(f"{name:<42} {med[name]:>6.1f}ms {min(times[name]) * 1000:>6.1f}ms {rss[name] / 1024:>7.1f}MB "
              f"{med[name] / base:>8.2f}x {med[name] / anchor:>9.2f}x  {codes[name]}")
    warm, cold = med["osaid validate (warm: parse cache)"], med["osaid validate (cold: no cache)"]
    print()
    for label, ok in [
        (f"validate (warm) < 1/4 of check-jsonschema on one file: {warm:.1f} < {anchor / 4:.1f} ms", warm < anchor / 4),
        (f"validate (cold) < 1/4 of check-jsonschema on one file: {cold:.1f} < {anchor / 4:.1f} ms", cold < anchor / 4),
        (f"validate (warm) < 6x python -c pass: {warm / base:.2f}x", warm < 6 * base),
        (f"validate (cold) < 6x python -c pass: {cold / base:.2f}x", cold < 6 * base),
        (f"osaid --help < 60 ms: {med['osaid --help']:.1f} ms", med["osaid --help"] < 60),
    ]:
        print(f"  {'met ' if ok else 'MISSED'}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

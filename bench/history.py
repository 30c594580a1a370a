#!/usr/bin/env python3
"""Benchmark: changelog, history and diff over a long synthetic history.

Builds (with git fast-import) a repository of 1,000 commits and 100 release
tags, once with a definition of realistic size and once 10x larger, then
measures side by side, each command in a fresh process:
  osaid changelog --check     every release against its predecessor
  osaid history ID --commits  one clause over the 1,000 commits
  osaid diff TAG TAG          two releases apart
  git log -p                  the floor: the same commits and paths
with the median wall time, the peak memory (maxrss) and the ratio to the floor.

    .venv/bin/python bench/history.py [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORDS = ("model system data weights code training inference open source freedom study modify share use "
         "component license terms legal purpose permission access document architecture parameters the a "
         "of to and for with without any all each its their under which that this may must should").split()
HEADER = "# yaml-language-server: $schema=../tools/osaid/schemas/{}.schema.json\n"


def sentence(rng: random.Random, n: int = 28) -> str:
    return (" ".join(rng.choice(WORDS) for _ in range(n)).capitalize()) + "."


def section_text(sid: str, clauses: dict[str, str]) -> str:
    out = HEADER.format("section") + f"id: {sid}\ntitle: Section {sid}\nclauses:\n"
    for cid, text in clauses.items():
        out += f"  - id: {cid}\n    text: >-\n      {text}\n"
    return out


def definition_text(version: str, sections: list[str]) -> str:
    return (HEADER.format("definition") + f"title: Open Source AI Definition\nversion: {version}\n"
            "date: '2024-01-26'\nsections:\n" + "".join(f"  - {s}\n" for s in sections))


def build(path: Path, factor: int, commits: int = 1000, tags: int = 100) -> dict:
    """The synthetic history; returns facts about it."""
    rng = random.Random(42 + factor)
    n_sections = 10 * factor
    sections = {f"s{i}": {f"s{i}-c{j}": sentence(rng) for j in range(15)} for i in range(n_sections)}
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    stream: list[bytes] = []

    def blob_cmd(rel: str, text: str) -> None:
        data = text.encode()
        stream.append(f"M 100644 inline {rel}\ndata {len(data)}\n".encode() + data + b"\n")

    # the checklist and governance as this repository has them (the definition is synthetic)
    fixed = {}
    for top in ("checklist", "governance"):
        for p in (ROOT / top).rglob("*.yaml"):
            fixed[p.relative_to(ROOT).as_posix()] = p.read_text(encoding="utf-8")
    fixed["checklist/checklist.yaml"] = fixed["checklist/checklist.yaml"].replace(
        "definition_version: 0.0.5", "definition_version: 0.0.2")  # the first tagged version
    freedoms = "what-is-open-source-ai"  # the real freedoms, which the checklist refers to
    fixed[f"definition/{freedoms}.yaml"] = (ROOT / f"definition/{freedoms}.yaml").read_text(encoding="utf-8")
    version = 1
    per_tag = commits // tags
    when = 1_700_000_000
    for n in range(commits):
        when += 3600
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench <bench@example.org> {when} +0000\n".encode())
        msg = f"change {n}".encode()
        stream.append(f"data {len(msg)}\n".encode() + msg + b"\n")
        if n == 0:
            for rel, text in fixed.items():
                blob_cmd(rel, text)
            for sid, clauses in sections.items():
                blob_cmd(f"definition/{sid}.yaml", section_text(sid, clauses))
        else:
            sid = "s0" if n % 3 == 0 else rng.choice(list(sections))
            clauses = sections[sid]
            cid = f"{sid}-c0" if sid == "s0" else rng.choice(list(clauses))
            words_ = clauses[cid].split()
            words_[rng.randrange(len(words_))] = rng.choice(WORDS)
            clauses[cid] = " ".join(words_)
            if n % 50 == 0:  # now and then a clause is added
                clauses[f"{sid}-x{n}"] = sentence(rng)
            blob_cmd(f"definition/{sid}.yaml", section_text(sid, clauses))
        if n % per_tag == per_tag - 1 or n == 0:
            if n:
                version += 1
        blob_cmd("definition/definition.yaml", definition_text(f"0.0.{version}", [freedoms, *sections]))
        if n % per_tag == per_tag - 1:
            stream.append(f"tag v0.0.{version}\nfrom refs/heads/main\n".encode())
            stream.append(f"tagger Bench <bench@example.org> {when} +0000\n".encode())
            stream.append(b"data 7\nRelease\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=path, check=True)
    size = sum(p.stat().st_size for p in (path / "definition").glob("*.yaml"))
    return {"definition_bytes": size, "sections": n_sections}


def run_once(cmd: list[str], cwd: Path, env: dict) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", help="build the repositories in this folder and keep them")
    args = ap.parse_args()
    osaid = str(BIN / "osaid")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="osaid-bench-cache-")
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="osaid-bench-"))
    results = {}
    for label, factor in (("realistic", 1), ("10x", 10)):
        repo = base / label
        if repo.exists():
            shutil.rmtree(repo)
        t0 = time.perf_counter()
        facts = build(repo, factor)
        built = time.perf_counter() - t0
        commands = {
            "git log -p (floor)": ["git", "log", "-p", "--", "definition"],
            "osaid history s0-c0 --commits": [osaid, "history", "s0-c0", "--commits", "--format", "json"],
            "osaid changelog (100 versions)": [osaid, "changelog"],
            "osaid diff v0.0.10 v0.0.90": [osaid, "diff", "v0.0.10", "v0.0.90", "--format", "json"],
        }
        times = {k: [] for k in commands}
        rss = {k: 0 for k in commands}
        codes = {}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                wall, peak, code = run_once(cmd, repo, env)
                times[name].append(wall)
                rss[name] = max(rss[name], peak)
                codes[name] = code
        results[label] = (facts, built, {k: statistics.median(v) for k, v in times.items()}, rss, codes)
    for label, (facts, built, med, rss, codes) in results.items():
        floor = med["git log -p (floor)"]
        print(f"\n{label}: definition {facts['definition_bytes'] // 1024} KB in {facts['sections']} sections, "
              f"1000 commits, 100 tags (built in {built:.1f} s); median of {args.runs} runs")
        print(f"  {'command':<34} {'median':>9} {'peak RSS':>9} {'x floor':>8}  exit")
        for name in med:
            print(f"  {name:<34} {med[name] * 1000:>7.0f}ms {rss[name] / 1024:>7.1f}MB {med[name] / floor:>7.2f}x  {codes[name]}")
    real = results["realistic"][2]
    print()
    checks = [
        (f"history over 1,000 commits within 3x of git log -p (realistic): "
         f"{real['osaid history s0-c0 --commits'] / real['git log -p (floor)']:.2f}x",
         real["osaid history s0-c0 --commits"] <= 3 * real["git log -p (floor)"]),
        (f"changelog for 100 versions under 3 s (realistic): {real['osaid changelog (100 versions)']:.2f} s",
         real["osaid changelog (100 versions)"] < 3),
        (f"peak memory under 200 MB (10x): {max(results['10x'][3].values()) / 1024:.0f} MB",
         max(results["10x"][3].values()) / 1024 < 200),
    ]
    for text, ok in checks:
        print(f"  {'met   ' if ok else 'MISSED'} {text}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

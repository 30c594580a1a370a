"""The hostile-input corpus (tests/hostile/corpus.py) through every command that reads data.

One real git repository (this repository's data, released as v0.0.5 and
checklist-v0.0.1) serves every case: the case's file is put in the work tree,
and `validate`, `diff` (text, markdown, json, html), `fmt --check`, `fmt` and
the pre-commit hook (`hook pre-commit --fix`, on what is staged) run in-process
through osaid.cli.main, each under a time limit; then the repository is put
back. A sample goes through the installed `osaid` script in real processes.

For every case and command: never exit 3, never a traceback, no raw control
character in what is printed, no file changed except by a fmt (or the hook's
--fix) that kept the data, never a hang.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, Result, commit_all, git, git_init, hermetic_scope
from hostile.corpus import Case, all_cases

DATA = ("definition", "checklist", "governance", "notes")
LIMIT = 20  # seconds for one command on one case in-process: far above any honest run, far below a hang
LIMIT_PROCESS = 4  # the same for a non-regular file, in a process of its own (a FIFO blocks today)
CONTROL = {chr(c) for c in range(0x20) if c not in (0x09, 0x0A)} | {chr(0x7F)} | {chr(c) for c in range(0x80, 0xA0)}

# Why a case fails today, if it does: the item of issue 9 that fixes it and who owns it.
# Cases some other piece of work still has to fix, marked xfail with the reason (none today:
# every case of the corpus passes).
OWNED: dict[str, str] = {}


class Hang(BaseException):
    """A command ran past LIMIT (a BaseException: osaid's own handlers must not swallow it)."""


def _alarm(signum, frame):
    raise Hang()


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """This repository's data, committed and released (v0.0.5, checklist-v0.0.1)."""
    with hermetic_scope(tmp_path_factory):
        root = tmp_path_factory.mktemp("corpus") / "repo"
        root.mkdir()
        for d in ("definition", "checklist", "governance"):
            shutil.copytree(REPO / d, root / d)
        git_init(root)
        commit_all(root, "Start")
        for tag in ("v0.0.5", "checklist-v0.0.1"):
            git(root, "tag", "-a", tag, "-m", f"Release {tag}")
        yield root


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under the data folders: (kind, bytes or link target), without opening
    anything that is not a regular file (a FIFO would block)."""
    out = {}
    for top in DATA:
        for folder, dirs, names in os.walk(root / top):
            for name in dirs + names:
                p = Path(folder) / name
                st = os.lstat(p)
                rel = str(p.relative_to(root))
                if stat.S_ISLNK(st.st_mode):
                    out[rel] = ("link", os.readlink(p))
                elif stat.S_ISREG(st.st_mode):
                    out[rel] = ("file", p.read_bytes())
                else:
                    out[rel] = ("other", stat.S_IFMT(st.st_mode))
    return out


def put(root: Path, case: Case, tmp: Path) -> None:
    """Put the case's input in the work tree."""
    path = root / case.rel
    path.parent.mkdir(parents=True, exist_ok=True)
    remove(path)
    if case.special is None:
        path.write_bytes(case.content)
    elif case.special == "fifo":
        os.mkfifo(path)
    elif case.special == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(path))
        s.close()
    elif case.special == "dir":
        path.mkdir()
        (path / "inside.yaml").write_bytes(b"a: 1\n")
    elif case.special == "symlink":
        path.symlink_to(case.content.decode())
    elif case.special == "symlink-out":
        outside = tmp / "outside.yaml"
        outside.write_bytes(case.content)
        path.symlink_to(outside)


def remove(path: Path) -> None:
    """Remove whatever is at path (a file, a link, a FIFO, a socket, a folder)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)
    else:
        path.unlink()


def restore(root: Path, case: Case) -> None:
    remove(root / case.rel)
    git(root, "reset", "-q", "--hard", "HEAD")
    subprocess.run(["git", "clean", "-qfdx", "--", *DATA], cwd=root, check=True)


def loads(rel: str, raw: bytes) -> tuple[bool, object]:
    """(True, data) of a file read strictly by osaid's own reader, or (False, None)."""
    from osaid.data import load

    text, problems = load.decode(rel, raw, None)
    if text is None:
        return False, None
    data, problems = load.parse(rel, text)
    return (False, None) if problems else (True, data)


MEMORY = 2 << 30  # bytes of address space one command may add: a runaway read fails, not the machine


def _limit_memory(extra: int) -> tuple[int, int]:
    """Cap this process's address space at what it uses now plus extra; returns the old limits."""
    import resource

    old = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as f:
        used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    cap = used + extra if old[1] == resource.RLIM_INFINITY else min(used + extra, old[1])
    resource.setrlimit(resource.RLIMIT_AS, (cap, old[1]))
    return old


def _in_process(osaid, root: Path, args: tuple):
    import resource

    old_handler = signal.signal(signal.SIGALRM, _alarm)
    old_limit = _limit_memory(MEMORY)
    signal.alarm(LIMIT)
    try:
        return osaid(*args, cwd=root)
    except Hang:
        pytest.fail(f"osaid {' '.join(args)} hangs (over {LIMIT} s)")
    finally:
        signal.alarm(0)
        resource.setrlimit(resource.RLIMIT_AS, old_limit)
        signal.signal(signal.SIGALRM, old_handler)


def _in_a_process(root: Path, args: tuple):
    """The installed script, with a time limit and a memory cap (for inputs that may never end)."""
    import resource

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    try:
        r = subprocess.run([str(Path(sys.executable).parent / "osaid"), *args], cwd=root, capture_output=True,
                           text=True, errors="replace", timeout=LIMIT_PROCESS, preexec_fn=cap)
    except subprocess.TimeoutExpired:
        pytest.fail(f"osaid {' '.join(args)} hangs (over {LIMIT_PROCESS} s)")
    return Result(r.returncode, r.stdout, r.stderr)


def check_run(osaid, root: Path, args: tuple, may_write: bool, separate: bool = False) -> Result:
    """Run one command on the case; separate: in its own process (non-regular files)."""
    before = snapshot(root)
    r = _in_a_process(root, args) if separate else _in_process(osaid, root, args)
    shown = " ".join(args)
    assert r.code != 3, f"osaid {shown}: internal error: {r.err}"
    assert "Traceback" not in r.out + r.err, f"osaid {shown}: {r.err}"
    bad = sorted({f"U+{ord(c):04X}" for c in r.out + r.err if c in CONTROL})
    assert not bad, f"osaid {shown} printed raw control characters {bad}"
    after = snapshot(root)
    changed = sorted(rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel))
    assert may_write or not changed, f"osaid {shown} changed {changed}"
    for rel in changed:
        kind_before, kind_after = before.get(rel, (None,))[0], after.get(rel, (None,))[0]
        assert kind_before == kind_after == "file", f"osaid {shown} replaced {rel} ({kind_before} -> {kind_after})"
        ok, data = loads(rel, before[rel][1])
        assert ok, f"osaid {shown} rewrote {rel}, which does not load strictly"
        assert loads(rel, after[rel][1]) == (True, data), f"osaid {shown} changed the data of {rel}"
    return r


def _marks(name: str) -> tuple:
    return (pytest.mark.xfail(reason=OWNED[name], strict=False),) if name in OWNED else ()


CASES = [pytest.param(c, id=c.id, marks=_marks(c.name)) for c in all_cases()]


@pytest.mark.parametrize("case", CASES)
def test_hostile_input(case: Case, base: Path, osaid, tmp_path):
    put(base, case, tmp_path)
    sep = case.special is not None  # a FIFO, /dev/zero ...: in a process of its own, capped
    try:
        check_run(osaid, base, ("validate",), False, sep)
        for fmt in ("text", "markdown", "json", "html"):
            r = check_run(osaid, base, ("diff", "--format", fmt), False, sep)
            if "has invalid data files" in r.err:
                break  # refused before any rendering: the other formats take the same path
        check_run(osaid, base, ("fmt", "--check", case.rel), False, sep)  # one file: the others are canonical
        check_run(osaid, base, ("fmt", case.rel), True, sep)
        put(base, case, tmp_path)  # as it was, for the hook
        subprocess.run(["git", "add", "-A", "--", *DATA], cwd=base, capture_output=True)  # a FIFO is not added
        check_run(osaid, base, ("hook", "pre-commit", "--fix", case.rel), True, sep)
    finally:
        restore(base, case)


SAMPLE = ["yaml/tab-after-colon", "yaml/anchor-alias", "encoding/utf-16-le-bom", "control/escaped-u001b",
          "terminal/esc-erase-line", "markup/block-rule", "huge/one-megabyte-comment", "file/symlink-dangling",
          "semantic/sections-definition", "scalar/date-feb-30"]


@pytest.mark.parametrize("name", [pytest.param(n, id=n, marks=_marks(n)) for n in SAMPLE])
def test_sample_in_real_processes(name: str, base: Path, tmp_path):
    """The installed console script on a sample: exit codes and streams as a user sees them."""
    case = next(c for c in all_cases() if c.name == name)
    put(base, case, tmp_path)
    try:
        for args in (("validate",), ("diff", "--format", "markdown"), ("fmt", "--check")):
            check_run(None, base, args, False, separate=True)
    finally:
        restore(base, case)

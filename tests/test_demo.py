"""osaid demo DIR: a sandbox repository with a synthetic release history, made by the installed
console script (and from an installed wheel), on which every command it prints works."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, git, hermetic_env, run_console

from osaid import demo

KINDS = {"added", "removed", "modified", "moved", "renamed"}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """One demo for the module (read-only for the tests), by the console script, hermetic."""
    mp = hermetic_env(tmp_path_factory)
    root = tmp_path_factory.mktemp("demo") / "sandbox"
    r = run_console("demo", str(root), cwd=root.parent)
    yield root, r
    mp.undo()


def tags(root: Path) -> list[str]:
    return git(root, "tag", "--list", "--sort=creatordate").split()


def test_the_demo_prints_what_it_made_and_the_commands_to_try(made):
    root, r = made
    assert (r.returncode, r.stderr) == (0, "")
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"made {root}: a sandbox repository with a SYNTHETIC history (")
    assert "releases v0.0.5, checklist-v0.0.1, v0.0.6, checklist-v0.0.2, v0.0.7, v0.0.8)" in lines[0]
    assert lines[1].startswith("Its history is synthetic: ")
    assert lines[2:4] == ["Try:", f"  cd {root}"]
    exe = str(Path(sys.executable).parent / "osaid")  # not on PATH here: the path it was run by
    assert lines[4:] == ["  " + c.replace("osaid", exe, 1) if c.startswith("osaid ") else "  " + c for c in demo.TRY]
    assert not list(root.parent.glob(".osaid-demo-*")), "no work folder left behind"


def test_every_command_it_prints_works_there(made):
    root, r = made
    commands = [line[2:] for line in r.stdout.splitlines()[4:]]
    script = " && ".join(f"echo '>>> {i}' && {c}" for i, c in enumerate(commands))
    out = subprocess.run(["bash", "-c", script], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert out.returncode == 0, out.stdout
    parts = dict(re.findall(r">>> (\d+)\n(.*?)(?=>>> |\Z)", out.stdout, re.DOTALL))
    assert [line.split()[:2] for line in parts["0"].splitlines()] == [
        ["definition", "0.0.8"], ["definition", "0.0.7"], ["definition", "0.0.6"], ["definition", "0.0.5"],
        ["checklist", "0.0.2"], ["checklist", "0.0.1"]]
    assert "[normative] modified clause use (text)" in parts["1"]
    assert (root / "diff.html").read_text(encoding="utf-8").lower().startswith("<!doctype html>")
    assert "renamed clause preferred-form-question → preferred-form-text" in parts["3"]
    assert "back under a new ID: was demo-data-rights" in parts["4"]
    assert "Synthetic note (osaid demo)" in parts["5"]
    assert parts["6"].strip() == "release history verified"
    assert "Discussion: https://discuss.example.org/t/osaid-demo-freedom-to-use" in parts["7"]


def test_the_history_has_every_kind_of_change_in_several_releases(made):
    """Between consecutive releases: every kind and severity, in both documents; each change of
    meaning in a commit with Discussion: and Reviewed-by: (verify passes above: GOV-18)."""
    root, _ = made
    assert tags(root) == ["checklist-v0.0.1", "v0.0.5", "checklist-v0.0.2", "v0.0.6", "v0.0.7", "v0.0.8"]
    kinds, severities, documents = set(), set(), set()
    for old, new in [("v0.0.5", "v0.0.6"), ("v0.0.6", "v0.0.7"), ("v0.0.7", "v0.0.8")]:
        r = run_console("diff", old, new, "--format", "json", cwd=root)
        assert r.returncode == 0, r.stderr
        for doc in json.loads(r.stdout)["documents"]:
            for c in doc["changes"]:
                if c["item"] != "metadata":
                    kinds.add(c["kind"]), severities.add(c["severity"]), documents.add(doc["document"])
    assert kinds == KINDS and severities == {"normative", "substantive", "editorial"}
    assert documents == {"definition", "checklist"}
    log = git(root, "log", "--format=%an|%s|%(trailers:key=Discussion,valueonly,separator=%x2C)|"
                               "%(trailers:key=Reviewed-by,valueonly)", "--no-merges")
    serious = [line for line in log.splitlines() if "|https://" in line]
    assert len(serious) >= 8
    for line in serious:
        author, subject, discussion, reviewer = line.split("|")
        assert author == "Demo Editor" and reviewer == "Demo Maintainer <maintainer@demo.example.org>", line
        assert re.fullmatch(r"https://discuss\.example\.org/t/osaid-demo-[a-z-]+", discussion), line


def test_it_says_everywhere_that_the_history_is_synthetic(made):
    """Never invent facts: each commit (but the releases osaid makes) says it is synthetic; the
    changelog's head, the demo's maintainer and every added text say so; links are example.org."""
    root, _ = made
    for sha in git(root, "rev-list", "HEAD").split():
        body = git(root, "log", "-1", "--format=%B", sha)
        if not body.startswith("Release "):
            assert "Synthetic: made by osaid demo" in body, body
        for url in re.findall(r"https?://\S+", body):
            assert url.startswith("https://discuss.example.org/"), url
    assert "every release below is SYNTHETIC" in (root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Synthetic maintainer of the osaid demo" in (root / "governance/maintainers.yaml").read_text(encoding="utf-8")
    diff = run_console("diff", "v0.0.5", "HEAD", "--format", "json", cwd=root)
    for doc in json.loads(diff.stdout)["documents"]:
        for c in doc["changes"]:
            if c["kind"] == "added" and c["item"] == "clause":
                assert "demo" in json.dumps(c["after"]).lower(), c


def test_a_folder_that_is_not_new_is_refused(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for target, code, message in [
        ("full", 2, f"osaid: {tmp_path / 'full'} already exists and is not an empty folder: name a new folder"),
        ("missing/sandbox", 2, f"osaid: {tmp_path / 'missing'} does not exist: create it first"),
        ("file", 2, "is a file"),
    ]:
        r = run_console("demo", target, cwd=tmp_path)
        assert r.returncode == code and message in r.stderr and "Traceback" not in r.stderr, (target, r.stderr)
    assert (tmp_path / "full" / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "full"]


def test_a_failure_leaves_nothing_behind(tmp_path):
    """Without git, it fails with a message, and neither DIR nor its work folder exists."""
    r = run_console("demo", "sandbox", cwd=tmp_path, env={"PATH": str(tmp_path / "no-bin")})
    assert r.returncode == 1 and r.stderr.startswith("osaid: osaid demo: git failed: git is not installed"), r.stderr
    assert list(tmp_path.iterdir()) == []


def test_from_an_installed_wheel_whatever_the_user_s_git_config(made, tmp_path):
    """pip builds the wheel and installs it in a folder of its own: the demo runs from the data
    packaged in it, and gives the very same commits as from the checkout, though the user's git
    config signs every commit with a program that fails, runs a hook that refuses every commit,
    and their name and dates differ: the demo uses none of them."""
    pip = [sys.executable, "-m", "pip", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(REPO)],
                   check=True, capture_output=True)
    wheel, = (tmp_path / "dist").glob("osaid-*.whl")
    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True, capture_output=True)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "pre-commit").write_text("#!/bin/sh\necho refused >&2\nexit 1\n", encoding="utf-8")
    (hooks / "pre-commit").chmod(0o755)
    config = tmp_path / "gitconfig"
    config.write_text(f"[commit]\n\tgpgsign = true\n[tag]\n\tgpgsign = true\n[gpg]\n\tprogram = /bin/false\n"
                      f"[core]\n\thooksPath = {hooks}\n[user]\n\tname = Someone Else\n", encoding="utf-8")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": str(config), "GIT_AUTHOR_NAME": "Mallory", "GIT_COMMITTER_DATE":
           "2031-01-01T00:00:00+00:00", "PYTHONPATH": str(site)}
    env.pop("GIT_CONFIG_NOSYSTEM")
    (tmp_path / "sandbox").mkdir()  # an empty folder is fine
    r = subprocess.run([sys.executable, "-c",
                        "import sys; from osaid.cli import main; raise SystemExit(main(sys.argv[1:]))",
                        "demo", "sandbox"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert f"played on a copy of {site / 'osaid' / '_repository'}." in r.stdout
    root, _ = made
    assert git(tmp_path / "sandbox", "rev-parse", "HEAD") == git(root, "rev-parse", "HEAD")
    assert tags(tmp_path / "sandbox") == tags(root)


def test_readme_examples_are_the_demo_s_output(made):
    """README's examples marked '# in the demo' are what those commands print in the demo (commit
    ids aside: they follow the data); its `osaid demo` section lists the commands it prints.
    When this fails after a change of output, run the command in a demo and paste what it prints."""
    root, _ = made
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"^### `osaid demo DIR`\n.*?```\n(.*?)```", readme, re.MULTILINE | re.DOTALL).group(1)
    assert listed.splitlines() == ["cd /tmp/osaid-demo", *demo.TRY]
    examples = re.findall(r"^```\n\$ (osaid [^\n#]*?)\s+# in the demo\n(.*?)```", readme, re.MULTILINE | re.DOTALL)
    assert [cmd for cmd, _ in examples] == ["osaid diff v0.0.5 v0.0.6", "osaid history preferred-form-question",
                                            "osaid history use", "osaid versions"]
    mask = re.compile(r"\b[0-9a-f]{10}\b")
    for cmd, shown in examples:
        r = run_console(*cmd.split()[1:], cwd=root, env={"NO_COLOR": "1"})
        assert r.returncode == 0, r.stderr
        out = mask.sub("<commit>", r.stdout).splitlines()
        for line in mask.sub("<commit>", shown).splitlines():
            if line.endswith("[...]"):  # an elided long line
                assert any(o.startswith(line[:-5]) for o in out), (cmd, line)
            else:
                assert line in out, (cmd, line)

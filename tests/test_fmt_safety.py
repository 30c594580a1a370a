"""fmt never changes or breaks data; the reader refuses, with a located message,
what the two YAML readings do not read alike; only regular files inside the
repository are read or replaced; new files respect the umask (issue 9)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import edit, git, run_console
from test_yaml_fuzz import typed

from osaid import fileio
from osaid.data import fmt, layout, load

SEC = "# yaml-language-server: $schema=../tools/osaid/schemas/section.schema.json\n"
END = "# yaml-language-server: $schema=../tools/osaid/schemas/endorsements.schema.json\n"
LONG = "An AI system is open when its weights, code and data are shared under terms that grant the four freedoms."
PREAMBLE = "definition/preamble.yaml"
ENDORSEMENTS = "governance/endorsements.yaml"

# (file, text, its canonical form without the header line): every one of these lost or broke data before
KEPT = [
    ("CR-only line ends", PREAMBLE,
     (SEC + "id: preamble\ntitle: Preamble\nclauses:\n  - id: why\n    text: Why.\n").replace("\n", "\r"),
     "id: preamble\ntitle: Preamble\nclauses:\n  - id: why\n    text: Why.\n"),
    ("CRLF line ends (kept before too)", PREAMBLE, (SEC + "id: preamble\ntitle: Preamble\n").replace("\n", "\r\n"),
     "id: preamble\ntitle: Preamble\n"),
    ("[] with a comment", ENDORSEMENTS, END + "endorsements: []  # none yet\n", "endorsements: []  # none yet\n"),
    ("{} with a comment", ENDORSEMENTS, END + "endorsements: {}  # none yet\n", "endorsements: {}  # none yet\n"),
    ("[] after a comment", ENDORSEMENTS, END + "endorsements:  # none yet\n  []\n", "endorsements: [] # none yet\n"),
    ("[] after a comment line", ENDORSEMENTS, END + "endorsements:\n  # none yet\n  []\n",
     "endorsements:\n  # none yet\n    []\n"),
    ("a long top-level string", PREAMBLE, SEC + f'"{LONG}"\n', f"{LONG}\n...\n"),
    ("a multi-line top-level string", PREAMBLE, SEC + '"first line\\nsecond line"\n', '"first line\\nsecond line"\n'),
    ("trailing spaces in a long string", PREAMBLE, SEC + f'title: "{LONG}  "\n', f"title: '{LONG}  '\n"),
    ("a Markdown hard break in a | block", PREAMBLE, SEC + "title: |\n  a hard break  \n  next line\n",
     'title: "a hard break  \\nnext line\\n"\n'),
    ("a CR in a long string", PREAMBLE, SEC + f'title: "{LONG}\\r{LONG}"\n', f'title: "{LONG}\\r{LONG}"\n'),
    ("NEL in a long string", PREAMBLE, SEC + f'title: "{LONG}\\N{LONG}"\n', f'title: "{LONG}\\N{LONG}"\n'),
    ("LS in a long string", PREAMBLE, SEC + f'title: "{LONG}\\L{LONG}"\n', f'title: "{LONG}\\L{LONG}"\n'),
    ("PS in a long string", PREAMBLE, SEC + f'title: "{LONG}\\P{LONG}"\n', f'title: "{LONG}\\P{LONG}"\n'),
    ("a tab in a long string", PREAMBLE, SEC + f'title: "{LONG}\\t{LONG}"\n', f'title: "{LONG}\\t{LONG}"\n'),
    ("text ending in blank lines", PREAMBLE, SEC + 'title: "settle.\\n\\n\\n"\n\n',
     'title: "settle.\\n\\n\\n"\n'),
    ("line separators in comments", ENDORSEMENTS, END + "endorsements: []  # a\u2028# b\n# own\u2029# line\n",
     "endorsements: []  # a\n                      # b\n# own\n      # line\n"),
    ("a line separator ending the header", ENDORSEMENTS, END[:-1] + "\u2028endorsements: []\n",
     END + "endorsements: []\n"),
    ("an explicit document start", PREAMBLE, SEC + "---\n\nid: preamble\n", "id: preamble\n"),
    ("a %YAML 1.2 directive", PREAMBLE, SEC + "%YAML 1.2\n---\nid: preamble\n", "id: preamble\n"),
    ("blank lines after the header", PREAMBLE, SEC + "\n\n\nid: preamble\n", "id: preamble\n"),
]


@pytest.mark.parametrize("name,rel,text,body", KEPT, ids=[k[0] for k in KEPT])
def test_fmt_keeps_the_data_of_every_known_loss(name, rel, text, body):
    before, problems = load.parse(rel, text)
    assert problems == []
    result = fmt.format_files({rel: text.encode("utf-8")})
    assert result.problems == []
    out = result.changed.get(rel, text)  # absent: already canonical
    assert out == layout.header(rel, layout.file_kind(rel)) + "\n" + body
    after, problems = load.parse(rel, out)
    assert problems == []
    assert typed(after) == typed(before)
    assert fmt.format_text(rel, out) == (out, [])


def test_fmt_through_the_cli_keeps_every_file_and_check_is_then_clean(osaid, data_repo):
    # the files of KEPT, each in its own section file, formatted by one osaid fmt
    texts = {}
    for i, (_name, rel, text, _body) in enumerate(KEPT):
        if rel == PREAMBLE:
            rel = f"definition/case-{i}.yaml"
        texts[rel] = text
        (data_repo / rel).write_bytes(text.encode("utf-8"))
    r = osaid("fmt", *texts, cwd=data_repo)
    assert r.code == 1, r.err
    for rel, text in texts.items():
        assert typed(load.parse(rel, (data_repo / rel).read_text(encoding="utf-8"))[0]) == \
            typed(load.parse(rel, text)[0]), rel
    r = osaid("fmt", "--check", *texts, cwd=data_repo)
    assert (r.code, r.out) == (0, "")


def test_the_safety_net_writes_nothing_and_names_the_value(osaid, data_repo, monkeypatch):
    # a formatter bug that changes a string (as stripping trailing spaces did) is caught
    real = load._restyle

    def buggy(node, *args, **kwargs):
        out = real(node, *args, **kwargs)
        return type(out)(out.replace("  \n", "\n")) if isinstance(out, str) and "  \n" in out else out

    monkeypatch.setattr(load, "_restyle", buggy)
    p = data_repo / PREAMBLE
    text = SEC + "id: preamble\ntitle: Preamble\nclauses:\n  - id: why\n    text: \"a hard break  \\nnext\"\n"
    p.write_text(text, encoding="utf-8")
    r = osaid("fmt", cwd=data_repo)
    assert r.code == 1
    assert r.out == (
        "definition/preamble.yaml:6:11: GOV-5 cannot put this file in canonical form without changing its data: "
        "definition/preamble.yaml:6 (clauses[0].text, written as a double-quoted string: str 'a hard break  \\nnext' "
        "would read back as str 'a hard break\\nnext'); nothing written: write this value another way, "
        "and report it\n")
    assert "nothing written" in r.err, r.err
    assert p.read_text(encoding="utf-8") == text


def test_a_block_that_would_not_read_back_is_double_quoted_instead(monkeypatch):
    # a wrong choice of block style (here: every string allowed in a block) is undone by the check
    monkeypatch.setattr(load, "_block_ok", lambda s: True)
    text = SEC + "id: preamble\nclauses:\n  - id: why\n    text: \"a hard break  \\nnext\"\n"
    assert fmt.format_text(PREAMBLE, text) == (text, [])
    # and a comment that a block would swallow as its content
    monkeypatch.undo()
    text = SEC + f"id: preamble\ntitle: {LONG}\n  # swallowed?\n"
    out = SEC + f'id: preamble\ntitle: "{LONG}"\n  # swallowed?\n'
    assert fmt.format_text(PREAMBLE, text) == (out, [])
    assert fmt.format_text(PREAMBLE, out) == (out, [])


# --- one reading: what the two readers do not read alike is a located GOV-1 ----------------

REFUSED = [
    ("%YAML 1.1", "%YAML 1.1\n---\ntitle: yes\n",
     "1:1: GOV-1 %YAML 1.1: osaid reads YAML 1.2 only; remove the directive"),
    ("%TAG", "%TAG !e! tag:example.com,2000:\n---\ntitle: x\n", "1:1: GOV-1 %TAG directives are not allowed: remove it"),
    ("tab after a colon", SEC + "title:\tPreamble\n", "2:7: GOV-1 a tab here: YAML readers disagree on tabs; use spaces"),
    ("tab after a value", SEC + "title: Preamble\t\n",
     "2:16: GOV-1 a tab here: YAML readers disagree on tabs; use spaces"),
    ("!!set", SEC + "title: !!set {a, b}\n",
     "2:8: GOV-1 YAML tags (!!set) are not allowed: remove it (quote a value to keep it a string)"),
    ("!!omap", SEC + "title: !!omap [a: 1]\n",
     "2:8: GOV-1 YAML tags (!!omap) are not allowed: remove it (quote a value to keep it a string)"),
    ("!foo on a list", SEC + "clauses: !foo\n  - a\n",
     "2:10: GOV-1 YAML tags (!foo) are not allowed: remove it (quote a value to keep it a string)"),
    ("!!str on a scalar", SEC + "title: !!str 1.10\n",
     "2:8: GOV-1 YAML tags (!!str) are not allowed: remove it (quote a value to keep it a string)"),
    ("! on a scalar", SEC + "title: ! x\n",
     "2:8: GOV-1 YAML tags (!) are not allowed: remove it (quote a value to keep it a string)"),
    ("a tag on a key", SEC + "!!str title: x\n",
     "2:1: GOV-1 YAML tags (!!str) are not allowed: remove it (quote a value to keep it a string)"),
    ("deep nesting", "a: " + "[" * 250 + "]" * 250 + "\n", "1:67: GOV-1 nested deeper than 64 levels: flatten the data"),
    ("deep block nesting", "".join(" " * (2 * i) + f"k{i}:\n" for i in range(300)) + " " * 600 + "x\n",
     "65:129: GOV-1 nested deeper than 64 levels: flatten the data"),
    ("a comment ruamel cannot place", SEC + "title: # a note\n   Preamble\n\n",
     "2:1: GOV-1 a comment that the round-trip reader cannot place (after a key, before its value on the next "
     "line?): move the comment to a line of its own"),
    ("= as a value", SEC + "title: =\n", "2:8: GOV-1 = on its own has a special meaning in YAML: quote it ('=')"),
    ("a date that does not exist", SEC + "title: 2024-02-30\n",
     "2:8: GOV-1 2024-02-30 is read by YAML as a date, and is not one (day is out of range for month): fix it, "
     "or quote it if it is text"),
    ("a BOM inside the text", "# a comment\n\ufeffid: x\n",
     "2:1: GOV-1 the document: YAML readers disagree on this value (keys 'id' against '\\ufeffid'): write it "
     "plainly, e.g. quote a string"),
    ("a BOM after the header", SEC + "\ufeffid: x\n",
     "2:1: GOV-1 the document: YAML readers disagree on this value (keys 'id' against '\\ufeffid'): write it "
     "plainly, e.g. quote a string"),
    ("an anchor", SEC + "title: &t x\n", "2:8: GOV-1 anchors (&t) are not allowed: write the value out in full"),
    ("ESC", SEC + "title: a\x1bb\n",
     "2:9: GOV-1 character U+001B is not allowed in YAML: remove it, or write it as an escape in a "
     "double-quoted string"),
]


@pytest.mark.parametrize("name,text,expected", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_where_it_stands_by_parse_and_fmt(name, text, expected):
    data, problems = load.parse(PREAMBLE, text)
    assert [p.text() for p in problems] == [f"{PREAMBLE}:{expected}"]
    result = fmt.format_files({PREAMBLE: text.encode("utf-8")})
    assert (result.changed, [p.text() for p in result.problems]) == ({}, [f"{PREAMBLE}:{expected}"])


def test_position_helpers_never_crash_on_text_parse_refuses():
    # locate ran ruamel's pure-Python reader on text only libyaml had read: ScannerError, exit 3
    assert load.locate(SEC + "title:\tPreamble\n", [(("title",), False)]) == [(0, 0)]


def test_tab_deep_and_tagged_files_are_messages_in_every_command(data_repo):
    git(data_repo, "init", "-q", f"--template={data_repo.parent}", "-b", "main")
    edit(data_repo / "definition/preamble.yaml", "title: Preamble", "title:\tPreamble")
    edit(data_repo / "governance/policy.yaml", "limits:", "deep: " + "[" * 250 + "]" * 250 + "\nlimits:")
    edit(data_repo / "definition/ai-system.yaml", "clauses:", "clauses: !!omap")
    for args in (["validate"], ["fmt"], ["fmt", "--check"], ["status"], ["hook", "pre-commit"]):
        if args[0] == "hook":
            git(data_repo, "add", "-A")
        r = run_console(*args, cwd=data_repo)
        assert r.returncode == 1, (args, r.stdout, r.stderr)
        assert "internal error" not in r.stderr and "Traceback" not in r.stderr
        if args[0] in ("validate", "fmt"):
            assert "definition/preamble.yaml:3:7: GOV-1 a tab here: YAML readers disagree on tabs; use spaces" \
                in r.stdout, args
            assert "governance/policy.yaml:6:70: GOV-1 nested deeper than 64 levels: flatten the data" in r.stdout
            assert "definition/ai-system.yaml:4:10: GOV-1 YAML tags (!!omap) are not allowed" in r.stdout


def test_a_version_written_1_10_is_suggested_as_written(osaid, data_repo):
    edit(data_repo / "definition/definition.yaml", "version: 0.0.5", "version: 1.10")
    r = osaid("validate", cwd=data_repo)
    assert r.out == ("definition/definition.yaml:3:10: GOV-1 version is read by YAML as a number, not a string: "
                     "quote it, e.g. '1.10'\n")


# --- only regular files inside the repository; the size limit everywhere ------------------

def test_a_fifo_is_refused_by_every_reader_and_never_waited_on(data_repo):
    git(data_repo, "init", "-q", f"--template={data_repo.parent}", "-b", "main")
    os.mkfifo(data_repo / "definition/waiting.yaml")
    expected = ("definition/waiting.yaml: GOV-1 a FIFO (named pipe), not a regular file: osaid reads and "
                "writes only regular files inside the repository; put the file itself here\n")
    for args in (["validate"], ["fmt"], ["fmt", "definition/waiting.yaml"]):
        r = subprocess.run([str(Path(sys.executable).parent / "osaid"), *args], cwd=data_repo,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 1, (args, r.stderr)
        assert expected in r.stdout, args
    assert stat.S_ISFIFO(os.lstat(data_repo / "definition/waiting.yaml").st_mode)


def test_fmt_never_replaces_a_link_and_never_reads_outside(osaid, data_repo, tmp_path):
    p = data_repo / PREAMBLE
    (data_repo / "definition/real.txt").write_text(SEC + "title:   Preamble\nid: preamble\n", encoding="utf-8")
    p.unlink()
    p.symlink_to("real.txt")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text("name: x\n", encoding="utf-8")
    (data_repo / "checklist/systems").rename(tmp_path / "systems-moved")
    (data_repo / "checklist/systems").symlink_to(outside)
    r = osaid("fmt", cwd=data_repo)  # the walk does not follow the linked folder
    assert r.code == 1
    assert r.out == ("definition/preamble.yaml: GOV-1 a symbolic link, not a regular file: osaid reads and "
                     "writes only regular files inside the repository; put the file itself here\n")
    r = osaid("fmt", "checklist/systems/x.yaml", cwd=data_repo)
    assert r.code == 1
    assert r.out == (f"checklist/systems/x.yaml: GOV-1 outside the repository (its folder leads to {outside}): "
                     "data files must be regular files inside the repository\n")
    assert (outside / "x.yaml").read_text(encoding="utf-8") == "name: x\n"
    assert p.is_symlink() and os.readlink(p) == "real.txt"
    assert (data_repo / "definition/real.txt").read_text(encoding="utf-8").startswith(SEC + "title:   Preamble")


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device"])
def test_write_atomic_never_replaces_what_is_not_a_regular_file(tmp_path, kind):
    target = tmp_path / "out.md"
    if kind == "symlink":
        (tmp_path / "real.md").write_text("keep", encoding="utf-8")
        target.symlink_to("real.md")
    elif kind == "fifo":
        os.mkfifo(target)
    else:  # a device node of our own (never a real /dev path: a bug here must not replace it)
        try:
            os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("creating a device node needs root")
    with pytest.raises(fileio.OsaidError) as e:
        fileio.write_atomic(str(target), b"new")
    what = {"symlink": "a symbolic link", "fifo": "a FIFO (named pipe)", "device": "a character device"}[kind]
    assert str(e.value) == (f"cannot write {target}: it is {what}, not a regular file, and osaid replaces only "
                            "regular files: remove it, or name another file")
    if kind == "symlink":
        assert target.is_symlink() and (tmp_path / "real.md").read_text(encoding="utf-8") == "keep"
    elif kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(target).st_mode)
    else:
        assert stat.S_ISCHR(os.lstat(target).st_mode)
    assert not [f for f in tmp_path.iterdir() if f.name.endswith(".tmp")]


def test_diff_output_to_a_fifo_is_refused(osaid, git_repo):
    os.mkfifo(git_repo / "out.md")
    r = osaid("diff", "HEAD", "--format", "markdown", "-o", "out.md", cwd=git_repo)
    assert r.code == 1
    assert r.err == ("osaid: cannot write out.md: it is a FIFO (named pipe), not a regular file, and osaid "
                     "replaces only regular files: remove it, or name another file\n")
    assert stat.S_ISFIFO(os.lstat(git_repo / "out.md").st_mode)


def test_fmt_applies_the_size_limit_without_parsing(osaid, data_repo):
    # over the default limit, and quick to read: a long comment
    big = SEC + "# " + "x" * 270_000 + "\n" + (data_repo / PREAMBLE).read_text(encoding="utf-8").split("\n", 1)[1]
    (data_repo / PREAMBLE).write_text(big, encoding="utf-8")
    size = len(big.encode("utf-8"))
    assert size > 262_144
    for args in (["fmt"], ["fmt", PREAMBLE], ["validate"]):
        r = osaid(*args, cwd=data_repo)
        assert r.code == 1
        assert r.out == (f"definition/preamble.yaml: GOV-1 file is {size} bytes, over the limit of 262144 "
                         "(governance/policy.yaml limits.max_file_bytes): split it, or raise the limit\n"), args
    assert (data_repo / PREAMBLE).read_text(encoding="utf-8") == big
    # the policy's own limit, lower or higher than the default, is the one applied
    edit(data_repo / "governance/policy.yaml", "max_file_bytes: 262144", "max_file_bytes: 400")
    r = osaid("fmt", "definition/what-is-open-source-ai.yaml", cwd=data_repo)
    assert (r.code, r.out) == (1, "definition/what-is-open-source-ai.yaml: GOV-1 file is 784 bytes, over the "
                                  "limit of 400 (governance/policy.yaml limits.max_file_bytes): split it, or raise "
                                  "the limit\n")
    edit(data_repo / "governance/policy.yaml", "max_file_bytes: 400", f"max_file_bytes: {size}")
    r = osaid("fmt", "--check", PREAMBLE, cwd=data_repo)
    assert r.code == 0, r.out


# --- write_atomic respects the umask -------------------------------------------------------

@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_new_files_respect_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        fileio.write_atomic(str(tmp_path / "new.md"), b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.md").st_mode) == mode


def test_an_existing_file_keeps_its_mode(tmp_path):
    for mode in (0o600, 0o755, 0o640):
        p = tmp_path / f"f{mode:o}"
        p.write_bytes(b"old")
        p.chmod(mode)
        fileio.write_atomic(str(p), b"new")
        assert (stat.S_IMODE(p.stat().st_mode), p.read_bytes()) == (mode, b"new")


def test_changelog_written_by_the_console_script_is_0644_under_umask_022(writable_history):
    (writable_history / "CHANGELOG.md").unlink(missing_ok=True)
    r = subprocess.run(["sh", "-c", f"umask 022 && exec {Path(sys.executable).parent / 'osaid'} changelog"],
                       cwd=writable_history, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(os.stat(writable_history / "CHANGELOG.md").st_mode) == 0o644


def test_the_hook_fixer_reports_a_refusal_and_writes_nothing(osaid, git_repo, monkeypatch):
    real = load._restyle

    def buggy(node, *args, **kwargs):  # a formatter bug that would change a value
        out = real(node, *args, **kwargs)
        return type(out)(out + "!") if isinstance(out, str) and out == "Preamble" else out

    monkeypatch.setattr(load, "_restyle", buggy)
    p = git_repo / PREAMBLE
    edit(p, "title: Preamble", "title:   Preamble")
    before = p.read_bytes()
    git(git_repo, "add", "-A")
    r = osaid("hook", "pre-commit", "--fix", PREAMBLE, cwd=git_repo)
    assert r.code == 1
    assert r.out == (
        "definition/preamble.yaml:3:10: GOV-5 cannot put this file in canonical form without changing its data: "
        "definition/preamble.yaml:3 (title, written as a str: str 'Preamble' would read back as str 'Preamble!'); "
        "nothing written: write this value another way, and report it\n")
    assert p.read_bytes() == before


@pytest.mark.parametrize("name,text,expected", [r for r in REFUSED if "tab" not in r[0] and "comment" not in r[0] and "BOM" not in r[0]
                                                and r[0] not in ("= as a value", "a date that does not exist", "ESC")],
                         ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None)
def test_committed_states_read_by_libyaml_alone_are_as_strict(name, text, expected):
    # diff, history and changelog read committed states with libyaml only (fast); tags, anchors,
    # directives and deep nesting are refused there too, on libyaml's own events
    assert [p.text() for p in load.parse(PREAMBLE, text, agree=False)[1]] == [f"{PREAMBLE}:{expected}"]


def test_what_libyaml_alone_accepted_never_passes_for_valid_both_ways():
    from osaid.data import validate
    from osaid.repo.states import Memo

    text = (Path(__file__).parent.parent / PREAMBLE).read_text(encoding="utf-8").replace("title: Preamble",
                                                                                         "title:\tPreamble")
    files = {PREAMBLE: text.encode("utf-8")}
    memo = Memo()
    assert validate.check(files, cross=False, cache=memo, agree=False).problems == []
    assert [p.text() for p in validate.check(files, cross=False, cache=memo).problems] == [
        "definition/preamble.yaml:3:7: GOV-1 a tab here: YAML readers disagree on tabs; use spaces"]


def test_changelog_never_replaces_a_linked_changelog(osaid, writable_history, tmp_path):
    target = tmp_path / "elsewhere.md"
    target.write_text("kept\n", encoding="utf-8")
    link = writable_history / "CHANGELOG.md"
    link.unlink(missing_ok=True)
    link.symlink_to(target)
    r = osaid("changelog", cwd=writable_history)
    assert r.code == 1
    assert r.err == (f"osaid: {link} is a symbolic link, not a regular file: osaid reads and writes only "
                     "regular files\n")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "kept\n"


def test_textconv_shows_an_oversized_file_as_it_is(osaid, tmp_path):
    # over the size limit: not parsed (that would take seconds), shown as git would show it
    big = tmp_path / "big.yaml"
    big.write_text(SEC + "id: preamble\ntitle: Preamble\n# " + "x" * 300_000 + "\n", encoding="utf-8")
    r = osaid("textconv", str(big), cwd=tmp_path)
    assert (r.code, r.out) == (0, big.read_text(encoding="utf-8"))

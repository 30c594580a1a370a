"""Control and invisible characters: rejected by validate (GOV-2, code point and position),
escaped in every output (diff in all formats, history, textconv, status, messages).

A text such as "\\e[8m...\\r\\e[2K" would hide a change in a terminal; U+202E
would show a clause backwards in a browser or on GitHub.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata

from conftest import commit_all, git, run_console

from osaid import visible
from osaid.render import text as text_render

# the YAML (double-quoted, with escapes) and the string it means
HOSTILE_YAML = (r'"Use the system\e[8m for no purpose\r\e[2K\a\x9b31m \u202eevil\u202c \u2066isolated\u2069'
                r' zero\u200bwidth\ufeff \x7f\x00 tag\U000E0041 line\u2028sep"')
HOSTILE = ("Use the system\x1b[8m for no purpose\r\x1b[2K\x07\x9b31m \u202eevil\u202c \u2066isolated\u2069"
           " zero\u200bwidth\ufeff \x7f\x00 tag\U000e0041 line\u2028sep")
SHOWN = (r"Use the system\x1b[8m for no purpose\x0d\x1b[2K\x07\x9b31m \u202eevil\u202c \u2066isolated\u2069"
         r" zero\u200bwidth\ufeff \x7f\x00 tag\U000e0041 line\u2028sep")
SECTION = """# yaml-language-server: $schema=../tools/osaid/schemas/section.schema.json
id: preamble
title: "Pre\\e[8mamble"
clauses:
  - id: why-open-source-ai
    text: {text}
"""
# the characters our own colours use: the only escape sequences a coloured diff may hold
OWN_SGR = re.compile(r"\x1b\[(?:31|32|33|1|2|0)m")


def test_hidden_matches_unicode_categories():
    """HIDDEN is every Cc (but tab and newline), Cf, Zl, Zp and Cs character, and nothing
    that is assigned to another category (it names a few Cf characters of newer Unicode)."""
    for n in range(sys.maxunicode + 1):
        ch = chr(n)
        cat = unicodedata.category(ch)
        hidden = (cat in ("Cc", "Cf", "Zl", "Zp", "Cs")) and ch not in "\t\n"
        if hidden or cat != "Cn":
            assert bool(visible.HIDDEN.fullmatch(ch)) == hidden, f"U+{n:04X} {cat}"


def test_escape_and_json_text():
    assert visible.escape(HOSTILE) == SHOWN
    assert visible.escape("a\tb\nc") == "a\tb\nc"
    assert visible.escape("a\tb\nc", extra="\n") == "a\tb\\x0ac"
    doc = json.dumps({"t": HOSTILE, "e": "é\u2014"}, ensure_ascii=False)
    safe = visible.json_text(doc)
    assert visible.HIDDEN.search(safe) is None and json.loads(safe) == {"t": HOSTILE, "e": "é\u2014"}
    assert "é\u2014" in safe  # only the hidden characters are escaped
    assert visible.describe("\x1b") == "U+001B ESCAPE" and visible.describe("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"


def test_validate_names_the_code_point_and_its_position(git_repo):
    (git_repo / "definition/preamble.yaml").write_text(SECTION.format(text=HOSTILE_YAML), encoding="utf-8")
    r = run_console("validate", cwd=git_repo)
    assert r.returncode == 1
    assert r.stdout == (
        "definition/preamble.yaml:3:8: GOV-2 text has U+001B ESCAPE (\\x1b) at character 4: control and invisible "
        "characters can hide a change in a diff or a terminal; remove it\n"
        "definition/preamble.yaml:6:11: GOV-2 text has U+001B ESCAPE (\\x1b) at character 15: control and invisible "
        "characters can hide a change in a diff or a terminal; remove it\n")
    assert "Traceback" not in r.stderr


def test_each_kind_of_hidden_character_is_rejected(git_repo):
    """One file per character, escaped in YAML or raw: each named with its code point, at its text."""
    cases = {"\\a": "U+0007 BELL", "\\r": "U+000D CARRIAGE RETURN", "\\x7f": "U+007F DELETE",
             "\\x85": "U+0085 NEXT LINE", "\\x9b": "U+009B CONTROL SEQUENCE INTRODUCER",
             "\\u202a": "U+202A LEFT-TO-RIGHT EMBEDDING", "\\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE",
             "\\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE", "\\u2069": "U+2069 POP DIRECTIONAL ISOLATE",
             "\\u200b": "U+200B ZERO WIDTH SPACE", "\\u2060": "U+2060 WORD JOINER", "\\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
             "\\u00ad": "U+00AD SOFT HYPHEN", "\\u2028": "U+2028 LINE SEPARATOR", "\\U000E0041": "U+E0041 TAG LATIN CAPITAL LETTER A"}
    sections = []
    for i, (esc, _name) in enumerate(cases.items()):
        sid = f"s{i}"
        sections.append(sid)
        (git_repo / f"definition/{sid}.yaml").write_text(SECTION.replace("preamble", sid).replace("why-open-source-ai", f"c{i}").replace(
            '"Pre\\e[8mamble"', "Fine").format(text=f'"ab{esc}c"'), encoding="utf-8")
    # a raw (unescaped) bidi override is as hidden as an escaped one
    (git_repo / "definition/raw.yaml").write_text(SECTION.replace("preamble", "raw").replace("why-open-source-ai", "c-raw").replace(
        '"Pre\\e[8mamble"', "Fine").format(text="plain \u202eevil"), encoding="utf-8")
    d = git_repo / "definition/definition.yaml"
    d.write_text(d.read_text(encoding="utf-8").replace("sections:\n", "sections:\n" + "".join(
        f"  - {s}\n" for s in sections + ["raw"])), encoding="utf-8")
    r = run_console("validate", "--format", "json", cwd=git_repo)
    assert r.returncode == 1, r.stderr
    problems = json.loads(r.stdout)
    assert {p["path"] for p in problems} == {f"definition/s{i}.yaml" for i in range(len(cases))} | {"definition/raw.yaml"}
    got = {p["path"]: (p["line"], p["col"], p["rule"], p["message"]) for p in problems}
    for i, (esc, name) in enumerate(cases.items()):
        ch = chr(int(esc[2:], 16)) if esc[1] in "xuU" else {"\\a": "\a", "\\r": "\r"}[esc]
        assert got[f"definition/s{i}.yaml"] == (6, 11, "GOV-2", (
            f"text has {name} ({visible.code(ch)}) at character 3: control and invisible characters can hide a "
            "change in a diff or a terminal; remove it"))
    assert got["definition/raw.yaml"][3].startswith("text has U+202E RIGHT-TO-LEFT OVERRIDE (\\u202e) at character 7")
    assert visible.HIDDEN.search(r.stdout) is None


def _hostile_history(repo):
    """A valid change with a hostile commit subject, then a commit that puts HOSTILE into a
    clause (and a section title), which validation refuses."""
    (repo / "definition/preamble.yaml").write_text(SECTION.replace('"Pre\\e[8mamble"', "Preamble").format(
        text="Use the system."), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Reword\x1b[8m quietly\r\x1b[2K")
    (repo / "definition/preamble.yaml").write_text(SECTION.format(text=HOSTILE_YAML), encoding="utf-8")
    commit_all(repo, "Hide")
    return repo


def _hostile_diffs():
    """Changes that carry HOSTILE everywhere a renderer shows data (as if validation had let it in)."""
    from osaid.changes.compare import DocumentDiff
    from osaid.changes.diff import Change
    from osaid.changes.words import word_diff

    old = "Use the system for any purpose."
    changes = [
        Change("definition", "clause", "use", ("preamble", "use"), "modified", "text", old, HOSTILE, "normative",
               tuple(word_diff(old, HOSTILE))),
        Change("definition", "clause", "new\x1b[2J", ("preamble", "new\x1b[2J"), "added", None, None,
               {"text": HOSTILE, "kind": "freedom"}, "substantive", None, note=HOSTILE),
        Change("definition", "clause", "gone", ("preamble", "gone"), "removed", None, HOSTILE, None, "substantive", None),
        Change("definition", "section", "preamble", ("preamble",), "modified", "title", "Preamble", HOSTILE,
               "editorial", None),
    ]
    return [DocumentDiff("definition", "v0.0.8\x1b[8m", "HEAD\u202e", "0.0.8\r", "0.0.9\x07", changes,
                         {"preamble": HOSTILE}, None),
            DocumentDiff("checklist", None, "HEAD", None, None, [], {}, skipped=HOSTILE)]


def test_every_renderer_escapes_hidden_characters():
    from osaid.render import html, jsonout, markdown

    diffs = _hostile_diffs()
    outputs = {"text": text_render.render(diffs), "markdown": markdown.render(diffs),
               "json": jsonout.render(diffs, "v0.0.8", "HEAD"), "html": html.render(diffs, title=HOSTILE)}
    for name, out in outputs.items():
        assert visible.HIDDEN.search(out) is None, f"{name}: {visible.HIDDEN.search(out)!r} in {out!r}"
    assert f"    [substantive] added clause new\\x1b[2J ({SHOWN})\n      text: {SHOWN}; kind: freedom\n" in outputs["text"]
    assert json.loads(outputs["json"])["documents"][0]["changes"][0]["after"] == HOSTILE
    assert f"<ins>text: {SHOWN}; kind: freedom</ins>" in outputs["html"]
    assert "\\\\x1b\\[8m" in outputs["markdown"]  # shown as \x1b[8m, escaped for Markdown


def test_commands_escape_hidden_characters(writable_history, osaid):
    """Hidden characters from the data and from git reach the terminal escaped, whatever the command."""
    repo = _hostile_history(writable_history)
    outputs = {}
    for fmt in ("text", "markdown", "json"):
        r = osaid("history", "why-open-source-ai", "--commits", "--format", fmt, cwd=repo)
        assert r.code == 0, r.err
        outputs[f"history {fmt}"] = r.out + r.err
    r = osaid("diff", "HEAD~1", "HEAD", cwd=repo)
    assert r.code == 1 and "GOV-2 text has U+001B ESCAPE (\\x1b) at character 4" in r.err
    outputs["diff"] = r.out + r.err
    outputs["textconv"] = osaid("textconv", "definition/preamble.yaml", cwd=repo).out
    for fmt in ("text", "json"):
        r = osaid("status", "--format", fmt, cwd=repo)
        outputs[f"status {fmt}"] = r.out + r.err
    for fmt in ("text", "json", "github"):
        r = osaid("validate", "--format", fmt, cwd=repo)
        assert r.code == 1
        outputs[f"validate {fmt}"] = r.out + r.err
    for name, out in outputs.items():
        assert visible.HIDDEN.search(out) is None, f"{name}: {visible.HIDDEN.search(out)!r} in {out!r}"
    assert "clauses[why-open-source-ai].text: " + SHOWN + "\n" in outputs["textconv"]
    assert "title: Pre\\x1b[8mamble\n" in outputs["textconv"]
    assert "Reword\\x1b[8m quietly\\x0d\\x1b[2K" in outputs["history text"]
    assert "GOV-2 text has U+001B ESCAPE" in outputs["status text"]
    # a file that does not load is shown as it is, escaped
    (repo / "definition/preamble.yaml").write_text("a: [\x1b[2J\n", encoding="utf-8")
    assert osaid("textconv", "definition/preamble.yaml", cwd=repo).out == "a: [\\x1b[2J\n"


def test_coloured_text_holds_only_our_own_escape_sequences():
    out = text_render.render(_hostile_diffs(), color=True)
    assert OWN_SGR.search(out)  # coloured indeed
    assert visible.HIDDEN.search(OWN_SGR.sub("", out)) is None
    assert "\\x1b[8m" in out


def test_multi_line_text_stays_under_its_change_in_the_terminal(writable_history, osaid):
    """A text cannot print a line that passes for another change."""
    repo = writable_history
    (repo / "definition/preamble.yaml").write_text(SECTION.replace('"Pre\\e[8mamble"', "Preamble").format(
        text='"Fine.\\n    [editorial] modified clause x (text): nothing to see"'), encoding="utf-8")
    commit_all(repo, "Spoof")
    out = osaid("diff", "HEAD~1", "HEAD", cwd=repo).out
    entries = [line for line in out.splitlines() if re.match(r"    \[", line)]
    assert entries == ["    [substantive] modified clause why-open-source-ai (text)",
                       "    [substantive] removed clause oecd-ai-system-text"], out
    assert "\n      [-TK-]{+Fine.\n          [editorial] modified clause x (text)+}" in out


def test_the_pre_commit_hook_rejects_what_is_staged(git_repo, osaid):
    """The hook judges the index: a staged hidden character is refused even when the work tree is clean."""
    path = git_repo / "definition/preamble.yaml"
    clean = path.read_text(encoding="utf-8")
    path.write_text(clean.replace("title: Preamble", 'title: "Pre\\u2066amble"'), encoding="utf-8")
    git(git_repo, "add", "-A")
    path.write_text(clean, encoding="utf-8")
    r = osaid("hook", "pre-commit", cwd=git_repo)
    assert r.code == 1
    assert r.out == ("definition/preamble.yaml:3:8: GOV-2 text has U+2066 LEFT-TO-RIGHT ISOLATE (\\u2066) at "
                     "character 4: control and invisible characters can hide a change in a diff or a terminal; "
                     "remove it\n")

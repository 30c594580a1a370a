"""The hostile-input corpus: every case is one input put into a copy of this repository.

Run `python tests/hostile/corpus.py` to list the cases (name, path, size, owner).
Each case replaces (or adds) one file under the data folders: YAML syntax and
semantic traps, encodings, control characters, huge and deep inputs,
non-regular files, odd file names, and Markdown/HTML/terminal injection in
prose. tests/test_hostile_corpus.py runs every case through validate, fmt,
diff (text, markdown, json, html) and the pre-commit hook.

Cases that fail today because of an item another engineer of issue 9 owns are
marked xfail (strict=False), with the owner, in the test's OWNED table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SECTION = "definition/preamble.yaml"
META = "definition/definition.yaml"
POLICY = "governance/policy.yaml"
ENDORSEMENTS = "governance/endorsements.yaml"
SECTION_HEADER = "# yaml-language-server: $schema=../tools/osaid/schemas/section.schema.json\n"
GOV_HEADER = "# yaml-language-server: $schema=../tools/osaid/schemas/{}.schema.json\n"


@dataclass(frozen=True)
class Case:
    name: str
    rel: str  # where it goes, relative to the repository
    content: bytes = b""
    special: str | None = None  # fifo, socket, dir, symlink (content: the target), hardlink-out

    @property
    def id(self) -> str:
        return self.name


def original(rel: str) -> str:
    return (REPO / rel).read_text(encoding="utf-8")


def section(body: str) -> bytes:
    """The preamble with the given YAML after its header."""
    return (SECTION_HEADER + body).encode("utf-8")


def clause(text_yaml: str) -> bytes:
    """The preamble whose one clause has the given text (a YAML scalar, written as is)."""
    return section(f"id: preamble\ntitle: Preamble\nclauses:\n  - id: why-open-source-ai\n    text: {text_yaml}\n")


def quoted(s: str) -> str:
    """s as a YAML double-quoted scalar, every non-printable character escaped."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif o < 0x20 or 0x7F <= o <= 0x9F or o in (0x2028, 0x2029, 0xFEFF) or 0x202A <= o <= 0x202E \
                or 0x2066 <= o <= 0x2069 or o == 0x200B:
            out.append(f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def meta(**fields: str) -> bytes:
    """definition.yaml with some top-level values replaced (YAML as written)."""
    out, replacing = [], False
    for line in original(META).split("\n"):
        key = line.split(":", 1)[0]
        if key in fields and not line.startswith(" "):
            out.append(f"{key}: {fields[key]}")
            replacing = True  # and drop its block (the section list)
        elif not (replacing and line.startswith(" ")):
            out.append(line)
            replacing = False
    return "\n".join(out).encode("utf-8")


def policy(text: str) -> bytes:
    return (GOV_HEADER.format("policy") + text).encode("utf-8")


POLICY_OK = ("endorsements:\n  rc_per_group: {rc}\n  final_per_group: 5\nplaceholders: {ph}\nlimits:\n"
             "  max_file_bytes: {max}\nreview:\n  reviewers_per_change: 1\n  interval_days: {days}\n")


def policy_with(rc: str = "2", ph: str = "[TK, TODO, TBD]", max_: str = "262144", days: str = "365") -> bytes:
    return policy(POLICY_OK.format(rc=rc, ph=ph, max=max_, days=days))


def endorsement(**over: str) -> bytes:
    e = {"id": "ann", "kind": "support", "name": "Ann Bee", "group": "regulator", "version": "'0.0.5'", "date": "'2024-02-01'",
         "statement_url": "https://example.org/ann"}
    e.update(over)
    body = "endorsements:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in e.items()) + "\n"
    return (GOV_HEADER.format("endorsements") + body).encode("utf-8")


# --- the cases ------------------------------------------------------------------------


def yaml_syntax() -> list[Case]:
    good = original(SECTION)
    raw = {
        "tab-indentation": "id: preamble\ntitle: Preamble\nclauses:\n\t- id: x\n\t  text: y\n",
        "tab-after-colon": "id: preamble\ntitle:\tPreamble\nclauses:\n  - id: x\n    text: y\n",
        "tab-after-value": "id: preamble\ntitle: Preamble\t\nclauses:\n  - id: x\n    text: y\n",
        "tab-in-flow": "id: preamble\ntitle: Preamble\nclauses: [{id: x,\ttext: y}]\n",
        "duplicate-key": "id: preamble\nid: preamble\ntitle: Preamble\nclauses: []\n",
        "duplicate-nested-key": "id: preamble\ntitle: Preamble\nclauses:\n  - id: x\n    id: y\n    text: z\n",
        "anchor-alias": "id: &a preamble\ntitle: *a\nclauses:\n  - id: x\n    text: y\n",
        "merge-key": "id: preamble\ntitle: Preamble\nclauses:\n  - &c {id: x, text: y}\n  - <<: *c\n    id: z\n",
        "billion-laughs": "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)),
        "tag-set": "id: preamble\ntitle: Preamble\nclauses: !!set {a, b}\n",
        "tag-omap": "id: preamble\ntitle: Preamble\nclauses: !!omap [a: 1, b: 2]\n",
        "tag-local": "id: preamble\ntitle: Preamble\nclauses: !foo\n  - id: x\n    text: y\n",
        "tag-on-scalar": "id: preamble\ntitle: !!str Preamble\nclauses:\n  - id: x\n    text: y\n",
        "tag-binary": "id: preamble\ntitle: !!binary aGVsbG8=\nclauses: []\n",
        "tag-python": "id: !!python/object/apply:os.system [echo pwned]\ntitle: x\nclauses: []\n",
        "tag-verbatim": "id: preamble\ntitle: !<tag:yaml.org,2002:str> Preamble\nclauses: []\n",
        "tag-directive": "%TAG !e! tag:example.com,2000:\n---\nid: !e!x preamble\ntitle: t\nclauses: []\n",
        "yaml-1.1-directive": "%YAML 1.1\n---\nid: preamble\ntitle: yes\nclauses:\n  - id: x\n    text: on\n",
        "yaml-2.0-directive": "%YAML 2.0\n---\nid: preamble\ntitle: Preamble\nclauses: []\n",
        "unknown-directive": "%FOO bar\n---\nid: preamble\ntitle: Preamble\nclauses: []\n",
        "two-documents": "id: preamble\ntitle: Preamble\nclauses: []\n---\nid: other\n",
        "document-end-then-text": "id: preamble\ntitle: Preamble\nclauses: []\n...\ngarbage: [\n",
        "unclosed-bracket": "id: preamble\ntitle: Preamble\nclauses: [\n",
        "unclosed-brace": "id: preamble\ntitle: {Preamble\nclauses: []\n",
        "unclosed-double-quote": 'id: preamble\ntitle: "Preamble\nclauses: []\n',
        "unclosed-single-quote": "id: preamble\ntitle: 'Preamble\nclauses: []\n",
        "bad-indentation": "id: preamble\n title: Preamble\nclauses: []\n",
        "lone-dash": "-\n",
        "lone-colon": ":\n",
        "complex-key": "? [a, b]\n: c\nid: preamble\n",
        "flow-key": "[a]: b\nid: preamble\n",
        "mapping-key": "{a: b}: c\n",
        "null-key": "~: x\nid: preamble\ntitle: t\nclauses: []\n",
        "int-key": "1: x\nid: preamble\ntitle: t\nclauses: []\n",
        "bool-key": "true: x\nid: preamble\ntitle: t\nclauses: []\n",
        "block-indent-indicator": "id: preamble\ntitle: |9\n  x\nclauses: []\n",
        "block-keep": "id: preamble\ntitle: Preamble\nclauses:\n  - id: x\n    text: |+\n      kept\n\n\n",
        "block-chomp-conflict": "id: preamble\ntitle: |-+\n  x\nclauses: []\n",
        "long-implicit-key": "k" * 2000 + ": x\n",
        "comment-no-space": "id: preamble\ntitle: a#b\nclauses: [] #c\n#!shebang\n",
        "empty": "",
        "only-header": "",
        "only-whitespace": "   \n\n  \n",
        "only-document-marker": "---\n",
        "null-document": "null\n",
        "tilde-document": "~\n",
        "empty-list-document": "[]\n",
        "empty-mapping-document": "{}\n",
        "scalar-document": "hello\n",
        "list-document": "- a\n- b\n",
        "crlf": good.replace("\n", "\r\n")[len(SECTION_HEADER) + 1:],
        "cr-only": good.replace("\n", "\r")[len(SECTION_HEADER):],
        "mixed-endings": good.replace("\n", "\r\n", 3)[len(SECTION_HEADER) + 1:],
        "nel-line-break": good.replace("\n", "\u0085")[len(SECTION_HEADER):],
        "line-separator": good.replace("\n", "\u2028")[len(SECTION_HEADER):],
        "no-final-newline": good.rstrip("\n")[len(SECTION_HEADER):],
        "many-final-newlines": good[len(SECTION_HEADER):] + "\n" * 50,
        "trailing-spaces": good[len(SECTION_HEADER):].replace("\n", "   \n"),
        "flow-with-comment": "id: preamble\ntitle: Preamble\nclauses: []  # none yet\n",
        "flow-after-comment": "id: preamble\ntitle: Preamble\nclauses:  # none yet\n  []\n",
    }
    cases = []
    for name, body in raw.items():
        header = "" if name in ("empty", "crlf", "cr-only", "mixed-endings", "nel-line-break", "line-separator") \
            else SECTION_HEADER
        if name == "only-header":
            header = SECTION_HEADER
        if name in ("crlf", "cr-only", "mixed-endings", "nel-line-break", "line-separator"):
            sep = {"crlf": "\r\n", "cr-only": "\r", "mixed-endings": "\r\n", "nel-line-break": "\u0085",
                   "line-separator": "\u2028"}[name]
            header = SECTION_HEADER.rstrip("\n") + sep
        cases.append(Case(f"yaml/{name}", SECTION, (header + body).encode("utf-8")))
    data = good.encode("utf-8")
    for cut in (1, 10, 40, 77, 80, 90, 100, 120, 150, len(data) - 20, len(data) - 2):
        cases.append(Case(f"yaml/truncated-at-{cut}", SECTION, data[:cut]))
    return cases


def scalars() -> list[Case]:
    cases = []
    for name, value in {
        "version-1.10": "1.10", "version-1.0-float": "1.0", "version-int": "1", "version-four-parts": "0.0.5.1",
        "version-lowercase-rc": "1.0-rc1", "version-exponent": "1e3", "version-hex": "0x10", "version-octal": "0o7",
        "version-inf": ".inf", "version-nan": ".nan", "version-negative": "-1", "version-yes": "yes",
        "version-null": "null", "version-tilde": "~", "version-list": "[0.0.5]", "version-mapping": "{v: 0.0.5}",
        "version-empty": "''", "version-prefixed": "v1.0", "version-leading-space": "' 0.0.5'",
        "version-huge": "9" * 5000, "version-sexagesimal": "1:20", "version-newline": '"0.0.5\\n"',
    }.items():
        cases.append(Case(f"scalar/{name}", META, meta(version=value)))
    for name, value in {
        "date-unquoted": "2024-01-26", "date-feb-30": "'2024-02-30'", "date-feb-29-no-leap": "'2023-02-29'",
        "date-feb-29-leap": "'2024-02-29'", "date-month-13": "'2024-13-01'", "date-day-0": "'2024-01-00'",
        "date-year-0": "'0000-01-01'", "date-short": "'2024-1-2'", "date-timestamp": "2024-01-26T00:00:00Z",
        "date-words": "yesterday", "date-number": "20240126",
    }.items():
        cases.append(Case(f"scalar/{name}", META, meta(date=value)))
    for name, value in {
        "title-yes": "yes", "title-null": "null", "title-number": "123", "title-list": "[a]", "title-map": "{a: b}",
        "title-empty": "''",
    }.items():
        cases.append(Case(f"scalar/{name}", META, meta(title=value)))
    for name, value in {
        "sections-empty": "[]", "sections-definition": "[preamble, definition]",
        "sections-twice": "[preamble, preamble]", "sections-uppercase": "[Preamble]",
        "sections-traversal": "['../../etc/passwd']", "sections-slash": "[preamble/x]", "sections-blank": "['']",
        "sections-space": "['a b']", "sections-missing-file": "[preamble, nowhere]",
        "sections-many": "[" + ", ".join(f"s{i}" for i in range(2000)) + "]",
        "sections-scalar": "preamble",
    }.items():
        cases.append(Case(f"semantic/{name}", META, meta(sections=value)))
    for name, value in {
        "id-uppercase": "Preamble", "id-homoglyph": "\u0440reamble", "id-leading-dash": "-preamble",
        "id-double-dash": "pre--amble", "id-very-long": "a" * 10000, "id-proto": "__proto__",
        "id-constructor": "constructor",
    }.items():
        cases.append(Case(f"semantic/{name}", SECTION, section(
            f"id: preamble\ntitle: Preamble\nclauses:\n  - id: {value}\n    text: x\n")))
    cases.append(Case("semantic/section-id-differs", SECTION, section("id: other\ntitle: P\nclauses: []\n")))
    cases.append(Case("semantic/clause-unknown-kind", SECTION, section(
        "id: preamble\ntitle: P\nclauses:\n  - id: x\n    kind: law\n    text: y\n")))
    cases.append(Case("semantic/extra-key", SECTION, section("id: preamble\ntitle: P\nclauses: []\nextra: 1\n")))
    cases.append(Case("semantic/clause-null-text", SECTION, section(
        "id: preamble\ntitle: P\nclauses:\n  - id: x\n    text:\n")))
    for name, kw in {
        "policy-negative": {"rc": "-1"}, "policy-zero": {"rc": "0"}, "policy-huge": {"rc": "1" + "0" * 40},
        "policy-float": {"rc": "1.5"}, "policy-string": {"rc": "'2'"}, "policy-bool": {"rc": "true"},
        "policy-no-markers": {"ph": "[]"}, "policy-empty-marker": {"ph": "['']"},
        "policy-regex-marker": {"ph": "['.*', '(', '[']"}, "policy-max-zero": {"max_": "0"},
        "policy-max-one": {"max_": "1"}, "policy-max-negative": {"max_": "-5"},
        "policy-max-huge": {"max_": "9" * 30}, "policy-days-huge": {"days": "9" * 15},
        "policy-days-zero": {"days": "0"}, "policy-days-negative": {"days": "-3"},
        "policy-huge-digits": {"rc": "9" * 5000},
    }.items():
        cases.append(Case(f"semantic/{name}", POLICY, policy_with(**kw)))
    for name, kw in {
        "endorsement-unknown-group": {"group": "regulators"},
        "endorsement-unknown-version": {"version": "'0.0.3'"},
        "endorsement-javascript-url": {"statement_url": "javascript:alert(1)"},
        "endorsement-markdown-name": {"name": "'[x](javascript:alert(1)) @octocat <b>'"},
        "endorsement-withdrawn-before": {"withdrawn": "{date: '2024-01-01', reason: r}"},
        "endorsement-version-float": {"version": "1.0"},
    }.items():
        cases.append(Case(f"semantic/{name}", ENDORSEMENTS, endorsement(**kw)))
    return cases


def encodings() -> list[Case]:
    text = original(SECTION)
    body = text.encode("utf-8")
    cases = [
        Case("encoding/utf-16-le-bom", SECTION, b"\xff\xfe" + text.encode("utf-16-le")),
        Case("encoding/utf-16-be-bom", SECTION, b"\xfe\xff" + text.encode("utf-16-be")),
        Case("encoding/utf-16-le-no-bom", SECTION, text.encode("utf-16-le")),
        Case("encoding/utf-32-le-bom", SECTION, b"\xff\xfe\x00\x00" + text.encode("utf-32-le")),
        Case("encoding/utf-32-be-bom", SECTION, b"\x00\x00\xfe\xff" + text.encode("utf-32-be")),
        Case("encoding/utf-8-bom", SECTION, b"\xef\xbb\xbf" + body),
        Case("encoding/double-bom", SECTION, b"\xef\xbb\xbf\xef\xbb\xbf" + body),
        Case("encoding/bom-mid-file", SECTION, body.replace(b"title:", b"\xef\xbb\xbftitle:")),
        Case("encoding/latin-1", SECTION, body.replace(b"TK: why", "TK: caf\u00e9".encode("latin-1"))),
        Case("encoding/cp1252-quotes", SECTION, body.replace(b"TK: why", b"TK: \x93why\x94")),
        Case("encoding/shift-jis", SECTION, body.replace(b"TK: why", "TK: \u65e5\u672c".encode("shift_jis"))),
        Case("encoding/nul-byte", SECTION, body.replace(b"TK: why", b"TK: \x00why")),
        Case("encoding/nul-file", SECTION, b"\x00" * 64),
        Case("encoding/random-binary", SECTION, bytes(range(256)) * 4),
    ]
    bad = {
        "lone-continuation": b"\x80", "overlong-slash-2": b"\xc0\xaf", "overlong-slash-3": b"\xe0\x80\xaf",
        "overlong-slash-4": b"\xf0\x80\x80\xaf", "overlong-nul": b"\xc0\x80", "surrogate-high": b"\xed\xa0\x80",
        "surrogate-low": b"\xed\xbf\xbf", "beyond-10ffff": b"\xf4\x90\x80\x80", "five-byte": b"\xf8\x88\x80\x80\x80",
        "six-byte": b"\xfc\x84\x80\x80\x80\x80", "invalid-ff": b"\xff", "invalid-fe": b"\xfe",
    }
    for name, seq in bad.items():
        cases.append(Case(f"encoding/{name}", SECTION, body.replace(b"TK: why", b"TK: " + seq + b"why")))
    cases.append(Case("encoding/truncated-multibyte-at-end", SECTION, body.rstrip(b"\n") + b" \xc3"))
    return cases


TERMINAL = {
    "esc-hide": "Use freely\x1b[8m but never for weapons\x1b[0m.",
    "esc-erase-line": "Harmless text\r\x1b[2KThe real text, hidden.",
    "esc-title": "x\x1b]0;pwned\x07y",
    "osc8-link": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "c1-csi": "x\x9b31mred\x9b0m",
    "bel": "ring\x07ring",
    "backspace-overwrite": "required\x08\x08\x08\x08\x08\x08\x08\x08optional",
    "bidi-override": "the model is \u202eeerf ton\u202c for any use",
    "bidi-isolates": "a \u2066b\u2069 c \u2067d\u2069 \u2068e\u2069",
    "zero-width": "Open\u200bSource\u200dAI\u200c",
    "bom-inside": "Open\ufeffSource",
    "nel-inside": "one\u0085two",
    "line-separator-inside": "one\u2028two\u2029three",
    "cr-inside": "one\rtwo",
    "vertical-tab": "one\x0btwo\x0cthree",
    "private-use": "\ue000\uf8ff",
    "astral": "\U0001f600 \U0010fffd",
    "combining-flood": "e" + "\u0301" * 500,
}

MARKUP = {
    "mention-user": "As @octocat said, ask @torvalds.",
    "mention-team": "cc @github/security and @osaid/maintainers",
    "issue-ref": "Fixes #1, GH-2 and osaid/osaid#3.",
    "script": "<script>alert(1)</script>",
    "img-onerror": '<img src=x onerror="alert(1)">',
    "close-details": "</details></details><details open><summary>fake</summary>",
    "html-comment": "<!-- hide the rest",
    "html-comment-close": "--> shown",
    "code-fence": "```\nnot code\n```",
    "tilde-fence": "~~~ and more",
    "rule": "text\n\n---\n\n# Heading",
    "list-injection": "a\n- [x] approved by everyone\n- merged",
    "table": "| a | b |\n|---|---|\n| c | d |",
    "js-link": "[click](javascript:alert(1))",
    "remote-image": "![x](https://evil.example/track.png)",
    "del-ins": "<del>old</del><ins>new</ins>",
    "entities": "&lt;script&gt; &#x3C;b&#x3E; &amp;",
    "backslashes": "\\\\ \\` \\* \\_",
    "emphasis": "*bold* _em_ **strong** ~~gone~~",
    "autolink": "<https://evil.example> www.evil.example",
    "style": "<style>body{display:none}</style>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "template": "{{ 7*7 }} {% raw %} ${{ github.token }}",
    "annotation": "%0A::error file=x::forged\n::warning::forged too",
    "front-matter": "---\nlayout: evil\n---",
    "heading": "# Title\n## Sub",
    "nested-quote": "> > > quoted",
    "footnote": "text[^1]\n\n[^1]: evil",
    "math": "$$\\unicode{x1F4A9}$$",
    "long-word": "x" * 20000,
    "markdown-limit": ("word " * 14000).strip(),
    "many-lines": "\n".join(f"- line {i}" for i in range(3000)),
}


def prose() -> list[Case]:
    cases = []
    for cp in [c for c in range(0x20) if c not in (0x09, 0x0A)] + [0x7F] + list(range(0x80, 0xA0)):
        cases.append(Case(f"control/escaped-u{cp:04x}", SECTION, clause(quoted(f"Use it{chr(cp)} freely."))))
    for name, raw in {"esc": b"\x1b", "bel": b"\x07", "nul": b"\x00", "c1-csi": "\x9b".encode(), "del": b"\x7f",
                      "cr": b"\r", "backspace": b"\x08"}.items():
        cases.append(Case(f"control/raw-{name}", SECTION,
                          clause("'Use it" + "X'").replace(b"X", raw + b"x")))
    for name, s in TERMINAL.items():
        cases.append(Case(f"terminal/{name}", SECTION, clause(quoted(s))))
    for name, s in MARKUP.items():
        cases.append(Case(f"markup/{name}", SECTION, clause(quoted(s))))
    # the same text as a literal block (multi-line text as the formatter writes it)
    for name in ("rule", "list-injection", "code-fence", "table", "front-matter", "close-details"):
        block = "|\n" + "".join(f"      {line}\n" if line else "\n" for line in MARKUP[name].split("\n"))
        cases.append(Case(f"markup/block-{name}", SECTION, clause(block.rstrip("\n"))))
    cases.append(Case("markup/section-title", SECTION, section(
        f"id: preamble\ntitle: {quoted('<script>x</script> @octocat')}\nclauses:\n  - id: x\n    text: y\n")))
    cases.append(Case("markup/member-name", "checklist/systems/llama-2.yaml",
                      original("checklist/systems/llama-2.yaml").replace(
                          "name: ", "name: '<b>@octocat</b> ' #", 1).encode("utf-8")))
    return cases


def huge_and_deep() -> list[Case]:
    return [
        Case("huge/over-the-size-limit", SECTION, clause("word " * 53_000)),  # just over 256 KiB
        Case("huge/one-megabyte-comment", SECTION, section("# " + "x" * 1_000_000 + "\nid: p\n")),
        Case("huge/long-line-value", SECTION, clause("x" * 100_000)),
        Case("huge/many-clauses-under-limit", SECTION, section("id: preamble\ntitle: P\nclauses:\n" + "".join(
            f"  - id: c{i}\n    text: t\n" for i in range(2000)))),
        Case("deep/block-mappings-250", POLICY, policy("".join("  " * i + f"k{i}:\n" for i in range(250)) +
                                                       "  " * 250 + "x: 1\n")),
        Case("deep/block-mappings-60", POLICY, policy("".join("  " * i + f"k{i}:\n" for i in range(60)) +
                                                      "  " * 60 + "x: 1\n")),
        Case("deep/flow-lists-1000", POLICY, policy("endorsements: " + "[" * 1000 + "]" * 1000 + "\n")),
        Case("deep/flow-mappings-500", POLICY, policy("endorsements: " + "{a: " * 500 + "1" + "}" * 500 + "\n")),
        Case("deep/block-lists-300", SECTION, section("id: preamble\ntitle: P\nclauses:\n" + "".join(
            "  " * i + "-\n" for i in range(1, 300)) + "  " * 300 + "- x\n")),
        Case("huge/many-keys", POLICY, policy("".join(f"k{i}: {i}\n" for i in range(3000)))),
        Case("huge/long-key", POLICY, policy("k" * 100_000 + ": 1\n")),
    ]


def files() -> list[Case]:
    good = original(SECTION).encode("utf-8")
    return [
        Case("file/fifo-section", SECTION, special="fifo"),
        Case("file/fifo-new", "definition/fifo.yaml", special="fifo"),
        Case("file/fifo-governance", "governance/reviews.yaml", special="fifo"),
        Case("file/socket", "governance/sock.yaml", special="socket"),
        Case("file/directory-named-like-a-file", "definition/dir.yaml", special="dir"),
        Case("file/directory-replacing-a-section", SECTION, special="dir"),
        Case("file/symlink-out-of-repo", SECTION, b"/etc/passwd", special="symlink"),
        Case("file/symlink-to-valid-yaml-outside", SECTION, good, special="symlink-out"),
        Case("file/symlink-dangling", SECTION, b"nowhere/at/all.yaml", special="symlink"),
        Case("file/symlink-loop", "definition/loop.yaml", b"loop.yaml", special="symlink"),
        Case("file/symlink-to-dev-zero", "definition/zero.yaml", b"/dev/zero", special="symlink"),
        Case("file/symlink-to-directory", "definition/d.yaml", b"..", special="symlink"),
        Case("file/symlink-inside-repo", "definition/alias.yaml", b"preamble.yaml", special="symlink"),
        Case("file/unknown-governance-file", "governance/unknown.yaml", b"a: 1\n"),
        Case("file/yml-extension", "definition/extra.yml", good),
        Case("file/uppercase-name", "definition/UPPER.yaml", good),
        Case("file/hidden-name", "definition/.hidden.yaml", good),
        Case("file/space-in-name", "definition/a b.yaml", good),
        Case("file/unicode-name", "definition/\u00fc\u00df.yaml", good),
        Case("file/newline-in-name", "definition/new\nline.yaml", good),
        Case("file/tab-in-name", "definition/tab\t.yaml", good),
        Case("file/dash-name", "definition/--help.yaml", good),
        Case("file/dash-rf-name", "definition/-rf.yaml", good),
        Case("file/long-name", "definition/" + "n" * 240 + ".yaml", good),
        Case("file/system-id-mismatch", "checklist/systems/other.yaml",
             original("checklist/systems/llama-2.yaml").encode("utf-8")),
        Case("file/notes-unknown-id", "notes/definition-0.0.5.yaml", (
            "# yaml-language-server: $schema=../tools/osaid/schemas/notes.schema.json\ndocument: definition\n"
            "version: '0.0.5'\nnotes:\n  - text: hi\n    ids: [nowhere]\n").encode("utf-8")),
        Case("file/notes-odd-name", "notes/whatever.yaml", b"document: definition\n"),
    ]


def all_cases() -> list[Case]:
    return yaml_syntax() + scalars() + encodings() + prose() + huge_and_deep() + files()


if __name__ == "__main__":
    for c in all_cases():
        print(f"{c.name:<48} {c.rel[:40]!r:<42} {c.special or len(c.content):>9}")
    print(len(all_cases()), "cases")

"""Translations as gettext catalogs (issue 15), replayed through real git.

A fixture language (tests/fixtures/translations/ja/definition.po: a few clauses
of the history fixture's 0.0.5, put into Japanese for this test only, not a
real translation) follows the English across three releases of
tests/history_fixture.py on a branch: 0.0.5 (the start), 0.0.6 (the freedom
to use reworded, a clause added), 0.0.7 (a clause renamed, that clause
removed, a section added).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
from conftest import commit_all, git
from test_hooks import hooked  # noqa: F401 (the fixture: a repository with the real hooks installed)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "translations" / "ja" / "definition.po"
DEF = "translations/ja/definition.po"
CATALOGS = (DEF, "translations/ja/checklist.po")


def entries(root: Path, rel: str = DEF, obsolete: bool = False) -> dict[str, polib.POEntry]:
    po = polib.pofile(str(root / rel))
    return {e.msgctxt: e for e in po if e.obsolete == obsolete}


def translated(root: Path) -> set[str]:
    """Every msgstr of the catalogs, active or obsolete: what update must never lose."""
    return {e.msgstr for rel in CATALOGS for e in polib.pofile(str(root / rel)) if e.msgstr}


def english_of(root: Path, tag: str) -> None:
    """The English of a release, in the work tree of the translation branch."""
    git(root, "checkout", tag, "--", "definition", "checklist")


def canonical_and_msgfmt(root: Path) -> None:
    for rel in CATALOGS:
        raw = (root / rel).read_bytes()
        assert str(polib.pofile(raw.decode("utf-8"), wrapwidth=78)).encode("utf-8") == raw, rel
        out = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(root / rel)], capture_output=True, text=True)
        assert (out.returncode, out.stderr) == (0, ""), rel


def test_a_language_follows_three_releases(writable_history, osaid):
    root = writable_history
    git(root, "switch", "-q", "-c", "ja", "v0.0.5")
    (root / "translations/ja").mkdir(parents=True)
    shutil.copy(FIXTURE, root / DEF)

    # 0.0.5: the fixture's few clauses; update adds every other text, empty, and the checklist's catalog
    r = osaid("translations", "update", "ja", cwd=root)
    assert r.code == 1, r.err
    assert "updated translations/ja/definition.po: 11 new, 0 fuzzy, 0 renamed, 0 retired" in r.out
    assert "updated translations/ja/checklist.po:" in r.out
    assert osaid("translations", "update", "ja", cwd=root).code == 0  # in step: nothing written
    assert osaid("validate", cwd=root).code == 0
    canonical_and_msgfmt(root)
    before = translated(root)
    assert len(before) == 5
    commit_all(root, "ja: start from the fixture")

    # 0.0.6: the English changes; the hook and validate say which catalog needs an update
    english_of(root, "v0.0.6")
    git(root, "add", "-A")
    r = osaid("hook", "pre-commit", cwd=root)
    assert r.code == 1
    line = entries(root)["what-is-open-source-ai/use.text"].linenum
    assert (f"{DEF}:{line}:0: GOV-24 what-is-open-source-ai/use.text: the English text changed since this entry "
            "was translated; run osaid translations update ja (it marks it fuzzy)") in r.out
    assert "GOV-24" in osaid("validate", cwd=root).out
    r = osaid("translations", "update", cwd=root)
    assert "updated translations/ja/definition.po: 1 new, 1 fuzzy, 0 renamed, 0 retired" in r.out
    use = entries(root)["what-is-open-source-ai/use.text"]
    assert use.fuzzy and use.msgstr == "許可を求めることなく、あらゆる目的のためにシステムを使用すること。"
    assert use.previous_msgid == "Use the system for any purpose and without having to ask for permission."
    assert use.msgid == "Use the system for any purpose without having to ask for permission."
    assert use.comment == "stale since 0.0.6"
    added = entries(root)["out-of-scope/out-of-scope-data-rights.text"]
    assert (added.msgstr, added.comment) == ("", "new in 0.0.6")
    r = osaid("translations", "status", "ja", "--working-only", cwd=root)
    lines = r.out.splitlines()
    assert lines[0] == "ja definition (work tree, English 0.0.6, catalog for 0.0.6): 4/17 translated, 1 fuzzy, 12 missing"
    # normative changes left untranslated come first, with path:line
    assert (f"  {DEF}:{use.linenum}: fuzzy (stale since 0.0.6), normative change: "
            "what-is-open-source-ai/use.text") in lines
    ends = next(i for i, line in enumerate(lines) if line.startswith("ja checklist"))
    severities = [line.split("), ")[1].split()[0] for line in lines[1:ends]]
    assert severities == sorted(severities, key=["normative", "substantive", "editorial"].index)
    assert severities[0] == "normative" and "substantive" in severities
    assert f"  {DEF}:{added.linenum}: missing (new in 0.0.6), substantive change: " \
           "out-of-scope/out-of-scope-data-rights.text" in lines
    git(root, "add", "-A")
    assert osaid("hook", "pre-commit", cwd=root).code == 0
    # the translator translates the new clause and confirms the reworded one
    po = polib.pofile(str(root / DEF), wrapwidth=78)
    for e in po:
        if e.msgctxt == "out-of-scope/out-of-scope-data-rights.text":
            e.msgstr = "学習データに関する権利は、そのデータに適用される法律に従う。"
    po.save()
    osaid("translations", "update", "ja", cwd=root)  # canonical again after the editor's save
    assert osaid("validate", cwd=root).code == 0
    canonical_and_msgfmt(root)
    assert translated(root) >= before
    before = translated(root)
    commit_all(root, "ja: 0.0.6")

    # 0.0.7: a renamed ID keeps its translation, a removed clause's is kept as obsolete, a new section is missing
    english_of(root, "v0.0.7")
    r = osaid("translations", "update", "ja", cwd=root)
    assert "updated translations/ja/definition.po: 3 new, 0 fuzzy, 2 renamed, 1 retired" in r.out, r.out + r.err  # a rename, and a move
    now = entries(root)
    renamed = now["preferred-form/preferred-form-text.text"]
    assert (renamed.msgstr, renamed.fuzzy) == ("(未定)構成要素ごとの望ましい形式。", False)
    assert "preferred-form/preferred-form-question.text" not in now
    gone = entries(root, obsolete=True)["out-of-scope/out-of-scope-data-rights.text"]
    assert gone.msgstr == "学習データに関する権利は、そのデータに適用される法律に従う。"
    assert "#~ msgctxt \"out-of-scope/out-of-scope-data-rights.text\"" in (root / DEF).read_text(encoding="utf-8")
    lines = osaid("translations", "status", "ja", "--working-only", cwd=root).out.splitlines()
    legal = now["license-checklist/checklist-legal.text"]
    assert f"  {DEF}:{legal.linenum}: missing (new in 0.0.7), normative change: " \
           "license-checklist/checklist-legal.text" in lines[:8]
    assert osaid("validate", cwd=root).code == 0
    canonical_and_msgfmt(root)
    assert translated(root) >= before

    # 0.0.8 brings the removed clause back, word for word, under a new ID: its translation comes back
    english_of(root, "v0.0.8")
    r = osaid("translations", "update", "ja", cwd=root)
    assert "updated translations/ja/definition.po: 0 new, 0 fuzzy, 1 renamed, 0 retired" in r.out, r.out + r.err
    back = entries(root)["out-of-scope/training-data-rights.text"]
    assert (back.msgstr, back.fuzzy) == ("学習データに関する権利は、そのデータに適用される法律に従う。", False)
    assert entries(root, obsolete=True) == {}
    canonical_and_msgfmt(root)
    english_of(root, "v0.0.7")
    osaid("translations", "update", "ja", cwd=root)
    assert translated(root) >= before

    # the PR comment names the languages a change makes stale; osaid status shows each language's lag
    md = osaid("diff", "v0.0.6", "--format", "markdown", "--document", "definition", cwd=root).out
    assert "**Translations made stale by this change**" in md and "ja (3: license-checklist.title, license-checklist/checklist-legal.text" in md
    st = osaid("status", cwd=root).out
    assert "  ja     definition  4/19 translated, 1 fuzzy, 14 missing (catalog for 0.0.7, English 0.0.7)" in st
    # each release with a catalog: the one committed at 0.0.6 is judged against that release's English
    commit_all(root, "ja: 0.0.7")
    git(root, "tag", "-a", "-m", "ja at 0.0.6", "ja-v0.0.6", "HEAD~1")  # not a release tag: not listed
    r = osaid("translations", "status", "ja", "--format", "json", cwd=root)
    assert [c["state"] for c in __import__("json").loads(r.out)["catalogs"]] == ["working", "working"]


def test_broken_catalogs_are_messages(writable_history, osaid):
    root = writable_history
    (root / "translations/ja").mkdir(parents=True)
    shutil.copy(FIXTURE, root / DEF)
    git(root, "checkout", "-q", "v0.0.5")
    osaid("translations", "update", "ja", cwd=root)
    good = (root / DEF).read_text(encoding="utf-8")
    cases = {
        "unknown": (good + '\n#. new in 0.0.5\nmsgctxt "nowhere/nothing.text"\nmsgid "x"\nmsgstr ""\n',
                    "GOV-24 unknown ID path 'nowhere/nothing.text': the English definition has no such text"),
        "placeholder": (good.replace('msgstr "オープンソースAIの定義"', 'msgstr "TODO オープンソースAI"'),
                        "GOV-24 definition.title: placeholder TODO in the translation"),
        "format": (good.replace('msgstr "オープンソースAIの定義"', 'msgstr "%s の定義"'),
                   "GOV-24 definition.title: the translation's format placeholders ['%s'] differ"),
        "syntax": (good.replace('msgctxt "definition.title"', 'msgctxt definition.title'),
                   "GOV-24 not a valid gettext catalog line"),
        "unterminated": (good.replace('msgstr "オープンソースAIの定義"', 'msgstr "オープンソースAIの定義'),
                         "GOV-24 not a valid gettext catalog line"),
        "duplicate": (good + '\nmsgctxt "definition.title"\nmsgid "Open Source AI Definition"\nmsgstr ""\n',
                      "GOV-24 not a valid gettext catalog: Entry "),
        "order": (good.replace("\n\n", "\n\n\n", 3), "GOV-24 not in canonical form"),
        "language": (good.replace('"Language: ja\\n"', '"Language: ko\\n"'), "GOV-24 its header says Language: 'ko'"),
        "hidden": (good.replace('msgstr "オープンソースAIの定義"', 'msgstr "オープン\u202eソース"'),
                   "GOV-24 definition.title: the translation holds"),
    }
    for name, (text, expected) in cases.items():
        (root / DEF).write_text(text, encoding="utf-8")
        r = osaid("validate", cwd=root)
        assert r.code == 1 and expected in r.out, (name, r.out, r.err)
        assert "Traceback" not in r.err
        if name in ("syntax", "unterminated", "duplicate"):
            u = osaid("translations", "update", "ja", cwd=root)
            assert u.code == 1 and "nothing written" in u.err, (u.out, u.err)
            assert (root / DEF).read_text(encoding="utf-8") == text  # untouched
    (root / DEF).write_text(cases["unknown"][0], encoding="utf-8")  # a catalog named on the command line
    r = osaid("validate", DEF, cwd=root)
    assert r.code == 1 and cases["unknown"][1] in r.out
    assert all(line.startswith(f"{DEF}:") for line in r.out.splitlines()), r.out  # that catalog only
    assert osaid("validate", "definition/preamble.yaml", cwd=root).code == 0  # problems elsewhere: not reported
    (root / DEF).write_text(good, encoding="utf-8")
    assert osaid("validate", cwd=root).code == 0
    r = osaid("translations", "update", "not a language", cwd=root)
    assert r.code == 2 and "'not a language' is not a language code" in r.err


def test_status_of_each_release_and_the_hook_on_a_commit_without_english(git_repo, osaid):
    root = git_repo
    assert osaid("translations", "update", "ja", cwd=root).code == 1
    po = polib.pofile(str(root / DEF), wrapwidth=78)
    po[0].msgstr = "オープンソースAIの定義"  # test fixture text, not a real translation
    po.save()
    osaid("translations", "update", "ja", cwd=root)
    commit_all(root, "ja: the title")
    git(root, "tag", "-a", "-m", "0.0.5", "v0.0.5")
    lags = __import__("json").loads(osaid("translations", "status", "--format", "json", cwd=root).out)["catalogs"]
    assert [(c["state"], c["document"], c["counts"]["translated"]) for c in lags] == [
        ("working", "definition", 1), ("working", "checklist", 0), ("v0.0.5", "definition", 1)]
    md = osaid("translations", "status", "ja", "--format", "markdown", "--working-only", cwd=root).out
    assert "| ja | definition | working | 1 | 0 | 15 |" in md
    # a commit that touches neither the English nor a catalog skips the catalogs; a broken catalog staged is caught
    (root / DEF).write_text((root / DEF).read_text(encoding="utf-8") + "bogus\n", encoding="utf-8")
    git(root, "add", "-A")
    r = osaid("hook", "pre-commit", cwd=root)
    assert r.code == 1 and f"{DEF}:" in r.out and "GOV-24 not a valid gettext catalog line" in r.out


def test_real_hooks_keep_catalogs_in_step_and_never_block_a_release(hooked):
    from conftest import REVIEWED
    from test_hooks import BIN, bump, commit, run

    root = hooked
    assert run(root, str(BIN / "osaid"), "translations", "update", "ja").returncode == 1
    po = polib.pofile(str(root / DEF), wrapwidth=78)
    po[0].msgstr = "オープンソースAIの定義"  # test fixture text, not a real translation
    po.save()
    run(root, str(BIN / "osaid"), "translations", "update", "ja")
    git(root, "add", "-A")
    r = commit(root, "-m", "ja: the title")
    assert r.returncode == 0, r.stdout
    bump(root)
    edit_title = (root / "definition/definition.yaml").read_text(encoding="utf-8")
    (root / "definition/definition.yaml").write_text(
        edit_title.replace("title: Open Source AI Definition", "title: The Open Source AI Definition"), encoding="utf-8")
    git(root, "add", "-A")
    before = head_of(root)
    r = commit(root, "-m", "Retitle", *REVIEWED)
    assert r.returncode != 0 and head_of(root) == before
    assert ("GOV-24 definition.title: the English text changed since this entry was translated; run osaid "
            "translations update ja (it marks it fuzzy)") in r.stdout
    assert run(root, str(BIN / "osaid"), "translations", "update").returncode == 1
    git(root, "add", "-A")
    r = commit(root, "-m", "Retitle", *REVIEWED)
    assert r.returncode == 0, r.stdout
    assert entries(root)["definition.title"].fuzzy
    # a stale translation never blocks an English release
    r = run(root, str(BIN / "osaid"), "release", "--date", "2024-03-02")
    assert r.returncode == 0, r.stdout
    assert git(root, "tag", "--list", "v0.0.6").strip() == "v0.0.6"


def head_of(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()

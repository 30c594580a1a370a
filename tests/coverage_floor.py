"""The coverage floor holds for the whole suite only (a pytest plugin; tests/conftest.py loads it).

Every run is measured (`--cov` in pyproject.toml's addopts; subprocesses too, by coverage's
`patch = ["subprocess"]`), and `[tool.coverage.report] fail_under` is the floor. Part of the suite
(a file, a test, -k, -m "not slow", --lf, --deselect, --ignore) covers less by design: for such a run
the floor is lifted and said so, and the measurement is still in .coverage (`coverage report`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parent
DESELECTED = pytest.StashKey[int]()
LIFTED = pytest.StashKey[float]()


def pytest_deselected(items) -> None:
    """-m, -k, --deselect, --lf and --sw all report what they leave out here."""
    for item in items[:1]:
        stash = item.config.stash
        stash[DESELECTED] = stash.get(DESELECTED, 0) + len(items)


def whole_suite(config: pytest.Config) -> bool:
    """No test left out, and the paths given (or testpaths) are the suite's folder or the repository."""
    if config.stash.get(DESELECTED, 0) or any(config.getoption(o, default=None) for o in ("lf", "ignore", "ignore_glob")):
        return False
    given = [arg for arg in config.args if "::" not in arg]
    folders = {(config.invocation_params.dir / arg).resolve() for arg in given}
    return bool(given) and len(given) == len(config.args) and folders <= {SUITE, SUITE.parent}


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    cov = session.config.pluginmanager.get_plugin("_cov")  # pytest-cov's plugin, registered under this name
    options = getattr(cov, "options", None)
    floor = getattr(options, "cov_fail_under", None)
    if floor and not whole_suite(session.config):
        options.cov_fail_under = None
        session.config.stash[LIFTED] = floor


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if LIFTED in config.stash:
        terminalreporter.write_line(f"coverage: part of the suite ran, so its floor ({config.stash[LIFTED]:g}%) "
                                    "is not applied; `coverage report` shows what it measured")

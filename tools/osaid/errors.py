"""Problems found in user data, and the few exceptions the core raises.

The core never prints or exits: it returns Problem records, or raises an
OsaidError whose message is meant for the user as it is.
"""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with one place in one file (sorts by path, line, col).

    line and col are 1-based; 0 means "the whole file" (no position).
    """

    path: str
    line: int
    col: int
    rule: str
    message: str

    def text(self) -> str:
        """path:line:col: RULE message, or path: RULE message when there is no position."""
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        return f"{where}: {self.rule} {self.message}"

    def as_dict(self) -> dict:
        return self._asdict()


class OsaidError(Exception):
    """A user error: the message says what is wrong and how to fix it (exit 1)."""

    exit_code = 1


class UsageError(OsaidError):
    """The command was called wrongly, or from the wrong place (exit 2)."""

    exit_code = 2


class Interrupted(BaseException):
    """SIGINT, SIGTERM or SIGHUP where a command handles them (osaid release): exit 128 + the
    signal's number (130, 143, 129). Like KeyboardInterrupt, no `except Exception` stops it."""

    def __init__(self, signum: int, message: str = ""):
        import signal

        self.signum, self.exit_code = signum, 128 + signum
        super().__init__(message or f"interrupted ({signal.Signals(signum).name})")

"""Problems found in user data, and the few exceptions the core raises.

The core never prints or exits: it returns Problem records, or raises an
OsaidError whose message is meant for the user as it is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file.

    line and col are 1-based; 0 means "the whole file" (no position).
    """

    path: str
    line: int
    col: int
    rule: str
    message: str

    def text(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else f"{self.path}:0:0"
        return f"{where}: {self.rule} {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)


class OsaidError(Exception):
    """A user error: the message says what is wrong and how to fix it (exit 1)."""

    exit_code = 1


class UsageError(OsaidError):
    """The command was called wrongly, or from the wrong place (exit 2)."""

    exit_code = 2

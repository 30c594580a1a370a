"""Today's date, from SOURCE_DATE_EPOCH when it is set (reproducible builds, tests)."""

from __future__ import annotations

import os
from datetime import datetime, timezone


def today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).date().isoformat()
    return datetime.now(timezone.utc).date().isoformat()


def checked(text: str, last: tuple[str, str] | None) -> str:
    """A --date as given: a real day written YYYY-MM-DD, not before the last release
    (last: its date and tag). Otherwise a UsageError (exit 2) that says which."""
    import re

    from osaid.errors import UsageError

    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date written YYYY-MM-DD: give a day of the calendar") from None
    if last and text < last[0]:
        raise UsageError(f"--date {text} is before the last release ({last[1]}, dated {last[0]}): a version cannot "
                         f"be dated before the one it follows; give {last[0]} or later")
    return text

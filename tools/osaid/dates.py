"""Today's date, from SOURCE_DATE_EPOCH when it is set (reproducible builds, tests)."""

from __future__ import annotations

import os
from datetime import datetime, timezone


def today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).date().isoformat()
    return datetime.now(timezone.utc).date().isoformat()

"""The release schedule (governance/schedule.yaml): each milestone done, due or late.

A release milestone is done when its release tag exists (the tag's date is
the day), late when its last target month is over and it is not done, due
otherwise. Meetings have no tag to check: they are shown with their target.
No I/O: the caller gives the tags' dates and today.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from typing import Mapping

from osaid.releases.version import tag_name


@dataclass(frozen=True)
class Milestone:
    id: str
    name: str
    target: str | None        # "2024-02", "2024-05..2024-06", or None (no date set)
    as_said: str
    state: str                # done | due | late | unknown (outside git) | meeting | no date
    tag: str | None = None
    done_on: str | None = None
    criteria: list[str] = field(default_factory=list)


def _month_end(month: str) -> str:
    year, mon = map(int, month.split("-"))
    return f"{month}-{calendar.monthrange(year, mon)[1]:02d}"


def milestones(schedule: dict, tag_dates: Mapping[str, str | None] | None, today: str) -> list[Milestone]:
    """Each milestone's state on the day today (YYYY-MM-DD); tag_dates: {tag name: date},
    None when the release state is unknown (outside git)."""

    out = []
    for m in schedule["milestones"]:
        start, end = m.get("from"), m.get("to", m.get("from"))
        target = None if start is None else start if start == end else f"{start}..{end}"
        tag = tag_name(m["release"]["document"], m["release"]["version"]) if "release" in m else None
        done_on = None
        if tag is None:
            state = "meeting" if target else "no date"
        elif tag_dates is None:
            state = "unknown"
        elif tag in tag_dates:
            state, done_on = "done", tag_dates[tag]
        elif end is not None and today > _month_end(end):
            state = "late"
        else:
            state = "due" if end is not None else "no date"
        out.append(Milestone(m["id"], m["name"], target, m["as_said"], state, tag, done_on, list(m.get("criteria", []))))
    return out

"""Statuspage's vocabulary: status and impact words mapped onto the shared model."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from postmortem.model import Impact, Status, Update

_STATUSES: dict[str, Status] = {
    "investigating": "investigating",
    "identified": "identified",
    "update": "update",
    "monitoring": "monitoring",
    "resolved": "resolved",
    "postmortem": "postmortem",
    "post-mortem": "postmortem",
    "scheduled": "scheduled",
    "in_progress": "in_progress",
    "in progress": "in_progress",
    "verifying": "verifying",
    "completed": "completed",
}

#: Statuses that only maintenances use.
MAINTENANCE_STATUSES = frozenset({"scheduled", "in_progress", "verifying", "completed"})

#: Statuses that close an incident or a maintenance.
CLOSING_STATUSES = frozenset({"resolved", "completed"})

_IMPACTS: dict[str, Impact] = {
    "none": "none",
    "maintenance": "none",
    "minor": "minor",
    "major": "major",
    "critical": "critical",
}


def normalise_status(word: str) -> Status:
    """The model status for a Statuspage word; unknown words count as a plain update."""
    found = _STATUSES.get(word)  # the usual case: already a plain lower-case word
    if found is not None:
        return found
    key = " ".join(word.lower().split())
    # "Postmortem - Read details" and similar decorations keep their first word's meaning.
    return _STATUSES.get(key) or _STATUSES.get(key.split(" ")[0], "update")


def normalise_impact(word: object) -> Impact | None:
    """The model impact for a Statuspage impact word, None when absent or unknown."""
    return _IMPACTS.get(word.lower()) if isinstance(word, str) else None


def resolution_time(updates: Sequence[Update]) -> datetime | None:
    """When the newest Resolved/Completed update closed the incident, else None.

    Post-mortem notes after the resolution leave it closed at the resolution time; any
    other later update (the incident was reopened) leaves it open.
    """
    for update in reversed(updates):
        if update.status in CLOSING_STATUSES:
            return update.at
        if update.status != "postmortem":
            return None
    return None

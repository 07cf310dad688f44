"""Action items of your incidents, as a review lists them: open, overdue, done, by owner."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from postmortem.review.model import ActionRow, OwnerLoad
from postmortem.review.periods import Period
from postmortem.spec.incident import Incident


def action_rows(incidents: Iterable[tuple[Incident, Period]]) -> tuple[ActionRow, ...]:
    """Every action item of your incidents, with `overdue` judged at the period's last day."""
    rows = []
    for incident, period in incidents:
        for item in incident.action_items:
            overdue = item.overdue_on(period.last)
            rows.append(
                ActionRow(
                    incident.id,
                    item.title,
                    item.owner,
                    item.due,
                    item.priority,
                    item.status,
                    overdue,
                    item.closed,
                )
            )
    return tuple(sorted(rows, key=lambda r: (r.due or date.max, r.incident_id, r.title)))


def owner_load(rows: Iterable[ActionRow]) -> tuple[OwnerLoad, ...]:
    """Open and overdue items per owner, the most overdue first."""
    open_by: Counter[str] = Counter()
    late_by: Counter[str] = Counter()
    for row in rows:
        if row.status == "open":
            open_by[row.owner or "(no owner)"] += 1
            late_by[row.owner or "(no owner)"] += row.overdue
    return tuple(
        OwnerLoad(owner, open_by[owner], late_by[owner])
        for owner in sorted(open_by, key=lambda o: (-late_by[o], -open_by[o], o))
    )

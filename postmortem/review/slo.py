"""Availability targets (`slo:` in postmortem.yaml) against the downtime a review counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from postmortem.review.model import ComponentImpact, SloStatus
from postmortem.review.periods import Period

#: (source, component) -> target percent; source is "own" or the vendor's name
Targets = Mapping[tuple[str, str], float]


def slo_status(
    targets: Targets,
    impacts: Sequence[ComponentImpact],
    period: Period,
    no_data: Sequence[str] = (),
) -> tuple[SloStatus, ...]:
    """Each target over `period`: availability, and the share of its error budget spent.

    A component without impact in the period was fully available; a vendor the archive
    holds nothing of yet (`no_data`) has no figures rather than a perfect score.
    """
    length = period.end - period.start
    down = {(c.source, c.component): c.downtime for c in impacts}
    found = []
    for (source, component), target in targets.items():
        budget = length * (1 - target / 100)
        downtime = down.get((source, component), timedelta(0))
        blind = source in no_data
        found.append(
            SloStatus(
                source=source,
                component=component,
                target=target,
                availability=None if blind else 1 - downtime / length,
                downtime=downtime,
                budget=budget,
                used=None if blind else downtime / budget,
            )
        )
    return tuple(found)

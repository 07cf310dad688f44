"""Time windows: per-component impact windows from state changes, and overlaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from postmortem.model import VendorIncident, Window

#: Component states from least to most severe (Statuspage and incident.io words).
SEVERITY = {
    "operational": 0,
    "under_maintenance": 1,
    "degraded_performance": 2,
    "partial_outage": 3,
    "major_outage": 4,
    "full_outage": 4,
}


def worse(a: str | None, b: str) -> str:
    """The more severe of two component states."""
    return b if a is None or SEVERITY.get(b, 0) > SEVERITY.get(a, 0) else a


def component_windows(incident: VendorIncident) -> tuple[Window, ...]:
    """One window per spell of a component away from `operational`.

    A component still down at the incident's resolution closes then; one still down in an
    unresolved incident stays open (end None). Components the vendor named without any
    state change get the incident's own window, with no state.
    """
    opened: dict[str, tuple[datetime, str]] = {}
    windows: list[Window] = []
    changed: set[str] = set()
    for update in sorted(incident.updates, key=lambda u: u.at):
        for change in update.components:
            changed.add(change.name)
            if change.new == "operational":
                if change.name in opened:
                    start, state = opened.pop(change.name)
                    windows.append(Window(change.name, start, update.at, change.name, state))
            elif change.name in opened:
                start, state = opened[change.name]
                opened[change.name] = (start, worse(state, change.new))
            else:
                opened[change.name] = (update.at, change.new)
    for name, (start, state) in opened.items():
        windows.append(Window(name, start, incident.resolved_at, name, state))
    if incident.started_at is not None:
        for name in incident.components:
            if name not in changed:
                windows.append(Window(name, incident.started_at, incident.resolved_at, name))
    return tuple(sorted(windows, key=lambda w: (w.start, w.component or "")))


def overlap(window: Window, start: datetime, end: datetime) -> timedelta:
    """How much of `window` lies within [start, end); an open window runs on forever."""
    window_end = window.end or datetime.max.replace(tzinfo=UTC)
    shared = min(window_end, end) - max(window.start, start)
    return max(shared, timedelta(0))

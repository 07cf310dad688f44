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


def state_spells(incident: VendorIncident) -> tuple[Window, ...]:
    """One window per spell of a component in one non-operational state.

    A component still affected at the incident's resolution closes then; one still affected
    in an unresolved incident stays open (end None). Components the vendor named without
    any state change get the incident's own window, with no state.
    """
    current: dict[str, tuple[datetime, str]] = {}
    spells: list[Window] = []
    changed: set[str] = set()
    for update in sorted(incident.updates, key=lambda u: u.at):
        for change in update.components:
            changed.add(change.name)
            if change.name in current:
                start, state = current.pop(change.name)
                if state == change.new:
                    current[change.name] = (start, state)
                    continue
                spells.append(Window(change.name, start, update.at, change.name, state))
            if change.new != "operational":
                current[change.name] = (update.at, change.new)
    for name, (start, state) in current.items():
        spells.append(Window(name, start, incident.resolved_at, name, state))
    if incident.started_at is not None:
        for name in incident.components:
            if name not in changed:
                spells.append(Window(name, incident.started_at, incident.resolved_at, name))
    return tuple(sorted(spells, key=lambda w: (w.start, w.component or "")))


def component_windows(incident: VendorIncident) -> tuple[Window, ...]:
    """Back-to-back spells of one component joined into one window with its worst state."""
    joined: list[Window] = []
    for spell in sorted(state_spells(incident), key=lambda w: (w.component or "", w.start)):
        last = joined[-1] if joined else None
        if last and last.component == spell.component and last.end == spell.start:
            state = worse(last.state, spell.state) if spell.state else last.state
            joined[-1] = Window(last.label, last.start, spell.end, last.component, state)
        else:
            joined.append(spell)
    return tuple(sorted(joined, key=lambda w: (w.start, w.component or "")))


def overlap(window: Window, start: datetime, end: datetime) -> timedelta:
    """How much of `window` lies within [start, end); an open window runs on forever."""
    window_end = window.end or datetime.max.replace(tzinfo=UTC)
    shared = min(window_end, end) - max(window.start, start)
    return max(shared, timedelta(0))

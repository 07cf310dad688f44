from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from postmortem.model import ComponentChange, Update, VendorIncident
from postmortem.report.windows import component_windows, overlap, state_spells
from postmortem.review.archive import Archive
from postmortem.review.archive_rows import bounded

T0 = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)


def make_incident(
    id_: str, start: datetime, minutes: int | None, *, updates: tuple[Update, ...] = ()
) -> VendorIncident:
    resolved = None if minutes is None else start + timedelta(minutes=minutes)
    if not updates:
        updates = (Update(start, "investigating", "Investigating", "Looking into errors."),)
        if resolved is not None:
            updates += (Update(resolved, "resolved", "Resolved", "Fixed."),)
    return VendorIncident(
        id=id_,
        title=f"Incident {id_}",
        url=f"https://status.example.test/incidents/{id_}",
        status="resolved" if resolved else "investigating",
        impact="major",
        started_at=start,
        resolved_at=resolved,
        components=("API",),
        updates=updates,
    )


def test_store_is_idempotent_and_never_loses_updates(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    open_ = make_incident("abc", T0, None)
    closed = make_incident("abc", T0, 45)
    with Archive.open(path) as archive:
        first = archive.store("Acme", [open_])
        assert (first.new_incidents, first.new_updates) == (1, 1)
        again = archive.store("Acme", [open_])
        assert (again.new_incidents, again.new_updates) == (0, 0)
        later = archive.store("Acme", [closed])
        assert (later.new_incidents, later.new_updates) == (0, 1)
        # a stale snapshot that still shows it open must not reopen it or drop the update
        archive.store("Acme", [open_])
        ((vendor, stored),) = archive.incidents()
    assert vendor == "Acme"
    assert stored.resolved_at == T0 + timedelta(minutes=45)
    assert [u.status for u in stored.updates] == ["investigating", "resolved"]
    assert stored.started_at == T0 and stored.started_at.tzinfo is UTC


def test_range_query_keeps_open_incidents_and_is_half_open(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.sqlite") as archive:
        archive.store("Acme", [make_incident("old", T0 - timedelta(days=30), 10)])
        archive.store("Acme", [make_incident("open", T0 - timedelta(days=30), None)])
        archive.store("Acme", [make_incident("edge", T0 + timedelta(days=1), 10)])
        archive.store("Other", [make_incident("in", T0, 10)])
        found = archive.incidents(start=T0, end=T0 + timedelta(days=1))
        assert sorted(i.id for _, i in found) == ["in", "open"]
        assert archive.vendors() == ("Acme", "Other")


def _writer(path: str, vendor: str) -> None:
    with Archive.open(Path(path)) as archive:
        for n in range(40):
            archive.store(vendor, [make_incident(f"{vendor}{n}", T0 + timedelta(hours=n), 5)])


def test_overlapping_runs_do_not_lose_writes(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    Archive.open(path).__exit__()
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(str(path), v)) for v in ("A", "B")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    with Archive.open(path) as archive:
        found = archive.incidents()
    assert len(found) == 80
    assert all(len(i.updates) == 2 for _, i in found)


def change(name: str, old: str | None, new: str) -> tuple[ComponentChange, ...]:
    return (ComponentChange(name, old, new),)


def test_component_windows_from_state_changes() -> None:
    updates = (
        Update(
            T0, "investigating", "Investigating", "", change("API", "operational", "partial_outage")
        ),
        Update(
            T0 + timedelta(minutes=10),
            "update",
            "Update",
            "",
            change("API", "partial_outage", "major_outage"),
        ),
        Update(
            T0 + timedelta(minutes=20),
            "identified",
            "Identified",
            "",
            change("Web", "operational", "degraded_performance"),
        ),
        Update(
            T0 + timedelta(minutes=50),
            "monitoring",
            "Monitoring",
            "",
            change("API", "major_outage", "operational"),
        ),
        Update(T0 + timedelta(minutes=70), "resolved", "Resolved", "", ()),
    )
    incident = make_incident("x", T0, 70, updates=updates)
    windows = component_windows(incident)
    assert [(w.component, w.start, w.end, w.state) for w in windows] == [
        ("API", T0, T0 + timedelta(minutes=50), "major_outage"),
        ("Web", T0 + timedelta(minutes=20), T0 + timedelta(minutes=70), "degraded_performance"),
    ]


def test_open_incident_keeps_component_window_open() -> None:
    updates = (
        Update(T0, "investigating", "Investigating", "", change("API", None, "major_outage")),
    )
    (window,) = component_windows(make_incident("y", T0, None, updates=updates))
    assert window.end is None and window.duration is None
    assert overlap(window, T0, T0 + timedelta(hours=2)) == timedelta(hours=2)


def test_components_without_states_use_the_incident_window() -> None:
    (window,) = component_windows(make_incident("z", T0, 30))
    assert (window.component, window.start, window.end, window.state) == (
        "API",
        T0,
        T0 + timedelta(minutes=30),
        None,
    )
    assert overlap(window, T0 + timedelta(minutes=20), T0 + timedelta(hours=1)) == timedelta(
        minutes=10
    )
    assert overlap(window, T0 + timedelta(hours=1), T0 + timedelta(hours=2)) == timedelta(0)


def test_state_spells_split_by_state() -> None:
    updates = (
        Update(
            T0, "investigating", "Investigating", "", change("API", "operational", "partial_outage")
        ),
        Update(
            T0 + timedelta(minutes=10),
            "update",
            "Update",
            "",
            change("API", "partial_outage", "major_outage"),
        ),
        Update(
            T0 + timedelta(minutes=15),
            "update",
            "Update",
            "",
            change("API", "major_outage", "major_outage"),
        ),
        Update(
            T0 + timedelta(minutes=50),
            "monitoring",
            "Monitoring",
            "",
            change("API", "major_outage", "operational"),
        ),
    )
    spells = state_spells(make_incident("s", T0, 60, updates=updates))
    assert [(w.start, w.end, w.state) for w in spells] == [
        (T0, T0 + timedelta(minutes=10), "partial_outage"),
        (T0 + timedelta(minutes=10), T0 + timedelta(minutes=50), "major_outage"),
    ]


def test_period_queries_read_the_period_not_the_archive(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    start, end = T0, T0 + timedelta(days=7)
    incidents = [
        make_incident("long", T0 - timedelta(days=40), 41 * 24 * 60),  # into the period
        make_incident("open", T0 - timedelta(days=400), None),  # still open
        make_incident("short", T0 - timedelta(days=40), 60),  # over long before
        make_incident("edge", T0 - timedelta(days=30), 30 * 24 * 60),  # ends at the start
        make_incident("inside", T0 + timedelta(days=1), 60),
        make_incident("after", end, 60),
    ]
    with Archive.open(path) as archive:
        archive.store("Acme", incidents)
        found = [i.id for _, i in archive.incidents(start=start, end=end)]
        assert found == ["open", "long", "edge", "inside"]
        assert archive.coverage() == {"Acme": T0 - timedelta(days=400)}
    where, args = bounded(start, end)
    with sqlite3.connect(path) as db:
        plan = db.execute(f"EXPLAIN QUERY PLAN SELECT * FROM incidents i WHERE {where}", args)
        steps = [row[3] for row in plan]
    assert not [s for s in steps if s.startswith("SCAN")], steps
    assert any("incidents_long" in s for s in steps), steps


def test_reads_check_for_damage_once_per_change(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    marker = tmp_path / "archive.sqlite-checked"
    with Archive.open(path) as archive:
        archive.store("Acme", [make_incident("a", T0, 30)])
    assert not marker.exists()  # writers always check, and change the file anyway
    with Archive.open(path, check=False) as archive:
        assert archive.coverage() == {"Acme": T0}
    passed = marker.read_text()
    with Archive.open(path, check=False) as archive:
        archive.coverage()
    assert marker.read_text() == passed  # unchanged file: not checked again
    with Archive.open(path) as archive:
        archive.store("Acme", [make_incident("b", T0, 30)])
    with Archive.open(path, check=False) as archive:
        archive.coverage()
    assert marker.read_text() != passed  # changed: checked again, and remembered

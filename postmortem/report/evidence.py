"""Run every source of an incident file and turn what it says into dated, cited events.

A source that fails becomes a warning and a failed entry in the report's source list; the
events already collected from the other sources are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from postmortem.errors import CollectError, unit_failure
from postmortem.limits import MAX_UPDATES_PER_SOURCE
from postmortem.model import (
    Article,
    Collected,
    Event,
    Snapshot,
    SourceRecord,
    VendorIncident,
)
from postmortem.report.matching import author_span, doubtful_warning, select_incidents
from postmortem.spec.incident import Incident, SourceSpec


class Fetch(Protocol):
    """The part of `postmortem.collectors.fetch.client.Fetcher` this module needs."""

    def fetch_many(self, urls: Sequence[str]) -> dict[str, Snapshot | CollectError]:
        """Snapshots (or the reason there is none) for each URL."""
        ...


@dataclass(frozen=True, slots=True)
class Evidence:
    """Everything the sources said, each piece tagged with its 1-based source number."""

    events: tuple[Event, ...]
    sources: tuple[SourceRecord, ...]
    incidents: tuple[tuple[int, VendorIncident], ...]
    articles: tuple[tuple[int, Article], ...]
    warnings: tuple[str, ...]
    #: vendor incidents that overlap the incident but do not fit it, left out, by source
    doubtful: tuple[tuple[int, VendorIncident], ...] = ()
    #: each vendor incident once, merged across the sources that carried it, with their
    #: numbers; computed here once so every later step reads the same merge
    vendors: tuple[tuple[tuple[int, ...], VendorIncident], ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "vendors", _merge_vendors(self.incidents))

    @classmethod
    def empty(cls) -> Evidence:
        """No sources at all."""
        return cls((), (), (), (), ())


def gather_evidence(
    incident: Incident,
    *,
    base_dir: Path,
    fetcher: Fetch,
    cache_dir: Path | None = None,
    allow_paths: Sequence[Path] = (),
) -> Evidence:
    """Fetch or read every source, collect it and keep what belongs to this incident.

    A `path:` source is read only inside `base_dir` or one of the `allow_paths` folders.

    With `cache_dir`, what each snapshot yielded is kept there and reused while the
    snapshot and the collectors are unchanged.
    """
    import logging  # here, not at module level: a build without sources never logs

    from postmortem.collectors.fetch.client import read_file
    from postmortem.collectors.fetch.paths import confine

    log = logging.getLogger("postmortem")
    urls = [s.url for s in incident.sources if s.url]
    if urls:
        log.info("fetching %d source(s)", len(urls))
    fetched = fetcher.fetch_many(urls)
    span = author_span(incident)
    events: list[Event] = []
    records: list[SourceRecord] = []
    chosen: list[tuple[int, VendorIncident]] = []
    articles: list[tuple[int, Article]] = []
    warnings: list[str] = []
    doubtful: list[tuple[int, VendorIncident]] = []
    for number, spec in enumerate(incident.sources, start=1):
        name = spec.name or spec.location
        try:
            if spec.url:
                snapshot = fetched[spec.url]
            else:
                snapshot = read_file(confine(base_dir, spec.path or "", allow_paths))
            if isinstance(snapshot, CollectError):
                raise snapshot
            collected = _collect(spec, snapshot, cache_dir)
        except Exception as exc:  # one source fails alone, whatever went wrong
            note = unit_failure(exc, spec.location)
            warnings.append(f"source {number} ({name}): {note}")
            records.append(_record(number, spec, None, ok=False, note=note))
            continue
        warnings += [f"source {number} ({name}): {w}" for w in collected.warnings]
        picked, left_out = select_incidents(collected.incidents, spec, span)
        doubtful += [(number, found) for found in left_out]
        if left_out:
            warnings.append(f"source {number} ({name}): {doubtful_warning(left_out)}")
        picked, cut = cap_updates(picked)
        if cut:
            warnings.append(
                f"source {number} ({name}): {cut} more update(s) ignored: a source contributes "
                f"at most {MAX_UPDATES_PER_SOURCE} (the earliest)"
            )
        chosen += [(number, found) for found in picked]
        events += vendor_events(number, picked)
        if collected.article is not None:
            articles.append((number, collected.article))
            events += article_events(number, collected)
        records.append(_record(number, spec, snapshot, ok=True, note=_taken(picked, collected)))
        log.info("source %d (%s): %s", number, name, records[-1].note)
        if collected.incidents and not picked and spec.incident:
            warnings.append(
                f"source {number} ({name}): no incident {spec.incident!r} among its "
                f"{len(collected.incidents)}; `postmortem collect` lists them"
            )
        elif collected.incidents and not picked and not left_out:
            warnings.append(
                f"source {number} ({name}): none of its {len(collected.incidents)} incidents "
                "matches this incident's times; name one with `incident:` or adjust `match:`"
            )
    return Evidence(
        tuple(events),
        tuple(records),
        tuple(chosen),
        tuple(articles),
        tuple(warnings),
        tuple(doubtful),
    )


def _collect(spec: SourceSpec, snapshot: Snapshot, cache_dir: Path | None) -> Collected:
    from postmortem.collectors.fetch.cache import load_collected, save_collected

    if cache_dir is not None:
        cached = load_collected(cache_dir, spec.kind, snapshot.sha256)
        if cached is not None:
            return _dated(spec, cached)
    from postmortem.collectors import get_collector

    collected = get_collector(spec.kind)(snapshot)
    if cache_dir is not None:
        save_collected(cache_dir, spec.kind, snapshot.sha256, collected)
    return _dated(spec, collected)


def _dated(spec: SourceSpec, collected: Collected) -> Collected:
    """An article read on the source entry's `published:` date, when one is given."""
    if spec.published is None or collected.article is None:
        return collected
    from postmortem.collectors.article import with_published

    return with_published(collected, spec.published)


def cap_updates(
    incidents: Sequence[VendorIncident], limit: int = MAX_UPDATES_PER_SOURCE
) -> tuple[tuple[VendorIncident, ...], int]:
    """The incidents with only their `limit` earliest updates in all, and how many were cut."""
    times = sorted(u.at for i in incidents for u in i.updates)
    if len(times) <= limit:
        return tuple(incidents), 0
    last, kept, trimmed = times[limit - 1], 0, []
    for found in incidents:
        updates = [u for u in found.updates if u.at <= last]
        updates = updates[: max(limit - kept, 0)]  # ties at `last` must not pass the limit
        kept += len(updates)
        if updates:
            trimmed.append(replace(found, updates=tuple(updates)))
    return tuple(trimmed), len(times) - kept


def vendor_events(number: int, incidents: Sequence[VendorIncident]) -> list[Event]:
    """One event per vendor update."""
    return [
        Event(
            at=update.at,
            text=update.text or update.raw_status,
            status=update.status,
            raw_status=update.raw_status,
            origin="vendor",
            source=number,
            incident_id=found.id,
            components=update.components,
        )
        for found in incidents
        for update in found.updates
    ]


def article_events(number: int, collected: Collected) -> list[Event]:
    """One approximate event per time stated in an article, quoting its sentence."""
    return [
        Event(
            at=reported.at,
            text=reported.sentence,
            status="reported",
            raw_status="reported",
            origin="article",
            source=number,
            approximate=True,
            quote=reported.sentence,
        )
        for reported in collected.reported[:MAX_UPDATES_PER_SOURCE]
    ]


def _taken(picked: Sequence[VendorIncident], collected: Collected) -> str:
    parts = [
        f"{len(i.updates)} update(s) of {i.id} \N{LEFT DOUBLE QUOTATION MARK}{i.title}"
        "\N{RIGHT DOUBLE QUOTATION MARK}"
        for i in picked
    ]
    if collected.article is not None:
        title = collected.article.title or collected.article.url
        parts.append(f"{len(collected.reported)} reported time(s) from the article {title!r}")
    return "; ".join(parts) or "nothing matched this incident"


def _record(
    number: int, spec: SourceSpec, snapshot: Snapshot | None, *, ok: bool, note: str
) -> SourceRecord:
    return SourceRecord(
        number=number,
        name=spec.name or spec.location,
        kind=spec.kind,
        location=spec.location,
        fetched_at=snapshot.fetched_at if snapshot else None,
        sha256=snapshot.sha256 if snapshot else None,
        ok=ok,
        note=note,
    )


def _merge_vendors(
    incidents: tuple[tuple[int, VendorIncident], ...],
) -> tuple[tuple[tuple[int, ...], VendorIncident], ...]:
    """Each vendor incident once, merged across the sources that carried it, with their numbers.

    An Atom feed and the JSON of the same incident are two views of one outage: their
    updates are unioned without duplicates and both sources are cited.
    """
    if not incidents:
        return ()
    from postmortem.collectors.statuspage.merge import merge_incidents

    numbers: dict[str, list[int]] = {}
    for number, found in incidents:
        numbers.setdefault(found.id, [])
        if number not in numbers[found.id]:
            numbers[found.id].append(number)
    merged = merge_incidents(*([found] for _, found in incidents))
    return tuple((tuple(numbers[m.id]), m) for m in merged)

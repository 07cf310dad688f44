"""One incident seen in several snapshots (Atom, summary.json, the next Atom) -> one record.

Atom stamps are minute-precision and say "Update" where the JSON repeats the status word,
so an update is identified by its time (within a minute) and its text, or, when the vendor
rewrote its words, by the minute and its specific status.
JSON's precise times, statuses and components win; newer snapshots win for everything
else. Groups are passed oldest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from functools import lru_cache

from postmortem.model import Update, VendorIncident

_SAME_UPDATE = timedelta(seconds=60)
# Atom text is rendered from the JSON body (Markdown links become their label), so a
# minute-floor match needs only a loose text resemblance.
_LOOSE_RATIO = 0.6


@dataclass(slots=True)
class _Seen:
    update: Update
    groups: set[int] = field(default_factory=set)


def merge_incidents(*groups: Iterable[VendorIncident]) -> tuple[VendorIncident, ...]:
    """Merge incidents by id across snapshots given oldest first; first-seen order."""
    versions: dict[str, list[tuple[int, VendorIncident]]] = {}
    for number, group in enumerate(groups):
        for incident in group:
            versions.setdefault(incident.id, []).append((number, incident))
    return tuple(_merge(found) for found in versions.values())


def _merge(found: Sequence[tuple[int, VendorIncident]]) -> VendorIncident:
    if len(found) == 1:
        return found[0][1]
    incidents = [incident for _, incident in found]
    newest = incidents[-1]
    resolved = [i.resolved_at for i in incidents if i.resolved_at is not None]
    return replace(
        newest,
        title=next((i.title for i in reversed(incidents) if i.title), ""),
        url=next((i.url for i in reversed(incidents) if i.url), ""),
        impact=next((i.impact for i in reversed(incidents) if i.impact), None),
        started_at=_best_time([i.started_at for i in incidents if i.started_at is not None]),
        resolved_at=_best_time(resolved),
        components=tuple(dict.fromkeys(c for i in incidents for c in i.components)),
        updates=_union_updates(found),
        scheduled=any(i.scheduled for i in incidents),
    )


def _union_updates(found: Sequence[tuple[int, VendorIncident]]) -> tuple[Update, ...]:
    seen: list[_Seen] = []
    for group, incident in found:
        for update in incident.updates:
            twin = _find_twin(update, [s for s in seen if group not in s.groups])
            if twin is None:
                seen.append(_Seen(update, {group}))
            else:
                twin.update = _prefer(twin.update, update)
                twin.groups.add(group)
    return tuple(sorted((s.update for s in seen), key=lambda u: u.at))


def _find_twin(update: Update, candidates: list[_Seen]) -> _Seen | None:
    near = [s for s in candidates if abs(s.update.at - update.at) <= _SAME_UPDATE]
    key = _text_key(update.text)
    for rules in (_same_text, _same_precise_time, _loose_same_minute, _rewritten_same_minute):
        for seen in near:
            if rules(seen.update, update, key):
                return seen
    return None


def _same_text(old: Update, new: Update, key: str) -> bool:
    return _text_key(old.text) == key


def _same_precise_time(old: Update, new: Update, key: str) -> bool:
    # Two JSON snapshots of one update share its exact time even if its text was edited.
    return old.at == new.at and _precise(old.at)


def _loose_same_minute(old: Update, new: Update, key: str) -> bool:
    if _precise(old.at) == _precise(new.at):
        return False
    if old.at.replace(second=0, microsecond=0) != new.at.replace(second=0, microsecond=0):
        return False
    return _resemblance(old.text, new.text) >= _LOOSE_RATIO


def _resemblance(one: str, other: str) -> float:
    return SequenceMatcher(None, _text_key(one), _text_key(other)).ratio()


def _rewritten_same_minute(old: Update, new: Update, key: str) -> bool:
    # Vendors rewrite an update's words later (a resolution becomes the root-cause
    # analysis): the same minute and the same specific status is still the same update.
    if _precise(old.at) == _precise(new.at) or old.status != new.status:
        return False
    same_minute = old.at.replace(second=0, microsecond=0) == new.at.replace(second=0, microsecond=0)
    return same_minute and new.status != "update"


def _prefer(old: Update, new: Update) -> Update:
    """The precise (JSON) version of an update, else the newer one; components kept.

    Rewritten words (not just rendered differently) come from the newer snapshot.
    """
    best, other = (old, new) if _precise(old.at) and not _precise(new.at) else (new, old)
    if not best.components and other.components:
        best = replace(best, components=other.components)
    if best is not new and _resemblance(best.text, new.text) < _LOOSE_RATIO:
        best = replace(best, text=new.text)
    return best


def _best_time(times: list[datetime]) -> datetime | None:
    """The newest precise (JSON) time, else the newest minute-precision one."""
    precise = [t for t in times if _precise(t)]
    return precise[-1] if precise else (times[-1] if times else None)


def _precise(at: datetime) -> bool:
    return at.second != 0 or at.microsecond != 0


def _text_key(text: str) -> str:
    # Asked again and again for the same texts (every candidate of every update): re-importing
    # a dump the archive holds spent most of its time here. Long texts are not kept, so the
    # cache stays within a few MiB.
    return _short_text_key(text) if len(text) <= _CACHED_TEXT else _key_of(text)


_CACHED_TEXT = 2048  # characters


@lru_cache(maxsize=2048)
def _short_text_key(text: str) -> str:
    return _key_of(text)


def _key_of(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())

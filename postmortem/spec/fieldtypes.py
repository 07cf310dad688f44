"""Value types of the incident file: timestamps read in the file's zone, dates, URLs, hosts.

pydantic alone would read a number as Unix seconds and a bare date as midnight; these
types refuse both, so a YAML accident is an error on its line instead of a wrong time.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from postmortem.limits import FIRST_YEAR, LAST_YEAR, OutOfRange, checked_utc

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EXAMPLE = "2026-03-20T03:00:00Z"
_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$")


def _only_timestamps(value: object) -> object:
    # pydantic would read a number as Unix seconds and a bare date as midnight: both are
    # YAML accidents here, never what the author meant.
    if isinstance(value, datetime):
        return value
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value.strip())):
        raise PydanticCustomError(
            "date_without_time", f"a date without a time; add one: {_EXAMPLE}"
        )
    if isinstance(value, str) and _ISO_DATETIME.match(value.strip()):
        return value
    raise PydanticCustomError(
        "time_type", f"expected a date and time such as {_EXAMPLE}, got {value!r}"
    )


def _to_utc(value: datetime, info: ValidationInfo) -> datetime:
    try:
        checked_utc(value)  # the year first: an offset near year 1 or 9999 would overflow
    except OutOfRange as exc:
        raise PydanticCustomError("time_range", str(exc)) from None
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    context = info.context or {}
    zone: ZoneInfo | None = context.get("zone")
    if zone is None:
        if context.get("zone_given"):
            return value.replace(tzinfo=UTC)  # the bad `timezone:` is reported on its own line
        raise PydanticCustomError(
            "naive_time",
            "no UTC offset and no `timezone:` in the file; add `timezone:` or a Z/+hh:mm offset",
        )
    local = value.replace(tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise PydanticCustomError(
            "missing_time",
            f"{value:%Y-%m-%d %H:%M} does not exist in {zone.key} (clock change); "
            "write it with an offset",
        )
    # A time the clocks pass twice (autumn) takes its first occurrence, zoneinfo's fold=0,
    # and the loader warns, naming the offset that means the second.
    second = value.replace(tzinfo=zone, fold=1)
    notes = context.get("twice")
    if second.utcoffset() != local.utcoffset() and isinstance(notes, list):
        notes.append(
            f"{info.field_name}: {value:%Y-%m-%d %H:%M} happens twice in {zone.key} (clocks "
            f"go back); read as the first, {local.isoformat()}; write "
            f"{second.isoformat()} for the second"
        )
    return local.astimezone(UTC)


def _only_dates(value: object) -> object:
    if isinstance(value, datetime):
        raise PydanticCustomError(
            "date_type", "expected a date such as 2026-04-03, not a date and time"
        )
    if isinstance(value, date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError(
            "date_range", f"year {value.year} is outside {FIRST_YEAR}-{LAST_YEAR}"
        )
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value.strip())):
        return value
    raise PydanticCustomError("date_type", f"expected a date such as 2026-04-03, got {value!r}")


#: An aware UTC datetime; naive input is read in the file's `timezone:`.
When = Annotated[
    datetime,
    BeforeValidator(_only_timestamps),
    AfterValidator(_to_utc),
    # Not `format: date-time`: editors would flag the naive times `timezone:` allows.
    WithJsonSchema({"type": "string", "pattern": _ISO_DATETIME.pattern}),
]
Day = Annotated[date, BeforeValidator(_only_dates)]


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/?#]+\S*$", value):
        raise PydanticCustomError("url", "must be an http:// or https:// URL")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]

#: Where `postmortem publish` sends a report: one reference pattern per tracker.
TICKET_PATTERNS = {
    "jira": r"[A-Z][A-Z0-9_]*-[0-9]+",
    "gitlab": r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+#[0-9]+",
    "github": r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+#[0-9]+",
    "servicenow": r"[A-Z]{2,6}[0-9]{4,}",
    "confluence": r"~?[A-Za-z0-9_-]+(/[^/]{1,255})?",
}
TICKET_PATTERN = "^(" + "|".join(f"{k}:{v}" for k, v in TICKET_PATTERNS.items()) + ")$"


def _ticket(value: str) -> str:
    if not re.match(TICKET_PATTERN, value):
        raise PydanticCustomError(
            "ticket",
            "not a ticket; write jira:OPS-123, gitlab:group/project#45, github:owner/repo#67, "
            "servicenow:INC0012345, confluence:SPACE or confluence:SPACE/Parent page title",
        )
    return value


Ticket = Annotated[
    str,
    AfterValidator(_ticket),
    WithJsonSchema({"type": "string", "pattern": TICKET_PATTERN}),
]


def zone_info(name: object) -> ZoneInfo | None:
    """The zone for an IANA name, else None (the name's error is reported elsewhere)."""
    if not isinstance(name, str) or not _ZONE_NAME.match(name) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: e.g. a directory name
        return None


def check_zone(name: str) -> str:
    """Return `name` if it is an IANA zone, else raise with the closest names."""
    if zone_info(name) is not None:
        return name
    # Listing every zone costs ~75 ms, so only a wrong name pays for the suggestions.
    import difflib

    close = difflib.get_close_matches(name, sorted(available_timezones()), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    raise PydanticCustomError("zone", f"unknown IANA time zone {name!r}{hint}")


def host_name(value: str) -> str:
    """A host name or IP address, lower-cased; anything with a scheme or path is refused."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        if not re.match(r"^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$", value):
            raise PydanticCustomError(
                "host",
                "must be a host name or IP address such as status.example.com (no scheme or path)",
            ) from None
    return value.lower()


def _no_bool(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("number_type", "must be a number, not true/false")
    return value


#: A finite number; YAML's `yes` (true) and `.nan` are refused rather than read as 1 and NaN.
Number = Annotated[float, BeforeValidator(_no_bool), Field(allow_inf_nan=False)]
Host = Annotated[str, AfterValidator(host_name)]
Zone = Annotated[str, AfterValidator(check_zone)]

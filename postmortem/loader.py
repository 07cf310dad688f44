"""Read YAML files into validated models, reporting every problem with its line and column.

PyYAML's C loader builds a node tree (which keeps marks) before any Python object exists,
so each pydantic error can be traced back to the exact key or value that caused it.
"""

from __future__ import annotations

import difflib
import itertools
import types
import typing
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ValidationError

from postmortem.errors import IncidentFileError, PostmortemError
from postmortem.incident import Incident
from postmortem.model import MILESTONE_ORDER

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - wheels ship libyaml; source builds may not
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

M = TypeVar("M", bound=BaseModel)
Loc = tuple[int | str, ...]


def load_incident(path: Path) -> Incident:
    """Load and validate an incident file; every datetime comes back aware UTC."""
    return load_incident_text(_read_text(path), str(path))


def load_incident_text(text: str, name: str) -> Incident:
    """Like `load_incident`, for text that did not come from a file (`name` labels errors)."""
    root = _compose(text, name)
    return _localise(_validate(root, Incident, name), root, name)


def load_model(path: Path, model: type[M]) -> M:
    """Load any YAML file into `model`, with the same error reporting as incident files."""
    return _validate(_compose(_read_text(path), str(path)), model, str(path))


def _read_text(path: Path) -> str:
    name = str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise IncidentFileError(f"{name}: is a directory; give the path of a YAML file") from None
    except FileNotFoundError:
        raise IncidentFileError(f"{name}: no such file") from None
    except OSError as exc:
        raise IncidentFileError(f"{name}: cannot read: {exc.strerror}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IncidentFileError(
            f"{name}: not UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from None


def _compose(text: str, name: str) -> yaml.Node:
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                raise IncidentFileError(
                    f"{_where(name, event.start_mark)}: aliases (*{event.anchor}) are not "
                    "allowed; write the value out"
                )
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = _where(name, mark) if mark else name
        raise IncidentFileError(f"{place}: invalid YAML: {exc.problem or exc.context}") from None
    if root is None:
        raise IncidentFileError(f"{name}: the file is empty; run `postmortem init` for a start")
    if not isinstance(root, yaml.MappingNode):
        raise IncidentFileError(f"{_where(name, root.start_mark)}: expected a mapping of keys")
    problems = list(_duplicates(root, name))
    if problems:
        raise IncidentFileError(f"{name}: {len(problems)} problem(s)", tuple(problems))
    return root


def _where(name: str, mark: Any) -> str:
    return f"{name}:{mark.line + 1}:{mark.column + 1}"


def _duplicates(node: yaml.Node, name: str) -> typing.Iterator[str]:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, yaml.Node] = {}
        for key, value in node.value:
            label = str(key.value)
            if label in seen:
                first = seen[label].start_mark.line + 1
                where = _where(name, key.start_mark)
                yield f"{where}: duplicate key {label!r} (first on line {first})"
            seen[label] = key
            yield from _duplicates(value, name)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicates(item, name)


def _validate(root: yaml.Node, model: type[M], name: str) -> M:
    data = _Loader("").construct_document(root)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        described = [_describe(error, root, model, name) for error in exc.errors()]
        problems = tuple(sorted(described, key=_position))
        raise IncidentFileError(f"{name}: {len(problems)} problem(s)", problems) from None


def _position(problem: str) -> tuple[int, int]:
    _, line, column = problem.split(": ", 1)[0].rsplit(":", 2)
    return int(line), int(column)


def _describe(error: Any, root: yaml.Node, model: type[BaseModel], name: str) -> str:
    loc: Loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    node, key_node = _find(root, loc)
    field = ".".join(str(part) for part in loc) or "(top level)"
    if error["type"] == "extra_forbidden":
        choices = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), choices, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f"; known keys: {', '.join(choices)}"
        mark = (key_node or node or root).start_mark
        return f"{_where(name, mark)}: {field}: unknown key {str(loc[-1])!r}{hint}"
    message = str(error["msg"]).removeprefix("Value error, ")
    scalar = node.value if isinstance(node, yaml.ScalarNode) else None
    read_as = error.get("input")
    if error["type"] == "missing":
        message = "required; add it"
    elif scalar is not None and not isinstance(read_as, str) and scalar != str(read_as):
        if error["type"] == "string_type":
            message += f'; YAML read "{scalar}" as {read_as!r}, so quote it: "{scalar}"'
        else:
            message += f' (YAML read "{scalar}" as {read_as!r})'
    return f"{_where(name, (node or root).start_mark)}: {field}: {message}"


def _is_union_tag(part: int | str) -> bool:
    # pydantic adds the chosen union member's type name to `loc`; YAML has no such level
    return isinstance(part, str) and (part[:1].isupper() or "[" in part or part == "function-after")


def _find(root: yaml.Node, loc: Loc) -> tuple[yaml.Node | None, yaml.Node | None]:
    node: yaml.Node | None = root
    key_node = None
    for part in loc:
        key_node = None
        if isinstance(node, yaml.MappingNode):
            match = [(k, v) for k, v in node.value if str(k.value) == str(part)]
            if not match:
                return node, None
            key_node, node = match[-1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else node
        else:
            return node, None
    return node, key_node


def _field_names(model: type[BaseModel], loc: Loc) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _model_in(fields[part].annotation)
    return sorted(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    """The BaseModel inside `X | None`, `list[X]` or `dict[str, X]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, dict, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


# --- time zones -----------------------------------------------------------------------------

_INSTANTS = (
    *(("milestones", name) for name in MILESTONE_ORDER),
    ("impact", "start"),
    ("impact", "end"),
)


def _localise(incident: Incident, root: yaml.Node, name: str) -> Incident:
    """Read naive times in the file's `timezone` (an error without one); store UTC."""
    zone_given = any(str(k.value) == "timezone" for k, _ in root.value)
    zone = ZoneInfo(incident.timezone)
    problems: list[str] = []

    def fix(value: datetime, loc: Loc) -> datetime:
        if value.tzinfo is None:
            if not zone_given:
                node, _ = _find(root, loc)
                field = ".".join(str(p) for p in loc)
                problems.append(
                    f"{_where(name, (node or root).start_mark)}: {field}: {value.isoformat()} "
                    "has no UTC offset; add `timezone:` to the file or write it with Z or +hh:mm"
                )
                return value.replace(tzinfo=UTC)
            value = value.replace(tzinfo=zone)
        return value.astimezone(UTC)

    data = incident.model_dump()
    for section, key in _INSTANTS:
        if data[section][key] is not None:
            data[section][key] = fix(data[section][key], (section, key))
    for index, entry in enumerate(data["timeline"]):
        entry["at"] = fix(entry["at"], ("timeline", index, "at"))
    problems += _order_problems(data["milestones"], root, name)
    if problems:
        raise IncidentFileError(f"{name}: {len(problems)} problem(s)", tuple(problems))
    return Incident.model_validate(data)


def _order_problems(
    milestones: dict[str, datetime | None], root: yaml.Node, name: str
) -> list[str]:
    """Milestones must not go backwards: started <= detected <= ... <= resolved."""
    problems = []
    given = [(k, v) for k, v in milestones.items() if v is not None]
    for (earlier, first), (later, second) in itertools.pairwise(given):
        if second < first:
            node, _ = _find(root, ("milestones", later))
            problems.append(
                f"{_where(name, (node or root).start_mark)}: milestones.{later}: "
                f"{second:%Y-%m-%d %H:%M} UTC is before {earlier} ({first:%Y-%m-%d %H:%M} UTC); "
                "milestones run started, detected, acknowledged, identified, mitigated, resolved"
            )
    return problems


def check_incident(incident: Incident) -> tuple[str, ...]:
    """Warnings about a valid incident: things that are allowed but probably mistakes."""
    warnings = []
    started, resolved = incident.milestones.started, incident.milestones.resolved
    impact = incident.impact
    if started and impact.start and impact.start < started:
        warnings.append("impact.start is before milestones.started: impact outside the incident")
    if resolved and impact.end and impact.end > resolved:
        warnings.append("impact.end is after milestones.resolved: impact outside the incident")
    return tuple(warnings)


def problems_of(error: PostmortemError) -> Sequence[str]:
    """The individual problem lines of an error (the message itself when there are none)."""
    return getattr(error, "problems", ()) or (str(error),)

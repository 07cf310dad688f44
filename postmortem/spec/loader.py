"""Read an incident file: YAML nodes with marks -> pydantic -> `Incident`, or every problem.

Each problem is one `FILE:LINE:COL: field.path: message` line. The YAML 1.1 traps (`no`
read as false, `3:00` as 180, `0755` as 493) are explained from the raw scalar, so the
message says what YAML did and how to quote it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from postmortem.errors import IncidentFileError
from postmortem.limits import MAX_INCIDENT_FILE_BYTES, MAX_YAML_DEPTH
from postmortem.spec.fieldtypes import zone_info
from postmortem.spec.files import read_bounded
from postmortem.spec.incident import Incident, check_incident

Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
M = TypeVar("M", bound=BaseModel)
_TAG = "tag:yaml.org,2002:"
_Problem = tuple[int, int, str]  # line, column, the message line: sorted by position
_Loc = tuple[str | int, ...]
_WANTS_TEXT = {"string_type", "literal_error", "time_type", "date_type", "enum"}


def load_incident(path: Path) -> Incident:
    """Read and validate an incident file; every datetime in the result is aware UTC."""
    return load_incident_text(_read(path), str(path))


def validate_file(path: Path) -> tuple[bool, tuple[str, ...]]:
    """Check one file: (True, `FILE: ok` and `FILE: warning: …` lines) or (False, problems)."""
    try:
        text = _read(path)
        incident = load_incident_text(text, str(path))
    except IncidentFileError as exc:
        return False, exc.problems or (str(exc),)
    missing = _missing_paths(path, text, incident)
    if missing:
        return False, missing
    return True, (f"{path}: ok", *(_warning_line(str(path), w) for w in check_incident(incident)))


def _missing_paths(path: Path, text: str, incident: Incident) -> tuple[str, ...]:
    """A `path:` source that names no file: the build would have no evidence from it."""
    root = _compose(text, str(path))
    assert root is not None  # the text was just loaded
    problems = []
    for index, source in enumerate(incident.sources):
        if source.path is None or (path.parent / source.path).is_file():
            continue
        node, _, _ = _walk(root, ("sources", index, "path"))
        problems.append(
            f"{_where(str(path), node)}: sources[{index}].path: no such file "
            f"{source.path!r} (paths are relative to the incident file's folder)"
        )
    return tuple(problems)


def _warning_line(name: str, warning: str) -> str:
    """`FILE: warning: …`, or `FILE:LINE:COL: warning: …` when the warning has a place."""
    if warning.startswith(f"{name}:"):
        place, _, rest = warning.partition(": ")
        return f"{place}: warning: {rest}"
    return f"{name}: warning: {warning}"


def load_incident_text(text: str, name: str) -> Incident:
    """Validate incident YAML given as text; `name` prefixes every problem line."""
    return load_model_text(text, name, Incident)


def load_model(path: Path, model: type[M]) -> M:
    """Any YAML file of ours (incident or project file) into `model`, with the same errors."""
    return load_model_text(_read(path), str(path), model)


def load_model_text(text: str, name: str, model: type[M]) -> M:
    """Validate YAML text into `model`; every problem is one `FILE:LINE:COL: …` line."""
    root = _compose(text, name)
    if root is None:
        raise IncidentFileError(f"{name}: the file is empty; `postmortem init` writes a starter")
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise IncidentFileError(
            f"{name}: not an incident file",
            (
                f"{_where(name, root)}: the top level must be keys such as `id:` and "
                f"`title:`, not {kind}",
            ),
        )
    problems = [_problem(name, node, _path(loc), msg) for node, loc, msg in _key_problems(root, ())]
    if any("merge key" in line for *_, line in problems):
        raise IncidentFileError(f"{name}: merge keys", tuple(line for *_, line in problems))
    data = _construct(root, name)
    context: dict[str, Any] = {
        "zone": zone_info(data.get("timezone")),
        "zone_given": "timezone" in data,
        # notes for check_incident: local times that happen twice, values cut by a ` #`
        "twice": _cut_by_comment(name, root, (), text.splitlines()),
    }
    try:
        result = model.model_validate(data, context=context)
    except ValidationError as exc:
        # Keys that are not text were already reported, with the quoting fix, by _key_problems.
        errors = [err for err in exc.errors() if err["type"] != "invalid_key"]
        problems += [_explain(name, root, err, model) for err in errors]
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise IncidentFileError(f"{name}: {count}", tuple(line for *_, line in sorted(problems)))
    return result


def _read(path: Path) -> str:
    raw = read_bounded(
        path, MAX_INCIDENT_FILE_BYTES, error=IncidentFileError, what="an incident file"
    )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
        raise IncidentFileError(
            f"{path}: not UTF-8 text (byte 0x{bad:02x} at offset {exc.start}); save it as UTF-8"
        ) from None


def _compose(text: str, name: str) -> yaml.Node | None:
    try:
        # Aliases are refused before composing: a few hundred bytes of nested anchors
        # expand to gigabytes once validated and dumped (the "billion laughs" shape).
        depth = 0
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise IncidentFileError(
                        f"{name}: nested too deeply",
                        (f"{_where(name, event)}: more than {MAX_YAML_DEPTH} levels of nesting",),
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            anchor = getattr(event, "anchor", None)
            if anchor:
                what = "alias *" if isinstance(event, yaml.AliasEvent) else "anchor &"
                raise IncidentFileError(
                    f"{name}: YAML {what}{anchor} is not allowed",
                    (
                        f"{_where(name, event)}: YAML {what}{anchor} is not allowed; "
                        "write the value out in full",
                    ),
                )
        return yaml.compose(text, Loader=Loader)
    except yaml.YAMLError as exc:
        raise _yaml_failure(name, exc, "YAML syntax error") from None


class _Constructor(Loader):  # type: ignore[valid-type,misc]
    """The safe constructor, turning a scalar it cannot read into an error at its line.

    PyYAML raises bare ValueError/KeyError for `2026-02-30`, `!!int abc`, `!!bool maybe`,
    an offset of +24:00 or an integer past Python's digit limit.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, KeyError, OverflowError, TypeError) as exc:
            tag = node.tag.removeprefix(_TAG)
            value = str(node.value)[:40] if isinstance(node, yaml.ScalarNode) else node.tag
            reason = str(exc).split(";")[0] if isinstance(exc, ValueError) else "not a valid value"
            if reason.startswith("offset must be"):
                reason = "a UTC offset must lie between -23:59 and +23:59"
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {value!r} as {tag}: {reason}", node.start_mark
            ) from None


def _construct_node(node: yaml.Node) -> Any:
    return _Constructor("").construct_object(node)


def _construct(root: yaml.Node, name: str) -> dict[Any, Any]:
    try:
        data = _Constructor("").construct_document(root)
    except yaml.YAMLError as exc:
        raise _yaml_failure(name, exc, "YAML error") from None
    assert isinstance(data, dict)  # a mapping node constructs to a dict
    return data


def _yaml_failure(name: str, exc: yaml.YAMLError, what: str) -> IncidentFileError:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return IncidentFileError(f"{name}: {what}: {exc}")
    mark = exc.problem_mark or exc.context_mark
    where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
    problem = str(exc.problem)
    if "another document" in problem:
        problem = "only one YAML document is allowed; remove the `---` line"
    return IncidentFileError(f"{name}: {what}", (f"{where}: {what}: {problem}",))


def _cut_by_comment(name: str, node: yaml.Node, loc: _Loc, lines: list[str]) -> list[str]:
    """Plain values that a ` #` ended early: YAML read the rest of the line as a comment.

    `title: Subscribe #ci-alerts to the feed` is the title "Subscribe". A comment set off
    by two spaces, or with a space after the `#`, is taken as meant.
    """
    found: list[str] = []
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += _cut_by_comment(name, item, (*loc, index), lines)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found += _cut_by_comment(name, value, (*loc, str(key.value)), lines)
    elif isinstance(node, yaml.ScalarNode) and not node.style and node.value:
        end = node.end_mark
        rest = lines[end.line][end.column :] if end.line < len(lines) else ""
        if rest[:2] == " #" and rest[2:3].strip():
            whole = f"{node.value}{rest}".strip().replace('"', '\\"')
            found.append(
                f"{_where(name, node)}: {_path(loc)}: the value stops before '{rest[1:31]}': "
                f'YAML reads " #" as the start of a comment, so it is "{node.value}"; '
                f'quote the whole value: "{whole}"'
            )
    return found


def _key_problems(node: yaml.Node, loc: _Loc) -> list[tuple[yaml.Node, _Loc, str]]:
    """Keys that are not text, and duplicates, which PyYAML resolves to the last value."""
    found: list[tuple[yaml.Node, _Loc, str]] = []
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += _key_problems(item, (*loc, index))
    elif isinstance(node, yaml.MappingNode):
        first: dict[str, yaml.Node] = {}
        for key, value in node.value:
            label = str(key.value)
            if key.tag == _TAG + "merge":
                found.append((key, (*loc, label), "merge key (<<) is not allowed; write keys out"))
                continue
            if key.tag != _TAG + "str":
                read = _yaml_reading(key, "string_type") or f"YAML reads {label} as a value"
                found.append((key, (*loc, label), f'key: {read}; quote it: "{label}"'))
            elif label in first:
                line = first[label].start_mark.line + 1
                message = f"duplicate key '{label}' (first at line {line}); keep only one"
                found.append((key, (*loc, label), message))
            first.setdefault(label, key)
            found += _key_problems(value, (*loc, label))
    return found


def _explain(name: str, root: yaml.Node, err: ErrorDetails, model: type[BaseModel]) -> _Problem:
    loc = tuple(err["loc"])
    ctx = err.get("ctx") or {}
    if err["type"] in ("milestone_order", "impact_order"):  # point at the later field
        loc = (*loc, ctx["field"])
    node, key, reached = _walk(root, loc)
    if err["type"] == "extra_forbidden":
        return _problem(name, key or node, _path(loc), _unknown_key(loc, model))
    if err["type"] == "missing":
        return _problem(name, node, _path(loc), f"missing required key '{loc[-1]}'")
    if reached < len(loc):  # the error sits below a node the YAML does not have
        node = key or node
    return _problem(name, node, _path(loc), _message(err, node))


def _message(err: ErrorDetails, node: yaml.Node) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null" and kind in _WANTS_TEXT:
        return "no value given; write one or remove the key"
    read = _yaml_reading(node, kind) if kind in _WANTS_TEXT else None
    if kind == "literal_error":
        expected = f"must be one of {ctx['expected']}"
        if read:
            return f"{read}; {expected}"
        return f"{expected} (got {_raw(node)}{_did_you_mean(node, str(ctx['expected']))})"
    if read and kind == "time_type":
        return f"{read}; write a full date and time such as 2026-03-20T03:00:00Z"
    if read and kind == "date_type":
        return f"{read}; write a date such as 2026-04-03"
    if read:
        return f'{read}; quote it: "{node.value}"'
    return _PLAIN.get(kind, err["msg"])


_PLAIN = {
    "string_pattern_mismatch": "use only letters, digits, '.', '_' and '-'",
    "string_too_short": "must not be empty",
    "model_type": "expected keys and values (a mapping), not a single value or list",
    "model_attributes_type": "expected keys and values (a mapping), not a single value or list",
    "dict_type": "expected keys and values (a mapping)",
    "list_type": "expected a list (lines starting with '- ')",
    "string_type": "expected text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
}


def _yaml_reading(node: yaml.Node, kind: str) -> str | None:
    """What YAML 1.1 made of an unquoted scalar where text or a timestamp was meant."""
    if not isinstance(node, yaml.ScalarNode) or node.style:  # libyaml says "" for plain
        return None
    raw, tag = node.value, node.tag.removeprefix(_TAG)
    try:
        value = _construct_node(node)
    except yaml.YAMLError:
        return None  # reported by _construct, at its line
    digits = raw.lstrip("+-")
    if tag == "bool":
        return f"YAML reads {raw} as the boolean {str(value).lower()}"
    if tag == "int" and ":" in raw:
        return f"YAML 1.1 reads {raw} as the number {value} (base 60)"
    if tag == "int" and digits.startswith("0") and digits != "0":
        return f"YAML 1.1 reads {raw} as the octal number {value}"
    if tag in ("int", "float"):
        return f"YAML reads {raw} as a number"
    if tag == "timestamp" and kind not in ("time_type", "date_type"):
        return f"YAML reads {raw} as a date"
    return None


def _did_you_mean(node: yaml.Node, expected: str) -> str:
    """`; did you mean 'SEV2'?` for the allowed value closest to what was written."""
    import difflib  # only a mistyped value pays for the suggestion

    if not isinstance(node, yaml.ScalarNode):
        return ""
    allowed = re.findall(r"'([^']*)'", expected)
    by_lower = {a.lower(): a for a in allowed}
    written = str(node.value).lower()
    close = difflib.get_close_matches(written, list(by_lower), n=1, cutoff=0.6)
    return f"; did you mean '{by_lower[close[0]]}'?" if close else ""


def _unknown_key(loc: tuple[Any, ...], root_model: type[BaseModel]) -> str:
    import difflib  # only a misspelt key pays for the suggestion

    model = _model_at(loc[:-1], root_model)
    fields = list(model.model_fields) if model else []
    close = difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6)
    if close:
        return f"unknown key '{loc[-1]}' (did you mean '{close[0]}'?)"
    return f"unknown key '{loc[-1]}' (allowed: {', '.join(fields)})"


def _model_at(loc: tuple[Any, ...], root_model: type[BaseModel]) -> type[BaseModel] | None:
    current: Any = root_model
    for part in loc:
        if isinstance(part, str) and isinstance(current, type) and issubclass(current, BaseModel):
            if part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
        current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    """`list[X]`, `X | None` -> X, so a path can step through them."""
    while get_origin(tp) is not None and not isinstance(tp, type):
        models = [a for a in get_args(tp) if a is not type(None)]
        if not models:
            return tp
        tp = models[0]
    return tp


def _walk(root: yaml.Node, loc: tuple[Any, ...]) -> tuple[yaml.Node, yaml.Node | None, int]:
    """Follow `loc` down the node tree: (deepest node, its key node, parts consumed)."""
    node, key = root, None
    for depth, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            pairs = [(k, v) for k, v in node.value if str(k.value) == str(part)]
            if not pairs:
                return node, key, depth
            key, node = pairs[-1]  # the constructor keeps the last duplicate too
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            key, node = None, node.value[part]
        else:
            return node, key, depth
    return node, key, len(loc)


def _where(name: str, node: Any) -> str:
    mark = node.start_mark
    return f"{name}:{mark.line + 1}:{mark.column + 1}"


def _problem(name: str, node: yaml.Node, path: str, message: str) -> _Problem:
    mark = node.start_mark
    return mark.line, mark.column, f"{_where(name, node)}: {path}: {message}"


def _path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _raw(node: yaml.Node) -> str:
    return repr(node.value) if isinstance(node, yaml.ScalarNode) else "a mapping or list"

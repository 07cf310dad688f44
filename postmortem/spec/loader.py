"""Read an incident file: YAML nodes with marks -> pydantic -> `Incident`, or every problem.

Each problem is one `FILE:LINE:COL: field.path: message` line (`problems.py` words them).
Anchors, aliases, merge keys and deep nesting are refused before anything is constructed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from postmortem.errors import IncidentFileError
from postmortem.limits import MAX_INCIDENT_FILE_BYTES, MAX_YAML_DEPTH
from postmortem.spec.fieldtypes import zone_info
from postmortem.spec.files import read_bounded
from postmortem.spec.incident import Incident, check_incident
from postmortem.spec.problems import (
    cut_by_comment,
    dotted_path,
    explain,
    key_problems,
    problem,
    walk,
    where,
)
from postmortem.spec.yaml_nodes import Constructor, Loader

M = TypeVar("M", bound=BaseModel)


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
        node, _, _ = walk(root, ("sources", index, "path"))
        problems.append(
            f"{where(str(path), node)}: sources[{index}].path: no such file "
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
                f"{where(name, root)}: the top level must be keys such as `id:` and "
                f"`title:`, not {kind}",
            ),
        )
    problems = [
        problem(name, node, dotted_path(loc), msg) for node, loc, msg in key_problems(root, ())
    ]
    if any("merge key" in line for *_, line in problems):
        raise IncidentFileError(f"{name}: merge keys", tuple(line for *_, line in problems))
    data = _construct(root, name)
    context: dict[str, Any] = {
        "zone": zone_info(data.get("timezone")),
        "zone_given": "timezone" in data,
        # notes for check_incident: local times that happen twice, values cut by a ` #`
        "twice": cut_by_comment(name, root, (), text.splitlines()),
    }
    try:
        result = model.model_validate(data, context=context)
    except ValidationError as exc:
        # Keys that are not text were already reported, with the quoting fix, by key_problems.
        errors = [err for err in exc.errors() if err["type"] != "invalid_key"]
        problems += [explain(name, root, err, model) for err in errors]
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
                        (f"{where(name, event)}: more than {MAX_YAML_DEPTH} levels of nesting",),
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            anchor = getattr(event, "anchor", None)
            if anchor:
                what = "alias *" if isinstance(event, yaml.AliasEvent) else "anchor &"
                raise IncidentFileError(
                    f"{name}: YAML {what}{anchor} is not allowed",
                    (
                        f"{where(name, event)}: YAML {what}{anchor} is not allowed; "
                        "write the value out in full",
                    ),
                )
        return yaml.compose(text, Loader=Loader)
    except yaml.YAMLError as exc:
        raise _yaml_failure(name, exc, "YAML syntax error") from None


def _construct(root: yaml.Node, name: str) -> dict[Any, Any]:
    try:
        data = Constructor("").construct_document(root)
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

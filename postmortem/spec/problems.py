"""What went wrong in a YAML file, said for a person: line and column, field path, the fix.

YAML 1.1 traps (`no` read as false, `3:00` as 180, `0755` as 493) are explained from the raw
scalar; unknown keys and values get a did-you-mean; a value cut by an unquoted ` #` is named.
"""

from __future__ import annotations

import re
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel
from pydantic_core import ErrorDetails

from postmortem.spec.yaml_nodes import TAG, construct_node

Problem = tuple[int, int, str]  # line, column, the message line: sorted by position
Loc = tuple[str | int, ...]
_WANTS_TEXT = {"string_type", "literal_error", "time_type", "date_type", "enum"}


def cut_by_comment(name: str, node: yaml.Node, loc: Loc, lines: list[str]) -> list[str]:
    """Plain values that a ` #` ended early: YAML read the rest of the line as a comment.

    `title: Subscribe #ci-alerts to the feed` is the title "Subscribe". A comment set off
    by two spaces, or with a space after the `#`, is taken as meant.
    """
    found: list[str] = []
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += cut_by_comment(name, item, (*loc, index), lines)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found += cut_by_comment(name, value, (*loc, str(key.value)), lines)
    elif isinstance(node, yaml.ScalarNode) and not node.style and node.value:
        end = node.end_mark
        rest = lines[end.line][end.column :] if end.line < len(lines) else ""
        if rest[:2] == " #" and rest[2:3].strip():
            whole = f"{node.value}{rest}".strip().replace('"', '\\"')
            found.append(
                f"{where(name, node)}: {dotted_path(loc)}: the value stops before '{rest[1:31]}': "
                f'YAML reads " #" as the start of a comment, so it is "{node.value}"; '
                f'quote the whole value: "{whole}"'
            )
    return found


def key_problems(node: yaml.Node, loc: Loc) -> list[tuple[yaml.Node, Loc, str]]:
    """Keys that are not text, and duplicates, which PyYAML resolves to the last value."""
    found: list[tuple[yaml.Node, Loc, str]] = []
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += key_problems(item, (*loc, index))
    elif isinstance(node, yaml.MappingNode):
        first: dict[str, yaml.Node] = {}
        for key, value in node.value:
            label = str(key.value)
            if key.tag == TAG + "merge":
                found.append((key, (*loc, label), "merge key (<<) is not allowed; write keys out"))
                continue
            if key.tag != TAG + "str":
                read = _yaml_reading(key, "string_type") or f"YAML reads {label} as a value"
                found.append((key, (*loc, label), f'key: {read}; quote it: "{label}"'))
            elif label in first:
                line = first[label].start_mark.line + 1
                message = f"duplicate key '{label}' (first at line {line}); keep only one"
                found.append((key, (*loc, label), message))
            first.setdefault(label, key)
            found += key_problems(value, (*loc, label))
    return found


def explain(name: str, root: yaml.Node, err: ErrorDetails, model: type[BaseModel]) -> Problem:
    loc = tuple(err["loc"])
    ctx = err.get("ctx") or {}
    if err["type"] in ("milestone_order", "impact_order"):  # point at the later field
        loc = (*loc, ctx["field"])
    node, key, reached = walk(root, loc)
    if err["type"] == "extra_forbidden":
        return problem(name, key or node, dotted_path(loc), _unknown_key(loc, model))
    if err["type"] == "missing":
        return problem(name, node, dotted_path(loc), f"missing required key '{loc[-1]}'")
    if reached < len(loc):  # the error sits below a node the YAML does not have
        node = key or node
    return problem(name, node, dotted_path(loc), _message(err, node))


def _message(err: ErrorDetails, node: yaml.Node) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if isinstance(node, yaml.ScalarNode) and node.tag == TAG + "null" and kind in _WANTS_TEXT:
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
    raw, tag = node.value, node.tag.removeprefix(TAG)
    try:
        value = construct_node(node)
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


def walk(root: yaml.Node, loc: tuple[Any, ...]) -> tuple[yaml.Node, yaml.Node | None, int]:
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


def where(name: str, node: Any) -> str:
    mark = node.start_mark
    return f"{name}:{mark.line + 1}:{mark.column + 1}"


def problem(name: str, node: yaml.Node, path: str, message: str) -> Problem:
    mark = node.start_mark
    return mark.line, mark.column, f"{where(name, node)}: {path}: {message}"


def dotted_path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _raw(node: yaml.Node) -> str:
    return repr(node.value) if isinstance(node, yaml.ScalarNode) else "a mapping or list"

"""`postmortem init`: a commented, valid starter incident file and the schema beside it."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from postmortem.errors import IncidentFileError
from postmortem.spec.schema import SCHEMA_FILE, schema_json


def starter_text() -> str:
    """The starter incident file shipped with the package."""
    return files("postmortem.spec").joinpath("starter.yaml").read_text(encoding="utf-8")


def write_starter(path: Path, *, force: bool = False) -> tuple[Path, ...]:
    """Write the starter to `path`, and the schema beside it if absent; return the files written."""
    if path.is_dir():
        raise IncidentFileError(
            f"{path}: is a directory; give a file name such as {path / 'incident.yaml'}"
        )
    if path.exists() and not force:
        raise IncidentFileError(f"{path}: already exists; use --force to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(starter_text(), encoding="utf-8")
    written = [path]
    schema = path.parent / SCHEMA_FILE
    if not schema.exists():
        schema.write_text(schema_json(), encoding="utf-8")
        written.append(schema)
    return tuple(written)

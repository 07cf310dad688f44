"""The Jinja environments of reports and reviews: one set-up, compiled templates cached."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates in the user's cache directory, or None when it is not writable.

    Compiling the templates costs a run about a tenth of a second. Jinja checks each
    entry against its template's source, so outputs never depend on the cache.
    """
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path("~/.cache").expanduser())
    folder = root / "postmortem" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def new_environment(
    loader: jinja2.BaseLoader,
    *,
    autoescape: bool,
    kind: type[jinja2.Environment] = jinja2.Environment,
) -> jinja2.Environment:
    """An environment with our settings: strict undefined names, tidy blocks, cached code."""
    return kind(
        loader=loader,
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode_cache(),
    )

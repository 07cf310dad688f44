"""The commands, one module per area; `postmortem.cli` puts them in one group."""

from __future__ import annotations

from typing import Any

import click


class LazyPath(click.Path):
    """click.Path giving pathlib.Path, without importing pathlib before a command runs."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path

        return Path(str(super().convert(value, param, ctx)))

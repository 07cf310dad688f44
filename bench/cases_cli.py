"""Start-up cost of the command line."""

from __future__ import annotations

from bench.registry import POSTMORTEM, PYTHON, Case, register

register(
    Case(
        name="postmortem --help",
        command=((POSTMORTEM, "--help"),),
        floor=((PYTHON, "-c", "import click"),),
        target=1.3,
    )
)

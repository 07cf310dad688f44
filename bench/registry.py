"""The benchmark registry: a case is a command, a floor command and the ratio allowed.

Add a case from a `bench/cases_<area>.py` module with `register(Case(...))`. In any argv,
`{work}` is replaced by the case's scratch directory (where `setup` wrote its inputs).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

Argv = tuple[str, ...]
PYTHON = sys.executable
POSTMORTEM = str(Path(sys.executable).with_name("postmortem"))


@dataclass(frozen=True)
class Case:
    """One benchmark: `command` must take at most `target` times as long as `floor`."""

    name: str
    command: tuple[Argv, ...]  #: argv lists run one after another and timed together
    floor: tuple[Argv, ...]  #: the reference, measured in the same run
    target: float  #: the largest acceptable median(command) / median(floor)
    setup: Callable[[Path], None] | None = None  #: writes inputs into the scratch directory
    #: run before every command run, untimed: takes away what the previous run left
    reset: Callable[[Path], None] | None = None
    skip: Callable[[], str | None] | None = None  #: a reason to skip, or None to run
    items: int | None = None  #: what `command` processes, to report a rate (items/s)
    min_rate: float | None = None  #: the lowest acceptable items per second of `command`
    max_rss_mib: float | None = None  #: the highest acceptable peak memory of `command`


CASES: list[Case] = []


def register(case: Case) -> Case:
    """Add a case; names must be unique."""
    if any(known.name == case.name for known in CASES):
        raise ValueError(f"benchmark {case.name!r} is registered twice")
    CASES.append(case)
    return case


@cache
def missing_command(name: str) -> str | None:
    """A skip reason when `postmortem NAME --help` fails (the command is not there yet)."""
    done = subprocess.run(
        [POSTMORTEM, name, "--help"], capture_output=True, check=False, timeout=60
    )
    return None if done.returncode == 0 else f"`postmortem {name}` does not exist yet"

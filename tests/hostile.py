"""Running the CLI on hostile input in a child process with a memory cap and a time limit.

A case that needs more memory than the cap dies (MemoryError or a kill), and one that
runs past the time limit is killed: both fail the test. The limit is a failure signal,
never something a test waits out.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

#: Address space for one case: the CLI with its libraries needs about 200 MiB of it.
MEMORY_MIB = 512
#: Wall-clock seconds for one case; every case needs well under this on a busy machine.
SECONDS = 60


@dataclass(frozen=True)
class Outcome:
    """What the command printed and how it exited."""

    code: int
    out: str
    err: str


def _cap_memory() -> None:
    limit = MEMORY_MIB * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_cli(*args: str | Path, cwd: Path, stdout: IO[str] | None = None) -> Outcome:
    """`postmortem ARGS` under MEMORY_MIB and SECONDS; killed past either, failing the test."""
    # fewer malloc arenas: each thread's arena would reserve 64 MiB of address space
    env = {**os.environ, "MALLOC_ARENA_MAX": "2", "POSTMORTEM_DEBUG": ""}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "postmortem", *map(str, args)],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=stdout or subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            timeout=SECONDS,
            preexec_fn=_cap_memory,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"postmortem {' '.join(map(str, args))}: still running after {SECONDS} s")
    return Outcome(done.returncode, done.stdout or "", done.stderr)


def assert_one_line_error(outcome: Outcome, *expected: str) -> str:
    """Exit status 1, no traceback, and an `Error:` line containing each `expected` text."""
    assert "Traceback" not in outcome.err, outcome.err
    assert "MemoryError" not in outcome.err, outcome.err
    assert outcome.code == 1, (outcome.code, outcome.err)
    lines = [line for line in outcome.err.splitlines() if line.startswith("Error:")]
    assert lines, outcome.err
    for text in expected:
        assert any(text in line for line in lines), (text, outcome.err)
    return "\n".join(lines)


def assert_no_crash(outcome: Outcome) -> None:
    """Any exit status but a crash: no traceback, not killed, not out of memory."""
    assert outcome.code in (0, 1), (outcome.code, outcome.err)
    assert "Traceback" not in outcome.err, outcome.err
    assert "MemoryError" not in outcome.err, outcome.err

"""The benchmark harness's arithmetic and parsing (nothing here is timed)."""

from __future__ import annotations

import subprocess
import sys

from bench.registry import CASES, Case
from bench.run import format_row, load_cases, parse_max_rss, summarize

TIME_V = """\
\tCommand being timed: "postmortem --help"
\tUser time (seconds): 0.07
\tSystem time (seconds): 0.01
\tPercent of CPU this job got: 98%
\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:00.08
\tAverage resident set size (kbytes): 0
\tMaximum resident set size (kbytes): 15232
\tAverage total size (kbytes): 0
\tExit status: 0
"""

CASE = Case(name="demo", command=(("true",),), floor=(("true",),), target=1.3)


def test_parse_max_rss() -> None:
    assert parse_max_rss(TIME_V) == 15232
    assert parse_max_rss("Command exited with non-zero status 1\n") is None


def test_summarize_takes_medians_and_the_ratio() -> None:
    result = summarize(
        CASE, [0.30, 0.10, 0.12, 0.11, 0.50], [0.10, 0.08, 0.09, 0.40, 0.10], [3, 1, 2]
    )
    assert result.command_s == 0.12
    assert result.floor_s == 0.10
    assert round(result.ratio, 6) == 1.2
    assert result.ok
    assert result.rss_kb == 2


def test_ratio_over_target_fails() -> None:
    result = summarize(CASE, [0.14], [0.10], [])
    assert not result.ok
    assert result.rss_kb is None
    assert format_row(result).split() == [
        "demo",
        "140.0",
        "100.0",
        "1.40",
        "1.30",
        "-",
        "TOO",
        "SLOW",
    ]


def test_cases_register_once_with_a_floor_and_target() -> None:
    cases = load_cases()
    assert {"postmortem --help", "build, Markdown only", "build, PDF"} <= {c.name for c in cases}
    assert len({c.name for c in CASES}) == len(CASES)
    assert all(c.command and c.floor and c.target > 0 for c in cases)


def test_help_imports_no_heavy_library() -> None:
    probe = (
        "import sys\n"
        "from postmortem.commands import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.splitlines()[-1].split())
    assert "click" in loaded
    heavy = {"weasyprint", "feedparser", "trafilatura", "httpx2", "bs4", "yaml", "pydantic"}
    assert loaded & (heavy | {"jinja2", "markdown_it"}) == set()


def test_rate_and_memory_limits_count() -> None:
    case = Case(
        name="rated", command=(("true",),), floor=(("true",),), target=2.0,
        items=10_000, min_rate=20_000, max_rss_mib=200,
    )  # fmt: skip
    fast = summarize(case, [0.4], [0.3], [100 * 1024])
    assert fast.rate == 25_000 and fast.ok
    assert "25,000/s (>= 20,000)" in format_row(fast)
    assert not summarize(case, [0.6], [0.3], [100 * 1024]).ok  # 16,667/s
    assert not summarize(case, [0.4], [0.3], [300 * 1024]).ok  # 300 MiB

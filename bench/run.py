"""Run the registered benchmarks and print medians, ratios and peak memory.

    python bench/run.py [--runs N] [-k TEXT]

Each case's command and its floor run alternately N times (after one warm-up run each);
the ratio is median(command) / median(floor). The exit status is 1 when any ratio exceeds
its case's target, so `make bench` shows a regression.
"""

from __future__ import annotations

import argparse
import importlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable as a package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.registry import CASES, Argv, Case

TIME = "/usr/bin/time"
_RSS = re.compile(r"Maximum resident set size \(kbytes\):\s*(\d+)")


@dataclass(frozen=True)
class Result:
    """The medians of one case and how they compare with its target."""

    name: str
    command_s: float
    floor_s: float
    target: float
    rss_kb: int | None
    items: int | None = None
    min_rate: float | None = None
    max_rss_mib: float | None = None

    @property
    def ratio(self) -> float:
        """median(command) / median(floor)."""
        return self.command_s / self.floor_s

    @property
    def rate(self) -> float | None:
        """Items the command processed per second of its median run, when it says."""
        return None if self.items is None else self.items / self.command_s

    @property
    def ok(self) -> bool:
        """True when the ratio, and any rate and memory limit, are within target."""
        slow = self.min_rate is not None and (self.rate or 0) < self.min_rate
        heavy = (
            self.max_rss_mib is not None
            and self.rss_kb is not None
            and self.rss_kb / 1024 > self.max_rss_mib
        )
        return self.ratio <= self.target and not slow and not heavy


def parse_max_rss(report: str) -> int | None:
    """Peak RSS in KiB from `/usr/bin/time -v` output, or None if it is not there."""
    found = _RSS.search(report)
    return int(found.group(1)) if found else None


def summarize(case: Case, command: list[float], floor: list[float], rss: list[int]) -> Result:
    """Medians of the timed runs (and of the peak RSS of each command run)."""
    return Result(
        name=case.name,
        command_s=statistics.median(command),
        floor_s=statistics.median(floor),
        target=case.target,
        rss_kb=int(statistics.median(rss)) if rss else None,
        items=case.items,
        min_rate=case.min_rate,
        max_rss_mib=case.max_rss_mib,
    )


def measure(steps: tuple[Argv, ...], work: Path) -> tuple[float, int | None]:
    """Wall time of the steps run in order, and the largest peak RSS among them."""
    peaks: list[int] = []
    total = 0.0
    report = work / ".time-report"
    for step in steps:
        argv = [part.replace("{work}", str(work)) for part in step]
        wrapped = [TIME, "-v", "-o", str(report), *argv] if Path(TIME).exists() else argv
        started = time.perf_counter()
        done = subprocess.run(wrapped, capture_output=True, check=False)
        total += time.perf_counter() - started
        if done.returncode != 0:
            tail = done.stderr.decode(errors="replace")[-800:]
            raise SystemExit(f"benchmark command failed ({done.returncode}): {argv}\n{tail}")
        if report.exists():
            peak = parse_max_rss(report.read_text(errors="replace"))
            peaks += [peak] if peak is not None else []
    return total, max(peaks, default=None)


def run_case(case: Case, runs: int) -> Result:
    """Warm up once, then alternate floor and command so drift hits both alike."""
    with tempfile.TemporaryDirectory(prefix="postmortem-bench-") as scratch:
        work = Path(scratch)
        if case.setup:
            case.setup(work)
        measure(case.floor, work)
        _reset(case, work)
        measure(case.command, work)
        command, floor, rss = [], [], []
        for _ in range(runs):
            floor.append(measure(case.floor, work)[0])
            _reset(case, work)
            seconds, peak = measure(case.command, work)
            command.append(seconds)
            rss += [peak] if peak is not None else []
        return summarize(case, command, floor, rss)


def _reset(case: Case, work: Path) -> None:
    if case.reset:
        case.reset(work)


def format_row(result: Result) -> str:
    """One table row: medians in ms, the ratio against the target, peak RSS in MiB."""
    rss = f"{result.rss_kb / 1024:7.1f}" if result.rss_kb is not None else "      -"
    verdict = "ok" if result.ok else "TOO SLOW"
    row = (
        f"{result.name:<44} {result.command_s * 1000:9.1f} {result.floor_s * 1000:9.1f} "
        f"{result.ratio:6.2f} {result.target:6.2f} {rss}  {verdict}"
    )
    if result.rate is not None:
        wanted = f" (>= {result.min_rate:,.0f})" if result.min_rate else ""
        row += f"  {result.rate:,.0f}/s{wanted}"
    if result.max_rss_mib is not None:
        row += f"  RSS <= {result.max_rss_mib:g} MiB"
    return row


HEADER = f"{'case':<44} {'cmd ms':>9} {'floor ms':>9} {'ratio':>6} {'target':>6} {'RSS MiB':>7}"


def compile_package() -> None:
    """Write the package's bytecode, as installing a wheel does.

    An editable install never gets any where PYTHONDONTWRITEBYTECODE is set, and every
    timed run would then measure Python compiling our modules rather than postmortem.
    """
    package = Path(__file__).resolve().parent.parent / "postmortem"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


def load_cases() -> list[Case]:
    """Import every `bench/cases_*.py` module; each registers its cases."""
    for module in sorted(Path(__file__).parent.glob("cases_*.py")):
        importlib.import_module(f"bench.{module.stem}")
    return list(CASES)


def main(argv: list[str] | None = None) -> int:
    """Run the selected cases; 1 if any ratio exceeds its target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (default 5)")
    parser.add_argument("-k", dest="select", default="", help="only cases whose name has TEXT")
    args = parser.parse_args(argv)
    if not Path(TIME).exists() or not shutil.which(TIME):
        print(f"note: {TIME} not found; peak RSS is not measured")
    compile_package()
    print(HEADER)
    failed = False
    for case in load_cases():
        if args.select not in case.name:
            continue
        reason = case.skip() if case.skip else None
        if reason:
            print(f"{case.name:<44} skipped: {reason}")
            continue
        result = run_case(case, args.runs)
        failed = failed or not result.ok
        print(format_row(result), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

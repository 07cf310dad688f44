"""Review benchmarks: archive import, a month of GitHub history, and scaling with size.

Run standalone with `python bench/cases_review.py` (from the repository, inside the venv).
Each figure is the median of several runs; ratios compare against floors measured in the
same run, so the numbers travel between machines.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.registry import Case, register  # noqa: E402
from postmortem.archive import Archive  # noqa: E402
from postmortem.model import ComponentChange, Update, VendorIncident  # noqa: E402

CORPUS = Path(os.environ.get("POSTMORTEM_CORPUS", ROOT.parent / "shared" / "corpus"))
HISTORY = CORPUS / "statuspage/github/incidents-json/all-github-incidents-2010-2023.jsonl.gz"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def median_seconds(action: Callable[[], object], runs: int = RUNS) -> float:
    """Median wall time of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(argv: list[str], cwd: Path | None = None) -> None:
    subprocess.run(argv, check=True, cwd=cwd, stdout=subprocess.DEVNULL)


def peak_rss_mib(argv: list[str], cwd: Path | None = None) -> float | None:
    """Peak RSS of a command via `/usr/bin/time -v`, when that tool exists."""
    if not Path("/usr/bin/time").exists():
        return None
    done = subprocess.run(
        ["/usr/bin/time", "-v", *argv], cwd=cwd, capture_output=True, text=True, check=True
    )
    for line in done.stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.split(":")[1]) / 1024
    return None


def synthetic(count: int, updates_each: int, seed: int = 7) -> list[VendorIncident]:
    """Deterministic fake vendor incidents spread over ten weeks."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, tzinfo=UTC)
    found = []
    for n in range(count):
        begin = start + timedelta(minutes=rng.randrange(70 * 24 * 60))
        length = timedelta(minutes=rng.randrange(1, 600))
        steps = [begin + length * i / (updates_each - 1) for i in range(updates_each)]
        updates = tuple(
            Update(
                at,
                "resolved" if i == updates_each - 1 else "update",
                "Update",
                f"Update {i} of incident {n}.",
                (ComponentChange("API", "operational", "partial_outage"),) if i == 0 else (),
            )
            for i, at in enumerate(steps)
        )
        found.append(
            VendorIncident(
                f"syn{n:06d}",
                f"Synthetic {n}",
                "",
                "resolved",
                "minor",
                begin,
                begin + length,
                ("API",),
                updates,
            )
        )
    return found


def bench_import() -> None:
    if not HISTORY.is_file():
        print(f"skip archive import: {HISTORY} not found (set POSTMORTEM_CORPUS)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(1000))

        def once() -> None:
            run(
                [
                    sys.executable,
                    "-m",
                    "postmortem",
                    "archive",
                    "import",
                    str(HISTORY),
                    "--vendor",
                    "GitHub",
                    "--project",
                    str(project(Path(tmp), next(counter))),
                ]
            )

        seconds = median_seconds(once, runs=3)
    floor = median_seconds(lambda: run([sys.executable, "-c", "import click, pydantic"]))
    print(
        f"archive import, 1,282 incidents: {seconds:.2f} s (target <= 3 s); "
        f"{seconds / floor:.1f}x python start-up with click+pydantic"
    )


def project(folder: Path, n: int) -> Path:
    path = folder / f"p{n}" / "postmortem.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("timezone: UTC\nincidents: []\n", encoding="utf-8")
    return path


def bench_month() -> None:
    if not HISTORY.is_file():
        print(f"skip GitHub month: {HISTORY} not found")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        proj = project(folder, 0)
        run(
            [
                sys.executable,
                "-m",
                "postmortem",
                "archive",
                "import",
                str(HISTORY),
                "--vendor",
                "GitHub",
                "--project",
                str(proj),
            ]
        )
        argv = [
            sys.executable,
            "-m",
            "postmortem",
            "review",
            "--project",
            str(proj),
            "--since",
            "2023-09-01",
            "--until",
            "2023-09-30",
            "-f",
            "md",
            "-o",
            str(folder / "out"),
        ]
        seconds = median_seconds(lambda: run(argv))
        rss = peak_rss_mib(argv)
    floor = median_seconds(lambda: run([sys.executable, "-c", "import click, jinja2, pydantic"]))
    print(
        f"review of September 2023 (GitHub): {seconds:.2f} s wall, peak "
        f"{rss or float('nan'):.0f} MiB; peer: 0.54-0.70 s at 85 MiB; "
        f"{seconds / floor:.1f}x the import floor"
    )


def bench_scaling() -> None:
    from postmortem.export.review import render_review_markdown
    from postmortem.periods import Period, iso_week
    from postmortem.review import build_review
    from postmortem.review_inputs import load_vendor

    results = {}
    for count in (1000, 5000, 10000):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "a.sqlite"
            with Archive.open(path) as store:
                store.store("Synthetic", synthetic(count, 10))
            period = iso_week("2026-W10", "UTC")

            def once(path: Path = path, period: Period = period) -> None:
                vendors = load_vendor(path, period)
                render_review_markdown(build_review([], vendors, period))

            results[count] = median_seconds(once, runs=3)
    base = results[1000]
    for count, seconds in results.items():
        print(
            f"review over {count:>6} incidents / {count * 10:>7} updates: {seconds:.2f} s "
            f"({seconds / base:.1f}x the 1k case; linear would be {count / 1000:.0f}x)"
        )
    print(f"target: 1k incidents and 10k updates <= 1.5 s -> {'ok' if base <= 1.5 else 'SLOW'}")


def _project(work: Path) -> None:
    proj = project(work, 0)
    run(
        [
            sys.executable,
            "-m",
            "postmortem",
            "archive",
            "import",
            str(HISTORY),
            "--vendor",
            "GitHub",
            "--project",
            str(proj),
        ]
    )


def _import_project(work: Path) -> None:
    project(work, 1)


def _synthetic(work: Path) -> None:
    for count in (1000, 10000):
        with Archive.open(work / f"s{count}.sqlite") as store:
            store.store("Synthetic", synthetic(count, 10))


def review_synthetic(path: Path) -> None:
    """Review one week of a synthetic archive (run by the harness as a script)."""
    from postmortem.export.review import render_review_markdown
    from postmortem.periods import iso_week
    from postmortem.review import build_review
    from postmortem.review_inputs import load_vendor

    period = iso_week("2026-W10", "UTC")
    render_review_markdown(build_review([], load_vendor(path, period), period))


def _no_history() -> str | None:
    return None if HISTORY.is_file() else f"corpus not found at {HISTORY}"


_IMPORTS = (sys.executable, "-c", "import click, jinja2, yaml, pydantic")
register(
    Case(
        name="review a month of GitHub history (Sept 2023)",
        command=(
            (
                sys.executable,
                "-m",
                "postmortem",
                "review",
                "--project",
                "{work}/p0/postmortem.yaml",
                "--since",
                "2023-09-01",
                "--until",
                "2023-09-30",
                "-f",
                "md",
                "-o",
                "{work}/out",
            ),
        ),
        floor=(_IMPORTS,),
        target=2.5,
        setup=_project,
        skip=_no_history,
    )
)
register(
    Case(
        name="archive import, 1,282 GitHub incidents",
        command=(
            (
                sys.executable,
                "-m",
                "postmortem",
                "archive",
                "import",
                str(HISTORY),
                "--vendor",
                "GitHub",
                "--project",
                "{work}/p1/postmortem.yaml",
            ),
        ),
        floor=(
            (
                sys.executable,
                "-c",
                f"import gzip, json; [json.loads(l) for l in gzip.open({str(HISTORY)!r})]",
            ),
        ),
        target=6.0,
        setup=_import_project,
        skip=_no_history,
    )
)
register(
    Case(
        name="review 10k incidents vs 1k (linear is 10x)",
        command=((sys.executable, __file__, "scale", "{work}/s10000.sqlite"),),
        floor=((sys.executable, __file__, "scale", "{work}/s1000.sqlite"),),
        target=10.0,
        setup=_synthetic,
    )
)


if __name__ == "__main__" and sys.argv[1:2] == ["scale"]:
    review_synthetic(Path(sys.argv[2]))
elif __name__ == "__main__":
    bench_import()
    bench_month()
    bench_scaling()

"""Review benchmarks: archive import, a month of GitHub history, and scaling with size.

Registered with the harness (`make bench`); the 10k-vs-1k case runs this file as a script.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.registry import Case, register  # noqa: E402
from postmortem.model import ComponentChange, Update, VendorIncident  # noqa: E402
from postmortem.review.archive import Archive  # noqa: E402

CORPUS = Path(os.environ.get("POSTMORTEM_CORPUS", ROOT.parent / "shared" / "corpus"))
HISTORY = CORPUS / "statuspage/github/incidents-json/all-github-incidents-2010-2023.jsonl.gz"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


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


def project(folder: Path, n: int) -> Path:
    path = folder / f"p{n}" / "postmortem.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("timezone: UTC\nincidents: []\n", encoding="utf-8")
    return path


def _project(work: Path) -> None:
    argv = [sys.executable, "-m", "postmortem", "archive", "import", str(HISTORY)]
    argv += ["--vendor", "GitHub", "--project", str(project(work, 0))]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)


def _import_project(work: Path) -> None:
    project(work, 1)


def _synthetic(work: Path) -> None:
    for count in (1000, 10000):
        with Archive.open(work / f"s{count}.sqlite") as store:
            store.store("Synthetic", synthetic(count, 10))


def review_synthetic(path: Path) -> None:
    """Review one week of a synthetic archive (run by the harness as a script)."""
    from postmortem.render.review import render_review_markdown
    from postmortem.review.assemble import build_review
    from postmortem.review.inputs import load_vendor
    from postmortem.review.periods import iso_week

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


if __name__ == "__main__":  # the harness runs `python cases_review.py scale ARCHIVE`
    review_synthetic(Path(sys.argv[2]))

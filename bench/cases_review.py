"""Review benchmarks: archive import, a month of GitHub history, and scaling with size.

The scale cases use a history generated from the corpus's distributions (bench/history.py):
a month's review on a 100,000-incident archive against the same review on its newest
1,000 incidents, and the import rate of that history.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.registry import Case, register  # noqa: E402

CORPUS = Path(os.environ.get("POSTMORTEM_CORPUS", ROOT.parent / "shared" / "corpus"))
HISTORY = CORPUS / "statuspage/github/incidents-json/all-github-incidents-2010-2023.jsonl.gz"


def history_path(count: int) -> Path:
    """Where the generated history of `count` incidents is kept between runs."""
    return Path(tempfile.gettempdir()) / f"postmortem-bench-history-v2-{count}.jsonl"


def history(count: int) -> Path:
    """A JSON-lines history of `count` incidents drawn from the corpus (kept between runs)."""
    from bench.history import distributions, write_history

    cache = history_path(count)
    if not cache.is_file():
        partial = cache.with_suffix(".partial")
        write_history(distributions(HISTORY), count, partial)
        partial.replace(cache)
    return cache


def project(folder: Path, n: int) -> Path:
    path = folder / f"p{n}" / "postmortem.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("timezone: UTC\nincidents: []\n", encoding="utf-8")
    return path


def _archive_import(dump: Path, project_file: str) -> tuple[str, ...]:
    """`postmortem archive import` of a GitHub dump into the project's archive."""
    return (
        sys.executable,
        "-m",
        "postmortem",
        "archive",
        "import",
        str(dump),
        "--vendor",
        "GitHub",
        "--project",
        project_file,
    )


def _project(work: Path) -> None:
    argv = _archive_import(HISTORY, str(project(work, 0)))
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)


def _import_project(work: Path) -> None:
    project(work, 1)


def _scale(work: Path) -> None:
    """Two archives of the same generated history: its newest 1,000 incidents, and 100,000."""
    from postmortem.review.dump import import_dump

    for n, count in ((2, 1000), (3, 100_000)):
        folder = project(work, n).parent
        import_dump(folder / ".postmortem" / "archive.sqlite", history(count), "GitHub")


def _import_synthetic(work: Path) -> None:
    project(work, 4)
    history(IMPORTED)


def _no_archive(work: Path) -> None:
    shutil.rmtree(work / "p4" / ".postmortem", ignore_errors=True)


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
        command=(_archive_import(HISTORY, "{work}/p1/postmortem.yaml"),),
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


def _review(n: int) -> tuple[str, ...]:
    project_file, out = f"{{work}}/p{n}/postmortem.yaml", f"{{work}}/out{n}"
    argv = [sys.executable, "-m", "postmortem", "review", "--project", project_file]
    return (*argv, "--month", "2023-09", "-f", "md", "-o", out)


register(
    Case(
        name="review a month: 100k-incident archive vs 1k",
        command=(_review(3),),
        floor=(_review(2),),
        target=1.5,
        setup=_scale,
        skip=_no_history,
        max_rss_mib=200,
    )
)
IMPORTED = 100_000  #: the whole generated history, as the target is stated
register(
    Case(
        name="archive import, 100k synthetic incidents",
        # Every timed run is a first import, as the target means: the archive the warm-up
        # (or the previous run) wrote is removed before it, untimed.
        command=(_archive_import(history_path(IMPORTED), "{work}/p4/postmortem.yaml"),),
        floor=(
            (
                sys.executable,
                "-c",
                f"import json; [json.loads(l) for l in open({str(history_path(IMPORTED))!r})]",
            ),
        ),
        target=30.0,
        setup=_import_synthetic,
        reset=_no_archive,
        skip=_no_history,
        items=IMPORTED,
        min_rate=20_000,
    )
)

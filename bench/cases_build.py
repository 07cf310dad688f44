"""`postmortem build` against the libraries it cannot be faster than.

Skipped, with the reason printed, until the `build` command exists.
"""

from __future__ import annotations

import subprocess
from functools import partial
from pathlib import Path

from bench.registry import POSTMORTEM, PYTHON, Case, missing_command, register

MANY = 20
_RAW_WEASYPRINT = (
    "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"
)


def write_incidents(work: Path, count: int = 1) -> None:
    """Write `count` copies of the starter incident, each with its own id."""
    from postmortem.spec.starter import starter_text

    text = starter_text()
    for index in range(count):
        name = f"incident-{index:02d}.yaml" if count > 1 else "incident.yaml"
        (work / name).write_text(text.replace("INC-2026-0512", f"INC-2026-{index:04d}"))


def write_incident_and_html(work: Path) -> None:
    """The incident, plus the HTML the build makes of it for the raw WeasyPrint floor."""
    write_incidents(work)
    build = (POSTMORTEM, "build", str(work / "incident.yaml"), "--offline", "-f", "html")
    subprocess.run([*build, "-o", str(work / "html")], check=True, capture_output=True)
    (html,) = (work / "html").glob("*.html")
    html.rename(work / "report.html")


def _build(*args: str) -> tuple[str, ...]:
    return (POSTMORTEM, "build", *args, "--offline", "-o", "{work}/out")


_skip = partial(missing_command, "build")

register(
    Case(
        name="build, Markdown only",
        command=(_build("{work}/incident.yaml", "-f", "md"),),
        floor=((PYTHON, "-c", "import click, jinja2, yaml, pydantic"),),
        target=2.0,
        setup=write_incidents,
        skip=_skip,
    )
)
register(
    Case(
        name="build, PDF",
        command=(_build("{work}/incident.yaml", "-f", "pdf"),),
        floor=((PYTHON, "-c", _RAW_WEASYPRINT, "{work}/report.html", "{work}/raw.pdf"),),
        target=1.15,
        setup=write_incident_and_html,
        skip=_skip,
    )
)
register(
    Case(
        name=f"build, {MANY} PDFs in one call vs {MANY} calls",
        command=(_build(*(f"{{work}}/incident-{i:02d}.yaml" for i in range(MANY)), "-f", "pdf"),),
        floor=tuple(_build(f"{{work}}/incident-{i:02d}.yaml", "-f", "pdf") for i in range(MANY)),
        target=0.5,
        setup=partial(write_incidents, count=MANY),
        skip=_skip,
    )
)


def write_offline_sample(work: Path) -> None:
    """The bundled sample with its evidence, built once so its snapshots are collected,
    and the same incident file without sources as the floor."""
    root = Path(__file__).resolve().parent.parent / "samples"
    (work / "evidence").mkdir()
    for path in (root / "evidence").iterdir():
        (work / "evidence" / path.name).write_bytes(path.read_bytes())
    text = (root / "acme-2026-03-20.yaml").read_text(encoding="utf-8")
    (work / "sample.yaml").write_text(text, encoding="utf-8")
    head, _, tail = text.partition("\nsources:\n")
    (work / "nosources.yaml").write_text(head + "\nsections:" + tail.split("\nsections:", 1)[1])
    argv = [a.replace("{work}", str(work)) for a in _build(str(work / "sample.yaml"), "-f", "md")]
    subprocess.run(argv, check=True, capture_output=True)


register(
    Case(
        name="offline rebuild of the sample vs no sources",
        command=(_build("{work}/sample.yaml", "-f", "md"),),
        floor=(_build("{work}/nosources.yaml", "-f", "md"),),
        target=1.1,
        setup=write_offline_sample,
        skip=_skip,
    )
)

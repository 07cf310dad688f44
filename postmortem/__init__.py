"""postmortem: turn an outage into a finished post-mortem.

The library API, which the command line only maps flags onto::

    import postmortem

    incident = postmortem.load_incident("incidents/incident.yaml")
    report = postmortem.build_report(incident, base_dir=Path("incidents"))
    postmortem.write_outputs(report, ["md", "html"], Path("out"))

Each function imports what it needs when called, so `import postmortem` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from os import PathLike
    from pathlib import Path

    from postmortem.export.build import Built as Built
    from postmortem.export.build import build_files as build_files
    from postmortem.export.pdf import RenderPdf
    from postmortem.model import Report
    from postmortem.publish.outcome import Publication as Publication
    from postmortem.publish.outcome import Published as Published
    from postmortem.publish.run import PublishOptions as PublishOptions
    from postmortem.publish.run import publish_report as publish_report
    from postmortem.report.build import ReportOptions as ReportOptions
    from postmortem.report.evidence import Fetch
    from postmortem.review.inputs import review_period as review_period
    from postmortem.review.model import Review
    from postmortem.spec.incident import Incident

__version__ = "0.1.0"
__all__ = [
    "Built",
    "Publication",
    "PublishOptions",
    "Published",
    "ReportOptions",
    "build_files",
    "build_report",
    "load_incident",
    "publish_report",
    "review_period",
    "write_outputs",
]


def load_incident(path: str | PathLike[str]) -> Incident:
    """Read and validate an incident file; every problem at once, with line and column."""
    from pathlib import Path

    from postmortem.spec.loader import load_incident as load

    return load(Path(path))


def build_report(
    incident: Incident,
    *,
    base_dir: Path | None = None,
    fetch: Fetch | None = None,
    options: ReportOptions | None = None,
) -> Report:
    """Collect the incident's evidence and assemble the typed report.

    `base_dir` is where the incident file lives (default: here); its `path:` sources,
    `templates:` and snapshot store are found from it. `fetch` reads URLs (default: the
    guarded client, with `options`' offline, refresh and allow_hosts).
    """
    from pathlib import Path

    from postmortem.report.build import ReportOptions as ReportOptions
    from postmortem.report.build import build_report as build

    folder = base_dir or Path()
    return build(incident, base_dir=folder, fetch=fetch, options=options or ReportOptions())


def write_outputs(
    document: Report | Review,
    formats: Sequence[str],
    out_dir: Path,
    *,
    incident_file: Path | None = None,
    pdf: RenderPdf | None = None,
    archival: bool = False,
) -> tuple[Path, ...]:
    """Write a report or review in each format (md, html, json, pdf) into `out_dir`.

    A report's PDF is archival (PDF/A-3b) when its options say so; a review's when
    `archival` is given.
    """
    from postmortem.export.documents import ReportDocument, ReviewDocument
    from postmortem.export.writers import write_outputs as write
    from postmortem.model import Report

    if isinstance(document, Report):
        return write(
            ReportDocument(document, incident_file=incident_file, pdf=pdf), formats, out_dir
        )
    return write(ReviewDocument(document, pdf=pdf, archival=archival), formats, out_dir)


#: Names served straight from their stage, imported on first use like everything here.
_LAZY = {
    "Built": "postmortem.export.build",
    "build_files": "postmortem.export.build",
    "Publication": "postmortem.publish.outcome",
    "PublishOptions": "postmortem.publish.run",
    "Published": "postmortem.publish.outcome",
    "ReportOptions": "postmortem.report.build",
    "publish_report": "postmortem.publish.run",
    "review_period": "postmortem.review.inputs",
}


def __getattr__(name: str) -> Any:
    """The names in `_LAZY` (`build_files`, `publish_report`, …), loaded when first used."""
    if name not in _LAZY:
        raise AttributeError(f"module 'postmortem' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name]), name)

"""`postmortem publish`: build the report as `build` would, then hand it to each target.

Publishing is an output that is not a file: the Markdown and the PDF come from the same
writers (`export/writers.py`) that `build` writes to disk, and go to trackers instead.
Each target succeeds or fails alone and ends in one `Published`; a failure's message has
been scrubbed of every credential the environment holds. `publish_report` is the whole of
`postmortem publish` for one incident file, as the library offers it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem.errors import PostmortemError
from postmortem.publish.content import Package, make_package
from postmortem.publish.outcome import Publication, Published
from postmortem.publish.targets import PublishError, Target, all_secrets, parse_target
from postmortem.report.build import ReportOptions

if TYPE_CHECKING:
    from os import PathLike

    from postmortem.export.pdf import RenderPdf
    from postmortem.publish.session import Session

DEADLINE = 120.0  #: seconds per request, uploads included
MAX_ANSWER = 32 * 2**20  #: a page of 100 GitHub comments may reach several MB


@dataclass(frozen=True, slots=True)
class PublishOptions:
    """What the command line can change; `report` is shared with `postmortem build`."""

    report: ReportOptions = field(default_factory=ReportOptions)
    targets: tuple[str, ...] = ()  #: `--to`; empty: the incident file's `tickets:`
    dry_run: bool = False
    replace: bool = False
    pdf_url: str | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """One incident built and ready to send."""

    source: Path
    package: Package
    targets: tuple[str, ...]  #: `--to`, else the file's `tickets:`
    warnings: tuple[str, ...]  #: the build's, `FILE: message`
    trackers: Mapping[str, str]  #: postmortem.yaml `trackers:`


def publish(
    prepared: Prepared,
    options: PublishOptions,
    *,
    env: Mapping[str, str],
    echo: Callable[[str], None] | None = None,
    progress: Callable[[Published], None] | None = None,
) -> tuple[Published, ...]:
    """Publish a prepared incident to each of its targets; one result per target.

    `echo` receives each request as it is sent (or, on a dry run, instead of sending it);
    `progress` each outcome as soon as its target is done.
    """
    from postmortem.collectors.fetch.client import Fetcher
    from postmortem.collectors.fetch.snapshots import store_for
    from postmortem.publish.session import LEDGER, Session

    secrets = all_secrets(env)
    outcomes = []
    with Fetcher(
        None,
        allow_hosts=options.report.allow_hosts,
        deadline=DEADLINE,
        read_timeout=60.0,
        max_bytes=MAX_ANSWER,
    ) as fetcher:
        session = Session(
            fetcher,
            env,
            secrets,
            trackers=prepared.trackers,
            dry_run=options.dry_run,
            replace=options.replace,
            echo=echo,
            ledger=store_for(prepared.source) / LEDGER,
        )
        for text in prepared.targets:
            try:
                done = publish_one(parse_target(text), prepared.package, session)
                outcome = replace(done, target=text)
            except PostmortemError as exc:
                outcome = Published(text, False, secrets.redact(str(exc)))
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
    return tuple(outcomes)


def publish_one(target: Target, package: Package, session: Session) -> Published:
    """Publish to one target; what was done."""
    from postmortem.publish import confluence, github, gitlab, jira, servicenow

    handlers = {
        "jira": jira.publish,
        "gitlab": gitlab.publish,
        "github": github.publish,
        "servicenow": servicenow.publish,
        "confluence": confluence.publish,
    }
    return handlers[target.tracker](target, package, session)


def prepare(path: Path, options: PublishOptions, *, pdf: RenderPdf | None = None) -> Prepared:
    """Build `path` as `build` would (Markdown and PDF through the writers), find its targets
    and the project's tracker URLs."""
    from postmortem.export.documents import ReportDocument
    from postmortem.export.writers import render_outputs
    from postmortem.report.build import build_report
    from postmortem.review.inputs import load_project
    from postmortem.spec.loader import load_incident
    from postmortem.spec.project import find_project

    incident = load_incident(path)
    targets = options.targets or tuple(incident.tickets)
    if not targets:
        raise PublishError(
            f"{path}: nowhere to publish; give --to jira:OPS-123 (or another target) "
            "or list them under tickets: in the incident file"
        )
    report = build_report(incident, base_dir=path.parent, options=options.report)
    document = ReportDocument(report, incident_file=path, pdf=pdf)
    rendered = render_outputs(document, ("md", "pdf"))
    stem = document.stem
    project_file = find_project(path.parent)
    project = load_project(project_file) if project_file else None
    pdf_url = options.pdf_url
    reports = project.reports if project is not None else None
    if pdf_url is None and reports and reports.startswith(("https://", "http://")):
        pdf_url = f"{reports.rstrip('/')}/{stem}.pdf"
    markdown = rendered[f"{stem}.md"].decode()
    package = make_package(report, stem, markdown, rendered[f"{stem}.pdf"], pdf_url)
    trackers = {str(k): v for k, v in project.trackers.items()} if project is not None else {}
    warnings = tuple(f"{path}: {w}" for w in report.warnings)
    return Prepared(path, package, targets, warnings, trackers)


def publish_report(
    incident_file: str | PathLike[str],
    options: PublishOptions | None = None,
    *,
    env: Mapping[str, str] | None = None,
    pdf: RenderPdf | None = None,
    echo: Callable[[str], None] | None = None,
    progress: Callable[[Published], None] | None = None,
) -> Publication:
    """Build an incident file as `postmortem build` would and publish it to each target.

    Targets are `options.targets`, else the file's `tickets:`. Credentials and tracker URLs
    come from `env` (default: the process environment) and the project's `trackers:`.
    A target that fails is a result with `ok=False`; a file that cannot be built, or has
    nowhere to go, raises `PostmortemError`. `echo` receives each request (`-v`, dry runs),
    `progress` each result as soon as its target is done.
    """
    import os

    chosen = options or PublishOptions()
    prepared = prepare(Path(incident_file), chosen, pdf=pdf)
    environment = os.environ if env is None else env
    results = publish(prepared, chosen, env=environment, echo=echo, progress=progress)
    return Publication(prepared.source, prepared.warnings, results)

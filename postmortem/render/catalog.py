"""What templates can use: the built-in files per style and every variable they receive.

`postmortem templates` prints this, and a test keeps the README's copy identical.
"""

from __future__ import annotations

import dataclasses
import typing

from postmortem import model
from postmortem.render import BUILTIN, STYLES, digest

#: Records reachable from `report`, documented in this order.
RECORDS = (
    model.Report,
    model.Milestone,
    model.Window,
    model.ImpactFigure,
    model.TimelineRow,
    model.ComponentChange,
    model.Metric,
    model.Section,
    model.Sentence,
    model.ActionItem,
    model.SourceRecord,
    model.Flag,
    model.RenderOptions,
    digest.Digest,
    digest.KeyRow,
    digest.Entry,
    digest.ComponentGroup,
)

EXTRAS = (
    ("zone", "str", "the display time zone (same as report.timezone)"),
    ("two_zones", "bool", "false when the display zone is UTC: one time column is enough"),
    ("digest", "Digest", "the timeline's key rows and the evidence appendix entries"),
    ("components", "tuple[ComponentGroup, ...]", "component windows, identical ones as one"),
    (
        "section(key)",
        "Section",
        "the prose section summary, impact, root_cause, remediation or lessons",
    ),
)
FILTERS = (
    ("md", "escape untrusted text for Markdown (no links, HTML or emphasis)"),
    ("block", "like md, but keeps paragraphs, line breaks and bullets of multi-line text"),
    ("local", "a UTC datetime in the display zone, zone named: 2026-03-20 04:05 CET"),
    ("utc", "a datetime in UTC: 2026-03-20 03:05 UTC"),
    ("duration", 'a timedelta as 1 h 47 min; None as "not known"'),
    ("number", "4200 as 4,200"),
    ("cite", "source numbers as [1] [2] links to the Sources section"),
    ("gantt", "the report's windows and milestones as a Mermaid gantt block"),
)


def _type_name(annotation: object) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    text = str(annotation).replace("typing.", "").replace("postmortem.model.", "")
    text = text.replace("postmortem.render.digest.", "")
    return text.replace("datetime.", "").replace("NoneType", "None")


def template_files() -> dict[str, list[str]]:
    """Template files by style; `common` ones serve every style unless the style has its own."""
    found = {}
    for style in (*STYLES, "common"):
        root = BUILTIN / style
        found[style] = sorted(str(p.relative_to(root)) for p in root.rglob("*.j2"))
    return found


def describe() -> str:
    """The full catalogue as Markdown."""
    lines = ["Styles: " + ", ".join(f"`{s}`" for s in STYLES) + ".", ""]
    for style, files in template_files().items():
        lines.append(f"- `{style}`: " + ", ".join(f"`{f}`" for f in files))
    lines += ["", "Every template receives:", ""]
    lines += ["- `report` (Report): the whole report, fields below"]
    lines += [f"- `{name}` ({kind}): {text}" for name, kind, text in EXTRAS]
    lines += ["", "Filters:", ""]
    lines += [f"- `{name}`: {text}" for name, text in FILTERS]
    for record in RECORDS:
        lines += ["", f"`{record.__name__}`: {(record.__doc__ or '').strip().splitlines()[0]}", ""]
        hints = typing.get_type_hints(record)
        for field in dataclasses.fields(record):
            lines.append(f"- `{field.name}`: `{_type_name(hints[field.name])}`")
        for name, value in vars(record).items():
            if isinstance(value, property):
                lines.append(f"- `{name}` (computed): {(value.__doc__ or '').strip()}")
    return "\n".join(lines) + "\n"

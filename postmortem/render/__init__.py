"""Render a Report through Jinja2 templates into Markdown, and Markdown into safe HTML.

Templates load from the user's directories first, then the chosen built-in style, then the
shared built-ins; `default:` names the built-ins, so an override can extend the stock file
and replace one block. User templates run sandboxed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

import jinja2

from postmortem.errors import RenderError
from postmortem.limits import TEMPLATE_OUTPUT_CHARS
from postmortem.model import Report, Section
from postmortem.render import filters
from postmortem.render.charts import gantt
from postmortem.render.digest import component_groups, key_facts
from postmortem.render.environment import new_environment

BUILTIN = Path(__file__).parent / "templates"
STYLES = ("default", "sre")


def _builtin_loader(style: str) -> jinja2.BaseLoader:
    if style not in STYLES:
        raise RenderError(f"unknown style {style!r}; choose one of: {', '.join(STYLES)}")
    return jinja2.FileSystemLoader([BUILTIN / style, BUILTIN / "common"])


def make_environment(style: str, template_dirs: Sequence[Path] = ()) -> jinja2.Environment:
    """The environment for Markdown templates of `style`, user directories first."""
    for folder in template_dirs:
        if not folder.is_dir():
            raise RenderError(f"{folder}: template directory not found")
    builtin = _builtin_loader(style)
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"default": builtin}, delimiter=":"),
            jinja2.FileSystemLoader([str(d) for d in template_dirs]),
            builtin,
        ]
    )
    kind: type[jinja2.Environment] = jinja2.Environment
    if template_dirs:  # user templates are untrusted code: sandbox them, with limits
        from postmortem.render.sandbox import BoundedSandbox

        kind = BoundedSandbox
    # Markdown output must not be HTML-escaped; every untrusted value goes through `md`.
    env = new_environment(loader, autoescape=False, kind=kind)
    env.filters.update(
        md=filters.md_escape,
        block=filters.md_block,
        md_url=filters.md_url,
        utc=filters.utc_time,
        duration=filters.duration,
        number=filters.number,
        cite=filters.cite,
        gantt=gantt,
        capped=filters.capped,
        cut_note=filters.cut_note,
    )
    return env


def render_markdown(report: Report, *, template_dirs: Sequence[Path] | None = None) -> str:
    """The report as GitHub/GitLab-flavoured Markdown.

    Templates come from `template_dirs` (default: the report's own), then the built-ins.
    """
    if template_dirs is None:
        template_dirs = report.render.template_dirs
    style = report.style
    env = make_environment(style, template_dirs)
    sections = {s.key: s for s in report.sections}

    def section(key: str) -> Section:
        return sections[key]

    env.filters["local"] = partial(filters.local_time, zone=report.timezone)
    if template_dirs:  # before any template is compiled: compiled code holds the filters
        from postmortem.render.sandbox import BoundedSandbox

        assert isinstance(env, BoundedSandbox)
        env.bound_filters()
    searched = [*(str(d) for d in template_dirs), str(BUILTIN / style)]
    try:
        template = env.get_template("report.md.j2")
        text = _run(
            env,
            template,
            report=report,
            zone=report.timezone,
            two_zones=not filters.is_utc(report.timezone),
            section=section,
            digest=key_facts(report),
            components=component_groups(report.component_windows),
        )
    except jinja2.TemplateNotFound as exc:
        raise RenderError(
            f"template {exc.name!r} not found; searched: {', '.join(searched)}"
        ) from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{_template_place(exc)}: {exc.message}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise RenderError(f"{_template_place(exc)}: refused by the sandbox: {exc}") from None
    except RenderError:
        raise
    except RecursionError as exc:
        raise RenderError(f"{_template_place(exc)}: recursion too deep") from None
    except Exception as exc:  # a template's own bug: 1/0, a wrong type
        raise RenderError(f"{_template_place(exc)}: {type(exc).__name__}: {exc}") from None
    return _tidy(text)


def _run(env: jinja2.Environment, template: jinja2.Template, **context: object) -> str:
    """Render; in the sandbox, streamed within its time and output limits."""
    if not getattr(env, "sandboxed", False):
        return template.render(**context)
    from postmortem.render.sandbox import BoundedSandbox, TemplateLimit

    assert isinstance(env, BoundedSandbox)  # the only sandbox make_environment builds
    with env.run():
        parts, size = [], 0
        for part in template.generate(**context):
            size += len(part)
            if size > TEMPLATE_OUTPUT_CHARS:
                raise TemplateLimit(f"output larger than {TEMPLATE_OUTPUT_CHARS} characters")
            env.tick()
            parts.append(part)
        return "".join(parts)


def _template_place(exc: Exception) -> str:
    tb = exc.__traceback__
    place = "template"
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_filename.endswith(".j2"):
            place = f"{frame.f_code.co_filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return place


def _tidy(text: str) -> str:
    """Blank lines around headings, never two in a row, and one newline at the end."""
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if line.startswith("#") and lines and lines[-1]:
            lines.append("")  # a heading right after a table or list needs a blank line
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip() + "\n"

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from postmortem import build_files
from postmortem.commands import cli
from postmortem.errors import RenderError
from postmortem.render import render_markdown
from postmortem.report.assemble import assemble_report
from postmortem.report.build import ReportOptions
from postmortem.report.evidence import Evidence
from postmortem.spec.loader import load_incident_text
from tests.fetch_server import Server

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "samples" / "acme-2026-03-20.yaml"

PLAIN = """\
id: INC-7
title: Payments slow
timezone: America/New_York
milestones:
  started: 2026-03-08T01:30:00
  resolved: 2026-03-08T03:30:00
timeline:
  - at: 2026-03-08T01:45:00
    text: Alert fired
    star: true
"""


def write(tmp_path: Path, text: str, name: str = "incident.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_pdf_has_sections_in_order_metadata_and_attachments(tmp_path: Path) -> None:
    (result,) = build_files([ACME], ReportOptions(offline=True), out_dir=tmp_path, formats=("pdf",))
    assert result.error is None
    (pdf,) = result.outputs
    assert (
        pdf.name == "NW-2026-0320_order-assistant-failed-while-acme-cloud-fictional-returned-e.pdf"
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    headings = [
        "Summary",
        "Impact",
        "Timeline",
        "Milestones and metrics",
        "Root cause",
        "Remediation",
        "Lessons learned",
        "Action items",
        "Sources",
    ]
    positions = [text.index(f"\n{h}\n") for h in headings]
    assert positions == sorted(positions)
    assert f"page 1 of {len(reader.pages)}" in text
    assert "Times in Europe/Berlin" in text
    meta = reader.metadata
    assert meta is not None
    assert (
        meta.title
        == "NW-2026-0320: Order assistant failed while Acme Cloud (fictional) returned errors"
    )
    assert meta.author == "Dana Whitfield, Ravi Menon"
    assert "NW-2026-0320" in (meta.get("/Keywords") or "")
    assert str(meta.get("/CreationDate")).startswith("D:20260327")
    attachments = reader.attachments
    assert sorted(attachments) == ["acme-2026-03-20.yaml", "report.json"]
    assert attachments["acme-2026-03-20.yaml"][0] == ACME.read_bytes()


def test_outputs_are_byte_identical_across_builds(tmp_path: Path) -> None:
    options, formats = ReportOptions(offline=True), ("md", "json", "pdf")
    first = build_files([ACME], options, formats=formats, out_dir=tmp_path / "a")
    second = build_files([ACME], options, formats=formats, out_dir=tmp_path / "b")
    for one, two in zip(first[0].outputs, second[0].outputs, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name


def test_letter_page_size(tmp_path: Path) -> None:
    options = ReportOptions(page_size="Letter")
    (result,) = build_files([write(tmp_path, PLAIN)], options, formats=("pdf",), out_dir=tmp_path)
    box = PdfReader(result.outputs[0]).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_timeline_shows_both_zones_dst_correct() -> None:
    incident = load_incident_text(PLAIN, "incident.yaml")
    text = render_markdown(assemble_report(incident, Evidence.empty()))
    # 01:45 EST is before the 2026-03-08 spring-forward; 03:30 EDT is after it
    assert "| ★ 2026-03-08 01:45 EST | 2026-03-08 06:45 UTC |" in text
    assert "| Resolved | 2026-03-08 03:30 EDT | 2026-03-08 07:30 UTC | incident file |" in text
    assert "| Time to detect (TTD) | not known | detected - started |" in text


HOSTILE = """\
id: INC-666
title: <script>alert(1)</script> outage
timezone: UTC
milestones:
  started: 2026-03-20T03:00:00Z
timeline:
  - at: 2026-03-20T03:05:00Z
    text: '<img src="file:///etc/hostname"> [click](javascript:alert(1)) ![x](file:///etc/hostname)'
sections:
  summary: |
    Raw <script>alert(2)</script> and <img src="file:///etc/hostname">.
    A [bad link](javascript:alert(3)), a [data link](data:text/html;base64,PHNjcmlwdD4=),
    an image ![secret](file:///etc/hostname) and ![probe](http://127.0.0.1:{port}/probe.png).
action_items:
  - title: "[x](javascript:alert(4))"
"""


def test_hostile_text_never_becomes_live_markup(tmp_path: Path, server: Server) -> None:
    port = server.server_address[1]
    path = write(tmp_path, HOSTILE.replace("{port}", str(port)))
    (result,) = build_files(
        [path], ReportOptions(), out_dir=tmp_path, formats=("html", "pdf", "md")
    )
    assert result.error is None
    html = next(p for p in result.outputs if p.suffix == ".html").read_text(encoding="utf-8")
    lowered = html.lower()
    assert "<script" not in lowered
    assert re.search(r"<img\b", lowered) is None  # images become plain links
    assert re.search(r"""<a\b[^>]*href=["']?(javascript|file|data):""", lowered) is None
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    pdf = next(p for p in result.outputs if p.suffix == ".pdf")
    hostname = Path("/etc/hostname").read_bytes().strip() if Path("/etc/hostname").exists() else b""
    reader = PdfReader(pdf)
    assert sorted(reader.attachments) == ["incident.yaml", "report.json"]
    if hostname:
        assert hostname not in b"".join(page.extract_text().encode() for page in reader.pages)
    assert not server.hits, "WeasyPrint must never reach the network"
    markdown = next(p for p in result.outputs if p.suffix == ".md").read_text(encoding="utf-8")
    assert "\\<script\\>alert(1)\\</script\\> outage" in markdown


def test_html_escapes_in_title_and_refuses_unsafe_links(tmp_path: Path) -> None:
    (result,) = build_files(
        [write(tmp_path, HOSTILE.replace("{port}", "9"))], formats=("html",), out_dir=tmp_path
    )
    html = result.outputs[0].read_text(encoding="utf-8")
    assert "<title>INC-666: &lt;script&gt;alert(1)&lt;/script&gt; outage</title>" in html
    assert 'src="http://127.0.0.1' not in html
    assert (
        '<a href="http://127.0.0.1:9/probe.png" rel="noopener noreferrer">image: probe</a>' in html
    )


def test_user_templates_are_sandboxed_and_strict(tmp_path: Path) -> None:
    incident = load_incident_text(PLAIN, "incident.yaml")
    report = assemble_report(incident, Evidence.empty())
    (tmp_path / "sections").mkdir()
    summary = tmp_path / "sections" / "summary.md.j2"
    summary.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"sandbox|unsafe"):
        render_markdown(report, template_dirs=[tmp_path])
    summary.write_text("line one\n{{ report.no_such_field }}\n", encoding="utf-8")
    with pytest.raises(
        RenderError,
        match=r"summary\.md\.j2:2: .*Report object' has no attribute 'no_such_field'",
    ):
        render_markdown(report, template_dirs=[tmp_path])


def test_example_override_replaces_one_block(tmp_path: Path) -> None:
    incident = load_incident_text(PLAIN, "incident.yaml")
    report = assemble_report(incident, Evidence.empty())
    stock = render_markdown(report)
    custom = render_markdown(report, template_dirs=[ROOT / "templates"])
    assert "**At a glance:** SEV3, 1 h from start to resolution." in custom
    # 01:30 EST to 03:30 EDT is one hour: the clocks went forward in between
    assert custom.replace("**At a glance:** SEV3, 1 h from start to resolution.\n\n", "") == stock


@pytest.mark.parametrize("key", ["summary", "root_cause", "remediation", "lessons", "impact"])
def test_sre_style_honours_a_section_override(tmp_path: Path, key: str) -> None:
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / f"{key}.md.j2").write_text(f"## Ours: {key}\n", encoding="utf-8")
    incident = load_incident_text(PLAIN, "incident.yaml")
    report = assemble_report(incident, Evidence.empty(), style="sre")
    stock = render_markdown(report)
    custom = render_markdown(report, template_dirs=[tmp_path])
    assert f"## Ours: {key}" in custom
    assert f"## Ours: {key}" not in stock


def test_missing_template_dir_is_an_error(tmp_path: Path) -> None:
    incident = load_incident_text(PLAIN, "incident.yaml")
    with pytest.raises(RenderError, match="template directory not found"):
        render_markdown(
            assemble_report(incident, Evidence.empty()), template_dirs=[tmp_path / "nope"]
        )


def test_failed_build_leaves_earlier_outputs_untouched(tmp_path: Path) -> None:
    path = write(tmp_path, PLAIN)
    (first,) = build_files([path], ReportOptions(), out_dir=tmp_path, formats=("md",))
    before = first.outputs[0].read_bytes()
    broken = tmp_path / "broken" / "sections"
    broken.mkdir(parents=True)
    (broken / "timeline.md.j2").write_text("{{ nope }}\n", encoding="utf-8")
    options = ReportOptions(template_dirs=(broken.parent,))
    (second,) = build_files([path], options, formats=("md",), out_dir=tmp_path)
    assert second.error is not None and "nope" in second.error
    assert first.outputs[0].read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_cli_builds_good_files_and_reports_bad_ones(tmp_path: Path) -> None:
    good = write(tmp_path, PLAIN)
    bad = write(tmp_path, "id: X\ntitle: T\nseverity: 9\n", "bad.yaml")
    result = CliRunner().invoke(
        cli, ["build", str(bad), str(good), "-f", "md", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert result.stdout == f"{tmp_path / 'out' / 'INC-7_payments-slow.md'}\n"
    assert result.stderr == (
        f"Error: {bad}: 1 problem\n{bad}:3:11: severity: YAML reads 9 as a number; must be one "
        "of 'SEV1', 'SEV2', 'SEV3', 'SEV4' or 'SEV5'\n"
    )


def test_markdown_to_stdout_is_pure(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(ACME), "--offline", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Order assistant failed")
    assert result.stderr == ""


def test_strict_turns_a_failing_source_into_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, PLAIN + "sources:\n  - kind: statuspage\n    path: missing.atom\n")
    lenient = CliRunner().invoke(cli, ["build", str(path), "-f", "md", "-o", str(tmp_path)])
    assert lenient.exit_code == 0
    assert "missing.atom: no such file; check the path" in lenient.stderr
    strict = CliRunner().invoke(
        cli, ["build", str(path), "-f", "md", "--strict", "-o", str(tmp_path)]
    )
    assert strict.exit_code == 1
    assert "warnings are errors with --strict" in strict.stderr


def test_unknown_format_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["build", str(ACME), "-f", "md,docx"])
    assert result.exit_code == 2
    assert "'docx': choose from md,html,json,pdf" in result.stderr


def test_markdown_build_imports_no_heavy_library(tmp_path: Path) -> None:
    path = write(tmp_path, PLAIN)
    code = (
        "import sys; from pathlib import Path; from postmortem.commands import cli\n"
        f"try: cli(['build', {str(path)!r}, '-f', 'md', '-q', '-o', {str(tmp_path)!r}])\n"
        "except SystemExit: pass\n"
        "heavy = {'weasyprint', 'feedparser', 'trafilatura', 'httpx2', 'bs4', 'lxml'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"
    assert (tmp_path / "INC-7_payments-slow.md").is_file()


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and "Example" in command.help, name


def test_templates_catalogue_is_documented_in_the_readme() -> None:
    from postmortem.render.catalog import describe

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- templates:start -->\n", 1)[1].split("<!-- templates:end -->", 1)[0]
    assert block == describe(), "README template reference is stale: paste `postmortem templates`"


def test_verbose_reports_each_source_on_stderr(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(ACME), "--offline", "-f", "md", "-v", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert (
        "source 2 (Acme Cloud incident JSON (snapshot)): 4 update(s) of acmq7x20mr26"
        in result.stderr
    )
    assert result.stdout.strip().endswith(".md")


def test_unknown_display_zone_is_one_clear_error() -> None:
    result = CliRunner().invoke(
        cli, ["build", str(ACME), "--offline", "-o", "-", "--tz", "Mars/Base"]
    )
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {ACME}: --tz 'Mars/Base': not an IANA time zone (e.g. Europe/Berlin, UTC)\n"
    )

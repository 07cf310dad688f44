"""Tagged PDF always, PDF/A-3b on request or by project default, identical on every rebuild."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import report_of
from pypdf import PdfReader

from postmortem.commands import cli
from postmortem.export.documents import ReportDocument
from postmortem.report.build import ReportOptions

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "acme-2026-03-20.yaml"


def pdf_of(pdf_a: bool) -> bytes:
    report = report_of(SAMPLE, ReportOptions(offline=True, pdf_a=pdf_a))
    return ReportDocument(report, incident_file=SAMPLE).pdf()


def pdfinfo(data: bytes, tmp_path: Path) -> dict[str, str]:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)


def structure(reader: PdfReader) -> tuple[list[str], list[str]]:
    """Every structure element's type, and the alt texts, walking the structure tree."""
    kinds: list[str] = []
    alts: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if "/S" in node:
                kinds.append(str(node["/S"]))
            if "/Alt" in node:
                alts.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return kinds, alts


def xmp(reader: PdfReader) -> str:
    """The XMP metadata packet, "" when the PDF has none."""
    root = reader.trailer["/Root"]
    return root["/Metadata"].get_object().get_data().decode() if "/Metadata" in root else ""


def test_archival_pdf_is_tagged_pdf_a_3b_with_both_files(tmp_path: Path) -> None:
    data = pdf_of(pdf_a=True)
    assert data == pdf_of(pdf_a=True)  # byte-identical rebuilds
    assert pdfinfo(data, tmp_path)["Tagged"].strip() == "yes"
    reader = PdfReader(tmp_path / "r.pdf")
    metadata = xmp(reader)
    assert re.search(r'pdfaid:part(="|>)3', metadata)
    assert re.search(r'pdfaid:conformance(="|>)B', metadata)
    assert sorted(reader.attachments) == ["acme-2026-03-20.yaml", "report.json"]
    assert reader.attachments["acme-2026-03-20.yaml"][0] == SAMPLE.read_bytes()
    assert "/AF" in reader.trailer["/Root"] and "/OutputIntents" in reader.trailer["/Root"]
    kinds, alts = structure(reader)
    for kind in ("/H1", "/H2", "/Table", "/TH", "/TD", "/L", "/Figure"):
        assert kind in kinds, kind
    (chart,) = alts
    assert chart.startswith("Timeline chart of NW-2026-0320. Windows: Incident from 2026-03-20")
    assert "Milestones: started 2026-03-20 04:05 CET" in chart


def test_plain_pdf_is_tagged_too_but_not_pdf_a(tmp_path: Path) -> None:
    data = pdf_of(pdf_a=False)
    assert pdfinfo(data, tmp_path)["Tagged"].strip() == "yes"
    reader = PdfReader(tmp_path / "r.pdf")
    assert "pdfaid" not in xmp(reader)
    assert sorted(reader.attachments) == ["acme-2026-03-20.yaml", "report.json"]


def test_project_file_makes_pdf_a_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "postmortem.yaml").write_text("pdf_a: true\n", "utf-8")
    shutil.copy(SAMPLE, tmp_path / "incident.yaml")
    shutil.copytree(SAMPLE.parent / "evidence", tmp_path / "evidence")
    monkeypatch.chdir(tmp_path)
    found = {}
    for flag, out in (((), "a"), (("--no-pdf-a",), "plain")):
        args = ["build", "incident.yaml", "--offline", "-q", "-f", "pdf", "-o", out, *flag]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        (pdf,) = (tmp_path / out).glob("*.pdf")
        found[out] = "pdfaid" in xmp(PdfReader(pdf))
    assert found == {"a": True, "plain": False}


def test_review_pdf_follows_the_option_and_the_project_default(tmp_path: Path) -> None:
    project = tmp_path / "review"
    shutil.copytree(ROOT / "samples" / "review", project, ignore=shutil.ignore_patterns(".*"))
    settings = project / "postmortem.yaml"
    runner = CliRunner()
    update = runner.invoke(cli, ["archive", "update", "--project", str(settings), "--offline"])
    assert update.exit_code == 0, update.output
    found = {}
    for flag, out in (((), "default"), (("--pdf-a",), "asked")):
        args = ["review", "--project", str(settings), "--week", "2026-W12", "-f", "pdf"]
        result = runner.invoke(cli, [*args, "-o", str(tmp_path / out), *flag])
        assert result.exit_code == 0, result.output
        (pdf,) = (tmp_path / out).glob("*.pdf")
        reader = PdfReader(pdf)
        found[out] = "pdfaid" in xmp(reader)
        assert sorted(reader.attachments) == ["review.json"]
    assert found == {"default": False, "asked": True}
    settings.write_text(settings.read_text("utf-8") + "pdf_a: true\n", "utf-8")
    result = runner.invoke(cli, [*args, "-o", str(tmp_path / "project")])
    assert result.exit_code == 0, result.output
    (pdf,) = (tmp_path / "project").glob("*.pdf")
    assert "pdfaid" in xmp(PdfReader(pdf))

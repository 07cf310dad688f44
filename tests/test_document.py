"""The document a reader gets: key facts first, evidence after, and pages that print well.

The PDF checks read the real pages back: words and their positions from `pdftotext -bbox`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import report_of

from postmortem.export.documents import ReportDocument
from postmortem.render import render_markdown
from postmortem.render.digest import SHORT, key_facts
from postmortem.report.build import ReportOptions

ROOT = Path(__file__).resolve().parent.parent
GCP = "cloud-status/gcp/gcp-incidents_2021-07_to_2022-07.json"
GITHUB = "statuspage/github/atom-snapshots/githubstatus-history_2026-08-22.atom"
# A4 in points and the page margins of page.html.j2 (20 mm top, 22 mm bottom)
PAGE_H = 841.89
BODY_TOP, BODY_BOTTOM = 20 / 25.4 * 72, PAGE_H - 22 / 25.4 * 72


def incident_file(tmp_path: Path, source: str, zone: str = "UTC") -> Path:
    path = tmp_path / "incident.yaml"
    path.write_text(f"id: T-1\ntitle: Vendor outage\ntimezone: {zone}\n{source}", "utf-8")
    return path


def gcp_file(corpus: Path, tmp_path: Path) -> Path:
    source = (
        f"sources:\n  - kind: gcp\n    path: {corpus / GCP}\n    incident: 1xkAB1KmLrh5g3v9ZEZ7\n"
    )
    return incident_file(tmp_path, source)


@dataclass(frozen=True)
class Page:
    words: list[tuple[float, float, str]]  #: (yMin, yMax, word) of the body, header/footer cut

    @property
    def fill(self) -> float:
        """How far down the body area the last line reaches, 0..1."""
        bottom = max((y1 for _, y1, _ in self.words), default=BODY_TOP)
        return (bottom - BODY_TOP) / (BODY_BOTTOM - BODY_TOP)

    @property
    def text(self) -> str:
        return " ".join(w for *_, w in self.words)

    @property
    def lines(self) -> list[str]:
        """The words grouped into lines by their top edge."""
        rows: dict[int, list[str]] = {}
        for y0, _, word in self.words:
            rows.setdefault(round(y0), []).append(word)
        return [" ".join(words) for _, words in sorted(rows.items())]


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[Page]:
    """Each page's body words, read back with poppler's pdftotext -bbox."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for chunk in out.split("<page ")[1:]:
        words = [
            (float(y0), float(y1), word)
            for y0, y1, word in re.findall(
                r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
                chunk,
            )
            if float(y0) >= BODY_TOP - 2 and float(y1) <= BODY_BOTTOM + 2
        ]
        pages.append(Page(words))
    return pages


def build_pdf(path: Path, corpus: Path | None = None) -> bytes:
    options = ReportOptions(allow_paths=(corpus,) if corpus else ())
    return ReportDocument(report_of(path, options), incident_file=path).pdf()


@pytest.mark.corpus
def test_google_outage_key_facts_first_and_evidence_after(corpus: Path, tmp_path: Path) -> None:
    report = report_of(gcp_file(corpus, tmp_path), ReportOptions(allow_paths=(corpus,)))
    facts = key_facts(report)
    assert f"{report.report_date}" == "2021-11-13"  # Google's write-up, the latest evidence
    # the first update and the change to AVAILABLE; the 28 other updates are in the appendix
    assert [key.row.raw_status for key in facts.rows] == ["SERVICE_DISRUPTION", "AVAILABLE"]
    assert all(len(key.text) <= SHORT + 2 and key.entry for key in facts.rows)
    text = render_markdown(report)
    body, _, appendix = text.partition("## Evidence")
    assert "We apologize for the inconvenience" not in body
    # the post-incident report, posted on the related incidents, appears once with its bullets
    assert appendix.count("We apologize for the inconvenience") == 1
    assert "- Google Cloud Console - Affected customers in Europe" in appendix
    assert re.search(r"posted ([2-9]|1\d) times", appendix)
    # every line of every update is in the appendix
    for row in report.timeline:
        for line in row.text.splitlines():
            words = " ".join(line.split()).lstrip("-* ")
            assert words.replace("_", "\\_").replace("{", "\\{")[:30] in appendix


@pytest.mark.corpus
def test_identical_component_windows_are_one_row(corpus: Path, tmp_path: Path) -> None:
    report = report_of(gcp_file(corpus, tmp_path), ReportOptions(allow_paths=(corpus,)))
    assert len(report.component_windows) == 13
    rows = [line for line in render_markdown(report).splitlines() if ": affected |" in line]
    assert len(rows) == 1
    assert "Cloud Developer Tools, Cloud Endpoints" in rows[0] and "Operations: affected" in rows[0]


@pytest.mark.corpus
@pytest.mark.slow
def test_google_outage_pdf_is_six_pages_none_half_empty(corpus: Path, tmp_path: Path) -> None:
    pages = pdf_pages(build_pdf(gcp_file(corpus, tmp_path), corpus), tmp_path)
    assert len(pages) <= 6
    assert all(page.fill >= 0.5 for page in pages[:-1]), [round(p.fill, 2) for p in pages]


@pytest.mark.corpus
@pytest.mark.slow
def test_github_long_summary_pdf_prints_cleanly(corpus: Path, tmp_path: Path) -> None:
    source = (
        f"sources:\n  - kind: statuspage\n    path: {corpus / GITHUB}\n    incident: qcvjkzcs7j74\n"
    )
    pages = pdf_pages(
        build_pdf(incident_file(tmp_path, source, "America/New_York"), corpus), tmp_path
    )
    assert len(pages) <= 6
    assert all(page.fill >= 0.5 for page in pages[:-1]), [round(p.fill, 2) for p in pages]


@pytest.mark.slow
@pytest.mark.parametrize("extra", [0, 5, 10, 15, 20, 25])
def test_short_tables_and_headings_never_split(extra: int, tmp_path: Path) -> None:
    """More or fewer timeline rows move the tables down the pages; none ever splits."""
    filler = "".join(
        f"  - at: 2026-03-20T05:{m:02d}:00\n    text: Checked the order queue, step {m}\n"
        for m in range(extra)
    )
    sample = ROOT / "samples" / "acme-2026-03-20.yaml"
    text = sample.read_text("utf-8").replace("timeline:\n", "timeline:\n" + filler, 1)
    path = tmp_path / "acme.yaml"
    path.write_text(text, "utf-8")
    (tmp_path / "evidence").symlink_to(sample.parent / "evidence")
    pages = pdf_pages(build_pdf(path), tmp_path)
    tables = (
        ("Time to detect (TTD)", "Time to acknowledge (TTA)", "Time to resolve (TTR)"),
        ("failed requests 4,200", "support tickets 17", "refunds issued 3"),
    )
    for rows in tables:
        holding = {
            i
            for i, page in enumerate(pages)
            for line in page.lines
            for row in rows
            if line.startswith(row)
        }
        assert len(holding) == 1, f"table with {rows[0]!r} split over pages {holding}"
    headings = {"Summary", "Impact", "Timeline", "Remediation", "Sources", "Evidence"}
    for page in pages[:-1]:
        last = max(y0 for y0, _, _ in page.words)
        tail = " ".join(w for y0, _, w in page.words if abs(y0 - last) < 1)
        assert tail not in headings, f"heading {tail!r} alone at a page foot"

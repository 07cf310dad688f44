"""Golden files: the samples rendered to Markdown, HTML and JSON, compared byte for byte.

After a deliberate output change run `make golden` and review the diff.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from conftest import report_of

from postmortem.export.documents import ReportDocument
from postmortem.export.writers import render_outputs
from postmortem.report.build import ReportOptions

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("POSTMORTEM_REGEN_GOLDEN") == "1"

CASES = {
    "acme": (ROOT / "samples" / "acme-2026-03-20.yaml", ReportOptions(offline=True)),
    "acme-sre": (
        ROOT / "samples" / "acme-2026-03-20.yaml",
        ReportOptions(offline=True, style="sre"),
    ),
    "claude-offline": (ROOT / "samples" / "claude-2026-03-20.yaml", ReportOptions(offline=True)),
}


def compare(expected_path: Path, actual: str) -> None:
    if REGENERATE:
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        expected_path.write_text(actual, encoding="utf-8")
        return
    expected = expected_path.read_text(encoding="utf-8")
    if expected != actual:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                str(expected_path),
                "actual",
            )
        )
        pytest.fail(f"output differs from {expected_path} (run `make golden`):\n{diff}")


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_golden(case: str, fmt: str) -> None:
    source, options = CASES[case]
    document = ReportDocument(report_of(source, options), incident_file=source)
    (rendered,) = render_outputs(document, (fmt,)).values()
    compare(GOLDEN / case / f"expected.{fmt}", rendered.decode())

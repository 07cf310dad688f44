"""The entry point's early reading of the command line agrees with click's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from postmortem.cli import wants_pdf
from postmortem.commands import cli
from postmortem.export.pdf_worker import PdfWorker

CASES = [
    ["build", "a.yaml"],  # default md,pdf
    ["build", "a.yaml", "-f", "md"],
    ["build", "a.yaml", "-f", "md,pdf"],
    ["build", "a.yaml", "-fpdf"],
    ["build", "a.yaml", "--format", "html, pdf"],
    ["build", "a.yaml", "--format=json"],
    ["build", "a.yaml", "-f", "pdf", "-f", "md"],  # the last one counts
    ["build", "a.yaml", "-o", "-"],
    ["build", "a.yaml", "--output=-", "-f", "pdf"],
    ["build", "a.yaml", "-o", "out", "--page-size", "Letter", "-q"],
    ["build", "-v", "a.yaml", "b.yaml", "-f", "md,html,json,pdf"],
    ["review", "--week", "2026-W12"],  # default md,html
    ["review", "--week", "2026-W12", "-f", "md,pdf"],
    ["review", ".", "--format=pdf"],
]


def clicks_reading(args: list[str]) -> bool:
    command = cli.commands[args[0]]
    with click.Context(cli) as parent:
        ctx = command.make_context(args[0], args[1:], parent=parent)
    formats = ctx.params["formats"]
    return "pdf" in formats and ctx.params.get("output") != "-"


@pytest.mark.parametrize("args", CASES)
def test_early_guess_matches_click(args: list[str]) -> None:
    assert wants_pdf(args) is clicks_reading(args)


@pytest.mark.parametrize(
    "args", [[], ["--help"], ["build", "--help"], ["validate", "a.yaml"], ["--version"]]
)
def test_no_pdf_for_other_command_lines(args: list[str]) -> None:
    assert wants_pdf(args) is False


def test_prestarted_helper_renders_the_build_pdf(tmp_path: Path) -> None:
    (tmp_path / "incident.yaml").write_text(
        "id: INC-E\ntitle: Entry\nmilestones:\n  started: 2026-03-20T03:00:00Z\n"
    )
    argv = [sys.executable, "-m", "postmortem", "build", "incident.yaml", "-f", "md,pdf"]
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "INC-E_entry.pdf").read_bytes().startswith(b"%PDF")


def test_build_uses_the_helper_passed_as_context_object(tmp_path: Path) -> None:
    path = tmp_path / "incident.yaml"
    path.write_text("id: INC-E\ntitle: Entry\nmilestones:\n  started: 2026-03-20T03:00:00Z\n")
    worker = PdfWorker()
    args = ["build", str(path), "-f", "pdf", "-o", str(tmp_path), "-q"]
    result = CliRunner().invoke(cli, args, obj=worker)
    assert result.exit_code == 0, result.output
    assert worker._process is None  # it rendered the PDF, then the command closed it
    assert (tmp_path / "INC-E_entry.pdf").read_bytes().startswith(b"%PDF")

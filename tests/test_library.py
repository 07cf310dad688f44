"""The README's library example runs as written, and the API matches the CLI's output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from postmortem.commands import cli

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- library:start -->\n", 1)[1].split("<!-- library:end -->", 1)[0]
    return block.removeprefix("```python\n").rsplit("```", 1)[0]


def test_readme_library_example_runs(tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "samples").mkdir(parents=True)
    for name in ("acme-2026-03-20.yaml",):
        (work / "samples" / name).write_bytes((ROOT / "samples" / name).read_bytes())
    (work / "samples" / "evidence").symlink_to(ROOT / "samples" / "evidence")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", readme_example()],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (work / "out" / "library").iterdir())
    assert [p.rsplit(".", 1)[1] for p in written] == ["json", "md"]
    assert f"wrote out/library/{written[1]}" in done.stdout


def test_library_and_cli_write_the_same_markdown(tmp_path: Path) -> None:
    import postmortem

    source = ROOT / "samples" / "acme-2026-03-20.yaml"
    report = postmortem.build_report(
        postmortem.load_incident(source),
        base_dir=source.parent,
        options=postmortem.ReportOptions(offline=True),
    )
    (library,) = postmortem.write_outputs(report, ["md"], tmp_path / "lib", incident_file=source)
    result = CliRunner().invoke(
        cli, ["build", str(source), "--offline", "-f", "md", "-o", str(tmp_path / "cli")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cli" / library.name).read_bytes() == library.read_bytes()


def test_the_command_line_offers_exactly_the_registered_writers() -> None:
    from postmortem.export import COMMAND_FORMATS
    from postmortem.export.writers import WRITERS

    offered = {f for formats in COMMAND_FORMATS.values() for f in formats}
    assert set(WRITERS) == offered

"""Outputs: one name per incident, and every output of an incident committed together."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner

from postmortem.commands import cli
from postmortem.storage.atomic import write_together

INCIDENT = """\
id: {id}
title: {title}
timezone: UTC
milestones:
  started: 2026-03-20T10:00:00Z
  resolved: 2026-03-20T11:00:00Z
timeline:
  - at: 2026-03-20T10:05:00Z
    text: {text}
"""


def incident(folder: Path, name: str, id_: str, title: str, text: str = "Alert fired") -> Path:
    path = folder / name
    path.write_text(INCIDENT.format(id=id_, title=title, text=text), encoding="utf-8")
    return path


def build(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["build", *args])
    return result.exit_code, result.stdout, result.stderr


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_ids_and_titles_that_used_to_share_a_name_get_their_own(tmp_path: Path) -> None:
    first = incident(tmp_path, "a.yaml", "X-1", "a b")
    second = incident(tmp_path, "b.yaml", "X-1-a", "b")
    code, _, err = build(str(first), str(second), "-f", "md,json", "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "X-1-a_b.json",
        "X-1-a_b.md",
        "X-1_a-b.json",
        "X-1_a-b.md",
    ]
    assert "| Incident | X-1 |" in (tmp_path / "out" / "X-1_a-b.md").read_text(encoding="utf-8")


def test_two_incidents_with_one_name_in_a_run_is_an_error_naming_both(tmp_path: Path) -> None:
    first = incident(tmp_path, "a.yaml", "X-1", "Same title", "First file")
    second = incident(tmp_path, "b.yaml", "X-1", "Same  title!", "Second file")
    out = tmp_path / "out"
    code, _, err = build(str(first), str(second), "-f", "md", "-o", str(out))
    assert code == 1
    assert f"Error: {second} and {first} would both be written as {out / 'X-1_same-title'}.*" in err
    assert "First file" in (out / "X-1_same-title.md").read_text(encoding="utf-8")
    assert build(str(first), str(first), "-f", "md", "-o", str(out))[0] == 0  # the same file


def test_a_failed_output_leaves_every_previous_output_untouched(tmp_path: Path) -> None:
    path = incident(tmp_path, "a.yaml", "X-2", "Disk trouble", "Old text")
    out = tmp_path / "out"
    assert build(str(path), "-f", "md,html", "-o", str(out))[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    incident(tmp_path, "a.yaml", "X-2", "Disk trouble", "New text")
    (out / "X-2_disk-trouble.json").mkdir()  # the last file cannot be replaced
    code, _, err = build(str(path), "-f", "md,html,json", "-o", str(out))
    assert code == 1
    assert "X-2_disk-trouble.json: cannot write: " in err and "no output was changed" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert leftovers(out) == []
    (out / "X-2_disk-trouble.json").rmdir()
    assert build(str(path), "-f", "md,html,json", "-o", str(out))[0] == 0
    assert b"New text" in (out / "X-2_disk-trouble.md").read_bytes()
    assert leftovers(out) == []


def test_a_full_disk_changes_nothing(tmp_path: Path) -> None:
    small, big = tmp_path / "report.md", tmp_path / "report.pdf"
    write_together({small: b"old md", big: b"old pdf"})
    # A file-size limit makes the second write fail the way a full disk does (EFBIG).
    script = textwrap.dedent(
        f"""
        import resource, signal
        from pathlib import Path
        from postmortem.errors import ExportError
        from postmortem.storage.atomic import write_together
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            write_together({{Path({str(small)!r}): b"new md", Path({str(big)!r}): bytes(65536)}})
        except ExportError as exc:
            print(exc)
        """
    )
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert f"{big}: cannot write: File too large; no output was changed" in done.stdout
    assert (small.read_bytes(), big.read_bytes()) == (b"old md", b"old pdf")
    assert leftovers(tmp_path) == []

"""What an incident file may do by itself: read its own folder, never unlock hosts or links."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from postmortem.commands import cli
from tests.fetch_server import Server, running

SECRET = "SECRET-TOKEN-4711"
PAGE = f"<html><head><title>{SECRET}</title></head><body><p>{SECRET}</p></body></html>"
HEAD = """\
id: T-9
title: Trust
timezone: UTC
milestones:
  started: 2026-03-20T10:00:00Z
  resolved: 2026-03-20T11:00:00Z
"""


@pytest.fixture
def server() -> Iterator[Server]:
    with running() as live:
        yield live


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def folders(tmp_path: Path, source: str) -> tuple[Path, Path]:
    """An incident folder with `incident.yaml`, and a folder beside it holding a secret."""
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "token.html").write_text(PAGE, encoding="utf-8")
    incident = tmp_path / "incidents" / "incident.yaml"
    incident.parent.mkdir()
    incident.write_text(HEAD + "sources:\n  - kind: article\n" + source, encoding="utf-8")
    return incident, secrets


@pytest.mark.parametrize(
    "source",
    ["    path: ../secrets/token.html\n", "    path: {secrets}/token.html\n", "    path: link\n"],
)
def test_path_sources_stay_in_the_incident_folder(tmp_path: Path, source: str) -> None:
    incident, secrets = folders(tmp_path, source.format(secrets=tmp_path / "secrets"))
    (incident.parent / "link").symlink_to(secrets / "token.html")  # a link pointing out
    refused = invoke("build", str(incident), "-f", "md", "-o", "-")
    assert refused.exit_code == 0
    assert SECRET not in refused.stdout
    assert "outside the incident file's folder" in refused.stderr
    assert "--allow-path DIR" in refused.stderr
    strict = invoke("build", str(incident), "-f", "md", "-o", "-", "--strict")
    assert strict.exit_code == 1 and SECRET not in strict.output
    invalid = invoke("validate", str(incident))
    assert invalid.exit_code == 1
    assert f"{incident}: sources[0].path: " in invalid.output
    # the user, not the file, can widen the boundary
    allowed = invoke("build", str(incident), "-f", "md", "-o", "-", "--allow-path", str(secrets))
    assert allowed.exit_code == 0 and SECRET in allowed.stdout
    assert invoke("validate", str(incident), "--allow-path", str(secrets)).exit_code == 0


def test_project_file_can_allow_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    incident, _ = folders(tmp_path, "    path: ../secrets/token.html\n")
    (tmp_path / "postmortem.yaml").write_text("allow_paths: [secrets]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    built = invoke("build", str(incident), "-f", "md", "-o", "-")
    assert built.exit_code == 0 and SECRET in built.stdout


TEMPLATE = f"{SECRET} {{{{ report.title }}}}\n"  # a summary section that shows the secret


@pytest.mark.parametrize("folder", ["../secrets", "{secrets}", "link"])
def test_template_folders_stay_in_the_incident_folder(tmp_path: Path, folder: str) -> None:
    secrets = tmp_path / "secrets"
    (secrets / "sections").mkdir(parents=True)
    (secrets / "sections" / "summary.md.j2").write_text(TEMPLATE, encoding="utf-8")
    incident = tmp_path / "incidents" / "incident.yaml"
    incident.parent.mkdir()
    (incident.parent / "link").symlink_to(secrets)  # a link pointing out
    given = folder.format(secrets=secrets)
    incident.write_text(f"{HEAD}templates: [{given}]\n", encoding="utf-8")
    refused = invoke("build", str(incident), "-f", "md", "-o", "-")
    assert refused.exit_code == 1 and SECRET not in refused.stdout
    assert refused.stderr == (
        f"Error: {incident}: templates[0]: {given}: outside the incident file's folder; move "
        "it there, or allow its folder with --allow-path DIR (or allow_paths: in postmortem.yaml)\n"
    )
    linted = invoke("lint", str(incident), "--offline")
    assert linted.exit_code == 1 and "templates[0]: " in linted.stderr
    invalid = invoke("validate", str(incident))
    assert invalid.exit_code == 1
    assert f"{incident}: templates[0]: {given}: outside" in invalid.output
    # the user, not the file, can widen the boundary
    allowed = invoke("build", str(incident), "-f", "md", "-o", "-", "--allow-path", str(secrets))
    assert allowed.exit_code == 0 and SECRET in allowed.stdout
    assert invoke("validate", str(incident), "--allow-path", str(secrets)).exit_code == 0


def test_template_folders_the_user_names_are_theirs(tmp_path: Path) -> None:
    incident, secrets = folders(tmp_path, "    path: ../secrets/token.html\n")
    incident.write_text(HEAD, encoding="utf-8")
    (secrets / "sections").mkdir()
    (secrets / "sections" / "summary.md.j2").write_text(TEMPLATE, encoding="utf-8")
    built = invoke("build", str(incident), "-f", "md", "-o", "-", "--templates", str(secrets))
    assert built.exit_code == 0 and SECRET in built.stdout
    shutil.copytree(secrets, incident.parent / "mine")
    incident.write_text(f"{HEAD}templates: [mine]\n", encoding="utf-8")
    own = invoke("build", str(incident), "-f", "md", "-o", "-")
    assert own.exit_code == 0 and SECRET in own.stdout


def test_an_incident_file_cannot_allow_a_private_host_by_itself(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = tmp_path / "incident.yaml"
    incident.write_text(
        f"{HEAD}allow_hosts: [127.0.0.1]\n"
        f"sources:\n  - kind: statuspage\n    url: {server.base}/feed\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    alone = invoke("build", str(incident), "-f", "md", "-o", "-")
    assert "allow_hosts[0]: 127.0.0.1 is not allowed" in alone.stderr
    assert "127.0.0.1 is a loopback address" in alone.stderr
    assert server.hits["/feed"] == 0
    by_command_line = invoke(
        "build", str(incident), "-f", "md", "-o", "-", "--allow-host", "127.0.0.1"
    )
    assert "not allowed" not in by_command_line.stderr
    assert server.hits["/feed"] == 1
    (tmp_path / "postmortem.yaml").write_text("allow_hosts: [127.0.0.1]\n", encoding="utf-8")
    by_project = invoke("build", str(incident), "-f", "md", "-o", "-", "--refresh")
    assert "not allowed" not in by_project.stderr
    assert server.hits["/feed"] == 2


def test_action_item_links_cannot_break_out_of_their_cell(tmp_path: Path) -> None:
    link = "https://tracker.example.test/a)![x](https://evil.example.test/p.png)|cell|<b>"
    incident = tmp_path / "incident.yaml"
    incident.write_text(
        HEAD + f"action_items:\n  - title: Fix it\n    owner: Dana\n    link: '{link}'\n",
        encoding="utf-8",
    )
    built = invoke("build", str(incident), "-f", "md,html", "-o", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output
    (md,) = (tmp_path / "out").glob("*.md")
    (html,) = (tmp_path / "out").glob("*.html")
    lines = md.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| Action"))
    row = lines[header + 2]
    assert row.count("|") == lines[header].count("|")  # no shifted cells
    assert "![" not in row and "<b>" not in row
    target = "https://tracker.example.test/a%29!%5Bx%5D%28https://evil.example.test/p.png%29"
    assert f"[Fix it]({target}%7Ccell%7C%3Cb%3E)" in row
    page = html.read_text(encoding="utf-8")
    assert "<img" not in page
    assert re.search(r'href="https://tracker\.example\.test/a%29[^"]*"', page)


def test_a_review_reads_what_its_project_allows_and_nothing_else(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    (secrets / "sections").mkdir(parents=True)
    (secrets / "sections" / "summary.md.j2").write_text(TEMPLATE, encoding="utf-8")
    incident = tmp_path / "incidents" / "incident.yaml"
    incident.parent.mkdir()
    incident.write_text(f"{HEAD}templates: [../secrets]\n", encoding="utf-8")
    project = tmp_path / "postmortem.yaml"
    out = tmp_path / "out"
    review = out / "review-2026-03.md"
    args = ("review", "--project", str(project), "--month", "2026-03", "-f", "md", "-o", str(out))
    project.write_text("incidents: [incidents]\n", encoding="utf-8")
    refused = invoke(*args)
    assert refused.exit_code == 0, refused.output
    assert f"{incident}: skipped: " in refused.stderr
    assert "templates[0]: ../secrets: outside the incident file's folder" in refused.stderr
    assert "T-9" not in review.read_text(encoding="utf-8")
    project.write_text("incidents: [incidents]\nallow_paths: [secrets]\n", encoding="utf-8")
    allowed = invoke(*args)
    assert allowed.exit_code == 0, allowed.output
    assert "skipped" not in allowed.stderr
    assert "T-9" in review.read_text(encoding="utf-8")

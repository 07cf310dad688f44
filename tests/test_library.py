"""The README's library examples run as written (publishing against a loopback Jira), the API
matches the CLI's output, and publishing results say what each tracker holds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from postmortem.commands import cli
from tests.fetch_server import Server
from tests.publish_helpers import SECRETS, URL_VARS, creds, environment, write_incident
from tests.tracker_apis import Confluence, GitHub, GitLab, Jira, ServiceNow, basic, several

ROOT = Path(__file__).resolve().parent.parent
PDF_NAME = re.compile(r"INC-7_checkout-errors-[0-9a-f]{10}\.pdf")


def readme_example(name: str = "library") -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(f"<!-- {name}:start -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0]
    return block.removeprefix("```python\n").rsplit("```", 1)[0]


def sample_folder(tmp_path: Path) -> Path:
    """A folder holding the Acme sample and its evidence, as the README's examples expect."""
    work = tmp_path / "work"
    (work / "samples").mkdir(parents=True)
    for name in ("acme-2026-03-20.yaml",):
        (work / "samples" / name).write_bytes((ROOT / "samples" / name).read_bytes())
    (work / "samples" / "evidence").symlink_to(ROOT / "samples" / "evidence")
    return work


def run_example(code: str, work: Path, **env: str | None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    for key, value in env.items():
        environment.pop(key, None)
        if value is not None:
            environment[key] = value
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=work,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_readme_library_example_runs(tmp_path: Path) -> None:
    work = sample_folder(tmp_path)
    done = run_example(readme_example(), work)
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


def test_readme_publish_example_runs_against_the_loopback_jira(
    tmp_path: Path, server: Server
) -> None:
    server.app = jira = Jira(basic(SECRETS["JIRA_USER"], SECRETS["JIRA_API_TOKEN"]), cloud=True)
    code = readme_example("library-publish")
    # the one change: plain http to the loopback stand-in, which real trackers never need
    assert code.count("ReportOptions(offline=True)") == 1
    code = code.replace(
        "ReportOptions(offline=True)", 'ReportOptions(offline=True, allow_hosts=("127.0.0.1",))'
    )
    env = environment(JIRA_URL=server.base, **creds("JIRA_USER", "JIRA_API_TOKEN"))
    work = sample_folder(tmp_path)
    runs = [run_example(code, work, **env) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    (attachment,) = jira.attachments.values()
    pdf = attachment["filename"]
    assert re.fullmatch(r"NW-2026-0320_order-assistant-[a-z0-9-]*-[0-9a-f]{10}\.pdf", pdf)
    url = f"{server.base}/browse/OPS-1"
    assert runs[0].stdout == (
        f"jira:OPS-1 ok - PDF attached; comment added\n   {url} {pdf} added False\n"
    )
    assert runs[1].stdout == (
        f"jira:OPS-1 ok - PDF unchanged; comment unchanged\n   {url} {pdf} unchanged True\n"
    )
    assert len(jira.comment_list) == 1


def test_publish_report_says_what_each_tracker_holds(tmp_path: Path, server: Server) -> None:
    import postmortem

    apis = (
        Jira(f"Bearer {SECRETS['JIRA_PAT']}", cloud=False),
        GitLab(SECRETS["GITLAB_TOKEN"]),
        GitHub(f"Bearer {SECRETS['GITHUB_TOKEN']}"),
        ServiceNow(basic(SECRETS["SERVICENOW_USER"], SECRETS["SERVICENOW_PASSWORD"])),
        Confluence(f"Bearer {SECRETS['CONFLUENCE_PAT']}"),
    )
    server.app = several(*apis)
    env = dict.fromkeys(URL_VARS, server.base) | SECRETS
    targets = ("jira:OPS-1", "gitlab:group/project#45", "github:owner/repo#67")
    targets += ("servicenow:INC0012345", "confluence:OPS/Incidents")
    options = postmortem.PublishOptions(
        report=postmortem.ReportOptions(allow_hosts=("127.0.0.1",)), targets=targets
    )
    incident = write_incident(tmp_path)
    seen: list[str] = []
    first = postmortem.publish_report(
        incident, options, env=env, progress=lambda r: seen.append(r.target)
    )
    assert seen == list(targets)
    assert first.ok and first.source == incident and first.warnings == ()
    jira, gitlab, github, servicenow, confluence = first.results
    pdf = jira.attachment
    assert pdf is not None and PDF_NAME.fullmatch(pdf)
    page = next(p["id"] for p in apis[4].pages.values() if p["title"].startswith("INC-7"))
    expected = [
        (f"{server.base}/browse/OPS-1", pdf, "added"),
        (f"{server.base}/group/project/-/issues/45", pdf, "added"),
        (f"{server.base}/owner/repo/issues/67", None, "added"),
        (f"{server.base}/incident.do?sys_id={ServiceNow.SYS_ID}", pdf, None),
        (f"{server.base}/pages/viewpage.action?pageId={page}", pdf, "added"),
    ]
    assert [(r.url, r.attachment, r.comment) for r in first.results] == expected
    assert not any(r.already_there for r in first.results)
    again = postmortem.publish_report(incident, options, env=env)
    assert [(r.url, r.attachment) for r in again.results] == [e[:2] for e in expected]
    assert [r.comment for r in again.results] == ["unchanged"] * 3 + [None, "unchanged"]
    assert all(r.already_there for r in again.results)
    assert gitlab.message == "PDF uploaded; note added"
    assert (github.message, servicenow.message) == ("comment added", "PDF attached")
    assert confluence.message == "page created; PDF attached"


def test_publish_report_results_and_errors_hold_no_secret(tmp_path: Path, server: Server) -> None:
    import postmortem
    from postmortem.errors import PostmortemError

    server.app = Jira(basic(SECRETS["JIRA_USER"], "another-token"), cloud=True)
    env = dict.fromkeys(URL_VARS, server.base) | SECRETS
    del env["JIRA_PAT"]  # Jira Cloud: basic auth, which the stand-in refuses
    env["GITLAB_URL"] = f"http://bot:{SECRETS['GITLAB_TOKEN']}@127.0.0.1:9"
    options = postmortem.PublishOptions(
        report=postmortem.ReportOptions(allow_hosts=("127.0.0.1",)),
        targets=("jira:OPS-1", "gitlab:group/project#45"),
    )
    incident = write_incident(tmp_path)
    done = postmortem.publish_report(incident, options, env=env)
    refused, url_with_password = done.results
    assert not done.ok and not refused.ok and not url_with_password.ok
    assert "HTTP 401 Unauthorized: the credentials were refused" in refused.message
    assert url_with_password.message == (
        "the gitlab URL holds a user name or password; remove it and set GITLAB_TOKEN instead"
    )
    with pytest.raises(PostmortemError) as nowhere:
        postmortem.publish_report(incident, postmortem.PublishOptions(), env=env)
    shown = repr(done) + str(done) + str(nowhere.value) + repr(options)
    for name, secret in SECRETS.items():
        if not name.endswith("_USER"):
            assert secret not in shown

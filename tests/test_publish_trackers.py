"""`postmortem publish` to GitLab, GitHub, ServiceNow and Confluence through the CLI, each
against its loopback stand-in; and no secret in any output, log or file."""

from __future__ import annotations

import re
from pathlib import Path

from tests.fetch_server import Server
from tests.publish_helpers import SECRETS, URL_VARS, creds, environment, publish, write_incident
from tests.tracker_apis import Confluence, GitHub, GitLab, Jira, ServiceNow, basic, several

PDF_NAME = r"INC-7_checkout-errors-[0-9a-f]{10}\.pdf"


def test_gitlab_uploads_once_links_it_from_one_note_and_resumes(
    tmp_path: Path, server: Server
) -> None:
    api = GitLab(SECRETS["GITLAB_TOKEN"])
    server.app = api
    env = environment(GITLAB_URL=server.base, **creds("GITLAB_TOKEN"))
    incident = write_incident(tmp_path)
    api.fail("POST", "note", 500)
    failed = publish(incident, "--to", "gitlab:group/project#45", env=env)
    assert failed.exit_code == 1
    assert "issues/45/notes: HTTP 500" in failed.stderr
    resumed = publish(incident, "--to", "gitlab:group/project#45", env=env)
    assert resumed.stdout == "gitlab:group/project#45: PDF unchanged; note added\n"
    assert api.count("POST", "upload_file") == 1
    (note,) = api.note_list
    assert re.search(rf"PDF: \[{PDF_NAME}\]\(/uploads/[0-9a-f]{{32}}/{PDF_NAME}\)", note["body"])
    assert "- **Severity:** SEV2" in note["body"]
    assert "<!-- postmortem:INC-7 -->" in note["body"]
    again = publish(incident, "--to", "gitlab:group/project#45", env=env)
    assert again.stdout == "gitlab:group/project#45: PDF unchanged; note unchanged\n"
    assert api.count("POST", "upload_file") == 1


def test_gitlab_changed_pdf_updates_the_note_and_replace_deletes_the_old_upload(
    tmp_path: Path, server: Server
) -> None:
    api = GitLab(SECRETS["GITLAB_TOKEN"])
    server.app = api
    env = environment(GITLAB_URL=server.base, **creds("GITLAB_TOKEN"))
    publish(write_incident(tmp_path), "--to", "gitlab:group/project#45", env=env)
    changed = write_incident(tmp_path, summary="Checkout failed, then recovered.")
    result = publish(changed, "--to", "gitlab:group/project#45", "--replace", env=env)
    assert result.stdout == (
        "gitlab:group/project#45: PDF replaced (1 older version removed); note updated\n"
    )
    (kept,) = api.files.values()
    assert kept["filename"] in api.note_list[0]["body"]
    assert len(api.note_list) == 1


def test_gitlab_wrong_token_is_refused(tmp_path: Path, server: Server) -> None:
    server.app = GitLab(SECRETS["GITLAB_TOKEN"])
    env = environment(GITLAB_URL=server.base, GITLAB_TOKEN="glpat-wrong-S3CRET")
    result = publish(write_incident(tmp_path), "--to", "gitlab:group/project#45", env=env)
    assert "HTTP 401 Unauthorized: the credentials were refused; check GITLAB_TOKEN" in (
        result.stderr
    )
    assert "S3CRET" not in result.output


def test_github_comment_carries_the_report_and_is_edited_in_place(
    tmp_path: Path, server: Server
) -> None:
    api = GitHub(f"Bearer {SECRETS['GITHUB_TOKEN']}")
    server.app = api
    env = environment(GITHUB_API_URL=server.base, **creds("GITHUB_TOKEN"))
    url = "https://reports.example.com/INC-7.pdf"
    incident = write_incident(tmp_path)
    first = publish(incident, "--to", "github:owner/repo#67", "--pdf-url", url, env=env)
    assert first.stdout == "github:owner/repo#67: comment added\n"
    (comment,) = api.comment_list
    assert comment["body"].startswith("<!-- postmortem:INC-7 -->\n**PDF:** [INC-7_")
    assert f"]({url})" in comment["body"]
    assert "\n# Checkout errors\n" in comment["body"]
    same = publish(incident, "--to", "github:owner/repo#67", "--pdf-url", url, env=env)
    assert same.stdout == "github:owner/repo#67: comment unchanged\n"
    changed = write_incident(tmp_path, summary="Checkout failed, then recovered.")
    edited = publish(changed, "--to", "github:owner/repo#67", env=env)
    assert edited.stdout == "github:owner/repo#67: comment updated\n"
    assert len(api.comment_list) == 1
    assert "then recovered" in api.comment_list[0]["body"]
    assert api.count("POST", "comment") == 1
    assert api.count("PATCH", "edit") == 1


def test_github_issue_links_point_at_the_web_not_the_api() -> None:
    from postmortem.publish.github import web_url

    assert web_url("https://api.github.com") == "https://github.com"
    assert web_url("https://github.example.com/api/v3") == "https://github.example.com"


def test_servicenow_attaches_raw_bytes_once(tmp_path: Path, server: Server) -> None:
    api = ServiceNow(basic(SECRETS["SERVICENOW_USER"], SECRETS["SERVICENOW_PASSWORD"]))
    server.app = api
    env = environment(SERVICENOW_URL=server.base, **creds("SERVICENOW_USER", "SERVICENOW_PASSWORD"))
    incident = write_incident(tmp_path)
    first = publish(incident, "--to", "servicenow:INC0012345", env=env)
    assert first.stdout == "servicenow:INC0012345: PDF attached\n"
    (attached,) = api.files.values()
    assert re.fullmatch(PDF_NAME, attached["file_name"])
    assert attached["content_type"] == "application/pdf"
    again = publish(incident, "--to", "servicenow:INC0012345", env=env)
    assert again.stdout == "servicenow:INC0012345: PDF unchanged\n"
    assert api.count("POST", "attach") == 1
    unknown = publish(incident, "--to", "servicenow:INC0099999", env=env)
    assert "no incident record numbered INC0099999" in unknown.stderr


def test_servicenow_413_is_explained(tmp_path: Path, server: Server) -> None:
    api = ServiceNow(basic(SECRETS["SERVICENOW_USER"], SECRETS["SERVICENOW_PASSWORD"]), 1000)
    server.app = api
    env = environment(SERVICENOW_URL=server.base, **creds("SERVICENOW_USER", "SERVICENOW_PASSWORD"))
    result = publish(write_incident(tmp_path), "--to", "servicenow:INC0012345", env=env)
    assert result.exit_code == 1
    assert "HTTP 413 Request Entity Too Large: the server refuses a body this large" in (
        result.stderr
    )


def test_confluence_page_is_created_under_its_parent_then_versioned(
    tmp_path: Path, server: Server
) -> None:
    api = Confluence(basic(SECRETS["CONFLUENCE_USER"], SECRETS["CONFLUENCE_API_TOKEN"]))
    server.app = api
    env = environment(
        CONFLUENCE_URL=server.base, **creds("CONFLUENCE_USER", "CONFLUENCE_API_TOKEN")
    )
    target = "confluence:OPS/Incidents"
    incident = write_incident(tmp_path)
    first = publish(incident, "--to", target, env=env)
    assert first.stdout == f"{target}: page created; PDF attached\n"
    page = next(p for p in api.pages.values() if p["title"] == "INC-7: Checkout errors")
    assert page["ancestors"] == ["7"]
    assert "<th>Severity</th><td>SEV2</td>" in page["body"]
    assert re.search(rf'<ri:attachment ri:filename="{PDF_NAME}" />', page["body"])
    same = publish(incident, "--to", target, env=env)
    assert same.stdout == f"{target}: page unchanged; PDF unchanged\n"
    changed = write_incident(tmp_path, summary="Checkout failed, then recovered.")
    updated = publish(changed, "--to", target, "--replace", env=env)
    assert updated.stdout == (
        f"{target}: page updated (version 2); PDF replaced (1 older version removed)\n"
    )
    assert page["version"] == 2
    assert len(api.files) == 1
    fresh = Confluence(f"Bearer {SECRETS['CONFLUENCE_PAT']}")
    server.app = fresh
    env = environment(CONFLUENCE_URL=server.base, **creds("CONFLUENCE_PAT"))
    missing = publish(incident, "--to", "confluence:OPS/No such page", env=env)
    assert "no page titled 'No such page' in space OPS" in missing.stderr
    assert fresh.count("POST", "create") == 0


def test_no_secret_appears_in_any_output_log_or_file(tmp_path: Path, server: Server) -> None:
    apis = (
        Jira(basic(SECRETS["JIRA_USER"], SECRETS["JIRA_API_TOKEN"]), cloud=True),
        GitLab(SECRETS["GITLAB_TOKEN"]),
        GitHub(f"Bearer {SECRETS['GITHUB_TOKEN']}"),
        ServiceNow(basic(SECRETS["SERVICENOW_USER"], SECRETS["SERVICENOW_PASSWORD"])),
        Confluence(basic(SECRETS["CONFLUENCE_USER"], SECRETS["CONFLUENCE_API_TOKEN"])),
    )
    targets = (
        "--to=jira:OPS-1",
        "--to=gitlab:group/project#45",
        "--to=github:owner/repo#67",
        "--to=servicenow:INC0012345",
        "--to=confluence:OPS",
    )
    secrets = {k: v for k, v in SECRETS.items() if k not in ("JIRA_PAT", "CONFLUENCE_PAT")}
    forbidden = [v for k, v in secrets.items() if not k.endswith("_USER")]
    forbidden += [a.credential.split(" ")[-1] for a in apis]
    incident = write_incident(tmp_path)
    server.app = several(*apis)
    env = environment(**secrets, **dict.fromkeys(URL_VARS, server.base))
    runs = [publish(incident, *targets, flag, env=env) for flag in ("--dry-run", "-v")]
    for api in apis:
        api.fail("GET", next(name for m, _, name in api.routes if m == "GET"), 500)
    runs.append(publish(incident, *targets, "-v", env=env))
    runs.append(publish(incident, *targets, "-v", env=env | {"GITHUB_TOKEN": "bad-S3CRET"}))
    text = "\n".join(run.output for run in runs)
    assert "would send" in text and "<- 201" in text and "HTTP 500" in text and "HTTP 401" in text
    forbidden.append("bad-S3CRET")
    files = [path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()]
    for secret in forbidden:
        assert secret not in text
        assert not any(secret.encode() in data for data in files)

"""`postmortem publish` to Jira through the CLI, against a loopback Jira; shared behaviour:
idempotency, resuming, retries, limits, dry runs, HTTPS and redaction."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest

from tests.fetch_server import Server
from tests.publish_helpers import SECRETS, creds, environment, publish, write_incident
from tests.tracker_apis import Jira, basic

CLOUD_AUTH = basic(SECRETS["JIRA_USER"], SECRETS["JIRA_API_TOKEN"])
PDF_NAME = re.compile(r"INC-7_checkout-errors-[0-9a-f]{10}\.pdf")


@pytest.fixture
def jira(server: Server) -> Jira:
    """A Jira Cloud on the loopback server."""
    server.app = api = Jira(CLOUD_AUTH, cloud=True)
    return api


def cloud_env(server: Server) -> dict[str, str | None]:
    return environment(JIRA_URL=server.base, **creds("JIRA_USER", "JIRA_API_TOKEN"))


def test_jira_cloud_gets_the_pdf_and_one_comment_and_a_rerun_changes_nothing(
    tmp_path: Path, jira: Jira, server: Server
) -> None:
    incident = write_incident(tmp_path)
    first = publish(incident, "--to", "jira:OPS-1", env=cloud_env(server))
    assert first.exit_code == 0, first.output
    assert first.stdout == "jira:OPS-1: PDF attached; comment added\n"
    api = jira
    (attachment,) = api.attachments.values()
    assert PDF_NAME.fullmatch(attachment["filename"])
    (comment,) = api.comment_list
    text = json.dumps(comment["body"])
    assert comment["body"]["type"] == "doc"
    for fact in ("Post-mortem INC-7: Checkout errors", "SEV2", "2 h", "4,200"):
        assert fact in text
    assert "postmortem:INC-7" not in text  # the marker is a property readers never see
    assert api.properties[comment["id"]] == {"postmortem": {"incident": "INC-7"}}
    second = publish(incident, "--to", "jira:OPS-1", env=cloud_env(server))
    assert second.stdout == "jira:OPS-1: PDF unchanged; comment unchanged\n"
    assert api.count("POST", "attach") == 1
    assert api.count("POST", "comment") == 1
    assert api.count("PUT", "edit") == 0


def test_jira_data_center_uses_v2_a_bearer_token_and_wiki_markup(
    tmp_path: Path, server: Server
) -> None:
    server.app = api = Jira(f"Bearer {SECRETS['JIRA_PAT']}", cloud=False)
    env = environment(JIRA_URL=server.base, **creds("JIRA_PAT"))
    result = publish(write_incident(tmp_path), "--to", "jira:OPS-1", env=env)
    assert result.exit_code == 0, result.output
    (comment,) = api.comment_list
    assert comment["body"].startswith("h3. Post\\-mortem INC\\-7: Checkout errors")
    assert "* *Severity:* SEV2" in comment["body"]
    assert "postmortem:INC-7" not in comment["body"]
    assert api.properties[comment["id"]] == {"postmortem": {"incident": "INC-7"}}
    again = publish(write_incident(tmp_path), "--to", "jira:OPS-1", env=env)
    assert again.stdout == "jira:OPS-1: PDF unchanged; comment unchanged\n"
    assert server.log.count(("POST", "/rest/api/2/comment/list?expand=properties")) == 1


@pytest.mark.parametrize("cloud", [True, False], ids=["cloud", "data-center"])
def test_a_comment_with_the_visible_marker_of_earlier_versions_is_updated_not_doubled(
    tmp_path: Path, server: Server, cloud: bool
) -> None:
    if cloud:
        server.app = api = Jira(CLOUD_AUTH, cloud=True)
        env = cloud_env(server)
        old: object = {
            "type": "doc",
            "version": 1,
            "content": [
                {"type": "paragraph", "content": [{"type": "text", "text": "Earlier summary"}]},
                {
                    "type": "paragraph",
                    "content": [
                        {"type": "text", "text": "postmortem:INC-7", "marks": [{"type": "em"}]}
                    ],
                },
            ],
        }
        other: object = {"type": "doc", "version": 1, "content": []}
    else:
        server.app = api = Jira(f"Bearer {SECRETS['JIRA_PAT']}", cloud=False)
        env = environment(JIRA_URL=server.base, **creds("JIRA_PAT"))
        old, other = "h3. Earlier summary\n\n_postmortem:INC-7_", "Looking into it."
    api.comment_list += [{"id": "11", "body": other}, {"id": "12", "body": other}]
    api.comment_list.append({"id": "13", "body": old})
    api.properties["12"] = {"postmortem": {"incident": "INC-8"}}  # another incident's
    incident = write_incident(tmp_path)
    result = publish(incident, "--to", "jira:OPS-1", env=env)
    assert result.stdout == "jira:OPS-1: PDF attached; comment updated\n"
    assert [c["id"] for c in api.comment_list] == ["11", "12", "13"]
    assert "postmortem:INC-7" not in json.dumps(api.comment_list[2]["body"])
    assert "Checkout failed for two hours." in json.dumps(api.comment_list[2]["body"])
    assert api.properties["13"] == {"postmortem": {"incident": "INC-7"}}
    assert api.properties["12"] == {"postmortem": {"incident": "INC-8"}}
    again = publish(incident, "--to", "jira:OPS-1", env=env)
    assert again.stdout == "jira:OPS-1: PDF unchanged; comment unchanged\n"
    assert api.count("POST", "comment") == 0


def test_the_loopback_jira_keeps_comment_properties_as_jira_does(
    jira: Jira, server: Server
) -> None:
    """Keys of 1 to 255 characters, JSON-object values of at most 32,768 characters, shown
    only by comment/list with expand=properties; so the marker tests above can fail."""

    def send(method: str, path: str, data: object) -> tuple[int, object]:
        request = urllib.request.Request(
            f"{server.base}/rest/api/3{path}",
            None if data is None else json.dumps(data).encode(),
            {"Authorization": CLOUD_AUTH, "Content-Type": "application/json"},
            method=method,
        )
        try:
            with urllib.request.urlopen(request) as answer:
                return answer.status, json.loads(answer.read())
        except HTTPError as refused:
            return refused.code, None

    body = {"type": "doc", "version": 1, "content": []}
    for refused in (
        [{"key": "k" * 256, "value": {"incident": "INC-7"}}],
        [{"key": "", "value": {"incident": "INC-7"}}],
        [{"key": "postmortem", "value": "INC-7"}],
        [{"key": "postmortem", "value": {"text": "x" * 32768}}],
        {"key": "postmortem", "value": {}},
    ):
        assert send("POST", "/issue/OPS-1/comment", {"body": body, "properties": refused})[0] == 400
    mark = [{"key": "k" * 255, "value": {"incident": "INC-7"}}]
    status, made = send("POST", "/issue/OPS-1/comment", {"body": body, "properties": mark})
    assert status == 201 and isinstance(made, dict)
    status, listed = send("GET", "/issue/OPS-1/comment?expand=properties", None)
    assert status == 200 and "properties" not in json.dumps(listed)
    plain = send("POST", "/comment/list", {"ids": [int(made["id"])]})
    assert plain[0] == 200 and "properties" not in json.dumps(plain[1])
    status, expanded = send("POST", "/comment/list?expand=properties", {"ids": [int(made["id"])]})
    assert status == 200 and isinstance(expanded, dict)
    assert expanded["values"] == [made | {"properties": mark}]
    for ids in ([], list(range(1001)), [made["id"]]):
        assert send("POST", "/comment/list?expand=properties", {"ids": ids})[0] == 400


def test_targets_come_from_the_incident_files_tickets(
    tmp_path: Path, jira: Jira, server: Server
) -> None:
    incident = write_incident(tmp_path)
    incident.write_text(incident.read_text() + "tickets: [jira:OPS-1]\n")
    result = publish(incident, env=cloud_env(server))
    assert result.stdout == "jira:OPS-1: PDF attached; comment added\n"


def test_a_changed_pdf_is_added_beside_the_old_one_or_replaces_it_with_replace(
    tmp_path: Path, jira: Jira, server: Server
) -> None:
    api = jira
    publish(write_incident(tmp_path), "--to", "jira:OPS-1", env=cloud_env(server))
    changed = write_incident(tmp_path, summary="Checkout failed for two long hours.")
    added = publish(changed, "--to", "jira:OPS-1", env=cloud_env(server))
    assert added.stdout == (
        "jira:OPS-1: changed PDF added next to 1 older version (--replace removes them); "
        "comment updated\n"
    )
    assert len(api.attachments) == 2
    assert len(api.comment_list) == 1
    again = write_incident(tmp_path, summary="Checkout failed for two very long hours.")
    replaced = publish(again, "--to", "jira:OPS-1", "--replace", env=cloud_env(server))
    assert replaced.stdout.startswith("jira:OPS-1: PDF replaced (2 older versions removed)")
    (only,) = api.attachments.values()
    assert "two very long hours" in json.dumps(api.comment_list[0]["body"])
    assert PDF_NAME.fullmatch(only["filename"])


def test_a_failed_comment_is_completed_next_run_without_a_second_upload(
    tmp_path: Path, jira: Jira, server: Server
) -> None:
    api = jira
    api.fail("POST", "comment", 500)
    incident = write_incident(tmp_path)
    failed = publish(incident, "--to", "jira:OPS-1", env=cloud_env(server))
    assert failed.exit_code == 1
    assert failed.stdout == ""
    assert re.fullmatch(
        r"jira:OPS-1: failed: POST http://127\.0\.0\.1:\d+/rest/api/3/issue/OPS-1/comment: "
        r"HTTP 500 Internal Server Error \(server said: scripted 500\)\n",
        failed.stderr,
    )
    resumed = publish(incident, "--to", "jira:OPS-1", env=cloud_env(server))
    assert resumed.stdout == "jira:OPS-1: PDF unchanged; comment added\n"
    assert api.count("POST", "attach") == 1


def test_429_and_503_are_retried_as_retry_after_says(
    tmp_path: Path, jira: Jira, server: Server
) -> None:
    api = jira
    api.fail("POST", "attach", 429)
    api.fail("POST", "comment", 503, 503)
    result = publish(write_incident(tmp_path), "--to", "jira:OPS-1", env=cloud_env(server))
    assert result.exit_code == 0, result.output
    assert api.count("POST", "attach") == 2
    assert api.count("POST", "comment") == 3


def test_retries_are_bounded(tmp_path: Path, jira: Jira, server: Server) -> None:
    jira.fail("GET", "issue", 429, 429, 429, 429)
    result = publish(write_incident(tmp_path), "--to", "jira:OPS-1", env=cloud_env(server))
    assert result.exit_code == 1
    assert "HTTP 429 Too Many Requests: still rate-limited after retrying" in result.stderr
    assert jira.count("GET", "issue") == 3


def test_refused_credentials_name_the_variables_and_are_not_shown(
    tmp_path: Path, jira: Jira, server: Server
) -> None:
    env = cloud_env(server) | {"JIRA_API_TOKEN": "wrong-token-S3CRET"}
    result = publish(write_incident(tmp_path), "--to", "jira:OPS-1", env=env)
    assert result.exit_code == 1
    assert "HTTP 401 Unauthorized: the credentials were refused; check JIRA_USER and " in (
        result.stderr
    )
    assert "S3CRET" not in result.output


def test_the_upload_limit_is_checked_before_uploading(tmp_path: Path, server: Server) -> None:
    server.app = api = Jira(CLOUD_AUTH, cloud=True, upload_limit=1000)
    result = publish(write_incident(tmp_path), "--to", "jira:OPS-1", env=cloud_env(server))
    assert result.exit_code == 1
    assert re.search(r"the PDF \(.*\) is larger than this Jira's upload limit", result.stderr)
    assert api.count("POST", "attach") == 0


def test_the_loopback_jira_enforces_the_token_header_and_the_file_field(
    jira: Jira, server: Server
) -> None:
    """The stand-in refuses what real Jira refuses, so the tests above can fail."""
    url = f"{server.base}/rest/api/3/issue/OPS-1/attachments"
    boundary = "b0undary"
    for field, token, status in (("file", None, 403), ("upload", "no-check", 400)):
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--{boundary}--\r\n'
        ).encode()
        headers = {
            "Authorization": CLOUD_AUTH,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        if token:
            headers["X-Atlassian-Token"] = token
        request = urllib.request.Request(url, body, headers, method="POST")
        with pytest.raises(HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == status


def test_dry_run_prints_requests_with_secrets_redacted_and_sends_nothing(
    tmp_path: Path, jira: Jira, server: Server
) -> None:
    result = publish(
        write_incident(tmp_path), "--to", "jira:OPS-1", "--dry-run", env=cloud_env(server)
    )
    assert result.exit_code == 0, result.output
    assert server.log == []
    out = result.stdout
    assert f"would send GET {server.base}/rest/api/3/attachment/meta\n" in out
    assert f"would send POST {server.base}/rest/api/3/issue/OPS-1/attachments\n" in out
    assert "    Authorization: Basic ***\n" in out
    assert "    X-Atlassian-Token: no-check\n" in out
    assert re.search(
        r"    part file: INC-7_checkout-errors-[0-9a-f]{10}\.pdf \(application/pdf, ", out
    )
    assert out.endswith("jira:OPS-1: dry run, nothing sent: PDF attached; comment added\n")
    assert "S3CRET" not in result.output


def test_verbose_shows_requests_and_answers_on_stderr(
    tmp_path: Path, jira: Jira, server: Server
) -> None:
    result = publish(write_incident(tmp_path), "--to", "jira:OPS-1", "-v", env=cloud_env(server))
    assert f"-> POST {server.base}/rest/api/3/issue/OPS-1/comment\n" in result.stderr
    assert "  <- 201 Created\n" in result.stderr
    assert "Authorization: Basic ***" in result.stderr


def test_plain_http_needs_allow_host(tmp_path: Path, jira: Jira, server: Server) -> None:
    incident = write_incident(tmp_path)
    plain = publish(incident, "--to", "jira:OPS-1", env=cloud_env(server), allow=False)
    assert "plain http to 127.0.0.1 would send credentials in clear text; use https (or " in (
        plain.stderr
    )
    secure = cloud_env(server) | {"JIRA_URL": server.base.replace("http:", "https:")}
    loopback = publish(incident, "--to", "jira:OPS-1", env=secure, allow=False)
    assert "is a loopback address (allow it with --allow-host 127.0.0.1)" in loopback.stderr
    by_name = cloud_env(server) | {"JIRA_URL": server.base.replace("127.0.0.1", "localhost")}
    refused = publish(incident, "--to", "jira:OPS-1", env=by_name)
    assert refused.exit_code == 1
    assert "plain http to localhost would send credentials in clear text; use https" in (
        refused.stderr
    )
    assert server.log == []


def test_project_file_names_the_tracker(tmp_path: Path, jira: Jira, server: Server) -> None:
    (tmp_path / "postmortem.yaml").write_text(f"trackers:\n  jira: {server.base}\n")
    env = environment(**creds("JIRA_USER", "JIRA_API_TOKEN"))
    result = publish(write_incident(tmp_path), "--to", "jira:OPS-1", env=env)
    assert result.stdout == "jira:OPS-1: PDF attached; comment added\n"


def test_bad_targets_fail_alone_and_no_target_is_an_error(
    tmp_path: Path, jira: Jira, server: Server
) -> None:
    incident = write_incident(tmp_path)
    mixed = publish(
        incident,
        "--to",
        "jira:nope",
        "--to",
        "jira:OPS-1",
        "--to",
        "bugzilla:1",
        env=cloud_env(server),
    )
    assert mixed.exit_code == 1
    assert mixed.stdout == "jira:OPS-1: PDF attached; comment added\n"
    assert "jira:nope: failed: not a jira reference; e.g. jira:OPS-123" in mixed.stderr
    assert "bugzilla:1: failed: unknown tracker 'bugzilla'" in mixed.stderr
    nowhere = publish(incident, env=cloud_env(server))
    assert nowhere.exit_code == 1
    assert "nowhere to publish; give --to jira:OPS-123" in nowhere.stderr
    missing = publish(incident, "--to", "jira:OPS-1", env=environment(JIRA_URL=server.base))
    assert "jira:OPS-1: failed: no credentials; set JIRA_USER and JIRA_API_TOKEN" in missing.stderr


def test_tickets_are_validated_with_the_incident_file(tmp_path: Path) -> None:
    incident = write_incident(tmp_path)
    incident.write_text(incident.read_text() + "tickets: [jira:OPS-1, bugzilla:12]\n")
    result = publish(incident, "--to", "jira:OPS-1", env=environment())
    assert result.exit_code == 1
    assert f"{incident}:12:23: tickets[1]: not a ticket; write jira:OPS-123, " in result.stderr


def test_403_and_404_say_what_to_check(tmp_path: Path, jira: Jira, server: Server) -> None:
    incident = write_incident(tmp_path)
    unknown = publish(incident, "--to", "jira:OPS-2", env=cloud_env(server))
    assert "/rest/api/3/issue/OPS-2?fields=attachment: HTTP 404 Not Found: not found; " in (
        unknown.stderr
    )
    assert "check the target and JIRA_URL" in unknown.stderr
    jira.fail("POST", "attach", 403)
    forbidden = publish(incident, "--to", "jira:OPS-1", env=cloud_env(server))
    assert "HTTP 403 Forbidden: the account may not do this; check its permissions" in (
        forbidden.stderr
    )
    assert jira.attachments == {}


def test_a_failed_removal_is_finished_by_the_next_replace(
    tmp_path: Path, jira: Jira, server: Server
) -> None:
    publish(write_incident(tmp_path), "--to", "jira:OPS-1", env=cloud_env(server))
    changed = write_incident(tmp_path, summary="Checkout failed for two long hours.")
    jira.fail("DELETE", "delete", 500)
    failed = publish(changed, "--to", "jira:OPS-1", "--replace", env=cloud_env(server))
    assert failed.exit_code == 1
    assert len(jira.attachments) == 2
    done = publish(changed, "--to", "jira:OPS-1", "--replace", env=cloud_env(server))
    assert done.stdout == ("jira:OPS-1: PDF unchanged (1 older version removed); comment updated\n")
    assert len(jira.attachments) == 1
    assert jira.count("POST", "attach") == 2

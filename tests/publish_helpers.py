"""Shared set-up for the `postmortem publish` tests: an incident file, secrets, a CLI run."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from postmortem.commands import cli

INCIDENT = """\
id: INC-7
title: Checkout errors
severity: SEV2
timezone: UTC
milestones:
  started: 2026-03-20T04:05:00Z
  resolved: 2026-03-20T06:05:00Z
impact:
  metrics: {{failed_requests: 4200}}
sections:
  summary: {summary}
"""

SECRETS = {
    "JIRA_USER": "pm-bot@example.com",
    "JIRA_API_TOKEN": "jira-token-S3CRET-one",
    "JIRA_PAT": "jira-pat-S3CRET-two",
    "GITLAB_TOKEN": "glpat-S3CRET-three",
    "GITHUB_TOKEN": "ghp_S3CRET_four",
    "SERVICENOW_USER": "pm.bot",
    "SERVICENOW_PASSWORD": "snow-S3CRET-five",
    "CONFLUENCE_USER": "pm-bot@example.com",
    "CONFLUENCE_API_TOKEN": "conf-token-S3CRET-six",
    "CONFLUENCE_PAT": "conf-pat-S3CRET-seven",
}
URL_VARS = ("JIRA_URL", "GITLAB_URL", "GITHUB_API_URL", "SERVICENOW_URL", "CONFLUENCE_URL")


def write_incident(folder: Path, summary: str = "Checkout failed for two hours.") -> Path:
    path = folder / "incident.yaml"
    path.write_text(INCIDENT.format(summary=summary), encoding="utf-8")
    return path


def environment(**values: str) -> dict[str, str | None]:
    """Every variable publish reads unset, except `values`."""
    env: dict[str, str | None] = dict.fromkeys((*SECRETS, *URL_VARS))
    env.update(values)
    return env


def creds(*names: str) -> dict[str, str]:
    return {name: SECRETS[name] for name in names}


def publish(
    incident: Path, *args: str, env: Mapping[str, str | None], allow: bool = True
) -> Result:
    """`postmortem publish` through the CLI, allowing plain http to the loopback server."""
    extra = ["--allow-host", "127.0.0.1"] if allow else []
    return CliRunner().invoke(
        cli, ["publish", str(incident), *extra, *args], env=dict(env), catch_exceptions=False
    )

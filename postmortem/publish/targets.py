"""Where to publish and as whom: targets, tracker URLs and credentials from the environment.

Credentials come only from environment variables, never from a file the report is built
from; every value read here is also registered as a secret, so whatever is printed can be
redacted (`Secrets.redact`).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from postmortem.errors import PostmortemError
from postmortem.spec.fieldtypes import TICKET_PATTERNS

TRACKERS = ("jira", "gitlab", "github", "servicenow", "confluence")
#: the environment variable naming each tracker's base URL
URL_VARS = {
    "jira": "JIRA_URL",
    "gitlab": "GITLAB_URL",
    "github": "GITHUB_API_URL",
    "servicenow": "SERVICENOW_URL",
    "confluence": "CONFLUENCE_URL",
}
DEFAULT_URLS = {"gitlab": "https://gitlab.com", "github": "https://api.github.com"}
#: what to set, said in error messages
CREDENTIAL_HINTS = {
    "jira": "JIRA_USER and JIRA_API_TOKEN (Jira Cloud) or JIRA_PAT (Data Center)",
    "gitlab": "GITLAB_TOKEN",
    "github": "GITHUB_TOKEN",
    "servicenow": "SERVICENOW_USER and SERVICENOW_PASSWORD",
    "confluence": "CONFLUENCE_USER and CONFLUENCE_API_TOKEN (Cloud) or CONFLUENCE_PAT",
}
_SERVICENOW_TABLES = {"INC": "incident", "PRB": "problem", "CHG": "change_request"}


class PublishError(PostmortemError):
    """A target could not be published to; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Target:
    """One place to publish to, e.g. `jira:OPS-123`."""

    tracker: str
    ref: str  #: the part after the colon

    def __str__(self) -> str:
        return f"{self.tracker}:{self.ref}"

    def split(self) -> tuple[str, int]:
        """`group/project#45` -> ("group/project", 45), for GitLab and GitHub."""
        path, _, number = self.ref.rpartition("#")
        return path, int(number)


def parse_target(text: str) -> Target:
    """A target from `tracker:reference`, checked against the tracker's pattern."""
    tracker, _, ref = text.strip().partition(":")
    if tracker not in TICKET_PATTERNS:
        raise PublishError(
            f"unknown tracker {tracker!r}; use one of {', '.join(TRACKERS)}, e.g. jira:OPS-123"
        )
    if not re.fullmatch(TICKET_PATTERNS[tracker], ref):
        raise PublishError(f"not a {tracker} reference; e.g. {_EXAMPLES[tracker]}")
    return Target(tracker, ref)


_EXAMPLES = {
    "jira": "jira:OPS-123",
    "gitlab": "gitlab:group/project#45",
    "github": "github:owner/repo#67",
    "servicenow": "servicenow:INC0012345",
    "confluence": "confluence:SPACE or confluence:SPACE/Parent page title",
}


def servicenow_table(number: str) -> str:
    """The table a ServiceNow record number lives in, from its prefix (INC -> incident)."""
    prefix = re.match(r"[A-Z]+", number)
    table = _SERVICENOW_TABLES.get(prefix.group() if prefix else "")
    if table is None:
        known = ", ".join(f"{p}… ({t})" for p, t in _SERVICENOW_TABLES.items())
        raise PublishError(f"unknown record prefix; use {known}")
    return table


@dataclass(frozen=True, slots=True)
class Secrets:
    """Every credential value read, so output can be scrubbed of them."""

    values: frozenset[str] = frozenset()

    def redact(self, text: str) -> str:
        """`text` with every secret (longest first) replaced by `***`."""
        for value in sorted(self.values, key=len, reverse=True):
            text = text.replace(value, "***")
        return text


@dataclass(frozen=True, slots=True)
class Auth:
    """How to authenticate to one tracker: headers to send and the flavour of server."""

    headers: Mapping[str, str]
    flavour: str = ""  #: Jira/Confluence: "cloud" (basic, API token) or "datacenter" (PAT)
    secrets: frozenset[str] = field(default_factory=frozenset)


def all_secrets(env: Mapping[str, str]) -> Secrets:
    """Every credential in `env` that any tracker would use, and its encodings."""
    values: set[str] = set()
    for tracker in TRACKERS:
        try:
            values |= credentials(tracker, env).secrets
        except PublishError:
            continue
    return Secrets(frozenset(v for v in values if v))


def credentials(tracker: str, env: Mapping[str, str]) -> Auth:
    """The Auth for `tracker` from environment variables; an error names what to set."""
    if tracker == "jira":
        return _bearer_or_basic(env, "JIRA_PAT", "JIRA_USER", "JIRA_API_TOKEN", tracker)
    if tracker == "confluence":
        return _bearer_or_basic(
            env, "CONFLUENCE_PAT", "CONFLUENCE_USER", "CONFLUENCE_API_TOKEN", tracker
        )
    if tracker == "servicenow":
        return _basic(env, "SERVICENOW_USER", "SERVICENOW_PASSWORD", tracker, "")
    name = "GITLAB_TOKEN" if tracker == "gitlab" else "GITHUB_TOKEN"
    token = env.get(name, "")
    if not token:
        raise PublishError(f"no credentials; set {CREDENTIAL_HINTS[tracker]}")
    header = {"PRIVATE-TOKEN": token} if tracker == "gitlab" else _bearer(token)
    return Auth(header, secrets=frozenset({token}))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _bearer_or_basic(env: Mapping[str, str], pat: str, user: str, token: str, tracker: str) -> Auth:
    if env.get(pat):
        return Auth(_bearer(env[pat]), "datacenter", frozenset({env[pat]}))
    return _basic(env, user, token, tracker, "cloud")


def _basic(env: Mapping[str, str], user: str, secret: str, tracker: str, flavour: str) -> Auth:
    name, password = env.get(user, ""), env.get(secret, "")
    if not (name and password):
        raise PublishError(f"no credentials; set {CREDENTIAL_HINTS[tracker]}")
    blob = base64.b64encode(f"{name}:{password}".encode()).decode()
    return Auth({"Authorization": f"Basic {blob}"}, flavour, frozenset({password, blob}))


def base_url(tracker: str, env: Mapping[str, str], configured: Mapping[str, str]) -> str:
    """The tracker's base URL: environment first, then postmortem.yaml, then the default."""
    url = env.get(URL_VARS[tracker]) or configured.get(tracker) or DEFAULT_URLS.get(tracker)
    if not url:
        raise PublishError(
            f"no server URL; set {URL_VARS[tracker]} or trackers.{tracker} in postmortem.yaml"
        )
    if re.match(r"^[^:/?#]*://[^/?#]*@", url):
        # it would be shown in every message; credentials belong in the variables
        raise PublishError(
            f"the {tracker} URL holds a user name or password; "
            f"remove it and set {CREDENTIAL_HINTS[tracker]} instead"
        )
    if not re.match(r"^https?://[^\s/?#]+\S*$", url):
        raise PublishError(f"{url!r} is not an http(s) URL")
    return url.rstrip("/")

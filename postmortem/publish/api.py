"""One tracker's REST API as publishing sees it: JSON in and out, files as multipart.

Requests go through the collectors' guarded `Fetcher.send`. With `dry_run` nothing is sent:
each request is printed (headers redacted, parts with names and sizes) and the caller's
stand-in answer is returned, so the rest of the run can show what it would do next.
Every message that leaves here has had the credentials scrubbed out.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from postmortem.errors import PostmortemError
from postmortem.publish.targets import CREDENTIAL_HINTS, URL_VARS, Auth, PublishError, Secrets

if TYPE_CHECKING:
    from postmortem.collectors.fetch.client import Fetcher

#: headers whose values are never printed, whatever they hold
_SECRET_HEADERS = frozenset({"authorization", "private-token", "cookie"})
_SERVER_SAYS = 200  #: characters of a server's error message quoted back to the user


@dataclass(frozen=True, slots=True)
class Part:
    """One file of a multipart/form-data body."""

    name: str  #: the form field, e.g. "file"
    filename: str
    content_type: str
    data: bytes


class Api:
    """Requests to one tracker at `base`, authenticated with `auth`."""

    def __init__(
        self,
        fetcher: Fetcher,
        tracker: str,
        base: str,
        auth: Auth,
        *,
        secrets: Secrets,
        dry_run: bool = False,
        echo: Callable[[str], None] | None = None,
    ) -> None:
        self.fetcher = fetcher
        self.tracker = tracker
        self.base = base
        self.auth = auth
        self.secrets = secrets
        self.dry_run = dry_run
        self.echo = echo

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        parts: Sequence[Part] = (),
        raw: tuple[str, bytes] | None = None,
        headers: Mapping[str, str] | None = None,
        dry: Any = None,
    ) -> Any:
        """Send a request to `base + path`; the parsed JSON answer (None when empty).

        Exactly one of `json_body`, `parts` (multipart) or `raw` (content type, bytes) may be
        given. `dry` is what a dry run returns instead of sending anything.
        """
        url = self.base + path
        sent = {"Accept": "application/json", **self.auth.headers, **(headers or {})}
        content, described = _encode(sent, json_body, parts, raw)
        if self.dry_run or self.echo is not None:
            self._show(method, url, sent, described)
        if self.dry_run:
            return dry
        try:
            reply = self.fetcher.send(method, url, headers=sent, content=content)
        except PostmortemError as exc:
            raise PublishError(self.secrets.redact(str(exc))) from None
        if self.echo is not None:
            self.echo(self.secrets.redact(f"  <- {reply.status} {reply.reason}"))
        if not 200 <= reply.status < 300:
            raise PublishError(self._failure(method, url, reply.status, reply.reason, reply.body))
        if not reply.body.strip():
            return None
        try:
            return json.loads(reply.body)
        except ValueError:
            raise PublishError(f"{method} {url}: the answer is not JSON") from None

    def _show(self, method: str, url: str, headers: Mapping[str, str], parts: list[str]) -> None:
        assert self.echo is not None, "a dry run or -v needs somewhere to print"
        lines = [f"{'would send' if self.dry_run else '->'} {method} {url}"]
        for name, value in headers.items():
            shown = _redact_header(name, value)
            lines.append(f"    {name}: {shown}")
        lines += [f"    {line}" for line in parts]
        for line in lines:
            self.echo(self.secrets.redact(line))

    def _failure(self, method: str, url: str, status: int, reason: str, body: bytes) -> str:
        """One line for a failed request: what happened and what to check."""
        hints = {
            401: f"the credentials were refused; check {CREDENTIAL_HINTS[self.tracker]}",
            403: "the account may not do this; check its permissions on the target",
            404: f"not found; check the target and {URL_VARS[self.tracker]}",
            413: "the server refuses a body this large; raise its upload limit",
            429: "still rate-limited after retrying; try again later",
            503: "the service is unavailable even after retrying; try again later",
        }
        hint = hints.get(status, "")
        said = _server_message(body)
        text = f"{method} {url}: HTTP {status} {reason}".rstrip()
        text += f": {hint}" if hint else ""
        text += f" (server said: {said})" if said else ""
        return self.secrets.redact(text)


def _redact_header(name: str, value: str) -> str:
    if name.lower() not in _SECRET_HEADERS:
        return value
    scheme, _, rest = value.partition(" ")
    return f"{scheme} ***" if rest and scheme in ("Basic", "Bearer") else "***"


def _encode(
    headers: dict[str, str],
    json_body: Any,
    parts: Sequence[Part],
    raw: tuple[str, bytes] | None,
) -> tuple[bytes | None, list[str]]:
    """The body bytes (setting Content-Type) and how to describe them to a person."""
    from postmortem.spec.files import size_text

    if parts:
        boundary = f"postmortem-{secrets.token_hex(16)}"
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        chunks = []
        for part in parts:
            head = (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="{part.name}"; '
                f'filename="{_quoted(part.filename)}"\r\n'
                f"Content-Type: {part.content_type}\r\n\r\n"
            )
            chunks += [head.encode(), part.data, b"\r\n"]
        chunks.append(f"--{boundary}--\r\n".encode())
        described = [
            f"part {p.name}: {p.filename} ({p.content_type}, {size_text(len(p.data))})"
            for p in parts
        ]
        return b"".join(chunks), described
    if raw is not None:
        headers["Content-Type"] = raw[0]
        return raw[1], [f"body: {raw[0]}, {size_text(len(raw[1]))}"]
    if json_body is not None:
        data = json.dumps(json_body, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json"
        return data, [f"body: application/json, {size_text(len(data))}"]
    return None, []


def _quoted(filename: str) -> str:
    return filename.replace("\\", "_").replace('"', "_").replace("\r", "").replace("\n", "")


def _server_message(body: bytes) -> str:
    """The human part of an error answer (Jira, GitLab, GitHub, ServiceNow, Confluence)."""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    found: list[str] = []
    if isinstance(data, dict):
        for key in ("errorMessages", "message", "error", "errors"):
            value = data.get(key)
            if isinstance(value, dict):
                value = value.get("message") or value.get("detail") or list(value.values())
            if isinstance(value, list):
                found += [str(v) for v in value if v]
            elif value:
                found.append(str(value))
    text = " ".join("; ".join(found).split())
    return text[:_SERVER_SAYS]

"""Loopback stand-ins for the tracker APIs `postmortem publish` talks to.

Each is an `app` for tests/fetch_server.py's `Server` and enforces what the real service
enforces where a client could get it wrong: authentication, Jira's and Confluence's
`X-Atlassian-Token: no-check` on uploads, the multipart field `file`, ServiceNow's raw
upload body, upload limits (413), Confluence's next version number and unique titles, and
Jira's comment properties (key at most 255 characters, value a JSON object of at most
32,768, seen only through `comment/list` with `expand=properties`).
`fail(method, name, *statuses)` scripts answers (429/503 come with `Retry-After: 0`).
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.etree import ElementTree

from tests.fetch_server import _Handler

Route = tuple[str, str, str]  # method, path pattern, name


def basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def multipart(h: _Handler) -> list[tuple[str, str | None, bytes]]:
    """(field name, filename, data) of each part of a multipart/form-data body."""
    kind = h.headers.get("Content-Type", "")
    if not kind.startswith("multipart/form-data"):
        return []
    raw = f"Content-Type: {kind}\r\n\r\n".encode() + h.body
    message = BytesParser(policy=HTTP).parsebytes(raw)
    found = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        found.append((str(name), part.get_filename(), data if isinstance(data, bytes) else b""))
    return found


def well_formed(storage: str) -> bool:
    """Whether a Confluence storage-format body parses as XML, as Confluence requires."""
    wrapped = f'<root xmlns:ac="urn:ac" xmlns:ri="urn:ri">{storage}</root>'
    try:
        ElementTree.fromstring(wrapped)
    except ElementTree.ParseError:
        return False
    return True


class FakeApi:
    """Dispatches on method and path; checks the credential header first."""

    routes: tuple[Route, ...] = ()
    auth_header = "Authorization"

    def __init__(self, credential: str, upload_limit: int = 10 * 2**20) -> None:
        self.credential = credential
        self.upload_limit = upload_limit
        self.script: dict[tuple[str, str], list[int]] = {}
        self.calls: list[tuple[str, str]] = []  # (method, route name) of answered requests
        self.ids = itertools.count(1001)
        self.lock = threading.Lock()

    def fail(self, method: str, name: str, *statuses: int) -> None:
        self.script.setdefault((method, name), []).extend(statuses)

    def count(self, method: str, name: str) -> int:
        return self.calls.count((method, name))

    def route(self, method: str, path: str) -> tuple[str, re.Match[str]] | None:
        for verb, pattern, name in self.routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return name, match
        return None

    def serves(self, method: str, path: str) -> bool:
        return self.route(method, path) is not None

    def __call__(self, h: _Handler) -> None:
        parts = urlsplit(h.path)
        method = h.command
        found = self.route(method, parts.path)
        if found is None:
            self.reply(h, 404, {"message": "404 Not Found"})
            return
        name, match = found
        if h.headers.get(self.auth_header) != self.credential:
            self.reply(h, 401, {"message": "401 Unauthorized", "errorMessages": ["Unauthorized"]})
            return
        with self.lock:
            scripted = self.script.get((method, name))
            status = scripted.pop(0) if scripted else None
            self.calls.append((method, name))
        if status is not None:
            wait = {"Retry_After": "0"} if status in (429, 503) else {}
            self.reply(h, status, {"message": f"scripted {status}"}, **wait)
            return
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self.lock:
            getattr(self, name)(h, query, *(unquote(g) for g in match.groups()))

    @staticmethod
    def reply(h: _Handler, status: int, data: Any = None, **headers: str) -> None:
        body = b"" if data is None else json.dumps(data).encode()
        h.send(status, body, Content_Type="application/json", **headers)

    @staticmethod
    def json(h: _Handler) -> Any:
        if not h.headers.get("Content-Type", "").startswith("application/json"):
            return None
        return json.loads(h.body)

    def upload(self, h: _Handler, *, token: bool) -> tuple[str, bytes] | Callable[[], None]:
        """The one file of a multipart upload in field `file`, or the refusal to send."""
        if token and h.headers.get("X-Atlassian-Token") != "no-check":
            return lambda: self.reply(h, 403, {"message": "XSRF check failed"})
        if len(h.body) > self.upload_limit:
            return lambda: self.reply(h, 413, {"message": "Request Entity Too Large"})
        files = [(n, f, d) for n, f, d in multipart(h) if n == "file" and f]
        if len(files) != 1:
            return lambda: self.reply(h, 400, {"message": "expected one file in field 'file'"})
        return str(files[0][1]), files[0][2]


class Jira(FakeApi):
    """Jira Cloud (v3, ADF bodies) or Data Center (v2, wiki markup) with one issue, OPS-1.

    Comment properties are kept beside the comments (`properties`, by comment id): the
    issue's comment listing never shows them, `comment/list` does when asked to expand them.
    """

    def __init__(self, credential: str, *, cloud: bool, upload_limit: int = 10 * 2**20) -> None:
        super().__init__(credential, upload_limit)
        self.cloud = cloud
        self.attachments: dict[str, dict[str, Any]] = {}
        self.comment_list: list[dict[str, Any]] = []
        self.properties: dict[str, dict[str, Any]] = {}
        v = 3 if cloud else 2
        self.routes = (
            ("GET", rf"/rest/api/{v}/issue/(OPS-1)", "issue"),
            ("GET", rf"/rest/api/{v}/attachment/meta", "meta"),
            ("POST", rf"/rest/api/{v}/issue/(OPS-1)/attachments", "attach"),
            ("DELETE", rf"/rest/api/{v}/attachment/(\d+)", "delete"),
            ("GET", rf"/rest/api/{v}/issue/(OPS-1)/comment", "comments"),
            ("POST", rf"/rest/api/{v}/issue/(OPS-1)/comment", "comment"),
            ("PUT", rf"/rest/api/{v}/issue/(OPS-1)/comment/(\d+)", "edit"),
            ("POST", rf"/rest/api/{v}/comment/list", "by_ids"),
        )

    def issue(self, h: _Handler, q: dict[str, str], key: str) -> None:
        listed = [{k: a[k] for k in ("id", "filename", "size")} for a in self.attachments.values()]
        self.reply(h, 200, {"key": key, "fields": {"attachment": listed}})

    def meta(self, h: _Handler, q: dict[str, str]) -> None:
        self.reply(h, 200, {"enabled": True, "uploadLimit": self.upload_limit})

    def attach(self, h: _Handler, q: dict[str, str], key: str) -> None:
        got = self.upload(h, token=True)
        if callable(got):
            got()
            return
        ident = str(next(self.ids))
        self.attachments[ident] = {"id": ident, "filename": got[0], "size": len(got[1])}
        self.reply(h, 200, [self.attachments[ident]])

    def delete(self, h: _Handler, q: dict[str, str], ident: str) -> None:
        self.reply(h, 204) if self.attachments.pop(ident, None) else self.reply(h, 404, {})

    def comments(self, h: _Handler, q: dict[str, str], key: str) -> None:
        start, size = int(q.get("startAt", 0)), min(int(q.get("maxResults", 50)), 100)
        page = self.comment_list[start : start + size]
        total = len(self.comment_list)
        self.reply(h, 200, {"startAt": start, "maxResults": size, "total": total, "comments": page})

    def _body(self, h: _Handler) -> tuple[Any, dict[str, Any]] | None:
        """The comment body and properties sent, or None when either is not valid."""
        data = self.json(h)
        body = data.get("body") if isinstance(data, dict) else None
        valid = (
            isinstance(body, dict) and body.get("type") == "doc"
            if self.cloud
            else isinstance(body, str)
        )
        marks = entity_properties(data.get("properties", []) if isinstance(data, dict) else [])
        return (body, marks) if valid and marks is not None else None

    def comment(self, h: _Handler, q: dict[str, str], key: str) -> None:
        sent = self._body(h)
        if sent is None:
            self.reply(h, 400, {"errorMessages": ["Comment body is not valid"]})
            return
        entry = {"id": str(next(self.ids)), "body": sent[0]}
        self.comment_list.append(entry)
        self.properties[entry["id"]] = sent[1]
        self.reply(h, 201, entry)

    def edit(self, h: _Handler, q: dict[str, str], key: str, ident: str) -> None:
        sent = self._body(h)
        found = [c for c in self.comment_list if c["id"] == ident]
        if sent is None or not found:
            self.reply(h, 400 if sent is None else 404, {"errorMessages": ["bad edit"]})
            return
        found[0]["body"] = sent[0]
        self.properties.setdefault(ident, {}).update(sent[1])
        self.reply(h, 200, found[0])

    def by_ids(self, h: _Handler, q: dict[str, str]) -> None:
        data = self.json(h)
        ids = data.get("ids") if isinstance(data, dict) else None
        if (
            not isinstance(ids, list)
            or not 0 < len(ids) <= 1000
            or not all(isinstance(i, int) for i in ids)
        ):
            self.reply(h, 400, {"errorMessages": ["Between 1 and 1000 comment ids are needed"]})
            return
        expand = q.get("expand", "").split(",")
        values = []
        for comment in (c for c in self.comment_list if int(c["id"]) in ids):
            shown = dict(comment)
            if "properties" in expand:
                marks = self.properties.get(comment["id"], {})
                shown["properties"] = [{"key": k, "value": v} for k, v in marks.items()]
            values.append(shown)
        self.reply(
            h, 200, {"startAt": 0, "maxResults": 1000, "total": len(values), "values": values}
        )


def entity_properties(sent: Any) -> dict[str, Any] | None:
    """Jira entity properties as sent (`[{"key": …, "value": {…}}]`), or None when Jira would
    refuse them: a key of 1 to 255 characters, a value that is a JSON object of at most
    32,768 characters."""
    if not isinstance(sent, list):
        return None
    found = {}
    for item in sent:
        key = item.get("key") if isinstance(item, dict) else None
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(key, str) or not 0 < len(key) <= 255 or not isinstance(value, dict):
            return None
        if len(json.dumps(value)) > 32768:
            return None
        found[key] = value
    return found


class GitLab(FakeApi):
    """GitLab with project group/project and issue 45."""

    auth_header = "PRIVATE-TOKEN"
    routes = (
        ("POST", r"/api/v4/projects/group%2Fproject/uploads", "upload_file"),
        ("GET", r"/api/v4/projects/group%2Fproject/uploads", "uploads"),
        ("DELETE", r"/api/v4/projects/group%2Fproject/uploads/(\d+)", "delete"),
        ("GET", r"/api/v4/projects/group%2Fproject/issues/45/notes", "notes"),
        ("POST", r"/api/v4/projects/group%2Fproject/issues/45/notes", "note"),
        ("PUT", r"/api/v4/projects/group%2Fproject/issues/45/notes/(\d+)", "edit"),
    )

    def __init__(self, credential: str) -> None:
        super().__init__(credential)
        self.files: dict[str, dict[str, Any]] = {}
        self.note_list: list[dict[str, Any]] = []

    def upload_file(self, h: _Handler, q: dict[str, str]) -> None:
        got = self.upload(h, token=False)
        if callable(got):
            got()
            return
        ident = str(next(self.ids))
        secret = f"{int(ident):032x}"
        url = f"/uploads/{secret}/{got[0]}"
        self.files[ident] = {"id": int(ident), "filename": got[0], "size": len(got[1])}
        self.reply(h, 201, {"id": int(ident), "url": url, "markdown": f"[{got[0]}]({url})"})

    def uploads(self, h: _Handler, q: dict[str, str]) -> None:
        self.reply(h, 200, list(self.files.values()))

    def delete(self, h: _Handler, q: dict[str, str], ident: str) -> None:
        self.reply(h, 204) if self.files.pop(ident, None) else self.reply(h, 404, {})

    def notes(self, h: _Handler, q: dict[str, str]) -> None:
        page, size = int(q.get("page", 1)), int(q.get("per_page", 20))
        self.reply(h, 200, self.note_list[(page - 1) * size : page * size])

    def note(self, h: _Handler, q: dict[str, str]) -> None:
        data = self.json(h)
        if not isinstance(data, dict) or not data.get("body"):
            self.reply(h, 400, {"message": "body is missing"})
            return
        entry = {"id": next(self.ids), "body": data["body"]}
        self.note_list.append(entry)
        self.reply(h, 201, entry)

    def edit(self, h: _Handler, q: dict[str, str], ident: str) -> None:
        data = self.json(h) or {}
        for entry in self.note_list:
            if str(entry["id"]) == ident and data.get("body"):
                entry["body"] = data["body"]
                self.reply(h, 200, entry)
                return
        self.reply(h, 404, {"message": "404 Not found"})


class GitHub(FakeApi):
    """GitHub with repository owner/repo and issue 67."""

    routes = (
        ("GET", r"/repos/owner/repo/issues/67/comments", "comments"),
        ("POST", r"/repos/owner/repo/issues/67/comments", "comment"),
        ("PATCH", r"/repos/owner/repo/issues/comments/(\d+)", "edit"),
    )

    def __init__(self, credential: str) -> None:
        super().__init__(credential)
        self.comment_list: list[dict[str, Any]] = []

    def comments(self, h: _Handler, q: dict[str, str]) -> None:
        page, size = int(q.get("page", 1)), int(q.get("per_page", 30))
        self.reply(h, 200, self.comment_list[(page - 1) * size : page * size])

    def _valid(self, h: _Handler) -> str | None:
        data = self.json(h)
        body = data.get("body") if isinstance(data, dict) else None
        return body if isinstance(body, str) and 0 < len(body) <= 65536 else None

    def comment(self, h: _Handler, q: dict[str, str]) -> None:
        body = self._valid(h)
        if body is None:
            self.reply(h, 422, {"message": "Validation Failed"})
            return
        entry = {"id": next(self.ids), "body": body}
        self.comment_list.append(entry)
        self.reply(h, 201, entry)

    def edit(self, h: _Handler, q: dict[str, str], ident: str) -> None:
        body = self._valid(h)
        for entry in self.comment_list:
            if str(entry["id"]) == ident and body is not None:
                entry["body"] = body
                self.reply(h, 200, entry)
                return
        self.reply(h, 422 if body is None else 404, {"message": "Validation Failed"})


class ServiceNow(FakeApi):
    """ServiceNow with incident INC0012345."""

    routes = (
        ("GET", r"/api/now/table/incident", "find"),
        ("GET", r"/api/now/attachment", "listing"),
        ("POST", r"/api/now/attachment/file", "attach"),
        ("DELETE", r"/api/now/attachment/([0-9a-f]+)", "delete"),
    )
    SYS_ID = "9d385017c611228701d22104cc95c371"

    def __init__(self, credential: str, upload_limit: int = 10 * 2**20) -> None:
        super().__init__(credential, upload_limit)
        self.files: dict[str, dict[str, Any]] = {}

    def find(self, h: _Handler, q: dict[str, str]) -> None:
        found = q.get("sysparm_query") == "number=INC0012345"
        self.reply(h, 200, {"result": [{"sys_id": self.SYS_ID}] if found else []})

    def listing(self, h: _Handler, q: dict[str, str]) -> None:
        wanted = f"table_name=incident^table_sys_id={self.SYS_ID}"
        files = list(self.files.values()) if q.get("sysparm_query") == wanted else []
        self.reply(h, 200, {"result": files})

    def attach(self, h: _Handler, q: dict[str, str]) -> None:
        if q.get("table_name") != "incident" or q.get("table_sys_id") != self.SYS_ID:
            self.reply(h, 400, {"error": {"message": "Invalid table or record"}})
            return
        if not q.get("file_name") or h.headers.get("Content-Type", "").startswith("multipart/"):
            self.reply(h, 400, {"error": {"message": "file_name and a raw body are required"}})
            return
        if len(h.body) > self.upload_limit:
            self.reply(h, 413, {"error": {"message": "Attachment too large"}})
            return
        ident = f"{next(self.ids):032x}"
        self.files[ident] = {"sys_id": ident, "file_name": q["file_name"], "size": len(h.body)}
        self.files[ident]["content_type"] = h.headers.get("Content-Type")
        self.reply(h, 201, {"result": self.files[ident]})

    def delete(self, h: _Handler, q: dict[str, str], ident: str) -> None:
        self.reply(h, 204) if self.files.pop(ident, None) else self.reply(h, 404, {})


class Confluence(FakeApi):
    """Confluence with space OPS holding a page "Incidents"."""

    routes = (
        ("GET", r"/rest/api/content", "search"),
        ("POST", r"/rest/api/content", "create"),
        ("PUT", r"/rest/api/content/(\d+)", "update"),
        ("GET", r"/rest/api/content/(\d+)/child/attachment", "attachments"),
        ("POST", r"/rest/api/content/(\d+)/child/attachment", "attach"),
        ("DELETE", r"/rest/api/content/(\d+)", "delete"),
    )

    def __init__(self, credential: str) -> None:
        super().__init__(credential)
        parent = {"id": "7", "title": "Incidents", "space": "OPS", "version": 1, "body": ""}
        self.pages: dict[str, dict[str, Any]] = {"7": parent | {"ancestors": []}}
        self.files: dict[str, dict[str, Any]] = {}

    def _shown(self, page: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": page["id"],
            "title": page["title"],
            "version": {"number": page["version"]},
            "body": {"storage": {"value": page["body"], "representation": "storage"}},
        }

    def search(self, h: _Handler, q: dict[str, str]) -> None:
        found = [
            self._shown(p)
            for p in self.pages.values()
            if p["space"] == q.get("spaceKey") and p["title"] == q.get("title")
        ]
        self.reply(h, 200, {"results": found, "size": len(found)})

    def create(self, h: _Handler, q: dict[str, str]) -> None:
        data = self.json(h) or {}
        storage = data.get("body", {}).get("storage", {})
        space = data.get("space", {}).get("key")
        if storage.get("representation") != "storage" or space != "OPS":
            self.reply(h, 400, {"message": "a page needs a space and a storage body"})
            return
        if not well_formed(storage.get("value", "")):
            self.reply(h, 400, {"message": "Error parsing xhtml"})
            return
        if any(p["title"] == data.get("title") for p in self.pages.values()):
            self.reply(h, 400, {"message": "A page with this title already exists"})
            return
        ident = str(next(self.ids))
        ancestors = [a["id"] for a in data.get("ancestors", [])]
        self.pages[ident] = {
            "id": ident,
            "title": data["title"],
            "space": space,
            "version": 1,
            "body": storage["value"],
            "ancestors": ancestors,
        }
        self.reply(h, 200, self._shown(self.pages[ident]))

    def update(self, h: _Handler, q: dict[str, str], ident: str) -> None:
        data = self.json(h) or {}
        page = self.pages.get(ident)
        if page is None:
            self.reply(h, 404, {"message": "No content found"})
            return
        if data.get("version", {}).get("number") != page["version"] + 1:
            self.reply(h, 409, {"message": "Version must be incremented on update"})
            return
        if not well_formed(data.get("body", {}).get("storage", {}).get("value", "")):
            self.reply(h, 400, {"message": "Error parsing xhtml"})
            return
        page["version"] += 1
        page["body"] = data["body"]["storage"]["value"]
        self.reply(h, 200, self._shown(page))

    def attachments(self, h: _Handler, q: dict[str, str], page: str) -> None:
        found = [
            {"id": f["id"], "title": f["title"]} for f in self.files.values() if f["page"] == page
        ]
        self.reply(h, 200, {"results": found, "size": len(found)})

    def attach(self, h: _Handler, q: dict[str, str], page: str) -> None:
        got = self.upload(h, token=True)
        if callable(got):
            got()
            return
        if any(f["title"] == got[0] and f["page"] == page for f in self.files.values()):
            self.reply(h, 400, {"message": "Cannot add a new attachment with same file name"})
            return
        ident = str(next(self.ids))
        self.files[ident] = {"id": ident, "title": got[0], "page": page}
        self.reply(h, 200, {"results": [{"id": ident, "title": got[0]}]})

    def delete(self, h: _Handler, q: dict[str, str], ident: str) -> None:
        self.reply(h, 204) if self.files.pop(ident, None) else self.reply(h, 404, {})


def several(*apis: FakeApi) -> Callable[[_Handler], None]:
    """One server answering as each API whose routes match (their paths do not overlap)."""

    def app(h: _Handler) -> None:
        path = urlsplit(h.path).path
        found = next((a for a in apis if a.serves(h.command, path)), apis[0])
        found(h)

    return app

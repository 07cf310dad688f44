"""Jira Cloud (REST v3, comments in ADF) and Data Center (REST v2, wiki markup).

The PDF goes first (after checking the instance's upload limit), the comment second, so a
run that fails in between leaves an attachment the next run recognises and a comment still
to write.

The comment is found again by a comment property (`postmortem`, whose value names the
incident), which readers never see: Jira Cloud and Data Center both take `properties` when a
comment is created or updated, and return them from `comment/list` with
`expand=properties` (the issue's comment listing does not document that expansion).
Comments written before carried the marker as visible text instead; they are still
recognised, and updated into the hidden form, so none is doubled.
"""

from __future__ import annotations

from typing import Any

from postmortem.publish.api import Api, Part
from postmortem.publish.content import Package, upload_message, versions
from postmortem.publish.outcome import Published
from postmortem.publish.session import Session
from postmortem.publish.targets import PublishError, Target

_PAGE = 100  #: comments listed, then looked up by id, at a time (`comment/list` takes 1,000)
_MAX_PAGES = 20  #: 2,000 comments: beyond that the marker is not searched for
PROPERTY = "postmortem"  #: the comment property marking our comment; its value names the incident


def publish(target: Target, package: Package, session: Session) -> Published:
    """Attach the PDF to the issue and write (or update) the summary comment."""
    api = session.api(target)
    cloud = api.auth.flavour == "cloud"
    root = f"/rest/api/{3 if cloud else 2}"
    key = target.ref
    issue = api.call("GET", f"{root}/issue/{key}?fields=attachment", dry={"fields": {}})
    found = issue.get("fields", {}).get("attachment") or []
    seen = versions(package, ((str(a["id"]), str(a["filename"])) for a in found))
    if not seen.present:
        _check_limit(api, root, len(package.pdf))
        api.call(
            "POST",
            f"{root}/issue/{key}/attachments",
            parts=[Part("file", package.pdf_name, "application/pdf", package.pdf)],
            headers={"X-Atlassian-Token": "no-check"},
            dry=[],
        )
    for ident in seen.older if session.replace else ():
        api.call("DELETE", f"{root}/attachment/{ident}")
    body: Any = adf(package) if cloud else wiki(package)
    said = _comment(api, root, key, package, body)
    return Published(
        str(target),
        True,
        f"{upload_message(seen, session.replace)}; comment {said}",
        url=f"{api.base}/browse/{key}",
        attachment=package.pdf_name,
        comment=said,
        already_there=seen.present and said == "unchanged",
    )


def _check_limit(api: Api, root: str, size: int) -> None:
    from postmortem.spec.files import size_text

    meta = api.call("GET", f"{root}/attachment/meta", dry={"enabled": True})
    if not meta.get("enabled", False):
        raise PublishError("attachments are turned off on this Jira")
    limit = meta.get("uploadLimit")
    if isinstance(limit, int) and size > limit:
        raise PublishError(
            f"the PDF ({size_text(size)}) is larger than this Jira's upload limit "
            f"({size_text(limit)})"
        )


def _comment(api: Api, root: str, key: str, package: Package, body: Any) -> str:
    """Create the comment, or update the one marked for this incident: "added", "updated"
    or "unchanged"."""
    comments = f"{root}/issue/{key}/comment"
    found = _find(api, root, comments, package)
    sent = {"body": body, "properties": [{"key": PROPERTY, "value": _mark(package)}]}
    if found is None:
        api.call("POST", comments, json_body=sent, dry={})
        return "added"
    # text only: Jira Cloud may store ADF with attributes added or reordered; a comment
    # found by its visible marker differs in that line, so it is rewritten without it
    if " ".join(_text(found.get("body")).split()) == " ".join(_text(body).split()):
        return "unchanged"
    api.call("PUT", f"{comments}/{found['id']}", json_body=sent, dry={})
    return "updated"


def _mark(package: Package) -> dict[str, str]:
    return {"incident": package.incident_id}


def _find(api: Api, root: str, comments: str, package: Package) -> dict[str, Any] | None:
    """The issue's comment marked for this incident: by its property, else (written by an
    earlier version) by the visible marker."""
    mark = _mark(package)
    for page in range(_MAX_PAGES):
        path = f"{comments}?startAt={page * _PAGE}&maxResults={_PAGE}"
        listing = api.call("GET", path, dry={"comments": []})
        listed = listing.get("comments") or []
        ids = [int(c["id"]) for c in listed if str(c.get("id", "")).isdigit()]
        if ids:
            detailed = api.call(
                "POST", f"{root}/comment/list?expand=properties", json_body={"ids": ids}
            )
            for comment in detailed.get("values") or []:
                marks = comment.get("properties") or []
                if any(m.get("key") == PROPERTY and m.get("value") == mark for m in marks):
                    return dict(comment)
        for comment in listed:
            if package.marker in _text(comment.get("body")):
                return dict(comment)
        if (page + 1) * _PAGE >= int(listing.get("total", 0)) or not listed:
            break
    return None


def _text(body: Any) -> str:
    """All the text of a comment body, wiki markup or ADF."""
    if isinstance(body, str):
        return body
    if isinstance(body, dict):
        own = body.get("text")
        inner = " ".join(_text(c) for c in body.get("content") or [])
        return f"{own} {inner}" if isinstance(own, str) else inner
    return ""


def adf(package: Package) -> dict[str, Any]:
    """The comment as an Atlassian Document Format document (Jira Cloud)."""

    def text(value: str, *marks: str) -> dict[str, Any]:
        node: dict[str, Any] = {"type": "text", "text": value}
        if marks:
            node["marks"] = [{"type": m} for m in marks]
        return node

    def paragraph(*nodes: dict[str, Any]) -> dict[str, Any]:
        return {"type": "paragraph", "content": list(nodes)}

    facts = {
        "type": "bulletList",
        "content": [
            {"type": "listItem", "content": [paragraph(text(f"{k}: ", "strong"), text(v))]}
            for k, v in package.facts
        ],
    }
    return {
        "type": "doc",
        "version": 1,
        "content": [
            {"type": "heading", "attrs": {"level": 3}, "content": [text(package.heading)]},
            facts,
            paragraph(text(package.summary)),
            paragraph(text("PDF: "), text(package.pdf_name, "code")),
        ],
    }


def wiki(package: Package) -> str:
    """The comment in Jira wiki markup (Data Center)."""
    lines = [f"h3. {_escape(package.heading)}", ""]
    lines += [f"* *{k}:* {_escape(v)}" for k, v in package.facts]
    lines += ["", _escape(package.summary), "", f"PDF: {{{{{package.pdf_name}}}}}"]
    return "\n".join(lines)


def _escape(value: str) -> str:
    """Wiki markup's special characters shown as themselves."""
    for char in "\\{}[]|*_+^~-!":
        value = value.replace(char, f"\\{char}")
    return value

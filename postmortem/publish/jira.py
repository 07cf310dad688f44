"""Jira Cloud (REST v3, comments in ADF) and Data Center (REST v2, wiki markup).

The PDF goes first (after checking the instance's upload limit), the comment second, so a
run that fails in between leaves an attachment the next run recognises and a comment still
to write. The comment is found again by the marker in its last line.
"""

from __future__ import annotations

from typing import Any

from postmortem.publish.api import Api, Part
from postmortem.publish.content import Package, upload_message, versions
from postmortem.publish.outcome import Published
from postmortem.publish.session import Session
from postmortem.publish.targets import PublishError, Target

_PAGE = 100
_MAX_PAGES = 20  #: 2,000 comments: beyond that the marker is not searched for


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
    said = _comment(api, root, key, package.marker, body)
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


def _comment(api: Api, root: str, key: str, marker: str, body: Any) -> str:
    """Create the comment, or update the one carrying `marker`: "added", "updated" or
    "unchanged"."""
    for page in range(_MAX_PAGES):
        listing = api.call(
            "GET",
            f"{root}/issue/{key}/comment?startAt={page * _PAGE}&maxResults={_PAGE}",
            dry={"comments": []},
        )
        comments = listing.get("comments") or []
        for comment in comments:
            said = _text(comment.get("body"))
            if marker in said:
                # text only: Jira Cloud may store ADF with attributes added or reordered
                if " ".join(said.split()) == " ".join(_text(body).split()):
                    return "unchanged"
                path = f"{root}/issue/{key}/comment/{comment['id']}"
                api.call("PUT", path, json_body={"body": body}, dry={})
                return "updated"
        if (page + 1) * _PAGE >= int(listing.get("total", 0)) or not comments:
            break
    api.call("POST", f"{root}/issue/{key}/comment", json_body={"body": body}, dry={})
    return "added"


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
            paragraph(text(package.marker, "em")),
        ],
    }


def wiki(package: Package) -> str:
    """The comment in Jira wiki markup (Data Center)."""
    lines = [f"h3. {_escape(package.heading)}", ""]
    lines += [f"* *{k}:* {_escape(v)}" for k, v in package.facts]
    lines += ["", _escape(package.summary), "", f"PDF: {{{{{package.pdf_name}}}}}", ""]
    lines.append(f"_{package.marker}_")
    return "\n".join(lines)


def _escape(value: str) -> str:
    """Wiki markup's special characters shown as themselves."""
    for char in "\\{}[]|*_+^~-!":
        value = value.replace(char, f"\\{char}")
    return value

"""Confluence (Cloud and Data Center, REST v1): a page in storage format with the PDF attached.

The page is titled `<id>: <title>` and found again by that title in its space; an update
sends the next version number, as Confluence requires. The page is written before the PDF
is attached, so a failed upload leaves a page that the next run leaves alone and attaches to.
"""

from __future__ import annotations

import re
from html import escape, unescape
from typing import Any
from urllib.parse import quote, urlencode

from postmortem.publish.api import Api, Part
from postmortem.publish.content import Package, Versions, upload_message, versions
from postmortem.publish.outcome import Published
from postmortem.publish.session import Session
from postmortem.publish.targets import PublishError, Target

_VOID = re.compile(r"<(br|hr|img|col)(\s[^<>]*?)?\s*/?>")
_TOKEN = {"X-Atlassian-Token": "no-check"}
_NEW = "<new page>"  #: the id a dry run gives the page it would create


def publish(target: Target, package: Package, session: Session) -> Published:
    """Create or update the page, then attach the PDF unless this version is there."""
    api = session.api(target)
    space, _, parent = target.ref.partition("/")
    title = f"{package.incident_id}: {package.title}"
    storage = page_storage(package)
    page = _find_page(api, space, title, expand="version,body.storage")
    if page is None:
        body: dict[str, Any] = {
            "type": "page",
            "title": title,
            "space": {"key": space},
            "body": {"storage": {"value": storage, "representation": "storage"}},
        }
        if parent:
            stand_in = {"results": [{"id": f"<id of {parent}>"}]}
            above = _find_page(api, space, parent, expand="version", dry=stand_in)
            if above is None:
                raise PublishError(f"no page titled {parent!r} in space {space}")
            body["ancestors"] = [{"id": str(above["id"])}]
        page = api.call("POST", "/rest/api/content", json_body=body, dry={"id": _NEW})
        said, change = "page created", "added"
    elif _fingerprint(page.get("body", {}).get("storage", {}).get("value", "")) == _fingerprint(
        storage
    ):
        said, change = "page unchanged", "unchanged"
    else:
        number = int(page.get("version", {}).get("number", 0)) + 1
        api.call(
            "PUT",
            f"/rest/api/content/{page['id']}",
            json_body={
                "id": str(page["id"]),
                "type": "page",
                "title": title,
                "version": {"number": number},
                "body": {"storage": {"value": storage, "representation": "storage"}},
            },
            dry={},
        )
        said, change = f"page updated (version {number})", "updated"
    ident = str(page["id"])
    seen = _attach(api, ident, package, session.replace)
    return Published(
        str(target),
        True,
        f"{said}; {upload_message(seen, session.replace)}",
        url=None if ident == _NEW else f"{api.base}/pages/viewpage.action?pageId={quote(ident)}",
        attachment=package.pdf_name,
        comment=change,
        already_there=seen.present and change == "unchanged",
    )


def _fingerprint(storage: str) -> tuple[str, tuple[str, ...]]:
    """The words and attached file names of a page: Confluence re-serialises what it stores
    (attributes, self-closing tags, table layout), so markup alone is no sign of change."""
    words = " ".join(unescape(re.sub(r"<[^>]*>", " ", storage)).split())
    return words, tuple(re.findall(r'ri:filename="([^"]*)"', storage))


def _find_page(
    api: Api, space: str, title: str, *, expand: str, dry: Any = None
) -> dict[str, Any] | None:
    """The page titled `title` in `space`; a dry run assumes `dry` (default: none)."""
    query = urlencode({"spaceKey": space, "title": title, "type": "page", "expand": expand})
    found = api.call("GET", f"/rest/api/content?{query}", dry=dry or {"results": []})
    results = found.get("results") or []
    return dict(results[0]) if results else None


def _attach(api: Api, page_id: str, package: Package, replace: bool) -> Versions:
    """Attach the PDF unless this version is there (with `replace`, remove older ones)."""
    path = f"/rest/api/content/{quote(page_id, safe='')}/child/attachment"
    found = api.call("GET", f"{path}?limit=200", dry={"results": []})
    attached = found.get("results") or []
    seen = versions(package, ((str(a["id"]), str(a["title"])) for a in attached))
    if not seen.present:
        part = Part("file", package.pdf_name, "application/pdf", package.pdf)
        api.call("POST", path, parts=[part], headers=_TOKEN, dry={"results": []})
    for ident in seen.older if replace else ():
        api.call("DELETE", f"/rest/api/content/{quote(ident, safe='')}")
    return seen


def page_storage(package: Package) -> str:
    """The page body in Confluence storage format (XHTML): facts, PDF link, the report."""
    from postmortem.render.html import markdown_to_html

    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in package.facts)
    pdf = (
        f'<p>PDF: <ac:link><ri:attachment ri:filename="{escape(package.pdf_name)}" /></ac:link></p>'
    )
    report = _VOID.sub(
        lambda m: f"<{m.group(1)}{m.group(2) or ''} />", markdown_to_html(package.markdown)
    )
    return f"<table><tbody>{rows}</tbody></table>{pdf}{report}"

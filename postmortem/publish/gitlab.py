"""GitLab: the PDF as a project upload, linked from one issue note with the summary.

An unchanged PDF is recognised in the existing note's link; a link uploaded by a run whose
note then failed is taken from the session's record, so nothing is uploaded twice.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from postmortem.publish.api import Api, Part
from postmortem.publish.content import (
    Package,
    Versions,
    summary_markdown,
    upload_message,
    versions,
)
from postmortem.publish.outcome import Published
from postmortem.publish.session import Session
from postmortem.publish.targets import Target

_PAGE = 100
_MAX_PAGES = 20


def publish(target: Target, package: Package, session: Session) -> Published:
    """Upload the PDF (unless already linked) and write or update the note."""
    api = session.api(target)
    project, iid = target.split()
    root = f"/api/v4/projects/{quote(project, safe='')}"
    notes = f"{root}/issues/{iid}/notes"
    note = _find_note(api, notes, package.marker)
    old = "" if note is None else str(note.get("body", ""))
    link = _linked(old, package.pdf_name) or session.recall(target, package.pdf_name)
    uploaded = link is None
    if link is None:
        answer = api.call(
            "POST",
            f"{root}/uploads",
            parts=[Part("file", package.pdf_name, "application/pdf", package.pdf)],
            dry={"markdown": f"[{package.pdf_name}](/uploads/<secret>/{package.pdf_name})"},
        )
        link = str(answer["markdown"])
        session.remember(target, package.pdf_name, link)
    body = summary_markdown(package, link)
    if note is None:
        api.call("POST", notes, json_body={"body": body}, dry={})
        said = "added"
    elif old == body:
        said = "unchanged"
    else:
        api.call("PUT", f"{notes}/{note['id']}", json_body={"body": body}, dry={})
        said = "updated"
    # after the note: an upload nothing links to any more is what --replace removes
    if session.replace:
        pdf = _remove_older(api, root, package, uploaded)
    else:
        pdf = _pdf_words(uploaded, old, package)
    return Published(
        str(target),
        True,
        f"{pdf}; note {said}",
        url=f"{api.base}/{project}/-/issues/{iid}",
        attachment=package.pdf_name,
        comment=said,
        already_there=not uploaded and said == "unchanged",
    )


def _find_note(api: Api, notes: str, marker: str) -> dict[str, object] | None:
    for page in range(1, _MAX_PAGES + 1):
        found = api.call("GET", f"{notes}?per_page={_PAGE}&page={page}", dry=[]) or []
        for note in found:
            if marker in str(note.get("body", "")):
                return dict(note)
        if len(found) < _PAGE:
            break
    return None


def _remove_older(api: Api, root: str, package: Package, uploaded: bool) -> str:
    """Delete earlier versions of the PDF (listing uploads needs the Maintainer role)."""
    found = api.call("GET", f"{root}/uploads?per_page={_PAGE}", dry=[]) or []
    older = versions(package, ((str(u["id"]), str(u["filename"])) for u in found)).older
    for ident in older:
        api.call("DELETE", f"{root}/uploads/{ident}")
    return upload_message(Versions(not uploaded, older), True).replace("attached", "uploaded")


def _linked(body: str, filename: str) -> str | None:
    """The Markdown link to `filename` in an earlier note, if it has one."""
    match = re.search(rf"\[[^\]\n]*\]\(/uploads/[0-9a-f]+/{re.escape(filename)}\)", body)
    return match.group() if match else None


def _pdf_words(uploaded: bool, old: str, package: Package) -> str:
    if not uploaded:
        return "PDF unchanged"
    earlier = re.search(r"\(/uploads/[0-9a-f]+/([^)\s]+\.pdf)\)", old)
    if earlier and package.is_version(earlier.group(1)):
        return "changed PDF uploaded (the note now links it; the older upload stays reachable)"
    return "PDF uploaded"

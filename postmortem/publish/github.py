"""GitHub (and GitHub Enterprise Server through GITHUB_API_URL): one issue comment.

GitHub has no attachment API, so the comment carries the whole Markdown report, plus a link
to the PDF when the user gives its URL. Later runs edit the same comment in place.
"""

from __future__ import annotations

from postmortem.publish.api import Api
from postmortem.publish.content import Package
from postmortem.publish.outcome import Published
from postmortem.publish.session import Session
from postmortem.publish.targets import DEFAULT_URLS, Target

COMMENT_LIMIT = 65536  #: GitHub refuses longer comment bodies
_PAGE = 100
_MAX_PAGES = 20
_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}


def publish(target: Target, package: Package, session: Session) -> Published:
    """Write the report as a comment on the issue, or update the comment written before."""
    api = session.api(target)
    repo, number = target.split()
    comments = f"/repos/{repo}/issues/{number}/comments"
    body = comment_body(package)
    found = _find(api, comments, package.marker)
    if found is None:
        api.call("POST", comments, json_body={"body": body}, headers=_HEADERS, dry={})
        said = "added"
    elif found.get("body") == body:
        said = "unchanged"
    else:
        path = f"/repos/{repo}/issues/comments/{found['id']}"
        api.call("PATCH", path, json_body={"body": body}, headers=_HEADERS, dry={})
        said = "updated"
    url = f"{web_url(api.base)}/{repo}/issues/{number}"
    return Published(
        str(target),
        True,
        f"comment {said}",
        url=url,
        comment=said,
        already_there=said == "unchanged",
    )


def web_url(api_base: str) -> str:
    """Where people see what the API at `api_base` serves (github.com, or Enterprise Server
    without its `/api/v3`)."""
    if api_base == DEFAULT_URLS["github"]:
        return "https://github.com"
    return api_base.removesuffix("/api/v3")


def comment_body(package: Package) -> str:
    """The marker, the PDF link if known, then the report, cut to GitHub's limit."""
    head = f"<!-- {package.marker} -->\n"
    if package.pdf_url:
        head += f"**PDF:** [{package.pdf_name}]({package.pdf_url})\n\n"
    body = head + package.markdown
    if len(body) <= COMMENT_LIMIT:
        return body
    tail = "\n\n… (cut to fit a GitHub comment; the full report is in the PDF)\n"
    return body[: COMMENT_LIMIT - len(tail)] + tail


def _find(api: Api, comments: str, marker: str) -> dict[str, object] | None:
    for page in range(1, _MAX_PAGES + 1):
        path = f"{comments}?per_page={_PAGE}&page={page}"
        found = api.call("GET", path, headers=_HEADERS, dry=[]) or []
        for comment in found:
            if marker in str(comment.get("body", "")):
                return dict(comment)
        if len(found) < _PAGE:
            break
    return None

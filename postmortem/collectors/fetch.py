"""Reading sources into Snapshots, and refusing hostile XML before any parser sees it.

Only the local-file half lives here for now; the network Fetcher joins it from the fetch
layer's branch.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from postmortem.errors import CollectError
from postmortem.model import Snapshot

MAX_BYTES = 5 * 2**20

# An entity declaration anywhere in the prolog is enough to refuse: real feeds never carry
# one, and feedparser's loose parser would expand it (quadratic blow-up).
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)

_MEDIA_TYPES = {
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".xml": "application/xml",
    ".json": "application/json",
    ".jsonl": "application/x-ndjson",
    ".html": "text/html",
    ".htm": "text/html",
}


def reject_entities(body: bytes) -> None:
    """Raise CollectError when the XML prolog (before the root element) declares an entity."""
    root = re.search(rb"<(?![?!])", body)
    prolog = body if root is None else body[: root.start()]
    if _ENTITY.search(prolog):
        raise CollectError("refused: the feed declares XML entities (<!ENTITY), never expanded")


def read_file(path: Path, *, max_bytes: int = MAX_BYTES) -> Snapshot:
    """Read a local file into a Snapshot (fetched_at None), refusing files over `max_bytes`."""
    try:
        with path.open("rb") as handle:
            body = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise CollectError(f"{path}: no such file; check the path") from None
    except OSError as exc:
        raise CollectError(f"{path}: cannot read: {exc.strerror}") from None
    if len(body) > max_bytes:
        raise CollectError(f"{path}: larger than {max_bytes} bytes; refused")
    return Snapshot(
        url=str(path),
        final_url=str(path),
        body=body,
        content_type=_MEDIA_TYPES.get(path.suffix.lower(), ""),
        fetched_at=None,
        sha256=hashlib.sha256(body).hexdigest(),
    )

"""What publishing did: one `Published` per target, and the run's `Publication`.

Every text in these records has been scrubbed of credentials before it got here (tracker
URLs may not carry any), so printing or logging them is safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Published:
    """How one target went: the outcome line's words and what is now on the target."""

    target: str  #: as given, e.g. "jira:OPS-123"
    ok: bool
    message: str  #: "PDF attached; comment added", or why it failed
    url: str | None = None  #: the issue or page in a browser
    attachment: str | None = None  #: the PDF's file name there (GitHub: none)
    comment: str | None = None  #: the comment, note or page: "added", "updated", "unchanged"
    already_there: bool = False  #: this PDF and this comment were there before the run


@dataclass(frozen=True, slots=True)
class Publication:
    """One incident file published: the build's warnings and one result per target."""

    source: Path
    warnings: tuple[str, ...]  #: `FILE: message`, as `postmortem build` shows them
    results: tuple[Published, ...]

    @property
    def ok(self) -> bool:
        """Whether every target succeeded."""
        return all(r.ok for r in self.results)

"""The one error family. `cli.py` turns any of these into a message and exit status 1."""

from __future__ import annotations


class PostmortemError(Exception):
    """Base of every error a user can cause and fix; never raised for a bug."""


class IncidentFileError(PostmortemError):
    """Raised when an incident file cannot be read, parsed or validated.

    `problems` holds one line per problem, each `FILE:LINE:COL: field.path: message`,
    so every mistake is reported at once.
    """

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems

    def __str__(self) -> str:
        if not self.problems:
            return super().__str__()
        return "\n".join((super().__str__(), *self.problems))


class CollectError(PostmortemError):
    """Raised when a source cannot be fetched, is refused, or cannot be parsed."""


class RenderError(PostmortemError):
    """Raised when a template is missing, broken, or uses an unknown variable."""


class ExportError(PostmortemError):
    """Raised when an output cannot be written (disk, permissions, missing extra)."""

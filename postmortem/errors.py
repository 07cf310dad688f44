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


def debugging() -> bool:
    """True when POSTMORTEM_DEBUG asks for tracebacks instead of one-line messages."""
    import os

    return os.environ.get("POSTMORTEM_DEBUG", "") not in ("", "0")


def describe(exc: BaseException) -> str:
    """One line for any failure: our own message, or what went wrong where we did not expect.

    Used by every per-unit boundary (one source, one incident file, one vendor feed), so
    an unforeseen input fails its unit alone with a line instead of a traceback.
    """
    if isinstance(exc, PostmortemError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    if isinstance(exc, MemoryError):
        return "ran out of memory reading it"
    text = " ".join(str(exc).split())[:300]
    return (
        f"unexpected {type(exc).__name__}{': ' + text if text else ''} "
        "(POSTMORTEM_DEBUG=1 shows the traceback)"
    )


def unit_failure(exc: Exception, where: str) -> str:
    """The line reporting one failed unit of work (re-raises a bug when debugging).

    Our own errors already name their file; anything else is prefixed with `where`.
    """
    if isinstance(exc, PostmortemError):
        return str(exc)
    if debugging():
        raise exc
    return f"{where}: {describe(exc)}"

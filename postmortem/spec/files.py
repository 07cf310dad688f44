"""Reading the local files a user names: regular files only, never more than a limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from postmortem.errors import PostmortemError


def size_text(size: int) -> str:
    """`2 MiB`, `512 KiB` or `100 bytes`, for limits in messages."""
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} bytes"


def read_bounded(
    path: Path, max_bytes: int, *, error: type[PostmortemError], what: str = "a file"
) -> bytes:
    """The bytes of the regular file `path`, at most `max_bytes` of them.

    A pipe or device is refused before anything is read (reading one could block forever
    or never end); a missing file, a directory or a larger file is `error`, naming `what`
    the path should be.
    """
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before we can refuse it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise error(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory; give the path of {what}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise error(f"{path}: is a directory; give the path of {what}")
        raise error(f"{path}: not a regular file (a pipe or a device); give {what}")
    os.set_blocking(descriptor, True)
    with os.fdopen(descriptor, "rb") as handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise error(f"{path}: cannot read: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise error(f"{path}: larger than {size_text(max_bytes)}; give {what}")
    return data

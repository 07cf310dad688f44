"""Reading a file a stranger named: regular files only, never more than a limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path is a FIFO, device, socket or directory: refused before any read."""


def read_limited(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of a regular file (one more tells the caller it is too big).

    Opened non-blocking, so a FIFO without a writer is refused instead of waiting forever;
    a device such as /dev/zero is refused before its endless bytes are read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (FIFO, device?)"
            raise NotRegularFile(f"{path}: {kind}")
        return handle.read(limit + 1)

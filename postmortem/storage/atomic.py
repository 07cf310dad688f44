"""Atomic file writes: a reader sees the old files or the new ones, never half of either.

`write_together` commits a group (every output of one incident): each file is written to a
temporary file beside its target and flushed to disk, and only then are they renamed into
place. A failure before the renames changes nothing; a failure during them puts back the
files already replaced, from links kept for that purpose. Temporary files never remain.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from postmortem.errors import ExportError


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` via a temporary file in the same directory and a rename."""
    write_together({target: data})


def write_together(files: Mapping[Path, bytes]) -> None:
    """Write every file or none: temporary files first, flushed, then all renamed.

    On failure the error names the file and every previous file is as it was.
    """
    staged: list[tuple[Path, Path]] = []  # (temporary, target)
    replaced: list[tuple[Path, Path | None]] = []  # (target, copy of the old file or None)
    current = next(iter(files), Path())
    try:
        for current, data in files.items():
            staged.append((_staged(current, data), current))
        for temporary, current in staged:
            old = _keep_old(current)
            replaced.append((current, old))
            temporary.replace(current)
        for folder in {target.parent for target in files}:
            _sync_folder(folder)
    except BaseException as exc:
        _put_back(replaced)
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            raise ExportError(f"{current}: cannot write: {reason}; no output was changed") from None
        raise
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        for _, old in replaced:
            if old is not None:
                old.unlink(missing_ok=True)


def _staged(target: Path, data: bytes) -> Path:
    """`data` in a new temporary file beside `target`, on disk."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _keep_old(target: Path) -> Path | None:
    """A second name for the file `target` holds now, so it can be put back; None if new."""
    old = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
    if target.is_symlink():
        old.symlink_to(target.readlink())
    elif target.is_file():
        try:
            os.link(target, old)  # instant, and the same bytes whatever happens to `target`
        except OSError:
            shutil.copy2(target, old)  # file systems without hard links
    else:
        return None
    return old


def _put_back(replaced: list[tuple[Path, Path | None]]) -> None:
    for target, old in reversed(replaced):
        with contextlib.suppress(OSError):  # best effort: the error being reported matters more
            if old is not None:
                old.replace(target)
            elif target.is_file():
                target.unlink()


def _sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable (where the platform allows it)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems refuse it; the renames are done
            os.fsync(handle)
    finally:
        os.close(handle)

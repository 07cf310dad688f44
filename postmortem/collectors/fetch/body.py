"""Reading a response body within a byte cap and a deadline, inflating gzip/deflate safely.

Compressed input is inflated with `max_length` set to what is left of the cap, so a gzip
bomb stops at the cap without ever holding more than the cap in memory.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postmortem.errors import CollectError
from postmortem.limits import MAX_UNZIPPED_BYTES
from postmortem.spec.files import size_text

if TYPE_CHECKING:
    import httpx2


@dataclass(frozen=True, slots=True)
class Deadline:
    """When a response must be complete, and the limit an error names when it is not.

    A download ends at the first of its own deadline and the one shared by all sources,
    so the message names whichever of the two it was.
    """

    end: float  #: a `time.monotonic()` value
    limit: str  #: e.g. "the 30 s deadline"

    def missed(self) -> str:
        """Why the response was refused when time ran out."""
        return f"no complete response within {self.limit}"


def read_body(response: httpx2.Response, max_bytes: int, deadline: Deadline) -> bytes:
    """The decoded body, refused as soon as it would pass `max_bytes` or the deadline."""
    too_large = CollectError(f"response larger than {size_text(max_bytes)}")
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise too_large
    body = _Body(response.headers.get("content-encoding", ""), max_bytes, too_large)
    for raw in response.iter_raw():
        body.feed(raw)
        if time.monotonic() > deadline.end:
            raise CollectError(deadline.missed())
    return body.finish()


def gunzip(data: bytes, limit: int = MAX_UNZIPPED_BYTES) -> bytes:
    """Gzip `data` inflated, refused as soon as it would unpack past `limit` bytes.

    The one decompression helper: HTTP bodies, gzipped source files and archive dumps all
    inflate through `_Body`, so a gzip bomb stops at the same kind of cap everywhere.
    """
    too_large = CollectError(f"gzip data unpacks to more than {size_text(limit)}; refused")
    body = _Body("gzip", limit, too_large)
    body.feed(data)
    return body.finish()


class _Body:
    """Collects a body, inflating gzip/deflate in steps that never exceed the cap."""

    def __init__(self, encoding: str, limit: int, too_large: CollectError) -> None:
        self.encoding = encoding.strip().lower()
        if self.encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise CollectError(f"unsupported Content-Encoding {encoding!r}")
        self.limit, self.too_large = limit, too_large
        self.raw_size = 0
        self.out = bytearray()
        self.pending = b""  # deflate input held back until its header can be recognised
        self.inflater: zlib._Decompress | None = None

    def feed(self, raw: bytes) -> None:
        self.raw_size += len(raw)
        if self.raw_size > self.limit:
            raise self.too_large
        if self.encoding in ("", "identity"):
            self._add(raw)
            return
        if self.inflater is None:
            self.pending += raw
            if len(self.pending) < 2:
                return
            raw, self.pending = self.pending, b""
            self.inflater = zlib.decompressobj(_wbits(self.encoding, raw))
        self._inflate(raw)

    def _inflate(self, data: bytes) -> None:
        assert self.inflater is not None
        try:
            while data:
                out = self.inflater.decompress(data, self.limit - len(self.out) + 1)
                self._add(out)
                data = self.inflater.unconsumed_tail
                if self.inflater.eof:
                    # another gzip member may follow (concatenated gzip is valid)
                    data = self.inflater.unused_data
                    if not data or self.encoding == "deflate":
                        return
                    self.inflater = zlib.decompressobj(47)
        except zlib.error as exc:
            raise CollectError(f"the {self.encoding} body is corrupt ({exc})") from exc

    def _add(self, data: bytes) -> None:
        if len(self.out) + len(data) > self.limit:
            raise self.too_large
        self.out += data

    def finish(self) -> bytes:
        if self.pending:
            self.inflater = zlib.decompressobj(_wbits(self.encoding, self.pending))
            self._inflate(self.pending)
        if self.inflater is not None and not self.inflater.eof:
            raise CollectError(f"the {self.encoding} body is truncated")
        return bytes(self.out)


def _wbits(encoding: str, head: bytes) -> int:
    if encoding != "deflate":
        return 47  # gzip or zlib header, detected
    # "deflate" should be zlib-wrapped, but some servers send a raw stream
    zlib_header = len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
    return 15 if zlib_header else -15

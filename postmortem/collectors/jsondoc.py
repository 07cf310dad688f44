"""JSON from strangers: nesting is measured before the parser recurses into it."""

from __future__ import annotations

import json
import re
from typing import Any

from postmortem.limits import MAX_JSON_DEPTH

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)  # one way to match each byte: linear
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class TooDeep(ValueError):
    """JSON nested past MAX_JSON_DEPTH; a ValueError, as json's own errors are."""


def load_json(data: bytes | str) -> Any:
    """`json.loads`, refusing documents nested deeper than MAX_JSON_DEPTH first."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    depth = 0
    for byte in _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS):
        depth += 1 if byte in b"[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise TooDeep(f"JSON nested deeper than {MAX_JSON_DEPTH} levels; refused")
    try:
        return json.loads(data)
    except RecursionError:  # unreachable after the scan, kept as a second line of defence
        raise TooDeep(f"JSON nested deeper than {MAX_JSON_DEPTH} levels; refused") from None

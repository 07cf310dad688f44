"""File names made from titles: the same title gives the same name on every machine."""

from __future__ import annotations

import re


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe, lower-case ASCII rendering of a title."""
    if text.isascii():
        ascii_text = text
    else:  # imported only here: loading unicodedata costs a plain-ASCII build ~5 ms
        import unicodedata

        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or "incident"


def output_stem(incident_id: str, title: str) -> str:
    """`<id>_<slug>`, the name every output of one incident shares.

    A slug never holds `_`, so the last `_` ends the id: two incidents never share a name
    (`X-1` "a b" and `X-1-a` "b" are `X-1_a-b` and `X-1-a_b`).
    """
    return f"{incident_id}_{slug(title)}"

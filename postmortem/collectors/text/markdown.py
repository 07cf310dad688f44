"""Markdown update texts (Google Cloud, Better Stack, Cachet) as plain text."""

from __future__ import annotations

import re

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"(\*\*|__|`|^#+\s*)", re.MULTILINE)


def markdown_text(markdown: str) -> str:
    """Keep the words of a Markdown text, drop the markup (links keep their label)."""
    return _MARKS.sub("", _LINK.sub(r"\1", markdown)).strip()

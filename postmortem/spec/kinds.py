"""Source kinds, in a module cheap enough for the command line to import at start-up."""

from __future__ import annotations

from typing import Literal, get_args

SourceKind = Literal[
    "statuspage",
    "incidentio",
    "gcp",
    "aws",
    "slack",
    "heroku",
    "statusio",
    "instatus",
    "betterstack",
    "cachet",
    "upptime",
    "uptimekuma",
    "rss",
    "article",
]
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)

"""Collectors turn one source's bytes into vendor incidents or article evidence.

Each collector is a pure function `collect(snapshot) -> Collected` in a module named for
its kind. Modules are imported on first use so a Markdown-only build never loads the
heavier parsing libraries. Network access lives only in `postmortem.collectors.fetch.client`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from postmortem.model import Collected, Snapshot, SourceKind

Collector = Callable[[Snapshot], Collected]

_MODULES: dict[SourceKind, str] = {
    "statuspage": "postmortem.collectors.statuspage",
    "incidentio": "postmortem.collectors.incidentio",
    "gcp": "postmortem.collectors.gcp",
    "aws": "postmortem.collectors.aws",
    "slack": "postmortem.collectors.slack",
    "heroku": "postmortem.collectors.heroku",
    "statusio": "postmortem.collectors.statusio",
    "instatus": "postmortem.collectors.instatus",
    "betterstack": "postmortem.collectors.betterstack",
    "cachet": "postmortem.collectors.selfhosted.cachet",
    "upptime": "postmortem.collectors.selfhosted.upptime",
    "uptimekuma": "postmortem.collectors.selfhosted.uptimekuma",
    "rss": "postmortem.collectors.rss",
    "article": "postmortem.collectors.article",
}


def get_collector(kind: SourceKind) -> Collector:
    """The collector registered for `kind`."""
    module = importlib.import_module(_MODULES[kind])
    return cast(Collector, module.collect)

"""Collectors turn one source's bytes into vendor incidents or article evidence.

Each collector is a pure function `(Snapshot) -> Collected`, registered by `kind`.
Network access lives only in `postmortem.collectors.fetch`.
"""

from __future__ import annotations

from collections.abc import Callable

from postmortem.model import Collected, Snapshot

Collector = Callable[[Snapshot], Collected]

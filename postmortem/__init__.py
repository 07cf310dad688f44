"""postmortem: turn an outage into a finished post-mortem."""

from __future__ import annotations

__version__ = "0.1.0"

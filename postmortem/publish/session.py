"""What every tracker module is handed: how to reach each tracker and what the user asked.

Also the small record of GitLab upload links (`Ledger`): GitLab's API cannot list the
secret link of an earlier upload, so the link is kept beside the incident file and a run
that failed after uploading finishes the note without uploading again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem.publish.api import Api
from postmortem.publish.targets import Secrets, Target, base_url, credentials

if TYPE_CHECKING:
    from postmortem.collectors.fetch.client import Fetcher

LEDGER = "published.json"


@dataclass(frozen=True, slots=True)
class Session:
    """Shared by every target of one run."""

    fetcher: Fetcher
    env: Mapping[str, str]
    secrets: Secrets
    trackers: Mapping[str, str] = field(default_factory=dict)  #: postmortem.yaml `trackers:`
    dry_run: bool = False
    replace: bool = False
    echo: Callable[[str], None] | None = None  #: where requests are shown (-v, --dry-run)
    ledger: Path | None = None

    def api(self, target: Target) -> Api:
        """The API of `target`'s tracker, authenticated from the environment."""
        tracker = target.tracker
        return Api(
            self.fetcher,
            tracker,
            base_url(tracker, self.env, self.trackers),
            credentials(tracker, self.env),
            secrets=self.secrets,
            dry_run=self.dry_run,
            echo=self.echo,
        )

    def recall(self, target: Target, filename: str) -> str | None:
        """The link remembered for `filename` uploaded to `target`, if any."""
        return _read(self.ledger).get(str(target), {}).get(filename)

    def remember(self, target: Target, filename: str, link: str) -> None:
        """Keep the link of an upload (not on a dry run)."""
        if self.ledger is None or self.dry_run:
            return
        from postmortem.storage.atomic import write_atomic

        data = _read(self.ledger)
        data.setdefault(str(target), {})[filename] = link
        write_atomic(self.ledger, json.dumps(data, indent=2, sort_keys=True).encode() + b"\n")


def _read(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or damaged: the worst case is one more upload
    if not isinstance(data, dict):
        return {}
    return {
        str(k): {str(n): str(u) for n, u in v.items()}
        for k, v in data.items()
        if isinstance(v, dict)
    }

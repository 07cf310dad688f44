"""Synthetic vendor history drawn from the real GitHub corpus's distributions.

Inter-arrival gaps, durations, update bodies, components and impacts are sampled from
`all-github-incidents-2010-2023.jsonl.gz`; the number of updates per incident follows the
corpus's distribution scaled to an average of ten, so 100,000 incidents carry about
1,000,000 updates. Incidents are generated newest first, backwards from 1 October 2023:
the first 1,000 of a 100,000-incident history are exactly a 1,000-incident history, so a
review of the same month sees the same incidents in both and only the archive's size
differs. At GitHub's pace 100,000 incidents would reach back several centuries, and the
archive reads only the years from 1970 (`postmortem.limits.FIRST_YEAR`): the gaps are
therefore scaled down, evenly and by the same factor for every size, so that a history of
up to `LARGEST` incidents starts after `EARLIEST`: a busier vendor than GitHub, with the
same shape of distribution.
"""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

END = datetime(2023, 10, 1, tzinfo=UTC)
EARLIEST = datetime(1971, 1, 1, tzinfo=UTC)
LARGEST = 100_000
UPDATES_PER_INCIDENT = 10


@dataclass(frozen=True)
class Distributions:
    """What the corpus says, as lists to sample from."""

    gaps: list[float]  #: seconds between consecutive incident starts
    durations: list[float]  #: seconds from start to resolution (positive only)
    update_counts: list[int]
    bodies: list[str]
    components: list[list[str]]
    impacts: list[str]


def distributions(corpus_history: Path) -> Distributions:
    """Read the GitHub history once and keep the samples."""
    with gzip.open(corpus_history, "rt", encoding="utf-8") as lines:
        incidents = [json.loads(line)["incident"] for line in lines]
    starts = sorted(_at(i["started_at"]) for i in incidents)
    gaps = [(b - a).total_seconds() for a, b in pairwise(starts)]
    return Distributions(
        gaps=[g for g in gaps if g > 0],
        durations=[
            d
            for i in incidents
            if (d := (_at(i["resolved_at"]) - _at(i["started_at"])).total_seconds()) > 0
        ],
        update_counts=[len(i["incident_updates"]) for i in incidents],
        bodies=[u["body"] for i in incidents for u in i["incident_updates"] if u["body"]],
        components=[[c["name"] for c in i["components"]] for i in incidents],
        impacts=[i["impact"] for i in incidents],
    )


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _iso(at: datetime) -> str:
    # isoformat pads years before 1000 to four digits, as Statuspage's format needs
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def write_history(dist: Distributions, count: int, target: Path, seed: int = 14) -> int:
    """Write `count` incidents as Statuspage JSON lines; return the number of updates."""
    rng = random.Random(seed)
    scale = UPDATES_PER_INCIDENT * len(dist.update_counts) / sum(dist.update_counts)
    # LARGEST mean gaps, with a tenth to spare for chance, fit between EARLIEST and END
    mean_gap = sum(dist.gaps) / len(dist.gaps)
    squeeze = min(1.0, 0.9 * (END - EARLIEST).total_seconds() / (mean_gap * LARGEST))
    start = END
    written = 0
    with target.open("w", encoding="utf-8") as out:
        for number in range(count):
            start -= timedelta(seconds=rng.choice(dist.gaps) * squeeze)
            length = timedelta(seconds=rng.choice(dist.durations))
            updates = max(1, round(rng.choice(dist.update_counts) * scale))
            components = rng.choice(dist.components)
            code = f"syn{number:07d}"
            steps = [start + length * k / max(updates - 1, 1) for k in range(updates)]
            incident = {
                "id": code,
                "name": f"Incident with {' and '.join(components) or 'GitHub'}",
                "status": "resolved",
                "impact": rng.choice(dist.impacts),
                "created_at": _iso(start),
                "started_at": _iso(start),
                "resolved_at": _iso(start + length),
                "shortlink": f"https://status.example.test/incidents/{code}",
                "components": [{"name": name} for name in components],
                "incident_updates": [
                    {
                        "id": f"{code}u{k}",
                        "status": "resolved" if k == updates - 1 else "investigating",
                        "body": rng.choice(dist.bodies),
                        "created_at": _iso(at),
                        "display_at": _iso(at),
                        "affected_components": None,
                    }
                    for k, at in enumerate(steps)
                ],
            }
            out.write(json.dumps({"incident": incident}) + "\n")
            written += updates
    return written

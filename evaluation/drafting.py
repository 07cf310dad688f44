"""Score drafted sections against the hand-labelled vendor sentences of the corpus.

Each labelled incident is read from its corpus file by the real collectors, drafted by the
real draft functions, and every quoted vendor sentence in a draft is aligned back to its
label by normalised text (identical sentences of one incident count once, as the labels'
README asks). Root cause should hold `cause` and `hedged_cause`, Remediation `mitigation`
and `prevention`, Impact `impact`; `status` should appear nowhere.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from postmortem.model import VendorIncident
from postmortem.report.draft import draft_impact, draft_remediation, draft_root_cause
from postmortem.report.evidence import Evidence
from postmortem.report.roles import ROLES, sentence_roles

LABELS = "labels/drafting-dev.jsonl"
#: Which labels each drafted section should hold.
WANTED = {
    "root_cause": {"cause", "hedged_cause"},
    "remediation": {"mitigation", "prevention"},
    "impact": {"impact"},
}
TARGETS = {
    ("root_cause", "precision"): 0.90,
    ("root_cause", "recall"): 0.80,
    ("remediation", "precision"): 0.90,
    ("remediation", "recall"): 0.70,
    ("impact", "precision"): 0.90,
}
STATUS_SHARE = 0.02
_QUOTE = re.compile("\u201c(.*)\u201d", re.DOTALL)


def key(text: str) -> str:
    """Text reduced to lower-case letters and digits, for alignment."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


@dataclass
class Labelled:
    """One labelled incident: its vendor record and its sentences' labels by key."""

    vendor: str
    incident: VendorIncident
    labels: dict[str, str]


@dataclass
class Score:
    """Counts behind the printed figures."""

    drafted: Counter[tuple[str, str]] = field(default_factory=Counter)  # (section, gold)
    gold: Counter[str] = field(default_factory=Counter)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, predicted)
    unaligned: int = 0

    def precision(self, section: str) -> float:
        """Share of drafted sentences in `section` whose label belongs there."""
        total = sum(n for (s, _), n in self.drafted.items() if s == section)
        good = sum(n for (s, g), n in self.drafted.items() if s == section and g in WANTED[section])
        return good / total if total else 1.0

    def recall(self, section: str) -> float:
        """Share of sentences labelled for `section` that its draft holds."""
        total = sum(self.gold[g] for g in WANTED[section])
        good = sum(n for (s, g), n in self.drafted.items() if s == section and g in WANTED[section])
        return good / total if total else 1.0

    def status_share(self) -> float:
        """Share of drafted vendor sentences labelled `status`."""
        total = sum(self.drafted.values())
        return sum(n for (_, g), n in self.drafted.items() if g == "status") / total if total else 0


def load(corpus: Path) -> list[Labelled]:
    """The labelled incidents, read from the corpus files the labels name."""
    from postmortem.collectors import get_collector
    from postmortem.collectors.fetch.client import read_file
    from postmortem.collectors.gcp import parse_incidents

    rows = [json.loads(line) for line in (corpus / LABELS).read_text().splitlines() if line]
    by_source: dict[str, dict[str, dict[str, str]]] = {}
    for row in rows:
        labels = by_source.setdefault(row["source"], {}).setdefault(row["incident"], {})
        labels.setdefault(key(row["sentence"]), row["label"])
    found: list[Labelled] = []
    for source, wanted in by_source.items():
        snapshot = read_file(corpus / source)
        gcp = source.startswith("cloud-status/gcp")
        incidents = (
            parse_incidents(snapshot) if gcp else get_collector("statuspage")(snapshot).incidents
        )
        for incident in incidents:
            if incident.id in wanted:
                found.append(
                    Labelled("gcp" if gcp else "github", incident, wanted.pop(incident.id))
                )
    return found


def score(labelled: Iterable[Labelled]) -> Score:
    """Draft each incident and count its drafted sentences by section and label."""
    result = Score()
    for item in labelled:
        evidence = Evidence((), (), ((1, item.incident),), (), ())
        for gold in item.labels.values():
            result.gold[gold] += 1
        seen: set[str] = set()
        for update in item.incident.updates:
            for sentence, role in sentence_roles(update.text):
                k = key(sentence)
                if k in item.labels and k not in seen:
                    seen.add(k)
                    result.confusion[(item.labels[k], role)] += 1
        drafts = {
            "root_cause": draft_root_cause(evidence),
            "remediation": draft_remediation(evidence),
            "impact": draft_impact(evidence, "UTC"),
        }
        for section, drafted in drafts.items():
            for written in drafted:
                for quote in _QUOTE.findall(written.text):
                    label = _align(quote, item.labels)
                    if label is None:
                        result.unaligned += 1
                    else:
                        result.drafted[(section, label)] += 1
    return result


def _align(quote: str, labels: dict[str, str]) -> str | None:
    k = key(quote.removesuffix("\u2026"))
    if k in labels:
        return labels[k]
    if quote.endswith("\u2026") and k:
        return next((g for lk, g in labels.items() if lk.startswith(k)), None)
    return None


def folds(labelled: Sequence[Labelled]) -> dict[str, list[Labelled]]:
    """Held-out splits by incident: each vendor alone, and two alternating halves."""
    ordered = sorted(labelled, key=lambda i: (i.vendor, i.incident.id))
    return {
        "github": [i for i in ordered if i.vendor == "github"],
        "gcp": [i for i in ordered if i.vendor == "gcp"],
        "half A": ordered[0::2],
        "half B": ordered[1::2],
    }


def report(name: str, result: Score) -> list[str]:
    """Printable lines: per-section precision and recall, and the status share."""
    lines = [f"{name}:"]
    for section in WANTED:
        lines.append(
            f"  {section:<12} precision {result.precision(section):.3f}  "
            f"recall {result.recall(section):.3f}  "
            f"(drafted {sum(n for (s, _), n in result.drafted.items() if s == section)})"
        )
    total = sum(result.drafted.values())
    lines.append(
        f"  status lines {result.status_share():.3f} of {total} drafted vendor sentences"
        f"  (unaligned quotes {result.unaligned})"
    )
    return lines


def confusion(result: Score) -> list[str]:
    """The classifier's confusion matrix over every labelled sentence: rows gold, columns role."""
    short = {r: r[:6] for r in ROLES}
    lines = ["gold \\ role  " + " ".join(f"{short[r]:>6}" for r in ROLES)]
    for gold in ROLES:
        cells = " ".join(f"{result.confusion[(gold, r)]:>6}" for r in ROLES)
        lines.append(f"{gold:<12} {cells}")
    return lines


def misses(result: Score) -> list[str]:
    """Whether each target holds."""
    failed = [
        f"{section} {measure} {getattr(result, measure)(section):.3f} < {floor}"
        for (section, measure), floor in TARGETS.items()
        if getattr(result, measure)(section) < floor
    ]
    if result.status_share() > STATUS_SHARE:
        failed.append(f"status share {result.status_share():.3f} > {STATUS_SHARE}")
    return failed

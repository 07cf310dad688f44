"""`make eval`: drafting scores on the dev labels, each vendor held out, and the confusion matrix.

Exits 1 when a target is missed on the whole dev set.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evaluation.drafting import confusion, folds, load, misses, report, score  # noqa: E402


def main() -> int:
    """Print the scores; 0 when every target holds on the dev set."""
    corpus = Path(os.environ.get("POSTMORTEM_CORPUS", ROOT.parent / "shared" / "corpus"))
    if not (corpus / "labels").is_dir():
        print(f"no labels under {corpus}: set POSTMORTEM_CORPUS", file=sys.stderr)
        return 1
    labelled = load(corpus)
    whole = score(labelled)
    print(f"{len(labelled)} labelled incidents")
    print("\n".join(report("dev set", whole)))
    print(
        "held out by incident: each vendor alone (cues read from one vendor's errors are "
        "kept only when they hold on the other's), and two alternating halves"
    )
    for name, part in folds(labelled).items():
        print("\n".join(report(f"{name} ({len(part)} incidents)", score(part))))
    print("confusion matrix (rows: label, columns: role given):")
    print("\n".join(confusion(whole)))
    failed = misses(whole)
    for line in failed:
        print(f"target missed: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

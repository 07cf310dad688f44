"""Where an incident file may read local files from: its own folder, and folders the user
allows (`--allow-path DIR`, `allow_paths:` in postmortem.yaml).

Incident files are input from whoever wrote them (in CI, a pull request), so a `path:`
source must not reach `~/.ssh` or a token file. Symbolic links are followed before the
check, so a link inside the folder that points outside is refused too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from postmortem.errors import CollectError
from postmortem.spec.incident import Incident


def confine(base_dir: Path, given: str, allowed: Sequence[Path] = ()) -> Path:
    """`base_dir / given`, when it lies inside `base_dir` or one of the `allowed` folders."""
    target = base_dir / given
    real = target.resolve()
    if any(real.is_relative_to(root.resolve()) for root in (base_dir, *allowed)):
        return target
    raise CollectError(
        f"{given}: outside the incident file's folder; move the file there, or allow its "
        "folder with --allow-path DIR (or allow_paths: in postmortem.yaml)"
    )


def path_problems(
    incident: Incident, base_dir: Path, allowed: Sequence[Path] = ()
) -> tuple[str, ...]:
    """One `sources[N].path: …` line per `path:` source that may not be read."""
    problems = []
    for number, source in enumerate(incident.sources):
        if source.path is None:
            continue
        try:
            confine(base_dir, source.path, allowed)
        except CollectError as exc:
            problems.append(f"sources[{number}].path: {exc}")
    return tuple(problems)

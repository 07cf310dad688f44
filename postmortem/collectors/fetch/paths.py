"""Where an incident file may read local files from: its own folder, and folders the user
allows (`--allow-path DIR`, `allow_paths:` in postmortem.yaml).

Incident files are input from whoever wrote them (in CI, a pull request), so neither a
`path:` source nor a `templates:` folder may reach `~/.ssh` or a token file. Symbolic links
are followed before the check, so a link inside the folder that points outside is refused
too. Folders the user names on the command line (`--templates DIR`) are not checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from postmortem.errors import CollectError, IncidentFileError
from postmortem.spec.incident import Incident


def confine(base_dir: Path, given: str, allowed: Sequence[Path] = ()) -> Path:
    """`base_dir / given`, when it lies inside `base_dir` or one of the `allowed` folders."""
    target = base_dir / given
    real = target.resolve()
    if any(real.is_relative_to(root.resolve()) for root in (base_dir, *allowed)):
        return target
    raise CollectError(
        f"{given}: outside the incident file's folder; move it there, or allow its "
        "folder with --allow-path DIR (or allow_paths: in postmortem.yaml)"
    )


def path_problems(
    incident: Incident, base_dir: Path, allowed: Sequence[Path] = ()
) -> tuple[str, ...]:
    """One `FIELD: …` line per `path:` source or `templates:` folder that may not be read."""
    named = [
        (f"sources[{number}].path", source.path)
        for number, source in enumerate(incident.sources)
        if source.path is not None
    ]
    named += [(f"templates[{number}]", folder) for number, folder in enumerate(incident.templates)]
    problems = []
    for field, given in named:
        try:
            confine(base_dir, given, allowed)
        except CollectError as exc:
            problems.append(f"{field}: {exc}")
    return tuple(problems)


def template_folders(
    incident: Incident, base_dir: Path, allowed: Sequence[Path] = ()
) -> tuple[Path, ...]:
    """The incident's `templates:` folders; one outside what it may read is an error."""
    folders = []
    for number, folder in enumerate(incident.templates):
        try:
            folders.append(confine(base_dir, folder, allowed))
        except CollectError as exc:
            raise IncidentFileError(f"templates[{number}]: {exc}") from None
    return tuple(folders)

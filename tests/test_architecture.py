"""The import rules of docs/ARCHITECTURE.md, checked on every module's imports.

Imports inside functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "postmortem"

#: (modules the rule applies to, imported names they must not use, why)
RULES = (
    (
        ("postmortem.model", "postmortem.spec"),
        (
            "postmortem.collectors",
            "postmortem.report",
            "postmortem.render",
            "postmortem.export",
            "postmortem.review",
            "postmortem.storage",
            "postmortem.commands",
            "sqlite3",
            "httpx2",
        ),
        "the model and the incident file do no I/O beyond reading the file itself",
    ),
    (
        ("postmortem.collectors",),
        (
            "postmortem.report",
            "postmortem.render",
            "postmortem.export",
            "postmortem.review",
            "postmortem.commands",
        ),
        "collectors only turn bytes into records",
    ),
    (
        ("postmortem.render",),
        ("postmortem.collectors", "postmortem.commands", "postmortem.export", "httpx2"),
        "rendering works on finished records, never the network",
    ),
    (
        ("postmortem.report",),
        ("postmortem.render", "postmortem.export", "postmortem.commands", "postmortem.review"),
        "the report stage ends at the typed Report",
    ),
    (
        ("postmortem.review",),
        ("postmortem.render", "postmortem.export", "postmortem.commands"),
        "a review is computed from records; rendering and writing it come after",
    ),
    (
        ("postmortem.storage",),
        ("postmortem.collectors", "postmortem.report", "postmortem.render", "postmortem.export"),
        "storage knows records and files, nothing of the stages",
    ),
    (
        ("postmortem.publish",),
        ("postmortem.commands",),
        "publishing is a library stage that the command line calls",
    ),
)
#: Only these packages may import the HTTP client library.
HTTP_CLIENT = ("httpx2", "httpcore2")
HTTP_HOME = "postmortem.collectors.fetch"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


MODULES = {module_name(p): imported(p) for p in sorted(PACKAGE.rglob("*.py"))}


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(sources: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {name}"
        for module, names in MODULES.items()
        if any(within(module, s) for s in sources)
        for name in names
        if any(within(name, f) for f in forbidden)
    )


@pytest.mark.parametrize(("sources", "forbidden", "why"), RULES, ids=[r[0][0] for r in RULES])
def test_import_rules(sources: tuple[str, ...], forbidden: tuple[str, ...], why: str) -> None:
    assert violations(sources, forbidden) == [], why


def test_only_the_fetch_package_speaks_http() -> None:
    found = sorted(
        f"{module} imports {name}"
        for module, names in MODULES.items()
        if not within(module, HTTP_HOME)
        for name in names
        if any(within(name, client) for client in HTTP_CLIENT)
    )
    assert found == [], f"HTTP goes through {HTTP_HOME}"


def test_the_rules_see_every_stage() -> None:
    stages = {m.split(".")[1] for m in MODULES if m.count(".") >= 1}
    assert {"spec", "collectors", "report", "render", "export", "review", "storage"} <= stages


def test_a_forbidden_import_is_caught() -> None:
    MODULES["postmortem.render.example"] = {"postmortem.collectors.fetch.client"}
    try:
        assert violations(("postmortem.render",), ("postmortem.collectors",)) == [
            "postmortem.render.example imports postmortem.collectors.fetch.client"
        ]
    finally:
        del MODULES["postmortem.render.example"]

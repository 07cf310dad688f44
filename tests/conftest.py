from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared real-world corpus, read in place; tests skip when it is absent."""
    path = Path(os.environ.get("POSTMORTEM_CORPUS", ROOT.parent / "shared" / "corpus"))
    if not (path / "README.md").is_file():
        pytest.skip(f"real-world corpus not found at {path} (set POSTMORTEM_CORPUS)")
    return path

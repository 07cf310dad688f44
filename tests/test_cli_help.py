from __future__ import annotations

from click.testing import CliRunner

from postmortem import __version__
from postmortem.commands import cli


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output

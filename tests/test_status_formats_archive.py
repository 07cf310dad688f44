"""A project file naming the newer kinds: `archive update` files each vendor like any other."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from postmortem.commands import cli

VENDORS = {
    "Slack": ("slack", "slack/isitdown-slack-history-8-incidents-truncated.json"),
    "Heroku": (
        "heroku", "heroku/statuscheck-heroku-current-status-open-incident-ORIGIN-EDITED.json"
    ),
    "GitLab": ("statusio", "statusio/statuscheck-gitlab-statusio-planned-maintenance.json"),
    "Instatus demo": ("instatus", "instatus/isitdown-instatus-demo-summary-2-open-incidents.json"),
    "Better Stack": (
        "betterstack",
        "betterstack/isitdown-betterstack-index-json-trimmed-3-reports-4-updates.json",
    ),
    "AWS": ("aws", "aws/aistatus-aws-health-public-currentevents-3-events.json"),
    "Cachet demo": ("cachet", "cachet/isitdown-cachet-demo-api-v1-incidents.json"),
    "Manticore": ("upptime", "upptime/manticore-history-summary-3-down.json"),
    "Kuma demo": ("uptimekuma", "uptime-kuma/isitdown-kuma-status-page-heartbeat-demo.json"),
}  # fmt: skip


@pytest.mark.corpus
def test_archive_update_takes_every_new_kind_and_a_broken_feed_fails_alone(
    corpus: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"active_incidents": "several"}')
    lines = [f"title: Status formats\narchive: {tmp_path / 'archive.sqlite'}\nvendors:"]
    for name, (kind, path) in VENDORS.items():
        lines.append(
            f"  - name: {name}\n    kind: {kind}\n    path: {corpus / 'status-formats' / path}"
        )
    lines.append(f"  - name: Broken\n    kind: slack\n    path: {broken}")
    project = tmp_path / "postmortem.yaml"
    project.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(cli, ["archive", "update", "--project", str(project), "--offline"])
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert "Slack: 8 incidents, 8 new, 36 new updates" in out
    assert "AWS: 3 incidents, 3 new, 3 new updates" in out
    assert "Better Stack: 3 incidents, 3 new, 4 new updates" in out
    assert "Manticore: 3 incidents, 3 new, 0 new updates" in out
    assert "Kuma demo: 1 incidents, 1 new, 1 new updates" in out
    assert "Cachet demo: 2 incidents, 2 new, 4 new updates" in out
    assert len(out) == len(VENDORS) + 1
    assert out[-1].startswith(f"Broken: {broken}: malformed Slack status JSON: `active_incidents`")
    again = CliRunner().invoke(cli, ["archive", "update", "--project", str(project), "--offline"])
    assert "Slack: 8 incidents, 0 new, 0 new updates" in again.stdout.splitlines()

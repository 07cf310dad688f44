"""`postmortem collect` through CliRunner, and the library functions behind it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from postmortem.collectors.source import collect_source, parse_bound, within
from postmortem.commands import cli
from postmortem.errors import CollectError
from postmortem.spec.kinds import SOURCE_KINDS

DATA = Path(__file__).parent / "data" / "statuspage"
RSS = str(DATA / "acme-history-pacific.rss")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["collect", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_output_has_exactly_the_documented_shape() -> None:
    code, out, _ = run(str(DATA / "acme-incidents-pacific.json"), "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert list(payload) == ["incidents"]
    first = payload["incidents"][0]
    assert list(first) == [
        "id",
        "title",
        "url",
        "status",
        "impact",
        "started_at",
        "resolved_at",
        "components",
        "updates",
    ]
    assert first["started_at"] == "2026-06-20T16:58:00Z"
    assert first["resolved_at"] == "2026-06-20T18:30:11Z"
    assert first["components"] == ["Dashboard"]
    assert first["updates"][0] == {
        "at": "2026-06-20T17:02:31Z",
        "status": "investigating",
        "text": "Some users are sent back to the login form after signing in.",
    }


def test_open_incident_prints_null_resolved_at() -> None:
    code, out, _ = run(str(DATA / "acme-incidentio-summary.json"), "--format", "json")
    assert code == 0
    assert json.loads(out)["incidents"][0]["resolved_at"] is None


def test_yaml_output_is_a_timeline_an_incident_file_accepts() -> None:
    code, out, _ = run(
        str(DATA / "acme-incidents-pacific.json"), "--format", "yaml", "--since", "2026-06-15"
    )
    assert code == 0
    assert out.startswith("timeline:\n  # incident acmesignin01: Dashboard sign-in")
    assert yaml.safe_load(out) == {
        "timeline": [
            {
                "at": "2026-06-20T17:02:31Z",
                "text": "Investigating - Some users are sent back to the login form"
                " after signing in.",
            },
            {
                "at": "2026-06-20T17:55:40Z",
                "text": "Identified - A session cookie change is to blame; we are rolling it back.",
            },
            {
                "at": "2026-06-20T18:30:11Z",
                "text": "Resolved - Sign-in works again for everyone.\n\n"
                "We will publish a short write-up next week.",
            },
        ]
    }


def test_table_is_plain_text() -> None:
    code, out, _ = run(RSS)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "STARTED", "(UTC)", "RESOLVED", "(UTC)", "DURATION", "STATUS", "IMPACT", "ID", "TITLE"
    ]  # fmt: skip
    assert "2026-06-20 17:02  2026-06-20 18:30  1 h 28 min" in lines[1]
    assert "ongoing" in out and "[maintenance] Object storage" in out
    assert lines[-1] == "5 incidents"
    assert "\x1b[" not in out


def test_until_date_includes_the_whole_day() -> None:
    code, out, _ = run(RSS, "--format", "json", "--since", "2026-01-01", "--until", "2026-01-01")
    assert code == 0
    ids = [i["id"] for i in json.loads(out)["incidents"]]
    # Open incidents from 2025 still overlap a 2026 range; the closed June ones do not.
    assert ids == ["acmenewyear1", "acmenotice01", "acmeconsole1"]


def test_since_drops_incidents_that_ended_before() -> None:
    code, out, _ = run(RSS, "--format", "json", "--since", "2026-06-20T18:00:00Z")
    assert code == 0
    ids = [i["id"] for i in json.loads(out)["incidents"]]
    assert ids == ["acmesignin01", "acmenotice01", "acmeconsole1"]


def test_warnings_go_to_stderr_and_output_stays_clean() -> None:
    code, out, err = run(str(DATA / "acme-truncated.atom"), "--format", "json")
    assert code == 0
    assert [i["id"] for i in json.loads(out)["incidents"]] == ["acmequeue001"]
    assert err.startswith("Warning: ") and "not well-formed" in err


def test_missing_file_error_is_verbatim(tmp_path: Path) -> None:
    missing = tmp_path / "history.atom"
    code, _, err = run(str(missing))
    assert code == 1
    assert err == f"Error: {missing}: no such file; check the path\n"


def test_unknown_format_error_is_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "notes.dat"
    path.write_text("hello")
    code, _, err = run(str(path))
    assert code == 1
    kinds = ", ".join(SOURCE_KINDS)
    assert (
        err
        == f"Error: could not recognise {path} as any known kind ({kinds}); name one with --kind\n"
    )
    assert "uptimekuma" in kinds and "betterstack" in kinds


def test_entity_bomb_is_refused_with_a_clear_error() -> None:
    path = DATA / "acme-entity-bomb.atom"
    code, _, err = run(str(path))
    assert code == 1
    assert err == (
        f"Error: {path}: the document declares XML entities (<!ENTITY); refused to protect "
        "against entity expansion attacks\n"
    )


def test_bad_time_bound_is_a_usage_error() -> None:
    code, _, err = run(RSS, "--until", "yesterday")
    assert code == 2
    assert "Invalid value for '--until': 'yesterday' is not an ISO date or date-time" in err


def test_explicit_kind_is_used() -> None:
    code, out, _ = run(RSS, "--kind", "statuspage", "--format", "json")
    assert code == 0 and len(json.loads(out)["incidents"]) == 5


def test_non_http_urls_are_refused() -> None:
    with pytest.raises(CollectError, match="only http and https URLs or local paths"):
        collect_source("file:///etc/passwd")


def test_parse_bound_reads_dates_and_zoned_times() -> None:
    assert parse_bound("2026-03-20") == datetime(2026, 3, 20, tzinfo=UTC)
    assert parse_bound("2026-03-20", end=True) == datetime(
        2026, 3, 20, 23, 59, 59, 999999, tzinfo=UTC
    )
    assert parse_bound("2026-03-20T05:00+02:00") == datetime(2026, 3, 20, 3, tzinfo=UTC)
    assert parse_bound("2026-03-20T05:00") == datetime(2026, 3, 20, 5, tzinfo=UTC)


def test_within_without_bounds_keeps_everything() -> None:
    collected = collect_source(RSS)
    assert within(collected) is collected


@pytest.mark.corpus
def test_collect_corpus_atom_as_json(corpus: Path) -> None:
    path = corpus / "statuspage/github/atom-snapshots/githubstatus-history_2026-02-27.atom"
    code, out, _ = run(str(path), "--format", "json", "--since", "2026-02-27T00:00Z")
    assert code == 0
    incidents = {i["id"]: i for i in json.loads(out)["incidents"]}
    code_view = incidents["kv1lzpgzr9yp"]
    assert code_view["resolved_at"] is None
    assert code_view["started_at"] == "2026-02-27T03:08:00Z"
    assert all("<" not in u["text"] for i in incidents.values() for u in i["updates"])


def test_yaml_keeps_multi_paragraph_updates_as_blocks() -> None:
    path = Path(__file__).parent.parent / "samples" / "evidence" / "acme-incident.json"
    code, out, _ = run(str(path), "--format", "yaml")
    assert code == 0
    assert "    text: |-\n      Identified - We traced" in out
    assert all(line == line.rstrip() for line in out.splitlines())
    texts = [entry["text"] for entry in yaml.safe_load(out)["timeline"]]
    assert texts[1].endswith(
        "region by region.\n\nRequests may still fail or time out until the rollback completes."
    )


def test_collect_has_help_with_an_example() -> None:
    result = CliRunner().invoke(cli, ["collect", "--help"])
    assert result.exit_code == 0
    assert (
        "Example:" in result.output and "postmortem collect evidence/history.atom" in result.output
    )

"""Every user error of the incident file, verbatim, through `postmortem validate`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from postmortem.commands import cli

HEAD = "id: INC-1\ntitle: Checkout search failed\n"


def validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | bytes) -> Result:
    monkeypatch.chdir(tmp_path)
    target = Path("incident.yaml")
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return CliRunner().invoke(cli, ["validate", "incident.yaml"])


def problems(result: Result) -> list[str]:
    return result.output.splitlines()


CASES = {
    "unknown key": (
        HEAD + "serverity: SEV1\n",
        ["incident.yaml:3:1: serverity: unknown key 'serverity' (did you mean 'severity'?)"],
    ),
    "unknown nested key": (
        HEAD + "milestones:\n  resolvd: 2026-03-20T05:00:00Z\n",
        ["incident.yaml:4:3: milestones.resolvd: unknown key 'resolvd' (did you mean 'resolved'?)"],
    ),
    "unknown key without a close match": (
        HEAD + "impact:\n  colour: red\n",
        ["incident.yaml:4:3: impact.colour: unknown key 'colour' (allowed: start, end, metrics)"],
    ),
    "missing required key": (
        "id: INC-1\n",
        ["incident.yaml:1:1: title: missing required key 'title'"],
    ),
    "duplicate key": (
        HEAD + "severity: SEV1\nseverity: SEV2\n",
        ["incident.yaml:4:1: severity: duplicate key 'severity' (first at line 3); keep only one"],
    ),
    "no where text is expected": (
        HEAD + "owner: no\n",
        ['incident.yaml:3:8: owner: YAML reads no as the boolean false; quote it: "no"'],
    ),
    "on/off in a list of names": (
        HEAD + "authors: [on, off]\n",
        [
            'incident.yaml:3:11: authors[0]: YAML reads on as the boolean true; quote it: "on"',
            'incident.yaml:3:15: authors[1]: YAML reads off as the boolean false; quote it: "off"',
        ],
    ),
    "yes for a fixed choice": (
        HEAD + "status: yes\n",
        [
            "incident.yaml:3:9: status: YAML reads yes as the boolean true; must be one of "
            "'draft', 'in-review' or 'published'"
        ],
    ),
    "octal-looking text": (
        HEAD + "owner: 0755\n",
        ['incident.yaml:3:8: owner: YAML 1.1 reads 0755 as the octal number 493; quote it: "0755"'],
    ),
    "sexagesimal text": (
        HEAD + "owner: 3:00\n",
        [
            "incident.yaml:3:8: owner: YAML 1.1 reads 3:00 as the number 180 (base 60); "
            'quote it: "3:00"'
        ],
    ),
    "sexagesimal time": (
        HEAD + "milestones:\n  started: 3:00\n",
        [
            "incident.yaml:4:12: milestones.started: YAML 1.1 reads 3:00 as the number 180 "
            "(base 60); write a full date and time such as 2026-03-20T03:00:00Z"
        ],
    ),
    "bare date for a time": (
        HEAD + "milestones:\n  started: 2026-03-20\n",
        [
            "incident.yaml:4:12: milestones.started: a date without a time; "
            "add one: 2026-03-20T03:00:00Z"
        ],
    ),
    "naive time without timezone": (
        HEAD + "timeline:\n  - at: 2026-03-20 03:05:00\n    text: Pager fired\n",
        [
            "incident.yaml:4:9: timeline[0].at: no UTC offset and no `timezone:` in the file; "
            "add `timezone:` or a Z/+hh:mm offset"
        ],
    ),
    "time that does not exist": (
        HEAD + "timezone: Europe/Berlin\nmilestones:\n  started: 2026-03-29 02:30:00\n",
        [
            "incident.yaml:5:12: milestones.started: 2026-03-29 02:30 does not exist in "
            "Europe/Berlin (clock change); write it with an offset"
        ],
    ),
    "bad zone": (
        HEAD + "timezone: Europe/Berlni\n",
        [
            "incident.yaml:3:11: timezone: unknown IANA time zone 'Europe/Berlni' "
            "(did you mean 'Europe/Berlin', 'Europe/Vilnius', 'Europe/Belfast'?)"
        ],
    ),
    "milestones out of order": (
        HEAD + "milestones:\n  started: 2026-03-20T03:00:00Z\n  resolved: 2026-03-20T01:00:00Z\n",
        [
            "incident.yaml:5:13: milestones.resolved: resolved (2026-03-20T01:00:00Z) is before "
            "started (2026-03-20T03:00:00Z); milestones go started → detected → acknowledged → "
            "identified → mitigated → resolved"
        ],
    ),
    "milestones out of order, in the file's zone": (
        HEAD + "timezone: Europe/Berlin\nmilestones:\n  started: 2026-03-20T04:05:00\n"
        "  detected: 2026-03-20T04:01:00\n",
        [
            "incident.yaml:6:13: milestones.detected: detected (2026-03-20T04:01:00 CET) is "
            "before started (2026-03-20T04:05:00 CET); milestones go started → detected → "
            "acknowledged → identified → mitigated → resolved"
        ],
    ),
    "enum value with a did-you-mean": (
        HEAD + "severity: sev2\nsources:\n  - kind: statuspge\n    path: feed.atom\n",
        [
            "incident.yaml:3:11: severity: must be one of 'SEV1', 'SEV2', 'SEV3', 'SEV4' or "
            "'SEV5' (got 'sev2'; did you mean 'SEV2'?)",
            "incident.yaml:5:11: sources[0].kind: must be one of 'statuspage', 'incidentio', "
            "'gcp', 'aws', 'slack', 'heroku', 'statusio', 'instatus', 'betterstack', 'cachet', "
            "'upptime', 'uptimekuma', 'rss' or 'article' (got 'statuspge'; did you mean "
            "'statuspage'?)",
        ],
    ),
    "source path that names no file": (
        HEAD + "sources:\n  - kind: rss\n    path: evidence/feed.xml\n",
        [
            "incident.yaml:5:11: sources[0].path: no such file 'evidence/feed.xml' (paths are "
            "relative to the incident file's folder)"
        ],
    ),
    "source with neither url nor path": (
        HEAD + "sources:\n  - kind: rss\n",
        ["incident.yaml:4:5: sources[0]: give exactly one of `url:` or `path:`"],
    ),
    "source with a non-http url": (
        HEAD + "sources:\n  - kind: rss\n    url: file:///etc/passwd\n",
        ["incident.yaml:5:10: sources[0].url: must be an http:// or https:// URL"],
    ),
    "unknown source kind": (
        HEAD + "sources:\n  - kind: rrs\n    url: https://status.example.com/feed\n",
        [
            "incident.yaml:4:11: sources[0].kind: must be one of 'statuspage', 'incidentio', "
            "'gcp', 'aws', 'slack', 'heroku', 'statusio', 'instatus', 'betterstack', 'cachet', "
            "'upptime', 'uptimekuma', 'rss' or 'article' (got 'rrs'; did you mean 'rss'?)"
        ],
    ),
    "host with a scheme": (
        HEAD + "allow_hosts: [https://status.example.com]\n",
        [
            "incident.yaml:3:15: allow_hosts[0]: must be a host name or IP address such as "
            "status.example.com (no scheme or path)"
        ],
    ),
    "action item problems": (
        HEAD + "action_items:\n  - title: ''\n    due: 2026-04-03T10:00:00Z\n"
        "    link: javascript:alert(1)\n    priority: P9\n",
        [
            "incident.yaml:4:12: action_items[0].title: must not be empty",
            "incident.yaml:5:10: action_items[0].due: expected a date such as 2026-04-03, "
            "not a date and time",
            "incident.yaml:6:11: action_items[0].link: must be an http:// or https:// URL",
            "incident.yaml:7:15: action_items[0].priority: must be one of 'P0', 'P1', 'P2' or "
            "'P3' (got 'P9')",
        ],
    ),
    "id with spaces": (
        "id: INC 1\ntitle: T\n",
        ["incident.yaml:1:5: id: use only letters, digits, '.', '_' and '-'"],
    ),
    "mapping expected": (
        HEAD + "milestones: soon\n",
        [
            "incident.yaml:3:13: milestones: expected keys and values (a mapping), "
            "not a single value or list"
        ],
    ),
    "list expected": (
        HEAD + "timeline: Pager fired\n",
        ["incident.yaml:3:11: timeline: expected a list (lines starting with '- ')"],
    ),
    "metric not a number": (
        HEAD + "impact:\n  metrics: {tickets: many}\n",
        ["incident.yaml:4:22: impact.metrics.tickets: must be a number"],
    ),
    "metric that YAML read as a boolean or NaN": (
        HEAD + "impact:\n  metrics: {tickets: yes, lost: .nan}\n",
        [
            "incident.yaml:4:22: impact.metrics.tickets: must be a number, not true/false",
            "incident.yaml:4:33: impact.metrics.lost: must be a finite number",
        ],
    ),
    "impact ends before it starts": (
        HEAD + "impact:\n  start: 2026-03-20T04:00:00Z\n  end: 2026-03-20T03:00:00Z\n",
        [
            "incident.yaml:5:8: impact.end: end (2026-03-20T03:00:00Z) is before start "
            "(2026-03-20T04:00:00Z)"
        ],
    ),
    "alias": (
        HEAD + "owner: &who Ana\nauthors: [*who]\n",
        ["incident.yaml:3:8: YAML anchor &who is not allowed; write the value out in full"],
    ),
    "syntax error": (
        HEAD + "owner: [Ana\n",
        ["incident.yaml:4:1: YAML syntax error: did not find expected ',' or ']'"],
    ),
    "top level is a list": (
        "- id: INC-1\n",
        ["incident.yaml:1:1: the top level must be keys such as `id:` and `title:`, not a list"],
    ),
    "key that is not text": (
        HEAD + "yes: 1\n",
        ['incident.yaml:3:1: yes: key: YAML reads yes as the boolean true; quote it: "yes"'],
    ),
    "empty value": (
        HEAD + "timezone:\n",
        ["incident.yaml:3:10: timezone: no value given; write one or remove the key"],
    ),
    "two documents": (
        HEAD + "---\nid: INC-2\n",
        [
            "incident.yaml:3:1: YAML syntax error: only one YAML document is allowed; "
            "remove the `---` line"
        ],
    ),
    "python tag": (
        HEAD + "owner: !!python/object/apply:os.system [true]\n",
        [
            "incident.yaml:3:8: YAML error: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'"
        ],
    ),
    "empty file": (
        "# nothing yet\n",
        ["incident.yaml: the file is empty; `postmortem init` writes a starter"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_error_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    text, expected = CASES[case]
    result = validate(tmp_path, monkeypatch, text)
    assert problems(result) == expected
    assert result.exit_code == 1


def test_every_problem_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "id: INC-1\nserverity: SEV1\nowner: no\nmilestones:\n  started: 2026-03-20\n"
    result = validate(tmp_path, monkeypatch, text)
    assert [line.split(": ")[0] for line in problems(result)] == [
        "incident.yaml:1:1",
        "incident.yaml:2:1",
        "incident.yaml:3:8",
        "incident.yaml:5:12",
    ]
    assert result.exit_code == 1


def test_alias_bomb_is_refused_quickly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    result = validate(tmp_path, monkeypatch, HEAD + "\n".join(levels) + "\n")
    assert problems(result) == [
        "incident.yaml:3:5: YAML anchor &a0 is not allowed; write the value out in full"
    ]
    assert result.exit_code == 1


def test_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = validate(tmp_path, monkeypatch, b"id: INC-1\ntitle: caf\xe9\n")
    assert problems(result) == [
        "incident.yaml: not UTF-8 text (byte 0xe9 at offset 20); save it as UTF-8"
    ]
    assert result.exit_code == 1


def test_missing_file_and_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("drafts").mkdir()
    os.mkfifo("pipe.yaml")  # no writer: reading it would block forever
    result = CliRunner().invoke(cli, ["validate", "nope.yaml", "drafts", "pipe.yaml"])
    assert problems(result) == [
        "nope.yaml: no such file; check the path",
        "drafts: is a directory; give the path of an incident file",
        "pipe.yaml: not a regular file (a pipe or a device); give an incident file",
    ]
    assert result.exit_code == 1


def test_several_files_one_bad(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text(HEAD, encoding="utf-8")
    Path("b.yaml").write_text(HEAD + "owner: off\n", encoding="utf-8")
    Path("c.yaml").write_text(HEAD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "a.yaml", "b.yaml", "c.yaml"])
    assert problems(result) == [
        "a.yaml: ok",
        'b.yaml:3:8: owner: YAML reads off as the boolean false; quote it: "off"',
        "c.yaml: ok",
    ]
    assert result.exit_code == 1


def test_impact_outside_incident_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = HEAD + (
        "milestones:\n  started: 2026-03-20T03:00:00Z\n  resolved: 2026-03-20T05:00:00Z\n"
        "impact:\n  start: 2026-03-20T02:00:00Z\n  end: 2026-03-20T06:00:00Z\n"
    )
    result = validate(tmp_path, monkeypatch, text)
    assert problems(result) == [
        "incident.yaml: ok",
        "incident.yaml: warning: impact.start: 2026-03-20T02:00:00Z is before "
        "milestones.started (2026-03-20T03:00:00Z); the impact window usually lies inside "
        "the incident",
        "incident.yaml: warning: impact.end: 2026-03-20T06:00:00Z is after "
        "milestones.resolved (2026-03-20T05:00:00Z); the impact window usually lies inside "
        "the incident",
    ]
    assert result.exit_code == 0


def test_value_cut_by_a_comment_is_a_warning_with_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = HEAD + (
        "timezone: UTC\nmilestones:\n  started: 2026-03-20T03:00:00Z   # from the pager\n"
        "action_items:\n  - title: Subscribe #ci-alerts to the status feed\n"
        "    owner: Dana # lead\n"
    )
    result = validate(tmp_path, monkeypatch, text)
    assert problems(result) == [
        "incident.yaml: ok",
        "incident.yaml:7:12: warning: action_items[0].title: the value stops before "
        "'#ci-alerts to the status feed': YAML reads \" #\" as the start of a comment, so it "
        'is "Subscribe"; quote the whole value: "Subscribe #ci-alerts to the status feed"',
    ]
    assert result.exit_code == 0


def test_window_warning_in_the_files_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + (
        "timezone: Europe/Berlin\nmilestones:\n  started: 2026-03-20T04:05:00\n"
        "  resolved: 2026-03-20T05:01:00\nimpact:\n  end: 2026-03-20T05:30:00\n"
    )
    result = validate(tmp_path, monkeypatch, text)
    assert problems(result)[1] == (
        "incident.yaml: warning: impact.end: 2026-03-20T05:30:00 CET is after "
        "milestones.resolved (2026-03-20T05:01:00 CET); the impact window usually lies inside "
        "the incident"
    )

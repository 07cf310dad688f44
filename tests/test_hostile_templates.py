"""User templates that divide by zero, recurse, or ask for gigabytes: one line, bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile import assert_one_line_error, run_cli

INCIDENT = (
    "id: HX-T\ntitle: Template test\ntimezone: UTC\nmilestones:\n  started: 2026-03-20T03:00:00Z\n"
)

CASES = {
    "division by zero": ("{{ 1 / 0 }}", "ZeroDivisionError"),
    "wrong type": ('{{ 1 + "a" }}', "TypeError"),
    "recursion": ("{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}", "recursion too deep"),
    "power tower": ("{{ 9 ** (9 ** 9) }}", "too large a number"),
    "nested ranges": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}",
        "range() produced more than",
    ),
    "repetition": ("{{ 'a' * 1500000000 }}", "repetition"),
    "center method": ("{{ 'x'.center(2000000000) }}", "argument of 2000000000"),
    "center filter": ("{{ 'x' | center(2000000000) }}", "argument of 2000000000"),
    "format width": ("{{ '%2000000000s' % 'x' }}", "width in the format"),
    "format method": ("{{ '{:>2000000000}'.format('x') }}", "width in the format"),
    "replace": ("{{ ('x' * 10000000).replace('x', 'yyyyyyyyyy') }}", "replacement"),
    "join": ("{{ (['x' * 10000000] * 10) | join('') }}", "join"),
    "doubling": (
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
        "a value",
    ),
    "silent loops": (
        "{% set t = range(3000) | list %}{% for a in t %}{% for b in t %}{% for c in t %}"
        "{% endfor %}{% endfor %}{% endfor %}",
        "longer than 10 s",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_template_is_one_line(tmp_path: Path, name: str) -> None:
    template, expected = CASES[name]
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "report.md.j2").write_text(template)
    (tmp_path / "incident.yaml").write_text(INCIDENT)
    outcome = run_cli("build", "incident.yaml", "-o", "-", "--templates", "tpl", cwd=tmp_path)
    assert_one_line_error(outcome, expected, "report.md.j2:1")


def test_ordinary_template_features_still_work(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "report.md.j2").write_text(
        "{{ report.id | lower }} {{ 'a,b'.split(',') | join('-') }} {{ '%05.1f' % 3.14159 }} "
        "{{ '{:>4}'.format('x') }} {{ range(3) | list | length * 2 }} {{ 'ab' * 3 }}\n"
    )
    (tmp_path / "incident.yaml").write_text(INCIDENT)
    outcome = run_cli("build", "incident.yaml", "-o", "-", "--templates", "tpl", cwd=tmp_path)
    assert outcome.code == 0, outcome.err
    assert outcome.out == "hx-t a-b 003.1    x 6 ababab\n"

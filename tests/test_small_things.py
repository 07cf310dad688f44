"""Small things a reader notices: article dates, pasted text, report date, incident roles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import report_of

from postmortem.collectors.source import collect_source
from postmortem.commands import cli
from postmortem.render import render_markdown

ARTICLE = (
    "Storage outage hits shops\n"
    "The outage began around 3:05 AM UTC and most requests were succeeding by 4:20 AM UTC.\n"
)


def incident(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "incident.yaml"
    path.write_text("id: T-1\ntitle: Storage outage\ntimezone: UTC\n" + body, "utf-8")
    return path


def test_pasted_text_is_an_article_without_kind(tmp_path: Path) -> None:
    pasted = tmp_path / "article.txt"
    pasted.write_text(ARTICLE, "utf-8")
    collected = collect_source(str(pasted))
    assert collected.article is not None and collected.article.title == "Storage outage hits shops"
    result = CliRunner().invoke(cli, ["collect", str(pasted)])
    assert result.exit_code == 0, result.output


def test_published_in_the_source_entry_dates_the_articles_times(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(ARTICLE, "utf-8")
    source = "sources:\n  - kind: article\n    path: article.txt\n"
    undated = report_of(incident(tmp_path, source))
    assert not undated.timeline
    assert [f.code for f in undated.flags if f.level == "warning"] == ["article-undated"]
    assert "(article-undated): Source \\[1\\] gives no publication date" in render_markdown(undated)
    dated = report_of(incident(tmp_path, source + "    published: 2026-03-20\n"))
    assert [f"{row.at:%Y-%m-%d %H:%M}" for row in dated.timeline] == [
        "2026-03-20 03:05",
        "2026-03-20 04:20",
    ]
    assert "article-undated" not in [f.code for f in dated.flags]
    assert dated.report_date == date(2026, 3, 20)  # the latest evidence, not 1970-01-01


def test_roles_in_the_header(tmp_path: Path) -> None:
    path = incident(tmp_path, "roles:\n  commander: Dana Whitfield\n  scribe: Ravi Menon\n")
    text = render_markdown(report_of(path))
    assert "| Commander | Dana Whitfield |\n| Scribe | Ravi Menon |" in text


@pytest.mark.parametrize("role", ["Commander", "incident commander"])
def test_role_names_are_simple_keys(tmp_path: Path, role: str) -> None:
    path = incident(tmp_path, f"roles:\n  {role}: Dana Whitfield\n")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1 and "roles" in result.output


def test_starter_and_readme_say_what_happens(tmp_path: Path) -> None:
    from postmortem.spec.starter import starter_text

    text = starter_text()
    assert "one left out is drafted from the sources" in text
    path = tmp_path / "incident.yaml"
    path.write_text(text.replace("  lessons: Alert on the age", "  # lessons: Alert on the age"))
    lessons = next(s for s in report_of(path).sections if s.key == "lessons")
    assert lessons.state == "placeholder"  # no sources to draft from: marked not written
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    assert "--week 2026-W12 -f md,pdf   # needs postmortem.yaml" in readme

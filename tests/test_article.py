"""The article collector on our fictional sample, pasted text, and hostile pages."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from postmortem.collectors import get_collector
from postmortem.collectors.article import collect
from postmortem.errors import CollectError
from postmortem.model import Snapshot
from tests.fetch_server import Server

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "evidence" / "acme-article.html"


def snapshot(body: bytes, url: str = "https://news.example/acme", kind: str = "") -> Snapshot:
    return Snapshot(url, url, body, kind, None, hashlib.sha256(body).hexdigest())


def page(paragraphs: str) -> bytes:
    html = f"<html><head><title>T</title></head><body><article>{paragraphs}</article></body></html>"
    return html.encode()


def test_sample_article_metadata_and_text() -> None:
    article = collect(snapshot(SAMPLE.read_bytes())).article
    assert article is not None
    assert article.title == "Acme Cloud (fictional) suffers hours-long outage"
    assert article.site == "The Example Ledger (fictional)"
    assert article.author == "Robin Quill"
    assert article.published == date(2026, 3, 20)
    assert "may have been caused by a faulty configuration change" in article.text
    assert "pinning deployments to the eastern region" in article.text
    for markup in ("<", "window.tracker", "file://", "Subscribe to our newsletter"):
        assert markup not in article.text


def test_sample_article_reported_times() -> None:
    reported = collect(snapshot(SAMPLE.read_bytes())).reported
    got = [(r.at, r.phrase) for r in reported]
    assert got == [
        (datetime(2026, 3, 20, 3, 5, tzinfo=UTC), "around 3:05 AM UTC"),
        (datetime(2026, 3, 20, 3, 10, tzinfo=UTC), "from 8:10pm to 10:40pm PDT"),
        (datetime(2026, 3, 20, 4, 20, tzinfo=UTC), "4:20 AM UTC"),
        (datetime(2026, 3, 20, 5, 40, tzinfo=UTC), "from 8:10pm to 10:40pm PDT"),
    ]
    assert reported[1].sentence.startswith("Storage requests on the West Coast failed")
    assert reported[1].sentence.endswith("status updates.")


def test_registry_returns_the_article_collector() -> None:
    assert get_collector("article") is collect


def test_pasted_text_article(tmp_path: Path) -> None:
    body = (
        b"Example Widgets (fictional) down for an hour\n"
        b"Staff writer, Friday, March 20, 2026\n\n"
        b"Widgets stopped loading around 3:15 AM UTC and came back by 4:05 AM UTC.\n"
    )
    collected = collect(snapshot(body, url=str(tmp_path / "widgets.txt")))
    assert collected.article is not None
    assert collected.article.title == "Example Widgets (fictional) down for an hour"
    assert collected.article.published == date(2026, 3, 20)
    assert collected.article.text.startswith("Staff writer")
    assert [r.at.hour for r in collected.reported] == [3, 4]
    assert collected.warnings == ()


def test_text_content_type_is_read_as_plain_text() -> None:
    collected = collect(snapshot(b"Title line\nBody <b>not markup</b> here.", kind="text/plain"))
    assert collected.article is not None
    assert collected.article.title == "Title line"
    assert collected.article.published is None
    assert collected.reported == ()
    assert collected.warnings == (
        "https://news.example/acme: no publication date found; only times next to a date "
        "with its year were read; give `published:` in the source entry",
    )


def test_non_utf8_page_is_decoded() -> None:
    html = (
        "<html><head><meta charset='iso-8859-1'><title>Panne</title></head><body><article>"
        + "<p>Le service a été interrompu pendant la nuit, a déclaré l'équipe technique.</p>" * 5
        + "</article></body></html>"
    ).encode("iso-8859-1")
    article = collect(snapshot(html)).article
    assert article is not None
    assert "été interrompu" in article.text


def test_scripts_iframes_and_file_links_never_reach_the_text() -> None:
    body = page(
        "<script>alert('x')</script>"
        "<p>Engineers at the fictional vendor restored the queue after a long night of work.</p>"
        "<iframe src='file:///etc/passwd'>inner frame text</iframe>"
        "<p>Read <a href='file:///etc/shadow'>the notes</a> for details of the recovery.</p>"
        "<style>p { color: red }</style>"
    )
    article = collect(snapshot(body)).article
    assert article is not None
    assert "restored the queue" in article.text
    for leaked in ("alert", "file://", "/etc/", "<", "color: red"):
        assert leaked not in article.text


def test_oversized_page_is_refused() -> None:
    with pytest.raises(CollectError, match=r"over the 5 MiB limit"):
        collect(snapshot(b"<p>" + b"a" * (50 * 2**20) + b"</p>"))


@pytest.mark.parametrize("body", [b"", b"   ", b'{"json": true}', b"<html><body></body></html>"])
def test_no_article_text_is_an_error(body: bytes) -> None:
    with pytest.raises(CollectError, match=r"https://news.example/acme: no article text found"):
        collect(snapshot(body))


def test_empty_text_file_is_an_error() -> None:
    with pytest.raises(CollectError, match=r"no article text found"):
        collect(snapshot(b"Only a title\n", url="notes.txt"))


def test_garbage_bytes_do_not_crash() -> None:
    garbage = bytes(range(256)) * 64 + b"\x00\xff<\x00p>\xfe"
    with pytest.raises(CollectError, match=r"no article text found"):
        collect(snapshot(garbage))


def test_importing_the_collector_does_not_load_trafilatura() -> None:
    code = (
        "import sys, postmortem.collectors.article, postmortem.collectors.text.prose_times\n"
        "print(sorted(m for m in ('trafilatura', 'htmldate', 'lxml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_body_that_is_a_url_is_never_fetched(server: Server) -> None:
    page = b"<html><body><article><p>fetched</p></article></body></html>"
    server.routes["/article"] = lambda h: h.send(200, page)
    with pytest.raises(CollectError, match="no article text found"):
        collect(snapshot(f"{server.base}/article".encode()))
    assert not server.hits

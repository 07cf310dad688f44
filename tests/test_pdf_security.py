"""WeasyPrint never reads local files or the network, whatever the HTML asks for."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from postmortem.errors import ExportError
from postmortem.export.pdf import Attachment, PdfJob, render_pdf
from postmortem.storage.atomic import write_atomic
from tests.fetch_server import Server

SECRET = b"postmortem-test-secret-4c1e"


def hostile_html(port: int, secret: Path) -> str:
    base = f"http://127.0.0.1:{port}"
    return f"""<!DOCTYPE html><html><head><title>t</title>
<link rel="attachment" href="file://{secret}">
<link rel="stylesheet" href="file://{secret}">
<style>@import url({base}/import.css); body {{ background: url({base}/bg.png); }}</style>
</head><body>
<h1>Hostile</h1>
<a rel="attachment" href="file://{secret}">attach</a>
<img src="file://{secret}"><img src="{base}/pixel.png"><img src="http://169.254.169.254/x.png">
<svg xmlns="http://www.w3.org/2000/svg"><image href="{base}/svg.png" width="10" height="10"/></svg>
</body></html>"""


def test_no_file_or_network_access(tmp_path: Path, server: Server) -> None:
    port = server.server_address[1]
    secret = tmp_path / "secret.txt"
    secret.write_bytes(SECRET)
    ours = Attachment("incident.yaml", b"id: X\n", "The incident file")
    data = render_pdf(
        PdfJob(hostile_html(port, secret), created=date(2026, 3, 27), attachments=(ours,))
    )
    assert data.startswith(b"%PDF")
    assert not server.hits
    reader = PdfReader(io.BytesIO(data))
    assert list(reader.attachments) == ["incident.yaml"]
    assert SECRET not in data


def test_same_input_same_bytes_and_atomic_write(tmp_path: Path) -> None:
    html = "<html><head><title>x</title></head><body><h1>Same</h1></body></html>"
    first = render_pdf(PdfJob(html, created=date(2026, 3, 27)))
    assert first == render_pdf(PdfJob(html, created=date(2026, 3, 27)))
    target = tmp_path / "r.pdf"
    target.write_bytes(b"earlier")
    with pytest.raises(ExportError, match="page size 'B5'"):
        write_atomic(target, render_pdf(PdfJob(html, created=date(2026, 3, 27), page_size="B5")))
    assert target.read_bytes() == b"earlier"

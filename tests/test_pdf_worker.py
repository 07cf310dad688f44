"""The PDF helper process gives the bytes an in-process render gives, and fails cleanly."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from postmortem.errors import ExportError
from postmortem.export.pdf import Attachment, PdfJob, render_pdf
from postmortem.export.pdf_worker import PdfWorker, receive, send, serve
from tests.fetch_server import Server

HTML = "<html><head><title>w</title></head><body><h1>Worker</h1><p>Ünïcode</p></body></html>"
CREATED = date(2026, 3, 27)
FILES = (Attachment("incident.yaml", b"id: W\n", "The incident file"),)


def test_worker_bytes_equal_in_process_bytes() -> None:
    expected = render_pdf(
        PdfJob(HTML, created=CREATED, attachments=tuple(FILES), page_size="Letter")
    )
    with PdfWorker() as worker:
        first = worker.render(
            PdfJob(HTML, created=CREATED, attachments=tuple(FILES), page_size="Letter")
        )
        second = worker.render(
            PdfJob(HTML, created=CREATED, attachments=tuple(FILES), page_size="Letter")
        )
    assert first == expected
    assert second == expected


def test_worker_reports_render_errors_and_keeps_serving() -> None:
    with PdfWorker() as worker:
        with pytest.raises(ExportError, match="page size 'B5'"):
            worker.render(PdfJob(HTML, created=CREATED, page_size="B5"))
        assert worker.render(PdfJob(HTML, created=CREATED)).startswith(b"%PDF")


def test_a_dead_worker_is_an_error_not_a_hang() -> None:
    worker = PdfWorker()
    assert worker._process is not None
    worker._process.kill()
    worker._process.wait()
    with pytest.raises(ExportError, match="stopped unexpectedly"):
        worker.render(PdfJob(HTML, created=CREATED))
    worker.close()


@pytest.mark.parametrize(
    ("name", "value"), [("executable", "/nonexistent/python"), ("frozen", True)]
)
def test_without_a_helper_process_it_renders_in_process(
    monkeypatch: pytest.MonkeyPatch, name: str, value: object
) -> None:
    monkeypatch.setattr(sys, name, value, raising=False)
    with PdfWorker() as worker:
        assert worker._process is None
        assert worker.render(PdfJob(HTML, created=CREATED)) == render_pdf(
            PdfJob(HTML, created=CREATED)
        )


def test_frames_round_trip_and_a_cut_frame_is_eof() -> None:
    stream = io.BytesIO()
    send(stream, {"error": None, "n": 1}, [b"\x00\xff", b""])
    send(stream, {"error": "bad"})
    whole = stream.getvalue()
    stream.seek(0)
    assert receive(stream) == ({"error": None, "n": 1}, [b"\x00\xff", b""])
    assert receive(stream) == ({"error": "bad"}, [])
    with pytest.raises(EOFError):
        receive(stream)
    cut = io.BytesIO(whole[:-3])  # the second frame loses its last bytes
    receive(cut)
    with pytest.raises(EOFError):
        receive(cut)


def test_serve_answers_each_job_until_the_input_ends() -> None:
    jobs = io.BytesIO()
    header = {
        "created": "2026-03-27",
        "page_size": "A4",
        "archival": False,
        "attachments": [["a.txt", "A"]],
    }
    send(jobs, header, [HTML.encode(), b"attached"])
    send(jobs, {**header, "page_size": "B5"}, [HTML.encode(), b"attached"])
    jobs.seek(0)
    answers = io.BytesIO()
    serve(jobs, answers)
    answers.seek(0)
    ok, (pdf,) = receive(answers)
    attachment = Attachment("a.txt", b"attached", "A")
    assert ok == {"error": None}
    assert pdf == render_pdf(PdfJob(HTML, created=CREATED, attachments=(attachment,)))
    failed, blobs = receive(answers)
    assert "page size 'B5'" in failed["error"] and blobs == []


def test_cli_pdf_build_is_not_shadowed_by_a_local_postmortem_folder(tmp_path: Path) -> None:
    # A project folder named `postmortem` in the working directory must not replace the
    # package in the helper process (python -P).
    (tmp_path / "postmortem" / "export").mkdir(parents=True)
    (tmp_path / "postmortem" / "__init__.py").write_text("raise SystemExit('shadowed')\n")
    (tmp_path / "incident.yaml").write_text(
        "id: INC-W\ntitle: Worker\nmilestones:\n  started: 2026-03-20T03:00:00Z\n"
    )
    done = subprocess.run(
        [sys.executable, "-P", "-m", "postmortem", "build", "incident.yaml", "-f", "pdf", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "INC-W_worker.pdf").read_bytes().startswith(b"%PDF")


def _sigint_as_at_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_a_pdf_build_without_a_traceback(tmp_path: Path, server: Server) -> None:
    # The build's one source is held by the server: once the request arrives, the build is
    # surely running (the PDF helper started before it), whatever the machine's load.
    (tmp_path / "incident.yaml").write_text(
        "id: INC-C\ntitle: Interrupted\nmilestones:\n  started: 2026-03-20T03:00:00Z\n"
        f"sources:\n  - url: {server.base}/hold\n    kind: rss\n"
    )
    argv = [sys.executable, "-m", "postmortem", "build", "incident.yaml", "-f", "pdf"]
    build = subprocess.Popen(
        [*argv, "--allow-host", "127.0.0.1"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
        # As at a terminal: a runner started in the background may hand SIGINT down ignored,
        # and Python then never turns it into KeyboardInterrupt.
        preexec_fn=_sigint_as_at_a_terminal,
    )
    try:
        assert server.arrived.wait(timeout=120), "the build never fetched its source"
        os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    finally:
        server.release.set()
    _, err = build.communicate(timeout=120)
    assert build.returncode == 1
    assert err.decode().strip() == "Aborted!"

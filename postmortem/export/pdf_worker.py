"""Render PDFs in a helper process that starts importing WeasyPrint at once.

Importing WeasyPrint takes about a second, most of it parsing C declarations; loading and
checking the incident, collecting evidence and rendering the HTML take a few hundred
milliseconds more. Run one after the other, a one-file PDF build costs both. The CLI starts
this worker before it loads anything else, so the import runs on a second core while the
report is built, and a PDF build costs little more than WeasyPrint's own render.

The worker runs `postmortem.export.pdf.render_pdf`, the function an in-process build
calls, so its bytes are the same. Jobs and answers cross the worker's stdin and stdout as
frames: a length, a JSON header, then the byte strings the header sizes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from contextlib import suppress
from datetime import date
from types import TracebackType
from typing import IO, Any

from postmortem.errors import ExportError
from postmortem.export.pdf import Attachment, PdfJob, load_weasyprint, render_pdf


def send(stream: IO[bytes], header: dict[str, Any], blobs: Sequence[bytes] = ()) -> None:
    """Write one frame: the header (plus the blobs' sizes) as JSON, then the blobs."""
    encoded = json.dumps({**header, "sizes": [len(b) for b in blobs]}).encode()
    stream.write(len(encoded).to_bytes(8, "big") + encoded)
    for blob in blobs:
        stream.write(blob)
    stream.flush()


def receive(stream: IO[bytes]) -> tuple[dict[str, Any], list[bytes]]:
    """Read one frame; EOFError when the stream ends, cleanly or not."""
    header: dict[str, Any] = json.loads(_exactly(stream, int.from_bytes(_exactly(stream, 8))))
    return header, [_exactly(stream, size) for size in header.pop("sizes")]


def _exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError
    return data


class PdfWorker:
    """A helper process that renders PDFs; use as a context manager, or call `close()`."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        if getattr(sys, "frozen", False):  # a bundled app: sys.executable is not Python
            return
        # -P: a folder named `postmortem` in the working directory must not shadow us.
        command = [sys.executable, "-P", "-m", "postmortem.export.pdf_worker"]
        with suppress(OSError):  # no helper: `render` renders in this process instead
            # Its own process group: Ctrl-C at a terminal reaches only us, and we stop it.
            self._process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, process_group=0
            )

    def render(self, job: PdfJob) -> bytes:
        """The job's PDF bytes, exactly as `render_pdf` makes them."""
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            return render_pdf(job)
        header = {
            "created": job.created.isoformat(),
            "page_size": job.page_size,
            "archival": job.archival,
            "attachments": [[a.filename, a.description] for a in job.attachments],
        }
        try:
            send(process.stdin, header, [job.html.encode(), *(a.data for a in job.attachments)])
            answer, blobs = receive(process.stdout)
        except (OSError, EOFError, ValueError):
            self.close()
            raise ExportError("the PDF helper process stopped unexpectedly") from None
        if answer.get("error"):
            raise ExportError(str(answer["error"]))
        return blobs[0]

    def close(self) -> None:
        """Stop the helper; it holds no files, so stopping it at once loses nothing."""
        process, self._process = self._process, None
        if process is None:
            return
        process.kill()  # waiting for a clean exit would add its teardown to every build
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with suppress(OSError):  # a dead helper's pipe cannot take what is buffered
                    stream.close()

    def __enter__(self) -> PdfWorker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def serve(jobs: IO[bytes], answers: IO[bytes]) -> None:
    """Answer each job with the PDF or an error message, until `jobs` ends."""
    with suppress(ExportError):  # if WeasyPrint is missing, each job says so, with the hint
        load_weasyprint()  # the slow import, done before the first job arrives
    while True:
        try:
            job, (html, *files) = receive(jobs)
        except EOFError:
            return
        attachments = tuple(
            Attachment(name, data, description)
            for (name, description), data in zip(job["attachments"], files, strict=True)
        )
        try:
            pdf = render_pdf(
                PdfJob(
                    html.decode(),
                    created=date.fromisoformat(job["created"]),
                    attachments=attachments,
                    page_size=job["page_size"],
                    archival=job["archival"],
                )
            )
        except ExportError as exc:
            send(answers, {"error": str(exc)})
        else:
            send(answers, {"error": None}, [pdf])


def main() -> None:
    """Entry point of the helper process."""
    import signal

    # The helper runs in its own process group; should a SIGINT still reach it (kill -INT -PGID),
    # the parent stops it, without a traceback here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Answers go to the real stdout; anything a library prints goes to stderr instead,
    # where it cannot corrupt them.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    main()

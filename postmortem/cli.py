"""The console entry point: what runs before click and the report stack are imported.

A PDF build spends about a second importing WeasyPrint. The helper process that imports it
(`postmortem.export.pdf_worker`) gains most when it starts first, so the command line is
read here, roughly, before click reads it properly. Click still decides everything: a
wrong guess costs a second core for a moment, or a later start, never a different output.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from contextlib import ExitStack

from postmortem.export import DEFAULT_FORMATS


def wants_pdf(args: Sequence[str]) -> bool:
    """Whether `postmortem ARGS` asks `build` or `review` for a PDF, by click's rules."""
    command = next((a for a in args if not a.startswith("-")), None)
    if command not in DEFAULT_FORMATS or "--help" in args or "-h" in args:
        return False
    rest = list(args[args.index(command) + 1 :])
    formats = _last_value(rest, "-f", "--format") or DEFAULT_FORMATS[command]
    if command == "build" and _last_value(rest, "-o", "--output") == "-":
        return False  # Markdown on stdout
    return "pdf" in (f.strip() for f in formats.split(","))


def _last_value(args: list[str], short: str, long: str) -> str | None:
    found = None
    for index, arg in enumerate(args):
        if arg in (short, long) and index + 1 < len(args):
            found = args[index + 1]
        elif arg.startswith(long + "="):
            found = arg[len(long) + 1 :]
        elif arg.startswith(short) and not arg.startswith("--") and len(arg) > len(short):
            found = arg[len(short) :]
    return found


def main() -> None:
    """Run the command line: `postmortem …`."""
    # Loading pydantic, Jinja and the report stack allocates hundreds of thousands of
    # long-lived objects and almost no garbage; at the default threshold (700) the
    # collector walks them again and again. This threshold still bounds any cycles.
    gc.set_threshold(100_000, 50, 50)
    with ExitStack() as stack:
        worker = None
        if wants_pdf(sys.argv[1:]):
            from postmortem.export.pdf_worker import PdfWorker

            worker = stack.enter_context(PdfWorker())
        try:
            from postmortem.commands import cli

            cli(obj=worker)
        except KeyboardInterrupt:  # before click took over: say what click would say
            sys.stderr.write("Aborted!\n")
            sys.exit(1)
        finally:
            # Nothing is freed after this; the final collection need not walk every object.
            gc.freeze()

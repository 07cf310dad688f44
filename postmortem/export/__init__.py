"""Outputs: documents that render each form once, and the writers registry (`writers.py`).

This module stays import-free: the entry point reads the default formats before click loads.
"""

#: Every output format, in the order outputs are listed; the names of `writers.WRITERS`.
FORMATS = ("md", "html", "json", "pdf")
#: The default `--format` of each command that writes outputs.
DEFAULT_FORMATS = {"build": "md,pdf", "review": "md,html"}

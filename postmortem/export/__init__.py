"""Outputs: documents that render each form once, and the writers registry (`writers.py`).

This module stays import-free: the entry point reads the default formats before click loads.
"""

#: Every output format of a post-mortem, in the order outputs are listed.
FORMATS = ("md", "html", "json", "pdf")
#: The formats each command accepts; together, the names of `writers.WRITERS`.
COMMAND_FORMATS = {"build": FORMATS, "review": (*FORMATS, "csv")}
#: The default `--format` of each command that writes outputs.
DEFAULT_FORMATS = {"build": "md,pdf", "review": "md,html"}

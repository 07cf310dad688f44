"""Exporters: each writes one output format, atomically."""

#: Every output format, in the order outputs are listed.
FORMATS = ("md", "html", "json", "pdf")
#: The default `--format` of each command that writes outputs.
DEFAULT_FORMATS = {"build": "md,pdf", "review": "md,html"}

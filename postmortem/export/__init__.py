"""Exporters: each writes one output format, atomically."""

#: Every output format, in the order outputs are listed.
FORMATS = ("md", "html", "json", "pdf")

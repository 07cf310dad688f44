"""Exporters: each writes one output format, atomically."""

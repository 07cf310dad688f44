"""Incident and evidence into the typed Report: evidence, timeline, windows, drafts, flags."""

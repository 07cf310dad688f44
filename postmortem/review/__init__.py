"""Reliability reviews: the SQLite archive, calendar periods, statistics, inputs and the model."""

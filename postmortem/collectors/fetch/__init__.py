"""Network I/O only here: the guarded HTTP client, stored snapshots, the collected cache."""

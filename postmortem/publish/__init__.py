"""Publishing: the built post-mortem handed to trackers and wikis (one module per tracker)."""

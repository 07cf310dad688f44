"""How records are kept on disk: JSON encoding of records and atomic writes."""

"""The incident and project files: field types, loader (line:col errors), schema, starter."""

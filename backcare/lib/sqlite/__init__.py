"""Django's SQLite backend with writers that queue in turn (see `base`)."""

"""The JSON API under /api/v1/: the same guards, actions and reads as the pages (docs/api.md)."""

"""Helpers that several Django apps need and that import no app: time zones, regions."""

"""backcare: physiotherapy for back muscle spasms."""

__version__ = "0.1.0"

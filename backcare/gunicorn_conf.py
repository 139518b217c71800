"""gunicorn settings for `make run`: once the sockets are bound, say where backcare really is.

`BIND` may be any address, port 0 (the system picks one) or a socket file, so the address is read
from the bound sockets, not from what was asked for.
"""

from __future__ import annotations

from typing import Any

DEMO = "demo patient: demo / backcare-demo"


def served_at(listener: str) -> str:
    """How to reach a bound listener ("http://0.0.0.0:8000", "unix:/run/backcare.sock")."""
    for anywhere in ("0.0.0.0", "[::]"):  # noqa: S104 (reading an address, not binding one)
        prefix = f"http://{anywhere}:"
        if listener.startswith(prefix):
            port = listener[len(prefix) :]
            return f"{listener} (every address of this machine; here: http://127.0.0.1:{port})"
    return listener


def when_ready(server: Any) -> None:
    for listener in server.LISTENERS:
        print(f"backcare: {served_at(str(listener))}  ({DEMO})", flush=True)

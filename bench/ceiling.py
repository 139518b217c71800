"""The bare-insert ceiling through a running server: wrk POSTs to `/bench/insert/` (bench/urls.py)
with logged-in sessions, so a benchmark can print its own rate as a share of the machine's."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

CSRF = "benchCsrfToken0123456789abcdefAB"  # a valid 32-character CSRF secret

LUA = """
local sessions = {%(sessions)s}
local n = 0
request = function()
  n = n + 1
  local headers = {}
  headers["Cookie"] = "sessionid=" .. sessions[(n %% #sessions) + 1] .. "; csrftoken=%(csrf)s"
  headers["X-CSRFToken"] = "%(csrf)s"
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", "/bench/insert/", headers, "x=1")
end
"""


def bare_insert_rate(
    base: str, sessions: list[str], *, seconds: int, connections: int, threads: int = 2
) -> float:
    """Requests per second the one-row view sustains at `connections` (the server must use
    bench.settings)."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(LUA % {"sessions": ",".join(f'"{k}"' for k in sessions), "csrf": CSRF})
    try:
        done = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", str(script),
             base + "/bench/insert/"],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        )  # fmt: skip
    finally:
        script.unlink()
    lines = done.stdout.splitlines()
    errors = [x.strip() for x in lines if "Non-2xx" in x or "Socket errors" in x]
    if errors:
        raise SystemExit(f"bare insert: {'; '.join(errors)}")
    return float(next(x for x in lines if "Requests/sec" in x).split()[-1])

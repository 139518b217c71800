"""backcare's settings plus the benchmark's bare-insert view (bench/urls.py), for `make bench`."""

from backcare.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

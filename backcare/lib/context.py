"""Template context every page needs: the person's emergency numbers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from backcare.domain.regions import regions
from backcare.lib.regions import request_region


def region(request: HttpRequest) -> dict[str, Any]:
    # Lazy: pages that never show a number never look up the person's clinic.
    return {
        "region": SimpleLazyObject(lambda: request_region(request)),
        "all_regions": regions().values(),
    }

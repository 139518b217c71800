"""The interactive docs at /api/v1/docs: Swagger UI from django-ninja's own package files, served
by backcare like every other asset (no third-party host; the site's CSP holds).

Only the files the page loads are collected (SwaggerFinder), not the package's whole static
folder: its Redoc bundle and source maps are 4 MB that collectstatic would compress for nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ninja
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import Swagger

FOLDER = Path(ninja.__file__).parent / "static" / "ninja"
PREFIX = "ninja"
FILES = (
    "swagger-ui-bundle.js",
    "swagger-ui-bundle.js.map",
    "swagger-ui-init.js",
    "swagger-ui.css",
    "swagger-ui.css.map",
    "favicon.svg",
)


class SwaggerFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(FOLDER))
        self.storage.prefix = PREFIX  # type: ignore[attr-defined]

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        every = find_all or kwargs.get("all", False)
        name = path.removeprefix(PREFIX + "/")
        found = str(FOLDER / name) if path.startswith(PREFIX + "/") and name in FILES else None
        if every:
            return [found] if found else []
        return found

    def list(self, ignore_patterns: Any) -> Any:
        for name in FILES:
            yield name, self.storage


class Docs(Swagger):
    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": json.dumps(settings), "api": api}
        return render(request, "api/docs.html", context)

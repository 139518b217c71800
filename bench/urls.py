"""backcare's URLs plus `/bench/insert/`: the ceiling a check-in is measured against.

The view does what every write must (the same middleware: session, login, CSRF; one
transaction) and then inserts one row, so check-in POSTs per second divided by its rate is the
share of the machine's write capacity a check-in leaves unused by its own work.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_POST

TABLE = "bench_bare_insert"


def create_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (user_id integer NOT NULL, at varchar(40))"
        )


@login_required
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (user_id, at) VALUES (%s, %s)",  # noqa: S608 (a constant)
            [request.user.pk, timezone.now().isoformat()],
        )
    return HttpResponse("saved", status=201)


urlpatterns = [path("bench/insert/", bare_insert), path("", include("backcare.urls"))]

"""The token pages in account settings (make one, shown once; list; revoke), and the API's own
404 for paths under /api/ that name nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from backcare.api import problems, tokens
from backcare.api.models import READ, WRITE
from backcare.care.access import staff_of
from backcare.clinic.guards import second_factor_done

NAME_MAX = 80
CHOICES = {"read": [READ], "write": [READ, WRITE]}


def _needs_second_factor(request: HttpRequest) -> HttpResponse | None:
    """Staff make tokens only after their second factor, as for every clinic page: a token
    reaches what the staff member reaches."""
    if staff_of(request.user) is not None and not second_factor_done(request):
        query = urlencode({"next": request.get_full_path()})
        return redirect(reverse("staff_verify") + "?" + query)
    return None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens_page(request: HttpRequest) -> HttpResponse:
    refused = _needs_second_factor(request)
    if refused is not None:
        return refused
    problems_found: list[str] = []
    shown = ""
    name = ""
    if request.method == "POST":
        name = " ".join(request.POST.get("name", "").split())
        access = request.POST.get("access", "")
        if not name:
            problems_found.append("name: say what the token is for, e.g. 'my spreadsheet'")
        elif len(name) > NAME_MAX or "\x00" in name:
            problems_found.append(f"name: must be at most {NAME_MAX} characters")
        if access not in CHOICES:
            problems_found.append("access: choose read only, or read and write")
        active = [t for t in tokens.active_tokens(request.user) if t.active]
        if len(active) >= tokens.MAX_ACTIVE:
            problems_found.append(f"name: revoke a token first (at most {tokens.MAX_ACTIVE})")
        if not problems_found:
            _, shown = tokens.do_create_token(
                request.user, name=name, scopes=CHOICES[access], now=timezone.now()
            )
            name = ""
    context = {
        "tokens": tokens.active_tokens(request.user),
        "shown": shown,
        "problems": problems_found,
        "name": name,
        "is_staff": staff_of(request.user) is not None,
    }
    return render(request, "api/tokens.html", context, status=400 if problems_found else 200)


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    refused = _needs_second_factor(request)
    if refused is not None:
        return refused
    if tokens.do_revoke_token(request.user, token_id, now=timezone.now()):
        messages.success(request, "Revoked. Anything using that token can no longer reach you.")
    else:
        messages.info(request, "That token is revoked already.")
    return redirect("api_tokens")


def not_found(request: HttpRequest) -> HttpResponse:
    return problems.simple(404, "No such endpoint: see /api/v1/docs.")

"""Which region's numbers a person sees: where their clinic is, what they told us, or a guess.

Order: the region the person chose themselves (in settings, or on a result page); else the region
of their clinic's location; else their browser's language region (en-AU, en-GB...); else the
deployment's default (BACKCARE_DEFAULT_REGION).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from backcare.domain.regions import Region, codes, region, regions

SESSION_KEY = "region"

# Countries whose emergency number is 112 and that backcare lists as "another EU country".
_EU = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip


def region_choices() -> list[tuple[str, str]]:
    return [(code, r.name) for code, r in regions().items()]


def from_language(header: str) -> str:
    """The region of the first language tag with a known region, e.g. "en-AU,en;q=0.9" -> AU."""
    for part in header.split(","):
        tag = part.split(";")[0].strip()
        if "-" not in tag:
            continue
        country = tag.rsplit("-", 1)[1].upper()
        if country == "UK":
            country = "GB"
        if country in _EU:
            return "EU"
        if country in codes():
            return country
    return ""


def clinic_region(person: Any) -> str:
    """The region of the person's own location, else of their clinic's first location with one.
    Read through the record's relations: lib imports no app."""
    location = getattr(person, "location", None)
    if location is not None and location.region:
        return str(location.region)
    clinic = getattr(person, "clinic", None)
    if clinic is None:
        return ""
    found = clinic.locations.exclude(region="").order_by("pk").values_list("region", flat=True)
    return str(found.first() or "")


def person_region(person: Any, *, chosen: str = "", accept_language: str = "") -> Region:
    """The region whose numbers `person` sees. `chosen` is an anonymous visitor's own choice."""
    for code in (
        getattr(person, "region", "") or chosen,
        clinic_region(person),
        from_language(accept_language),
        settings.BACKCARE_DEFAULT_REGION,
    ):
        if code and code.upper() in codes():
            return region(code)
    return region("EU")  # 112 reaches the emergency services from most mobile phones


def request_region(request: Any) -> Region:
    chosen = request.session.get(SESSION_KEY, "") if hasattr(request, "session") else ""
    return person_region(
        # The patient record the middleware found, else a staff member's role (their clinic's
        # region); neither for visitors, or an error page that comes before authentication.
        getattr(request, "patient", None) or _staff(request),
        chosen=chosen if isinstance(chosen, str) else "",
        accept_language=request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
    )


def _staff(request: Any) -> Any:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "staff", None)  # none for a login with no staff role

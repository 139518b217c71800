"""How long a clinic keeps a patient's signed treatment notes after they delete their account.

Victoria's Health Records Act 2001 (HPP 4): health information may not be deleted until 7 years
after the last service, or, for someone seen as a child, until they turn 25, whichever is later.
Source: Health Complaints Commissioner (Victoria), "Health records".
"""

from __future__ import annotations

from datetime import date

from django.db.models import Max, Min

from backcare.clinic.models import TreatmentNote

YEARS_AFTER_LAST_VISIT = 7
CHILD_UNTIL_AGE = 25
ADULT_AGE = 18


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def signed_notes(patient: object) -> list[TreatmentNote]:
    return list(TreatmentNote.objects.filter(patient=patient, status=TreatmentNote.SIGNED))


def keep_until(patient: object) -> date | None:
    """The last day the clinic must keep the signed notes, or None when there are none."""
    seen = TreatmentNote.objects.filter(patient=patient, status=TreatmentNote.SIGNED).aggregate(
        first=Min("seen_on"), last=Max("seen_on")
    )
    if seen["last"] is None:
        return None
    until = _plus_years(seen["last"], YEARS_AFTER_LAST_VISIT)
    born = getattr(patient, "date_of_birth", None)
    if born is not None and seen["first"] < _plus_years(born, ADULT_AGE):
        until = max(until, _plus_years(born, CHILD_UNTIL_AGE))
    return until

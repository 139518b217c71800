"""Our own checks of FHIR resources: what fhir.resources does not check.

fhir.resources checks types and required elements; it accepts `status: "bogus"`, a period that
ends before it starts and a reference to nothing. `check_resource(r)` and `check_bundle(b)`
return a list of problems, each naming the resource and the element (empty: none found):

- every status-like code from its FHIR value set (codes.STATUSES, codes.NESTED_STATUSES);
- every period starts on or before its end; Appointment and Slot start before they end, as
  instants with an offset;
- every coding has a system and a code; LOINC, SNOMED CT and UCUM spelt exactly; the pain
  Observation coded LOINC 72514-3 with a whole number 0-10;
- ids are FHIR ids; in a Bundle, every entry has a fullUrl, ids are unique, and every reference
  and every QuestionnaireResponse's questionnaire resolves inside the Bundle;
- no ODI item text: only the section names, with no answer wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from backcare.fhir.codes import (
    CANONICAL_SYSTEMS,
    LOINC,
    NESTED_STATUSES,
    PAIN_LOINC,
    STATUSES,
    Resource,
)
from backcare.fhir.questionnaires import ODI_SECTIONS, kind_of, section_label

FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
DATE_TIME = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"(Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
PERIOD_KEYS = frozenset(
    {
        "period",
        "effectivePeriod",
        "performedPeriod",
        "planningHorizon",
        "during",
        "requestedPeriod",
        "validityPeriod",
        "onsetPeriod",
        "abatementPeriod",
    }
)
ODI_TEXT = frozenset(section_label(s) for s in ODI_SECTIONS)
ODI_SCORE_ITEMS = {"percent": "Disability (%)", "band": "Band", "answered": "Sections answered"}


def _name(r: Resource) -> str:
    return f"{r.get('resourceType', '?')}/{r.get('id', '?')}"


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """Every (path, key, value) under `value`, lists included."""
    if isinstance(value, dict):
        for key, inner in value.items():
            where = f"{path}.{key}" if path else key
            yield where, key, inner
            yield from _walk(inner, where)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _walk(inner, f"{path}[{i}]")


def _bounds(text: Any) -> tuple[datetime, datetime] | None:
    """The earliest and latest instant a FHIR date, dateTime or instant can mean."""
    found = DATE_TIME.match(text) if isinstance(text, str) else None
    if found is None:
        return None
    year, month, day, hour = found.groups()[:4]
    try:
        if hour is None:
            first = datetime(int(year), int(month or 1), int(day or 1), tzinfo=UTC)
            if day:
                last = first + timedelta(days=1)
            elif month:
                last = (first + timedelta(days=32)).replace(day=1)
            else:
                last = first.replace(year=first.year + 1)
            # A bare date means a day somewhere on Earth: widen by the extreme offsets.
            return first - timedelta(hours=14), last + timedelta(hours=12)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment, moment


def _statuses(r: Resource) -> list[str]:
    kind = r.get("resourceType", "")
    problems = []
    for element, allowed in STATUSES.get(kind, {}).items():
        value = r.get(element)
        if value is not None and value not in allowed:
            problems.append(
                f"{_name(r)}: {element}: {value!r} is not one of {', '.join(sorted(allowed))}"
            )
    for (rtype, path, element), allowed in NESTED_STATUSES.items():
        if rtype != kind:
            continue
        for where, value in _nested(r, path, element):
            if value not in allowed:
                problems.append(
                    f"{_name(r)}: {where}: {value!r} is not one of {', '.join(sorted(allowed))}"
                )
    return problems


def _nested(
    r: Any, path: tuple[str, ...], element: str, where: str = ""
) -> Iterator[tuple[str, Any]]:
    if not path:
        if isinstance(r, dict) and element in r:
            yield f"{where}.{element}".lstrip("."), r[element]
        return
    inner = r.get(path[0]) if isinstance(r, dict) else None
    items = inner if isinstance(inner, list) else [inner] if inner is not None else []
    for i, item in enumerate(items):
        suffix = f"[{i}]" if isinstance(inner, list) else ""
        yield from _nested(item, path[1:], element, f"{where}.{path[0]}{suffix}")


def _periods(r: Resource) -> list[str]:
    problems = []
    for where, key, value in _walk(r):
        if key not in PERIOD_KEYS or not isinstance(value, dict):
            continue
        start, end = value.get("start"), value.get("end")
        for label, text in (("start", start), ("end", end)):
            if text is not None and _bounds(text) is None:
                problems.append(f"{_name(r)}: {where}.{label}: {text!r} is not a FHIR dateTime")
        low, high = _bounds(start), _bounds(end)
        if low is not None and high is not None and low[0] > high[1]:
            problems.append(f"{_name(r)}: {where}: starts ({start}) after it ends ({end})")
    if r.get("resourceType") in ("Appointment", "Slot"):
        problems += _start_before_end(r)
    return problems


def _start_before_end(r: Resource) -> list[str]:
    start, end = r.get("start"), r.get("end")
    if r.get("resourceType") == "Appointment" and start is None and end is None:
        return []  # an appointment still being arranged may have no time yet
    problems = []
    moments = []
    for label, text in (("start", start), ("end", end)):
        found = DATE_TIME.match(text) if isinstance(text, str) else None
        bounds = _bounds(text)
        if found is None or found.group(7) is None or bounds is None:
            problems.append(
                f"{_name(r)}: {label}: must be an instant with a UTC offset, not {text!r}"
            )
        else:
            moments.append(bounds[0])
    if len(moments) == 2 and moments[0] >= moments[1]:
        problems.append(f"{_name(r)}: start ({start}) must be before end ({end})")
    return problems


def _codings(r: Resource) -> list[str]:
    problems = []
    for where, key, value in _walk(r):
        if key not in ("coding", "valueCoding"):
            continue
        for i, c in enumerate(value if isinstance(value, list) else [value]):
            here = f"{where}[{i}]" if isinstance(value, list) else where
            if not isinstance(c, dict) or not c.get("system") or not c.get("code"):
                problems.append(f"{_name(r)}: {here}: a coding needs a system and a code")
                continue
            system = str(c["system"])
            for word, exact in CANONICAL_SYSTEMS.items():
                if word in system.lower() and system != exact:
                    problems.append(f"{_name(r)}: {here}.system: must be {exact}, not {system!r}")
    if r.get("resourceType") == "Observation":
        problems += _pain(r)
    return problems


def _pain(r: Resource) -> list[str]:
    codes = [c for c in (r.get("code") or {}).get("coding", []) if isinstance(c, dict)]
    is_pain = str(r.get("id", "")).startswith(("pain-", "note-pain-")) or any(
        c.get("code") == PAIN_LOINC for c in codes
    )
    if not is_pain:
        return []
    problems = []
    if not any(c.get("system") == LOINC and c.get("code") == PAIN_LOINC for c in codes):
        problems.append(f"{_name(r)}: code: a pain score must be coded LOINC {PAIN_LOINC}")
    value = r.get("valueInteger")
    if r.get("status") in ("final", "amended", "corrected") and not (
        isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10
    ):
        problems.append(
            f"{_name(r)}: valueInteger: a pain score is a whole number 0-10, not {value!r}"
        )
    return problems


def _odi(r: Resource) -> list[str]:
    kind = r.get("resourceType")
    canonical = r.get("url") if kind == "Questionnaire" else r.get("questionnaire")
    if kind not in ("Questionnaire", "QuestionnaireResponse") or kind_of(str(canonical)) != "odi":
        return []
    problems = []
    for where, key, value in _walk(r):
        if (
            key == "text"
            and ".item" in f".{where}"
            and value not in ODI_TEXT | set(ODI_SCORE_ITEMS.values())
        ):
            problems.append(f"{_name(r)}: {where}: ODI item text is licensed; only section names")
        if (
            key in ("answerOption", "valueString", "valueCoding", "initial", "prefix")
            and ".item" in f".{where}"
        ):
            if key == "valueString" and isinstance(value, str) and value in _bands():
                continue
            problems.append(f"{_name(r)}: {where}: ODI answers are section scores 0-5 only")
    return problems


def _bands() -> frozenset[str]:
    from backcare.domain.questionnaires import OdiBand

    return frozenset(b.value for b in OdiBand)


def check_resource(r: Any) -> list[str]:
    """The problems of one resource (JSON shape), or []."""
    if not isinstance(r, dict) or not isinstance(r.get("resourceType"), str):
        return ["resource: must be a JSON object with a resourceType"]
    problems = []
    rid = r.get("id")
    if rid is not None and not (isinstance(rid, str) and FHIR_ID.match(rid)):
        problems.append(f"{_name(r)}: id: must be 1-64 letters, digits, '-' or '.'")
    problems += _statuses(r) + _periods(r) + _codings(r) + _odi(r)
    return problems


def check_bundle(b: Any) -> list[str]:
    """The problems of a Bundle and of every resource in it, references included."""
    problems = check_resource(b)
    if problems and problems[0].startswith("resource:"):
        return problems
    entries = b.get("entry") or []
    known: dict[str, Resource] = {}
    canonicals = set()
    for i, e in enumerate(entries):
        r = e.get("resource") if isinstance(e, dict) else None
        if not isinstance(r, dict):
            problems.append(f"Bundle: entry[{i}]: has no resource")
            continue
        key = _name(r)
        if key in known:
            problems.append(f"Bundle: entry[{i}]: {key} appears twice")
        known[key] = r
        if r.get("resourceType") == "Questionnaire" and r.get("url"):
            canonicals.add(r["url"])
        full = e.get("fullUrl")
        if not isinstance(full, str) or not full.endswith(f"/{key}"):
            problems.append(f"Bundle: entry[{i}]: fullUrl must end with /{key}, not {full!r}")
        problems += check_resource(r)
    for key, r in known.items():
        problems += _references(key, r, known, canonicals)
    return problems


def _references(
    key: str, r: Resource, known: dict[str, Resource], canonicals: set[str]
) -> list[str]:
    problems = []
    for where, name, value in _walk(r):
        if name != "reference" or not isinstance(value, str):
            continue
        target = "/".join(value.split("/")[-2:]) if "/" in value else value
        if target not in known:
            problems.append(f"{key}: {where}: {value!r} is not in the Bundle")
    if r.get("resourceType") == "QuestionnaireResponse":
        canonical = str(r.get("questionnaire", "")).split("|", 1)[0]
        if canonical not in canonicals:
            problems.append(f"{key}: questionnaire: {canonical!r} is not in the Bundle")
    return problems

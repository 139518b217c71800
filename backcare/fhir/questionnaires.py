"""The Questionnaire resources backcare answers: STarT Back, PSFS, NPRS and the ODI.

The ODI's item text is licensed (Mapi Research Trust) and backcare never holds it: its
Questionnaire has one integer item (0-5) per section, named by the section only, as the clinic's
form does. Items marked `readOnly` are the scores backcare works out; an import may carry them
but they are always worked out again.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from backcare.care.forms_check import BOTHERSOME, STARTBACK_ITEMS
from backcare.domain.questionnaires import STARTBACK_ATTRIBUTION, OdiSections
from backcare.fhir.codes import (
    ANSWER_CODES,
    LOINC,
    MAX_VALUE,
    MIN_VALUE,
    PAIN_DISPLAY,
    PAIN_LOINC,
    QUESTIONNAIRE_BASE,
    Resource,
    coding,
)

VERSION = "1"
KINDS = ("startback", "psfs", "nprs", "odi")
TITLES = {
    "startback": "Keele STarT Back Screening Tool (paraphrased)",
    "psfs": "Patient-Specific Functional Scale",
    "nprs": "Numeric pain rating scale (0-10)",
    "odi": "Oswestry Disability Index v2.1a, section scores only",
}
ODI_SECTIONS = tuple(OdiSections.model_fields)
PSFS_MAX_ACTIVITIES = 5
PSFS_NAME_MAX = 80


def url(kind: str) -> str:
    return f"{QUESTIONNAIRE_BASE}:{kind}"


def kind_of(canonical: str) -> str | None:
    """Which questionnaire a canonical reference names ("...:psfs" or "...:psfs|1"), or None."""
    base = canonical.split("|", 1)[0]
    for kind in KINDS:
        if base == url(kind):
            return kind
    return None


def section_label(section: str) -> str:
    return section.replace("_", " ").capitalize()


def _bounded(item: Resource, low: int, high: int) -> Resource:
    item["extension"] = [
        {"url": MIN_VALUE, "valueInteger": low},
        {"url": MAX_VALUE, "valueInteger": high},
    ]
    return item


def _score(link_id: str, text: str, kind: str = "integer") -> Resource:
    return {"linkId": link_id, "text": text, "type": kind, "readOnly": True}


def _startback() -> list[Resource]:
    items: list[Resource] = [
        {
            "linkId": name,
            "text": text,
            "type": "boolean",
            "required": True,
            "prefix": name[1:],
        }
        for name, text in STARTBACK_ITEMS.items()
    ]
    items.append(
        {
            "linkId": "q9",
            "prefix": "9",
            "text": "Overall, how bothersome has your back pain been in the last 2 weeks?",
            "type": "choice",
            "required": True,
            "answerOption": [
                {"valueCoding": coding(ANSWER_CODES, code, label)} for code, label in BOTHERSOME
            ],
        }
    )
    items += [
        _score("total", "Total score (0-9)"),
        _score("distress", "Psychosocial subscale (items 5-9, 0-5)"),
        _score("risk", "Risk group (low, medium, high)", "string"),
    ]
    return items


def _psfs() -> list[Resource]:
    return [
        {
            "linkId": "activity",
            "text": "An activity you find hard because of your back",
            "type": "group",
            "required": True,
            "repeats": True,
            "item": [
                {
                    "linkId": "activity.name",
                    "text": "Activity",
                    "type": "string",
                    "required": True,
                    "maxLength": PSFS_NAME_MAX,
                },
                _bounded(
                    {
                        "linkId": "activity.rating",
                        "text": "How well you can do it: 0 (unable) to 10 (as before)",
                        "type": "integer",
                        "required": True,
                    },
                    0,
                    10,
                ),
            ],
        },
        _score("mean", "Mean of the ratings (0-10)", "decimal"),
    ]


def _nprs() -> list[Resource]:
    item = {
        "linkId": "score",
        "text": "Pain now, 0 (none) to 10 (worst imaginable)",
        "type": "integer",
        "required": True,
        "code": [coding(LOINC, PAIN_LOINC, PAIN_DISPLAY)],
    }
    return [_bounded(item, 0, 10)]


def _odi() -> list[Resource]:
    items = [
        _bounded({"linkId": s, "text": section_label(s), "type": "integer"}, 0, 5)
        for s in ODI_SECTIONS
    ]
    return [
        *items,
        _score("percent", "Disability (%)", "decimal"),
        _score("band", "Band", "string"),
        _score("answered", "Sections answered"),
    ]


_ITEMS = {"startback": _startback, "psfs": _psfs, "nprs": _nprs, "odi": _odi}


@cache
def _questionnaire(kind: str) -> tuple[tuple[str, Any], ...]:
    out: Resource = {
        "resourceType": "Questionnaire",
        "id": kind,
        "url": url(kind),
        "version": VERSION,
        "name": kind.capitalize(),
        "title": TITLES[kind],
        "status": "active",
        "subjectType": ["Patient"],
        "item": _ITEMS[kind](),
    }
    if kind == "startback":
        out["copyright"] = STARTBACK_ATTRIBUTION
    if kind == "odi":
        out["copyright"] = (
            "ODI v2.1a (c) Jeremy Fairbank; licensed by the Mapi Research Trust. backcare holds "
            "the section scores only, never the item text."
        )
    return tuple(out.items())


def questionnaire(kind: str) -> Resource:
    """The Questionnaire resource for `kind` (a fresh copy: callers may change it)."""
    import copy

    return copy.deepcopy(dict(_questionnaire(kind)))


def item_index(kind: str) -> dict[str, Resource]:
    """Every item of the questionnaire by linkId, nested ones included."""
    out: dict[str, Resource] = {}

    def walk(items: list[Resource]) -> None:
        for item in items:
            out[item["linkId"]] = item
            walk(item.get("item", []))

    walk(questionnaire(kind)["item"])
    return out

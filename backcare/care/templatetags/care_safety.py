"""The emergency signs, for any page that should show them (Today, the check-in)."""

from __future__ import annotations

from typing import Any

from django import template

from backcare.domain import content
from backcare.domain.triage import Advice
from backcare.domain.triage import emergency_signs as signs

register = template.Library()


@register.simple_tag(takes_context=True)
def emergency_signs(context: Any) -> tuple[Advice, ...]:
    found = signs()
    ids = dict.fromkeys(i for a in found for i in a.source_ids)
    context["signs_source"] = content.cite(ids)
    return found

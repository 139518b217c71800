"""Exercise names as links to their own pages, for any template: `{% load exercise_links %}`.

`{% exercise_link "bird_dog" %}` is the exercise's name linked to its page;
`{% exercise_link p.exercise "Show me how" %}` links other words. `{{ id|exercise_url }}` is the
page's address alone. An id the catalogue does not know is shown as plain text, never a broken link.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from backcare.domain import catalogue

register = template.Library()


@register.simple_tag
def exercise_link(exercise_id: str, text: str = "") -> SafeString:
    exercise = catalogue.exercises().get(exercise_id)
    if exercise is None:
        return SafeString(conditional_escape(text or exercise_id))
    return format_html(
        '<a href="{}">{}</a>', reverse("exercise", args=[exercise.id]), text or exercise.name
    )


@register.filter
def exercise_url(exercise_id: str) -> str:
    return reverse("exercise", args=[exercise_id]) if exercise_id in catalogue.exercises() else ""

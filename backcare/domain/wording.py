"""The English for progression's decisions: one place, from codes and values.

The engine decides in codes (`regress` because `pain_during_above_limit`, pain 8, limit 5) so that
clinicians, the API and a translation can read what happened; the sentence a patient sees is made
here. A reason is a cause and, for a change, an outcome: "Pain during exercise was 8/10, above
your limit of 5/10: back to 1 set of 8, twice a day."
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

PAIN_LIMIT = 5
Values = Mapping[str, Any]


def _limit(v: Values) -> str:
    limit = v["limit"]
    if limit == PAIN_LIMIT:
        return f"your limit of {limit}/10"
    return f"your limit of {limit}/10 (your pain before you started, plus 1)"


CAUSES: Mapping[str, Callable[[Values], str]] = {
    "not_settled": lambda v: (
        f"Pain had not settled by the next morning ({v['morning']}/10, "
        f"against {v['baseline']}/10 the day before)"
    ),
    "pain_during_above_limit": lambda v: (
        f"Pain during exercise was {v['pain']}/10, above {_limit(v)}"
    ),
    "pain_during_within_limit": lambda v: (
        f"Pain during exercise was {v['pain']}/10, within {_limit(v)}: "
        "acceptable, so stay at this dose"
    ),
    "good_sessions": lambda v: (
        f"{v['good']} of your last {v['seen']} sessions were done as planned and settled by morning"
        if v.get("graded")
        else f"{v['good']} of your last {v['seen']} sessions had pain at most 3/10 that settled "
        "by morning"
    ),
    "weekly_rise": lambda v: (
        f"Your average pain rose from {v['before']:.1f} to {v['after']:.1f} out of 10 this week"
    ),
    "new_warning_sign": lambda v: (
        f"On {v['on']} you reported a new warning sign ({v['signs']}): {v['advice']}"
    ),
    "phase_ready": lambda v: (
        "You have built up most of your exercises, your recent sessions were comfortable and "
        "settled by the next morning, and nothing has flared for a week: your programme moves on "
        f"to phase {v['phase']} ({v['name']})"
    ),
    "at_full_dose": lambda v: "You are at the full dose of this exercise: keep it up",
    "no_sessions_yet": lambda v: "No sessions recorded at this dose yet: keep going as prescribed",
    "building_evidence": lambda v: (
        f"{v['good']} of the {v['needed']} comfortable sessions needed to progress so far: "
        "stay at this dose"
    ),
    "locked": lambda v: "Held at this dose by your physiotherapist",
    "clinician": lambda v: (
        "Changed by your physiotherapist" + (f": {v['note']}" if v.get("note") else "")
    ),
}

OUTCOMES: Mapping[str, Callable[[Values], str]] = {
    "now": lambda v: f": now {v['dose']}",
    "full_dose": lambda v: ", and this is its full dose: keep it up",
    "move_on": lambda v: f", at full dose: move on to {v['to']} ({v['dose']})",
    "back_to": lambda v: f": back to {v['dose']}",
    "swap_easier": lambda v: f": swap to the easier {v['to']} ({v['dose']})",
    "pause_keep": lambda v: f": pause it and keep to {v['to']}",
    "ease_off": lambda v: f": ease off to {v['dose']}",
    "gentlest": lambda v: (
        ", and this is already the gentlest dose: if it keeps hurting, leave it out and tell "
        "your physiotherapist"
    ),
    "shortest": lambda v: (
        f": keep going in the shortest bouts, {v['dose']}; walking is never stopped for pain"
    ),
    "stay_shortest": lambda v: (
        f". Keep going in the shortest bouts, {v['dose']}; walking is never stopped for pain"
    ),
    "added": lambda v: f": added at {v['dose']}",
    "removed": lambda v: ": taken out of your programme",
    "swapped": lambda v: f": {v['to']} instead ({v['dose']})",
    "dose_set": lambda v: f": now {v['dose']}",
    "locked_here": lambda v: ": held at this dose until they say otherwise",
    "unlocked": lambda v: ": free to build up again as your back allows",
}


def sentence(code: str, values: Values, outcome: str = "", outcome_values: Values = {}) -> str:  # noqa: B006
    """The full sentence for a decision, with its full stop."""
    text = CAUSES[code](values)
    if outcome:
        text += OUTCOMES[outcome](outcome_values)
    return text + "."

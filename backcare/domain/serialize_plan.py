"""Explicit JSON shapes for plans, progression results and the exercise catalogue."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from backcare.domain import catalogue, content
from backcare.domain.catalogue import Dose, Exercise
from backcare.domain.causes import Cause
from backcare.domain.dosing import describe
from backcare.domain.firstaid import FirstAidToday, ThermalPlan
from backcare.domain.plan import Plan, PlanState, Prescription
from backcare.domain.progress import Decision, Progression
from backcare.domain.progress_summary import Trend, Week
from backcare.domain.serialize import change_json, triage_json
from backcare.domain.stopping import doses_change, stop_rules, stop_rules_for

JSON = dict[str, Any]


class PlanFile(BaseModel):
    """The input of `backcare progress`: a plan (or progression) JSON; only `state` is read."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    state: PlanState


def dose_json(dose: Dose) -> JSON:
    return {**dose.model_dump(exclude_none=True), "text": describe(dose)}


def exercise_json(e: Exercise) -> JSON:
    return {
        "id": e.id,
        "name": e.name,
        "purpose": e.purpose,
        "category": e.category,
        "phases": e.phases,
        "start_position": e.start_position,
        "steps": e.steps,
        "breathing": e.breathing,
        "dose": dose_json(e.dose),
        "stop_rules": list(stop_rules(e.id)),
        "progression": e.progression,
        "regression": e.regression,
        "cautions": e.cautions,
        "equipment": e.equipment,
        "source": content.cite(e.sources),
    }


def exercise_summary_json(e: Exercise) -> JSON:
    return {"id": e.id, "name": e.name, "category": e.category, "phases": e.phases}


def prescription_json(p: Prescription, state: PlanState) -> JSON:
    e = catalogue.exercises()[p.exercise]
    return {
        "id": e.id,
        "name": e.name,
        "purpose": e.purpose,
        "dose": dose_json(p.dose),
        "why": p.why,
        "start_position": e.start_position,
        "steps": e.steps,
        "stop_rules": list(stop_rules_for(state, p.exercise)),
        "cautions": e.cautions,
        "source": content.cite(e.sources),
    }


def message_json(m: catalogue.Message) -> JSON:
    return {"text": m.text, "source": content.cite(m.sources)}


def thermal_json(t: ThermalPlan) -> JSON:
    c = t.content
    return {
        "kind": t.kind,
        "name": c.name,
        "why": t.why,
        "minutes": {"min": c.min_minutes, "max": c.max_minutes},
        "max_per_day": c.max_per_day,
        "skin_recovery_hours": c.skin_recovery_hours,
        "suggested_times": [moment.strftime("%H:%M") for moment in t.suggested_times],
        "how": c.how,
        "avoid_if": c.avoid_if,
        "note": c.note,
        "source": content.cite(c.sources),
    }


def first_aid_json(f: FirstAidToday) -> JSON:
    return {
        "comfort_only": f.comfort_only,
        "ice_and_heat": [thermal_json(t) for t in f.thermal],
        "positions": [
            {
                "id": p.id,
                "name": p.name,
                "steps": p.steps,
                "why": p.why,
                "source": content.cite(p.sources),
            }
            for p in f.positions
        ],
        "advice": [
            {"id": a.id, "title": a.title, "text": a.text, "source": content.cite(a.sources)}
            for a in f.advice
        ],
    }


def cause_json(c: Cause) -> JSON:
    return {
        "topic": c.topic,
        "title": c.title,
        "because": list(c.because),
        "habits": list(c.habits),
        "may_help": c.may_help,
        "source": content.cite(c.source_ids),
    }


def topic_json(topic_id: str) -> JSON:
    t = catalogue.topics()[topic_id]
    return {"id": t.id, "title": t.title, "summary": t.summary, "source": content.cite(t.sources)}


def plan_json(p: Plan) -> JSON:
    phase = p.state.phase
    template = catalogue.phases()[phase] if phase else None
    return {
        "version": p.version,
        "created_on": p.state.created_on.isoformat(),
        "triage": triage_json(p.triage),
        "phase": None
        if template is None
        else {
            "number": phase,
            "name": template.name,
            "goal": template.goal,
            "source": content.cite(template.sources),
        },
        "graded": p.state.graded,
        "first_aid": None if p.first_aid is None else first_aid_json(p.first_aid),
        "exercises": [prescription_json(x, p.state) for x in p.state.prescriptions],
        "how_doses_change": message_json(doses_change(p.state)),
        "causes": [cause_json(c) for c in p.causes],
        "education": [topic_json(t) for t in p.education],
        "review_on": p.review_on.isoformat(),
        "reassess_on": p.reassess_on.isoformat(),
        "follow_up_on": p.follow_up_on.isoformat(),
        "state": p.state.model_dump(mode="json"),
    }


def decision_json(d: Decision) -> JSON:
    return {
        "on": d.on.isoformat() if d.on else None,
        "exercise": d.exercise,
        "action": d.action.value,
        "code": d.code,
        "outcome": d.outcome,
        "values": dict(d.values or {}),
        "reason": d.reason,
        "dose": None if d.dose is None else dose_json(d.dose),
        "swapped_to": d.swapped_to,
    }


def week_json(w: Week) -> JSON:
    return {
        "start": w.start.isoformat(),
        "end": w.end.isoformat(),
        "days_checked_in": w.days_checked_in,
        "mean_pain": w.mean_pain,
        "spasm_episodes": w.spasm_episodes,
        "episodes_per_day": w.episodes_per_day,
        "exercise_days": w.exercise_days,
    }


def trend_json(t: Trend) -> JSON:
    return {
        "improving": t.improving,
        "summary": list(t.summary),
        "pain": None if t.pain is None else change_json(t.pain),
        "episodes_before": t.episodes_before,
        "episodes_now": t.episodes_now,
    }


def progression_json(r: Progression, *, full: bool = True) -> JSON:
    """The progression result. `full=False` leaves out the history, the weekly summaries and
    the new state: what a check-in stores of what it showed, since the rest can be rebuilt."""
    out: JSON = {
        "version": r.version,
        "status": r.status,
        "phase": r.phase,
        "retriage": None if r.retriage is None else triage_json(r.retriage),
        "advice": None if r.advice is None else message_json(r.advice),
        "decisions": [decision_json(d) for d in r.decisions],
        "trend": trend_json(r.trend),
        "how_doses_change": message_json(doses_change(r.state)),
    }
    if full:
        out["history"] = [decision_json(d) for d in r.history]
        out["weeks"] = [week_json(w) for w in r.weeks]
        out["state"] = r.state.model_dump(mode="json")
    return out

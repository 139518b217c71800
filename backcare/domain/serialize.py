"""Explicit JSON shapes for domain results: the public output contract of the CLI and API."""

from __future__ import annotations

from typing import Any

from backcare.domain.questionnaires import Change, OdiResult, StartBackResult
from backcare.domain.triage import Advice, Reason, Triage

JSON = dict[str, Any]


def reason_json(r: Reason) -> JSON:
    out: JSON = {"code": r.code, "text": r.text, "source": r.source}
    if r.note:
        out["note"] = r.note
    return out


def advice_json(a: Advice) -> JSON:
    return {"text": a.text, "source": a.source}


def startback_json(s: StartBackResult) -> JSON:
    return {"total": s.total, "distress": s.distress, "risk": s.risk.value}


def triage_json(t: Triage) -> JSON:
    out: JSON = {
        "level": t.level.value,
        "title": t.title,
        "action": advice_json(t.action),
        "reasons": [reason_json(r) for r in t.reasons],
        "safety_net": [advice_json(a) for a in t.safety_net],
        "policy_version": t.policy_version,
    }
    if t.startback is not None:
        out["startback"] = startback_json(t.startback)
    if t.startback_skipped:
        out["startback_skipped"] = True
    return out


def change_json(c: Change) -> JSON:
    return {
        "before": c.before,
        "after": c.after,
        "difference": c.difference,
        "percent": c.percent,
        "improved": c.improved,
        "meaningful": c.meaningful,
        "threshold": c.threshold,
    }


def odi_json(r: OdiResult) -> JSON:
    return {"percent": r.percent, "raw": r.raw, "answered": r.answered, "band": r.band.value}

"""Treatment notes: reading a note form, saving, signing and amending, and the record's list.

Views stay thin: they hand the POST to `read_form`, then to `do_save_note`, `do_sign_note` or
`do_amend_note`, each one transaction with its audit row. Structured treatments are checked by
backcare.domain.treatments; a refused value names the treatment, its row and the field.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction

from backcare.care.models import Action, AuditEvent, Patient
from backcare.clinic.models import TreatmentNote
from backcare.domain import catalogue, content
from backcare.domain.treatments import KINDS, MODELS, kinds, parse_treatment, summary
from backcare.domain.validation import InputError
from backcare.lib.timezones import local_today

TEXT_FIELDS = (
    "subjective",
    "range_of_movement",
    "tests",
    "outcome_measures",
    "assessment",
    "plan",
)
TEXT_MAX = 5000
MAX_TREATMENTS = 20
LABELS = {
    "mode": "mode",
    "frequency_hz": "frequency (Hz)",
    "pulse_width_us": "pulse width (microseconds)",
    "minutes": "minutes",
    "intensity": "intensity",
    "electrode_sites": "electrode sites",
    "device": "device",
    "notes": "notes",
    "frequency_mhz": "frequency (MHz)",
    "intensity_w_cm2": "intensity (W/cm2)",
    "duty_cycle_percent": "duty cycle (%)",
    "head_era_cm2": "head's effective radiating area (cm2)",
    "area_cm2": "area treated (cm2)",
    "site": "site",
    "agent": "agent",
    "layers": "layers between the pack and the skin",
    "skin_checked": "skin checked before and after",
    "technique": "technique",
    "level": "spinal level (e.g. L4/5)",
    "grade": "Maitland grade (V = manipulation)",
    "sets": "sets",
    "seconds_per_set": "seconds per set",
    "response": "response",
    "area": "area",
    "consent": "consent recorded",
    "muscles": "muscles",
    "needles_in": "needles in",
    "needles_out": "needles out",
    "retention_minutes": "retention (minutes)",
    "exercises": "exercises taught",
}


@dataclass
class Widget:
    name: str
    label: str
    kind: str  # number, select, checkbox, text, exercises
    choices: list[tuple[str, str]] = field(default_factory=list)
    low: float | None = None
    high: float | None = None
    step: str = "1"
    value: Any = ""
    required: bool = True


def widgets(kind: str, values: dict[str, Any] | None = None) -> list[Widget]:
    """The fields of one treatment kind, for the form, from its model and its ranges."""
    values = values or {}
    model = MODELS[kind]
    ranges = dict(content.read("treatments")[kind].get("ranges", {}))
    out = []
    for name, info in model.model_fields.items():
        if name == "kind":
            continue
        ann = info.annotation
        origin = typing.get_origin(ann)
        low, high = (ranges.get(name) or (None, None))[:2] if name in ranges else (None, None)
        w = Widget(name, LABELS.get(name, name), "text", required=info.is_required())
        if origin is typing.Literal:
            w.kind = "select"
            w.choices = [(str(c), str(c).replace("_", " ")) for c in typing.get_args(ann)]
        elif ann is bool:
            w.kind = "checkbox"
        elif ann is int:
            w.kind, w.low, w.high = "number", low, high
        elif ann is float:
            w.kind, w.low, w.high, w.step = "number", low, high, "any"
        elif name == "exercises":
            w.kind = "exercises"
            w.choices = sorted(
                ((e.id, e.name) for e in catalogue.exercises().values()), key=lambda c: c[1]
            )
        w.value = values.get(name, [] if w.kind == "exercises" else "")
        out.append(w)
    return out


def _convert(kind: str, raw: dict[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
    """Form strings to the model's types (int, float, 1 or 3, bool); a bad one is a problem."""
    model = MODELS[kind]
    data: dict[str, Any] = {"kind": kind}
    for name, info in model.model_fields.items():
        if name == "kind":
            continue
        ann = info.annotation
        value = raw.get(name)
        label = f"{where} {LABELS.get(name, name)}"
        if ann is bool:
            data[name] = bool(value)
            continue
        if name == "exercises":
            data[name] = list(value or [])
            continue
        text = (value or "").strip() if isinstance(value, str) else ""
        if not text:
            if info.is_required():
                problems.append(f"{label}: is required")
            continue
        if typing.get_origin(ann) is typing.Literal:
            options = typing.get_args(ann)
            match = [o for o in options if str(o) == text]
            if not match:
                allowed = ", ".join(str(o) for o in options)
                problems.append(f"{label}: must be one of {allowed}")
                continue
            data[name] = match[0]
        elif ann is int or ann is float:
            try:
                number = float(text) if ann is float else int(text)
            except ValueError:
                kind_word = "a number" if ann is float else "a whole number"
                problems.append(f"{label}: must be {kind_word}")
                continue
            if number != number or abs(number) > 1e6:  # NaN, or absurd
                problems.append(f"{label}: must be a number")
                continue
            data[name] = number
        else:
            data[name] = text
    return data


def _relabel(line: str, where: str) -> str:
    name, sep, rest = line.partition(":")
    base = name.split("[")[0].strip()
    if sep and base in LABELS:
        return f"{where} {LABELS[base]}:{rest}"
    return f"{where} {line}"


@dataclass
class NoteForm:
    seen_on: str = ""
    pain_now: str = ""
    texts: dict[str, str] = field(default_factory=dict)
    amendment_reason: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)  # {"kind", "values"}
    problems: list[str] = field(default_factory=list)
    treatments: list[dict[str, Any]] = field(default_factory=list)  # validated, as JSON
    day: date | None = None
    pain: int | None = None

    def rows_for_template(self) -> list[dict[str, Any]]:
        info = kinds()
        return [
            {
                "index": i,
                "kind": r["kind"],
                "name": info[r["kind"]].name,
                "nice": info[r["kind"]].nice,
                "source": info[r["kind"]].source,
                "widgets": widgets(r["kind"], r["values"]),
            }
            for i, r in enumerate(self.rows)
        ]


def form_from_note(note: TreatmentNote | None, *, today: date) -> NoteForm:
    if note is None:
        return NoteForm(seen_on=today.isoformat())
    return NoteForm(
        seen_on=note.seen_on.isoformat(),
        pain_now="" if note.pain_now is None else str(note.pain_now),
        texts={f: getattr(note, f) for f in TEXT_FIELDS},
        rows=[{"kind": t["kind"], "values": t} for t in note.treatments],
    )


def read_form(post: Any, *, today: date, amending: bool = False) -> NoteForm:
    """The note as posted, checked: `problems` lists each refusal, naming the field."""
    form = NoteForm(
        seen_on=post.get("seen_on", "").strip(),
        pain_now=post.get("pain_now", "").strip(),
        texts={f: post.get(f, "") for f in TEXT_FIELDS},
        amendment_reason=post.get("amendment_reason", "").strip(),
    )
    problems = form.problems
    try:
        form.day = date.fromisoformat(form.seen_on)
    except ValueError:
        problems.append("seen_on: must be a date (YYYY-MM-DD)")
    if form.day is not None and form.day > today:
        problems.append(f"seen_on: must not be after today ({today.isoformat()})")
    if form.pain_now:
        if form.pain_now.isascii() and form.pain_now.isdigit() and 0 <= int(form.pain_now) <= 10:
            form.pain = int(form.pain_now)
        else:
            problems.append("pain_now: must be a whole number from 0 to 10")
    for name, text in form.texts.items():
        if len(text) > TEXT_MAX:
            problems.append(f"{name}: must be at most {TEXT_MAX} characters")
    if amending and not form.amendment_reason:
        problems.append("amendment_reason: say what the amendment changes and why")
    if len(form.amendment_reason) > 500:
        problems.append("amendment_reason: must be at most 500 characters")
    remove = post.get("remove", "")
    for i in range(MAX_TREATMENTS):
        kind = post.get(f"t{i}.kind")
        if kind is None:
            continue
        if kind not in KINDS:
            problems.append(f"Treatment {i + 1} kind: must be one of {', '.join(KINDS)}")
            continue
        if remove == str(i):
            continue
        values = {
            n: (post.getlist(f"t{i}.{n}") if n == "exercises" else post.get(f"t{i}.{n}"))
            for n in MODELS[kind].model_fields
            if n != "kind"
        }
        form.rows.append({"kind": kind, "values": values})
    add = post.get("add_kind", "")
    if "add" in post:
        if add in KINDS and len(form.rows) < MAX_TREATMENTS:
            form.rows.append({"kind": add, "values": {}})
        return form  # only re-shown, never saved
    for n, row in enumerate(form.rows, start=1):
        where = f"Treatment {n}, {kinds()[row['kind']].name}:"
        row_problems: list[str] = []
        data = _convert(row["kind"], row["values"], where, row_problems)
        if row_problems:
            problems += row_problems
            continue
        try:
            form.treatments.append(parse_treatment(data).model_dump(mode="json"))
        except InputError as exc:
            problems += [_relabel(line, where) for line in exc.problems]
    if not problems and not any(t.strip() for t in form.texts.values()) and not form.treatments:
        problems.append("note: write at least one of subjective, objective, assessment or plan")
    return form


def is_adding(post: Any) -> bool:
    return "add" in post or bool(post.get("remove"))


def _audit(actor: Any, note: TreatmentNote, action: str, now: datetime, **details: Any) -> None:
    AuditEvent.objects.create(
        actor=actor,
        patient_id=note.patient_id,
        action=action,
        object_type="TreatmentNote",
        object_id=note.pk,
        details=details,
        at=now,
    )


def _fill(note: TreatmentNote, form: NoteForm) -> None:
    if form.day is None:
        raise ValueError("a note's day is checked before it is saved")
    note.seen_on = form.day
    note.pain_now = form.pain
    for f in TEXT_FIELDS:
        setattr(note, f, form.texts[f].strip())
    note.treatments = form.treatments


@transaction.atomic
def do_save_note(
    actor: Any, staff: Any, patient: Patient, form: NoteForm, *, note: TreatmentNote | None,
    now: datetime, amends: TreatmentNote | None = None,
) -> TreatmentNote:  # fmt: skip
    """Save a draft (new, or the author's own draft), or a new amendment of a signed note."""
    if note is None:
        note = TreatmentNote(
            patient=patient, author=staff, author_name=staff.name, created_at=now, amends=amends,
            amendment_reason=form.amendment_reason if amends else "",
        )  # fmt: skip
    else:
        note = TreatmentNote.objects.select_for_update().get(pk=note.pk)
        if note.signed:
            raise PermissionError("a signed note is never edited")
        if note.amends_id:
            note.amendment_reason = form.amendment_reason or note.amendment_reason
    _fill(note, form)
    note.updated_at = now
    note.save()
    action = Action.NOTE_AMENDED if amends is not None else Action.NOTE_SAVED
    _audit(actor, note, action, now, treatments=[t["kind"] for t in note.treatments])
    return note


@transaction.atomic
def do_sign_note(actor: Any, staff: Any, note: TreatmentNote, *, now: datetime) -> TreatmentNote:
    note = TreatmentNote.objects.select_for_update().get(pk=note.pk)
    if note.signed:
        return note
    note.status = TreatmentNote.SIGNED
    note.signed_at = now
    note.signed_by = staff
    note.signed_by_name = staff.name
    note.updated_at = now
    note.save()
    _audit(actor, note, Action.NOTE_SIGNED, now, amends=note.amends_id)
    return note


def latest_version(note: TreatmentNote) -> TreatmentNote:
    """The newest signed amendment in the chain from `note` (or `note` itself)."""
    current = note
    while True:
        nxt = current.amendments.filter(status=TreatmentNote.SIGNED).order_by("-signed_at").first()
        if nxt is None:
            return current
        current = nxt


def note_today(patient: Patient, now: datetime) -> date:
    """The session's day: the location's time zone if the patient has one, else their own."""
    place = patient.location if patient.location_id else patient
    return local_today(place, now)


def lines(note: TreatmentNote) -> list[str]:
    """Each structured treatment as one line (`summary`)."""
    out = []
    for t in note.treatments:
        try:
            out.append(summary(parse_treatment(t)))
        except InputError:
            out.append(f"{t.get('kind', 'treatment')} (as recorded)")
    return out


def notes_for(patient: Patient) -> list[dict[str, Any]]:
    """The record's notes, newest session first: each with its treatments in one line each, its
    amendments (dated) and whether a newer signed version replaces it."""
    notes = list(TreatmentNote.objects.filter(patient=patient).order_by("-seen_on", "-created_at"))
    amended = {n.amends_id for n in notes if n.amends_id and n.signed}
    return [{"note": n, "lines": lines(n), "superseded": n.pk in amended} for n in notes]

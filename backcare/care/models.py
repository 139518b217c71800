"""What a person's care leaves behind: the patient record, assessments, plans, check-ins and
progression steps, and the audit trail of who did what to whose record.

Every care table points at `Patient`, not at a login: a clinic can hold a record for someone
who has no login yet, and staff act on patients' records as themselves. Clinical results are
stored as they were shown, with the policy or engine version that made them, so that "why was
this person flagged?" has the answer that applied at the time.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models

from backcare.lib.regions import region_choices


class Patient(models.Model):
    """A person in backcare's care: a record, with an optional login, a clinic and a lead
    physiotherapist. Their days are in their own time zone; their emergency numbers are their
    region's (or their location's, then their clinic's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient",
        help_text="Their login; none for someone the clinic recorded who has not signed up.",
    )
    clinic = models.ForeignKey(
        "clinic.Clinic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patients",
        help_text="The clinic whose physiotherapists may see this person's care.",
    )
    lead_physio = models.ForeignKey(
        "accounts.StaffMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
    )
    location = models.ForeignKey(
        "clinic.Location",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patients",
        help_text="Where they are usually seen.",
    )
    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    date_of_birth = models.DateField(
        null=True, blank=True, help_text="For record keeping: records of a child are kept to 25."
    )
    timezone = models.CharField(max_length=64, default="UTC")
    region = models.CharField(
        max_length=2,
        blank=True,
        choices=region_choices,
        help_text="Where the person is, for their emergency numbers; blank: their clinic's.",
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the person deleted their account: only what the clinic must keep stays.",
    )

    class Meta:
        indexes = [models.Index(fields=["clinic", "name"], name="patient_clinic_name")]

    def __str__(self) -> str:
        return self.name or f"Patient {self.pk}"


LEVELS = [
    ("emergency", "Emergency"),
    ("urgent", "Urgent"),
    ("see_doctor", "See a doctor"),
    ("self_care", "Self-care"),
]


class AssessmentRecord(models.Model):
    """One completed check: the answers, and the triage exactly as it was shown."""

    patient = models.ForeignKey(
        Patient,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
        help_text="None for a check made without an account, until it is claimed.",
    )
    answers = models.JSONField()
    against_plan = models.ForeignKey(
        "care.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="A re-check is judged against the starting answers of the plan it was made in.",
    )
    level = models.CharField(max_length=16, choices=LEVELS)
    triage = models.JSONField()
    policy_version = models.CharField(max_length=40)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["patient", "-created_at"], name="assessment_patient_recent")
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk} ({self.level})"


class Plan(models.Model):
    """A care plan. `base_state` is the plan as made; `state` is where progression has taken it.

    Progression replays every check-in since `created_on` from `base_state`, so a late or
    corrected check-in can never be applied twice. `assessment` is the latest check the plan
    stands on: a re-check at the same level continues the plan and becomes its check.

    An episode (one bout of back pain) can span several plans when a re-check changes the level:
    Progress shows the whole episode, from `episode_started_on`, against its first check's pain
    and spasm episodes.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="plans")
    assessment = models.ForeignKey(AssessmentRecord, on_delete=models.CASCADE)
    created_on = models.DateField()
    checked_on = models.DateField(help_text="The day of the latest check behind this plan.")
    episode_started_on = models.DateField(help_text="The day this episode's first plan began.")
    episode_pain = models.PositiveSmallIntegerField(help_text="Pain at the episode's first check.")
    episode_spasms = models.PositiveIntegerField(
        help_text="Spasm episodes a day at the episode's first check."
    )
    last_check_in_on = models.DateField(
        null=True,
        blank=True,
        help_text="The latest day the patient has a check-in for: a plan's day never goes back.",
    )
    stopped_on = models.DateField(
        null=True, blank=True, help_text="The day a reported warning sign stopped the programme."
    )
    stop_signs = models.JSONField(default=list, blank=True, help_text="The signs that stopped it.")
    base_state = models.JSONField()
    state = models.JSONField()
    level = models.CharField(max_length=16, choices=LEVELS)
    phase = models.PositiveSmallIntegerField(null=True, blank=True)
    plan_version = models.CharField(max_length=40)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(is_active=True),
                name="one_active_plan_per_patient",
            )
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk} from {self.created_on} ({self.level}, phase {self.phase})"


class CheckIn(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="check_ins")
    date = models.DateField()
    pain_now = models.PositiveSmallIntegerField()
    spasm_episodes = models.PositiveIntegerField()
    exercises_done = models.JSONField(default=list)
    pain_during_exercise = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_next_morning = models.PositiveSmallIntegerField(null=True, blank=True)
    new_warning_signs = models.JSONField(default=list)
    # How the back let the person sleep last night: well, woke_sometimes, badly (blank: not said).
    sleep = models.CharField(max_length=16, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            # A double tap or a retry can never make two records for one day.
            models.UniqueConstraint(
                fields=["patient", "date"], name="one_check_in_per_patient_day"
            ),
        ]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"Check-in {self.date}: pain {self.pain_now}/10"


class WeekSummary(models.Model):
    """One week of a plan's episode, summed from its check-ins, so Progress reads a row a week
    instead of every check-in since the episode began.

    Weeks are the patient's own: seven of their calendar days (check-in dates are already on
    their clock) counted from the day the episode began. The row is rewritten from that week's
    check-ins in the same transaction as every check-in write, so a late or edited check-in can
    never leave it stale; `pains` and `spasms` hold the week's seven days (null: no check-in).
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="weeks")
    plan = models.ForeignKey("care.Plan", on_delete=models.CASCADE, related_name="weeks")
    starts_on = models.DateField()
    days_checked_in = models.PositiveSmallIntegerField()
    pain_total = models.PositiveIntegerField()
    spasm_total = models.PositiveIntegerField()
    exercise_days = models.PositiveSmallIntegerField()
    pains = models.JSONField(help_text="Pain on each of the seven days, null where none.")
    spasms = models.JSONField(help_text="Spasm episodes on each of the seven days.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "starts_on"], name="one_summary_per_plan_week")
        ]

    def __str__(self) -> str:
        return f"Week from {self.starts_on}: {self.days_checked_in} check-ins"


class ProgressionStep(models.Model):
    """What progression decided after a check-in, as it was shown then."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=16)
    level = models.CharField(max_length=16, choices=LEVELS)
    phase = models.PositiveSmallIntegerField(null=True, blank=True)
    result = models.JSONField()
    engine_version = models.CharField(max_length=40)
    created_at = models.DateTimeField()
    # The engine's state after the replay this step came from (its last check-in's day is
    # `snapshot_on`), so the next check-in carries on from here instead of from the plan's first
    # day. Cleared when a check-in on or before that day is saved again: it no longer holds.
    engine_state = models.JSONField(null=True, blank=True)
    snapshot_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["plan", "snapshot_on"], name="step_snapshot")]

    def __str__(self) -> str:
        return f"Progression {self.pk}: {self.status}"


class Action(models.TextChoices):
    """What happened, as a code: the wording for people is in the template that shows it."""

    ASSESSMENT_SAVED = "assessment.saved", "Took the check"
    ASSESSMENT_CLAIMED = "assessment.claimed", "Saved a check made before signing up"
    ASSESSMENT_PURGED = "assessment.purged", "Removed unclaimed checks"
    PLAN_STARTED = "plan.started", "Started a plan"
    PLAN_CONTINUED = "plan.continued", "Continued the plan after a re-check"
    CHECK_IN_SAVED = "check_in.saved", "Checked in"
    THERMAL_STARTED = "thermal.started", "Started ice or heat"
    THERMAL_STOPPED = "thermal.stopped", "Stopped ice or heat"
    RECORD_VIEWED = "record.viewed", "Looked at the record"
    PATIENT_CREATED = "patient.created", "Created the record"
    PATIENT_INVITED = "patient.invited", "Invited the patient to log in"
    PROGRAMME_CHANGED = "programme.changed", "Changed the programme"
    NOTE_SAVED = "note.saved", "Saved a treatment note"
    NOTE_SIGNED = "note.signed", "Signed a treatment note"
    NOTE_AMENDED = "note.amended", "Amended a signed treatment note"
    QUESTIONNAIRE_RECORDED = "questionnaire.recorded", "Recorded a questionnaire"
    MESSAGE_SENT = "message.sent", "Sent a message"
    ACCOUNT_DELETED = "account.deleted", "Deleted the account"
    STAFF_INVITED = "staff.invited", "Invited a staff member"
    APPOINTMENT_BOOKED = "appointment.booked", "Booked an appointment"
    APPOINTMENT_MOVED = "appointment.moved", "Moved an appointment"
    APPOINTMENT_CANCELLED = "appointment.cancelled", "Cancelled an appointment"
    APPOINTMENT_MARKED = "appointment.marked", "Marked an appointment attended or missed"
    WAITLIST_JOINED = "waitlist.joined", "Asked for an earlier appointment"


class AuditEvent(models.Model):
    """Who acted (a login), on whom (a patient record), what (an action code), and when.

    Reads of a patient's record by staff are audited too, so a patient can see who looked.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_events"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True)
    details = models.JSONField(default=dict)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["patient", "-at"], name="audit_patient_recent")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


class ThermalApplication(models.Model):
    """One go of ice or heat, so the next can wait until the skin has recovered."""

    KINDS = [("cold", "Ice"), ("heat", "Heat")]

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="thermal_applications"
    )
    kind = models.CharField(max_length=8, choices=KINDS)
    started_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "-started_at"], name="thermal_patient_recent")]

    def __str__(self) -> str:
        return f"{self.kind} from {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def ended_at(self) -> datetime:
        return self.stopped_at or self.ends_at


class ProgrammeChange(models.Model):
    """A physiotherapist's change to a plan's programme (swap, dose, lock, a note...): part of the
    plan's replayed history, from the day it was made, so later check-ins never undo it."""

    KINDS = [
        ("add", "Added an exercise"),
        ("remove", "Took an exercise out"),
        ("swap", "Swapped an exercise"),
        ("dose", "Set a dose"),
        ("lock", "Locked progression"),
        ("unlock", "Unlocked progression"),
        ("note", "Added a note"),
    ]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, help_text="Who made it, as they were named then.")
    kind = models.CharField(max_length=8, choices=KINDS)
    exercise = models.CharField(max_length=40, help_text='An exercise id, or "*" for them all.')
    to = models.CharField(max_length=40, blank=True)
    dose = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    on = models.DateField(help_text="The patient's day it took effect (after that day's check-in).")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["plan", "on"], name="change_plan_day")]
        ordering = ["on", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.exercise} on {self.on}"


class QuestionnaireResponse(models.Model):
    """A questionnaire filled in (by the patient, or recorded by their physiotherapist), with the
    score it gave. ODI is stored as section scores only: its item text is licensed."""

    KINDS = [("odi", "Oswestry Disability Index"), ("psfs", "Patient-Specific Functional Scale"),
             ("nprs", "Pain score (NPRS)"), ("startback", "STarT Back")]  # fmt: skip

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="questionnaires")
    kind = models.CharField(max_length=12, choices=KINDS)
    answers = models.JSONField()
    score = models.JSONField()
    taken_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(
        max_length=20, default="clinic", help_text="clinic, patient, or an outside system (FHIR)."
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["patient", "kind", "taken_on"], name="questionnaire_recent")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.taken_on}"

"""What a person's care leaves behind: assessments, plans, check-ins and progression steps.

Clinical results are stored as they were shown, with the policy or engine version that made them,
so that "why was this person flagged?" has the answer that applied at the time.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models

LEVELS = [
    ("emergency", "Emergency"),
    ("urgent", "Urgent"),
    ("see_doctor", "See a doctor"),
    ("self_care", "Self-care"),
]


class AssessmentRecord(models.Model):
    """One completed check: the answers, and the triage exactly as it was shown."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
    )
    answers = models.JSONField()
    level = models.CharField(max_length=16, choices=LEVELS)
    triage = models.JSONField()
    policy_version = models.CharField(max_length=40)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="assessment_user_recent")]

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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans"
    )
    assessment = models.ForeignKey(AssessmentRecord, on_delete=models.CASCADE)
    created_on = models.DateField()
    checked_on = models.DateField(help_text="The day of the latest check behind this plan.")
    episode_started_on = models.DateField(help_text="The day this episode's first plan began.")
    episode_pain = models.PositiveSmallIntegerField(help_text="Pain at the episode's first check.")
    episode_spasms = models.PositiveIntegerField(
        help_text="Spasm episodes a day at the episode's first check."
    )
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
                fields=["user"],
                condition=models.Q(is_active=True),
                name="one_active_plan_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk} from {self.created_on} ({self.level}, phase {self.phase})"


class CheckIn(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
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
            models.UniqueConstraint(fields=["user", "date"], name="one_check_in_per_day"),
        ]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"Check-in {self.date}: pain {self.pain_now}/10"


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

    def __str__(self) -> str:
        return f"Progression {self.pk}: {self.status}"


class AuditEvent(models.Model):
    """One row per write that matters clinically: who did what to which record, and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True)
    details = models.JSONField(default=dict)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


class ThermalApplication(models.Model):
    """One go of ice or heat, so the next can wait until the skin has recovered."""

    KINDS = [("cold", "Ice"), ("heat", "Heat")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thermal_applications"
    )
    kind = models.CharField(max_length=8, choices=KINDS)
    started_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-started_at"], name="thermal_user_recent")]

    def __str__(self) -> str:
        return f"{self.kind} from {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def ended_at(self) -> datetime:
        return self.stopped_at or self.ends_at

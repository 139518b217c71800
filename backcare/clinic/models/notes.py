"""Treatment notes (SOAP), written by a physiotherapist after a session.

A note is a draft until its author signs it. A signed note is never edited: an amendment is a new
note that points at the one it amends, and both are kept and shown, each dated. Structured
treatments are stored as validated JSON (backcare.domain.treatments), one object per treatment.
"""

from __future__ import annotations

from django.db import models


class TreatmentNote(models.Model):
    DRAFT, SIGNED = "draft", "signed"
    STATUSES = [(DRAFT, "Draft"), (SIGNED, "Signed")]

    patient = models.ForeignKey(
        "care.Patient", on_delete=models.PROTECT, related_name="treatment_notes"
    )
    author = models.ForeignKey(
        "accounts.StaffMember", on_delete=models.PROTECT, related_name="notes_written"
    )
    author_name = models.CharField(max_length=150, help_text="As they were named when writing.")
    seen_on = models.DateField(help_text="The day of the session, in the location's time zone.")
    pain_now = models.PositiveSmallIntegerField(null=True, blank=True, help_text="NPRS 0-10.")
    subjective = models.TextField(blank=True)
    range_of_movement = models.TextField(blank=True)
    tests = models.TextField(blank=True, help_text="Neurological, palpation and special tests.")
    outcome_measures = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan = models.TextField(blank=True)
    treatments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=STATUSES, default=DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        "accounts.StaffMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notes_signed",
    )
    signed_by_name = models.CharField(max_length=150, blank=True)
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )
    amendment_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["patient", "-seen_on"], name="note_patient_seen")]

    def __str__(self) -> str:
        return f"Note {self.pk} ({self.status}) {self.seen_on}"

    @property
    def signed(self) -> bool:
        return self.status == self.SIGNED

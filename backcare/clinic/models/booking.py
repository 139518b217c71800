"""Booking's records: opening hours, appointment types, practitioners' hours and exceptions, the
clinic's booking settings, appointments, the messages sent about them and the waitlist.

Times of day are wall-clock times at the location; appointments are instants (UTC). The pure
rules (free slots, checks, deadlines) are `backcare.domain.booking`; the conversions between these
rows and its values are in `backcare.clinic.booking_data`.

No double booking is enforced by the database itself: on PostgreSQL two exclusion constraints
(migration 0005) refuse an appointment whose [start, blocked_until) overlaps another active one
of the same practitioner, or whose [start, end) overlaps another of the same patient; on SQLite
`booking_actions` checks and inserts inside one `BEGIN IMMEDIATE` transaction.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models

from backcare.clinic.models.places import Clinic, Location

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class OpeningHours(models.Model):
    """One stretch of a weekday when a location is open (two rows make a day with a gap)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="opening_hours_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"OpeningHours {self.pk}"


# No appointment type lasts longer than this with its buffer (the constraints below), so a
# search for bookings touching a time need not look at any that started longer before it.
LONGEST_BLOCK = timedelta(minutes=720 + 720)


class AppointmentType(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial assessment"
        FOLLOW_UP = "follow_up", "Follow-up"
        TREATMENT = "treatment", "Treatment session"
        TELEHEALTH = "telehealth", "Telehealth (video)"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="appointment_types")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    duration_minutes = models.PositiveSmallIntegerField()
    buffer_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="The practitioner's time after it (notes, cleaning the room)."
    )
    price_cents = models.PositiveIntegerField(help_text="Shown to the patient before booking.")
    description = models.CharField(max_length=240, blank=True)
    givers = models.ManyToManyField(
        "accounts.StaffMember", blank=True, related_name="appointment_types"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["duration_minutes", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="one_type_name_per_clinic"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=720),
                name="appointment_type_duration_5_720",
            ),
            models.CheckConstraint(
                condition=models.Q(buffer_minutes__lte=720),
                name="appointment_type_buffer_0_720",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    @property
    def price_label(self) -> str:
        dollars, cents = divmod(self.price_cents, 100)
        return f"${dollars}.{cents:02d}" if cents else f"${dollars}"


class WorkingHours(models.Model):
    """A practitioner's weekly hours at one location on one weekday, optionally bounded by dates."""

    staff = models.ForeignKey(
        "accounts.StaffMember", on_delete=models.CASCADE, related_name="working_hours"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start = models.TimeField()
    end = models.TimeField()
    first_day = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="working_hours_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"WorkingHours {self.pk}"


class Break(models.Model):
    """A break inside a stretch of working hours (lunch 12:30-13:15)."""

    hours = models.ForeignKey(WorkingHours, on_delete=models.CASCADE, related_name="breaks")
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"Break {self.pk}"


class AvailabilityException(models.Model):
    """Leave (whole days, or only start-end of each day) or a changed day at one location
    (its hours replace the weekly ones there that day; no start/end: not working there)."""

    class Kind(models.TextChoices):
        LEAVE = "leave", "Leave"
        CHANGED_DAY = "changed_day", "Changed day"

    staff = models.ForeignKey(
        "accounts.StaffMember", on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    first_day = models.DateField()
    last_day = models.DateField()
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, help_text="For a changed day."
    )
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="exception_last_day_on_or_after_first",
            )
        ]

    def __str__(self) -> str:
        return f"AvailabilityException {self.pk}"


class ClinicBookingSettings(models.Model):
    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="booking_settings")
    grid_minutes = models.PositiveSmallIntegerField(default=15)
    min_notice_minutes = models.PositiveIntegerField(default=120)
    horizon_days = models.PositiveSmallIntegerField(default=60)
    cancel_cutoff_hours = models.PositiveSmallIntegerField(default=24)
    reminder_hours = models.PositiveSmallIntegerField(default=24)
    offer_hold_minutes = models.PositiveIntegerField(default=120)

    def __str__(self) -> str:
        return f"ClinicBookingSettings {self.pk}"


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "Did not attend"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="appointments")
    patient = models.ForeignKey(
        "care.Patient", on_delete=models.CASCADE, related_name="appointments"
    )
    practitioner = models.ForeignKey(
        "accounts.StaffMember", on_delete=models.PROTECT, related_name="appointments"
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="appointments")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    blocked_until = models.DateTimeField(help_text="end plus the type's buffer after it.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    reason = models.CharField(
        max_length=240, blank=True, help_text="Why they booked (from the check's result)."
    )
    video_link = models.URLField(blank=True, help_text="For telehealth.")
    booked_at = models.DateTimeField()
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["practitioner", "start"], name="appointment_practitioner_start"),
            models.Index(fields=["location", "start"], name="appointment_location_start"),
            models.Index(fields=["patient", "start"], name="appointment_patient_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start"))
                & models.Q(blocked_until__gte=models.F("end")),
                name="appointment_times_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"Appointment {self.pk} at {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def active(self) -> bool:
        return self.status != self.Status.CANCELLED


class AppointmentMessage(models.Model):
    """One e-mail about an appointment (the confirmation, the reminder), recorded when it is due
    and when it was sent, so it is sent once however many workers run the task."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation"
        REMINDER = "reminder", "Reminder"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(
        max_length=64,
        blank=True,
        help_text="The worker sending it right now (host:pid); blank once sent.",
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Failed tries so far.")
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "kind"], name="one_message_per_kind")
        ]

    def __str__(self) -> str:
        return f"AppointmentMessage {self.pk}"


class WaitlistEntry(models.Model):
    """A patient's wish for an earlier appointment (weekdays, windows: the location's clock)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="waitlist")
    patient = models.ForeignKey("care.Patient", on_delete=models.CASCADE, related_name="waitlist")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="waitlist")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.CASCADE)
    practitioner = models.ForeignKey(
        "accounts.StaffMember", on_delete=models.CASCADE, null=True, blank=True
    )
    earliest = models.DateField(null=True, blank=True)
    latest = models.DateField(null=True, blank=True)
    weekdays = models.JSONField(default=list, blank=True, help_text="0 = Monday ... 6 = Sunday.")
    windows = models.JSONField(default=list, blank=True, help_text='[["09:00", "12:00"], ...]')
    joined_at = models.DateTimeField()
    is_active = models.BooleanField(default=True)
    offered_start = models.DateTimeField(null=True, blank=True)
    offered_practitioner = models.ForeignKey(
        "accounts.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    # When the offer's e-mail went (claimed by the task before sending, so it goes once).
    offer_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]

    def __str__(self) -> str:
        return f"WaitlistEntry {self.pk}"

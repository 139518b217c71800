"""The clinic side's records, one module per feature: places (clinics and locations), notes
(treatment notes), messages, booking, webhooks, and what staff change in a programme."""

from backcare.clinic.models.booking import (
    LONGEST_BLOCK,
    Appointment,
    AppointmentMessage,
    AppointmentType,
    AvailabilityException,
    Break,
    ClinicBookingSettings,
    OpeningHours,
    WaitlistEntry,
    WorkingHours,
)
from backcare.clinic.models.messages import Message
from backcare.clinic.models.notes import TreatmentNote
from backcare.clinic.models.places import Clinic, Location
from backcare.clinic.models.webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "LONGEST_BLOCK",
    "Appointment",
    "AppointmentMessage",
    "AppointmentType",
    "AvailabilityException",
    "Break",
    "Clinic",
    "ClinicBookingSettings",
    "Location",
    "Message",
    "OpeningHours",
    "TreatmentNote",
    "WaitlistEntry",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WorkingHours",
]

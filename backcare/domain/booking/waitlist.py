"""The waitlist: when a slot frees up, who is offered it first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from backcare.domain.booking.slots import FreeSlot
from backcare.domain.booking.types import Booking, TimeRange, Weekday


@dataclass(frozen=True, slots=True)
class WaitlistEntry:
    """A patient's wish for an earlier appointment. Dates, weekdays and time windows are the
    location's own; empty `weekdays` or `windows` mean any day or any time."""

    id: int
    patient_id: int
    joined_at: datetime
    location_id: int
    appointment_type_id: int
    practitioner_id: int | None = None  # None: anyone
    earliest: date | None = None
    latest: date | None = None
    weekdays: frozenset[Weekday] = frozenset()
    windows: tuple[TimeRange, ...] = ()

    def __post_init__(self) -> None:
        if self.joined_at.tzinfo is None:
            raise ValueError("joined_at: must be an aware datetime (with its UTC offset)")
        if self.earliest and self.latest and self.latest < self.earliest:
            raise ValueError(f"latest: must be on or after earliest ({self.earliest})")

    def fits(self, slot: FreeSlot) -> bool:
        """Whether the slot is what this patient asked for (not whether they are free then)."""
        day = slot.local_date
        return (
            slot.location_id == self.location_id
            and slot.appointment_type_id == self.appointment_type_id
            and (self.practitioner_id is None or self.practitioner_id in slot.practitioner_ids)
            and (self.earliest is None or self.earliest <= day)
            and (self.latest is None or day <= self.latest)
            and (not self.weekdays or Weekday.of(day) in self.weekdays)
            and (not self.windows or any(_inside(w, slot) for w in self.windows))
        )


def _inside(window: TimeRange, slot: FreeSlot) -> bool:
    """The whole appointment lies in the window, by the clock at the location."""
    start, end = slot.local_start, slot.local_end
    return end.date() == start.date() and window.start <= start.time() and end.time() <= window.end


@dataclass(frozen=True, slots=True)
class Offer:
    entry: WaitlistEntry
    practitioner_id: int
    slot: FreeSlot


def offer_for(
    freed_slot: FreeSlot,
    waiting_entries: Sequence[WaitlistEntry],
    bookings: Sequence[Booking] = (),
) -> Offer | None:
    """The first waiting patient, by when they joined, whose wishes fit the freed slot and who has
    no booking at an overlapping time (`bookings`: the waiting patients' bookings); None if nobody.
    The practitioner is the one they asked for, or for "anyone" the slot's first."""
    for entry in sorted(waiting_entries, key=lambda e: (e.joined_at, e.id)):
        if entry.fits(freed_slot) and not _busy(entry.patient_id, freed_slot, bookings):
            chosen = entry.practitioner_id
            if chosen is None:
                chosen = freed_slot.practitioner_ids[0]
            return Offer(entry=entry, practitioner_id=chosen, slot=freed_slot)
    return None


def _busy(patient_id: int, slot: FreeSlot, bookings: Sequence[Booking]) -> bool:
    return any(
        b.patient_id == patient_id
        and b.status.takes_time
        and b.start < slot.end
        and slot.start < b.end
        for b in bookings
    )

"""E-mail that a retry cannot send twice.

A task that sends an e-mail and then records that it did can be killed between the two; the
retry cannot tell whether the e-mail went, so it sends again. Each message backcare sends from a
task therefore carries a Message-ID made from what it is (`stable_message_id`), the same on every
try and on every host, and the outbox delivers a Message-ID once.

`OutboxBackend` is Django's file backend with one .eml file per message (a mail program opens
it), named by its Message-ID and put in place in one step (written aside, then hard-linked to
its name, which fails when the name is taken): a second try finds the file there and writes
nothing. Over SMTP the same Message-ID goes with each try, so a mail system or client that has
the first copy shows one (docs/configuration.md).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Sequence
from email.utils import parseaddr
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends import filebased

log = logging.getLogger(__name__)


def stable_message_id(name: str, *parts: object) -> str:
    """`<booking-42.3f1c0a9e5b7d2c4e8a61@clinic.example>`: `name` for a person reading it, and a
    digest of the parts that say which message this is (a row, the due time it was made for);
    short, so the header stays on one line. The domain is the sender's (DEFAULT_FROM_EMAIL),
    not the host's, so two workers on two machines give the same id."""
    _name, sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = sender.rpartition("@")[2] or "localhost"
    digest = hashlib.sha256("\0".join(str(p) for p in (name, *parts)).encode()).hexdigest()
    return f"<{name}.{digest[:20]}@{domain}>"


class OutboxBackend(filebased.EmailBackend):
    """Each message in a file of its own under EMAIL_FILE_PATH, named by its Message-ID; a
    message whose Message-ID has a file already is taken as sent, not written again."""

    def open(self) -> bool:
        return False  # no stream: each message opens its own file (the file backend's would
        # leave an empty .log behind for `with connection:` and send_mass_mail)

    def close(self) -> None:
        return None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                self._deliver(message)
            except OSError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _deliver(self, message: EmailMessage) -> None:
        mime = message.message()  # adds a random Message-ID when the message has none
        folder = Path(self.file_path)
        final = folder / f"{_file_name(str(mime['Message-ID']))}.eml"
        if final.exists():
            _already(mime["Message-ID"])
            return
        fd, aside = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(mime.as_bytes(linesep="\r\n"))
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(aside, final)  # in place whole, or not at all
            except FileExistsError:
                _already(mime["Message-ID"])  # another try put it there meanwhile
                return
            _sync_folder(folder)
        finally:
            os.unlink(aside)


def sweep_parts(*, older_than: float = 600.0) -> int:
    """Remove the half-written files a worker killed mid-write left aside (hidden, and never
    read as e-mail), once they are older than any write takes; how many. The task worker calls
    this when it starts. Nothing to do for another backend."""
    if f"{__name__}.{OutboxBackend.__name__}" != settings.EMAIL_BACKEND:
        return 0
    folder = Path(settings.EMAIL_FILE_PATH)
    cutoff = time.time() - older_than  # files' own ages, on this machine's clock
    removed = 0
    for part in folder.glob(".*.part") if folder.is_dir() else []:
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # another worker's sweep took it
    return removed


def _already(message_id: object) -> None:
    """A try of a message an earlier one delivered (its worker killed before it could record
    that): said, since it means a worker died mid-send."""
    log.warning("e-mail %s was delivered by an earlier try; not written again", message_id)


def _file_name(message_id: str) -> str:
    """A file name for a Message-ID: its readable characters, and a hash so that two ids that
    differ only in the others do not meet."""
    readable = re.sub(r"[^A-Za-z0-9.@_-]", "", message_id)[:120]
    return f"{readable}-{hashlib.sha256(message_id.encode()).hexdigest()[:12]}"


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

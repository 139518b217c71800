"""The demo clinic's staff logins. Their authenticator secrets are FIXED and published (demo
only), so anyone trying backcare can get a code: `manage.py demo_totp physio` prints it."""

from __future__ import annotations

import base64

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from backcare.accounts.models import Role, StaffMember, User

# username: (password, role, is_admin, first name, last name, base32 TOTP secret)
DEMO_STAFF = {
    "physio": ("backcare-physio", Role.PHYSIO, False, "Pat", "Physio", "JBSWY3DPEHPK3PXPJBSWY3DP"),
    "reception": (
        "backcare-reception",
        Role.RECEPTION,
        False,
        "Remy",
        "Reception",
        "KRSXG5CTMVRXEZLUKRSXG5CT",
    ),
    "clinicadmin": (
        "backcare-admin",
        Role.PHYSIO,
        True,
        "Ada",
        "Admin",
        "MFSG22LOMFSG22LOMFSG22LO",
    ),
}


def demo_key_hex(secret: str) -> str:
    return base64.b32decode(secret).hex()


def demo_staff(clinic: object) -> dict[str, StaffMember]:
    """Create (or bring back to their documented state) the three demo staff of `clinic`."""
    made = {}
    with transaction.atomic():
        for username, (password, role, is_admin, first, last, secret) in DEMO_STAFF.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, email=f"{username}@demo.backcare.invalid")
            user.first_name, user.last_name, user.is_demo, user.is_active = first, last, True, True
            user.timezone = "Australia/Melbourne"
            user.set_password(password)
            user.save()
            staff, _ = StaffMember.objects.update_or_create(
                user=user, defaults={"clinic": clinic, "role": role, "is_admin": is_admin}
            )
            staff.locations.set(clinic.locations.all())  # type: ignore[attr-defined]
            TOTPDevice.objects.filter(user=user).exclude(name="Demo authenticator").delete()
            TOTPDevice.objects.update_or_create(
                user=user, name="Demo authenticator",
                defaults={"key": demo_key_hex(secret), "confirmed": True},
            )  # fmt: skip
            made[username] = staff
    return made

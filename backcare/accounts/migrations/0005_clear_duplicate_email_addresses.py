"""Before e-mail addresses become unique (in any case), settle the accounts that share one.

The account that logged in most recently keeps the address (then the oldest), so the password
reset of the account in use keeps working; the others lose it and are asked for a new one in
their settings. Addresses are also stripped of surrounding spaces. Nothing else changes and no
account is removed; the ids of the accounts that lost their address are printed.
"""

from django.db import migrations
from django.db.models import F


def clear_duplicates(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    keeper = {}
    cleared = []
    rows = (
        User.objects.exclude(email="")
        .order_by(F("last_login").desc(nulls_last=True), "pk")
        .only("pk", "email")
    )
    for user in rows.iterator():
        address = user.email.strip()
        key = address.lower()
        if not key or key in keeper:
            cleared.append(user.pk)
            User.objects.filter(pk=user.pk).update(email="")
            continue
        keeper[key] = user.pk
        if address != user.email:
            User.objects.filter(pk=user.pk).update(email=address)
    if cleared:
        print(
            f"\n  accounts: cleared a shared e-mail address from {len(cleared)} account(s), "
            f"ids {cleared}; each keeps everything else and can add a new address in settings."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_add_user_region"),
    ]

    operations = [
        migrations.RunPython(clear_duplicates, migrations.RunPython.noop),
    ]

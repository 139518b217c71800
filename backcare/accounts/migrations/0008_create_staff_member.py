import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_create_rate_limit_hit"),
        ("clinic", "0002_add_location_region"),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffMember",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(choices=[("physio", "Physiotherapist"), ("receptionist", "Receptionist")], max_length=16)),
                ("is_admin", models.BooleanField(default=False, help_text="Manages the clinic's staff accounts.")),
                ("title", models.CharField(blank=True, help_text="Shown to patients, e.g. APAM.", max_length=80)),
                ("clinic", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="staff", to="clinic.clinic")),
                ("locations", models.ManyToManyField(blank=True, related_name="staff", to="clinic.location")),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="staff", to=settings.AUTH_USER_MODEL)),
            ],
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    """A patient's clinic and region now live on their patient record (care 0006 copied them)."""

    dependencies = [
        ("accounts", "0008_create_staff_member"),
        ("care", "0006_create_patient"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="clinic"),
        migrations.RemoveField(model_name="user", name="region"),
        migrations.AlterField(
            model_name="user",
            name="timezone",
            field=models.CharField(
                default="UTC",
                help_text="IANA time zone for a staff member's pages (a patient's is on their record).",
                max_length=64,
            ),
        ),
    ]

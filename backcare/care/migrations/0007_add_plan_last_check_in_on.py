from django.db import migrations, models
from django.db.models import Max


def fill(apps, schema_editor):
    Plan = apps.get_model("care", "Plan")
    CheckIn = apps.get_model("care", "CheckIn")
    for plan in Plan.objects.all().iterator():
        latest = CheckIn.objects.filter(patient_id=plan.patient_id).aggregate(day=Max("date"))
        Plan.objects.filter(pk=plan.pk).update(last_check_in_on=latest["day"])


class Migration(migrations.Migration):
    dependencies = [("care", "0006_create_patient")]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="last_check_in_on",
            field=models.DateField(
                blank=True,
                help_text="The latest day the patient has a check-in for: a plan's day never goes back.",
                null=True,
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

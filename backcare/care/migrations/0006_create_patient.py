"""The patient becomes a record of its own; every care table points at it instead of at a login.

Each user who is not staff gets a Patient (their time zone, region, clinic and demo flag move
with them) and every assessment, plan, check-in and ice or heat session follows. Audit rows name
the acting login (`actor`) and, where the actor was the patient, the patient. Nothing is lost:
the data step fills the new columns before the old ones go.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import backcare.lib.regions

TABLES = ("AssessmentRecord", "Plan", "CheckIn", "ThermalApplication")


def to_patients(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Patient = apps.get_model("care", "Patient")
    AuditEvent = apps.get_model("care", "AuditEvent")
    staff = set(apps.get_model("accounts", "StaffMember").objects.values_list("user_id", flat=True))
    for user in User.objects.exclude(pk__in=staff).iterator():
        patient = Patient.objects.create(
            user=user,
            clinic_id=user.clinic_id,
            name=f"{user.first_name} {user.last_name}".strip() or user.username,
            email=user.email,
            timezone=user.timezone or "UTC",
            region=user.region,
            is_demo=user.is_demo,
            created_at=user.date_joined,
        )
        for table in TABLES:
            apps.get_model("care", table).objects.filter(user_id=user.pk).update(patient=patient)
        AuditEvent.objects.filter(actor_id=user.pk).update(patient=patient)


def to_users(apps, schema_editor):
    Patient = apps.get_model("care", "Patient")
    for patient in Patient.objects.exclude(user=None).iterator():
        for table in TABLES:
            rows = apps.get_model("care", table).objects.filter(patient_id=patient.pk)
            rows.update(user_id=patient.user_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_create_staff_member"),
        ("care", "0005_add_checkin_sleep"),
        ("clinic", "0002_add_location_region"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Patient",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(blank=True, max_length=150)),
                ("email", models.EmailField(blank=True, max_length=254)),
                ("phone", models.CharField(blank=True, max_length=32)),
                ("date_of_birth", models.DateField(blank=True, help_text="For record keeping: records of a child are kept to 25.", null=True)),
                ("timezone", models.CharField(default="UTC", max_length=64)),
                ("region", models.CharField(blank=True, choices=backcare.lib.regions.region_choices, help_text="Where the person is, for their emergency numbers; blank: their clinic's.", max_length=2)),
                ("is_demo", models.BooleanField(default=False)),
                ("created_at", models.DateTimeField()),
                ("erased_at", models.DateTimeField(blank=True, help_text="When the person deleted their account: only what the clinic must keep stays.", null=True)),
                ("clinic", models.ForeignKey(blank=True, help_text="The clinic whose physiotherapists may see this person's care.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="patients", to="clinic.clinic")),
                ("lead_physio", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="caseload", to="accounts.staffmember")),
                ("location", models.ForeignKey(blank=True, help_text="Where they are usually seen.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="patients", to="clinic.location")),
                ("user", models.OneToOneField(blank=True, help_text="Their login; none for someone the clinic recorded who has not signed up.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="patient", to=settings.AUTH_USER_MODEL)),
            ],
            options={"indexes": [models.Index(fields=["clinic", "name"], name="patient_clinic_name")]},
        ),
        migrations.RenameField(model_name="auditevent", old_name="user", new_name="actor"),
        migrations.AddField(
            model_name="auditevent",
            name="patient",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="audit_events", to="care.patient"),
        ),
        *(
            migrations.AddField(
                model_name=table.lower(),
                name="patient",
                field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="care.patient"),
            )
            for table in TABLES
        ),
        migrations.RunPython(to_patients, to_users),
        migrations.RemoveConstraint(model_name="plan", name="one_active_plan_per_person"),
        migrations.RemoveConstraint(model_name="checkin", name="one_check_in_per_day"),
        migrations.RemoveIndex(model_name="assessmentrecord", name="assessment_user_recent"),
        migrations.RemoveIndex(model_name="thermalapplication", name="thermal_user_recent"),
        *(migrations.RemoveField(model_name=table.lower(), name="user") for table in TABLES),
        migrations.AlterField(
            model_name="assessmentrecord",
            name="patient",
            field=models.ForeignKey(blank=True, help_text="None for a check made without an account, until it is claimed.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name="assessments", to="care.patient"),
        ),
        migrations.AlterField(
            model_name="plan",
            name="patient",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="plans", to="care.patient"),
        ),
        migrations.AlterField(
            model_name="checkin",
            name="patient",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="check_ins", to="care.patient"),
        ),
        migrations.AlterField(
            model_name="thermalapplication",
            name="patient",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="thermal_applications", to="care.patient"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(choices=[
                ("assessment.saved", "Took the check"),
                ("assessment.claimed", "Saved a check made before signing up"),
                ("assessment.purged", "Removed unclaimed checks"),
                ("plan.started", "Started a plan"),
                ("plan.continued", "Continued the plan after a re-check"),
                ("check_in.saved", "Checked in"),
                ("thermal.started", "Started ice or heat"),
                ("thermal.stopped", "Stopped ice or heat"),
                ("record.viewed", "Looked at the record"),
                ("patient.created", "Created the record"),
                ("patient.invited", "Invited the patient to log in"),
                ("programme.changed", "Changed the programme"),
                ("note.saved", "Saved a treatment note"),
                ("note.signed", "Signed a treatment note"),
                ("note.amended", "Amended a signed treatment note"),
                ("questionnaire.recorded", "Recorded a questionnaire"),
                ("message.sent", "Sent a message"),
                ("account.deleted", "Deleted the account"),
                ("staff.invited", "Invited a staff member"),
            ], max_length=40),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(condition=models.Q(("is_active", True)), fields=("patient",), name="one_active_plan_per_patient"),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.UniqueConstraint(fields=("patient", "date"), name="one_check_in_per_patient_day"),
        ),
        migrations.AddIndex(
            model_name="assessmentrecord",
            index=models.Index(fields=["patient", "-created_at"], name="assessment_patient_recent"),
        ),
        migrations.AddIndex(
            model_name="thermalapplication",
            index=models.Index(fields=["patient", "-started_at"], name="thermal_patient_recent"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["patient", "-at"], name="audit_patient_recent"),
        ),
    ]

"""Plans made from the older check end here: that check did not ask every warning sign.

The complete warning-sign screen (triage policy triage-2026.12.1) asks about chest pain, early
bladder and sexual signs, a recent infection, pregnancy, recent spinal surgery, a lump, pain worse on
coughing and pain between the shoulder blades. A plan made before it was never told those answers,
and an unanswered warning sign must never count as "no", so such a plan cannot simply carry on: it
stops being the active plan, and the person is asked to take the check again. Nothing is deleted:
the plan, its check-ins and every stored result (with the policy version it was made under) stay.
"""

from django.db import migrations

# Copied, not imported: a migration must not change when today's code does.
NEW_SIGNS = (
    "difficulty_passing_urine",
    "new_sexual_dysfunction",
    "chest_pain",
    "recent_infection",
    "pregnant_or_recent_birth",
    "recent_spinal_surgery_or_injection",
    "pain_worse_coughing_sneezing",
    "back_lump_or_changed_shape",
    "upper_back_pain",
)


def end_older_plans(apps, schema_editor):
    Plan = apps.get_model("care", "Plan")
    for plan in Plan.objects.filter(is_active=True).iterator():
        answers = plan.base_state.get("assessment", {})
        if any(sign not in answers for sign in NEW_SIGNS):
            Plan.objects.filter(pk=plan.pk).update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [("care", "0003_add_plan_episode")]

    operations = [migrations.RunPython(end_older_plans, migrations.RunPython.noop)]

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from backcare.clinic.views import patients, programme, queue, record

urlpatterns: list[URLPattern | URLResolver] = [
    path("", queue.clinic_home, name="clinic_home"),
    path("rules/", queue.queue_rules, name="clinic_queue_rules"),
    path("patients/new/", patients.new_patient, name="clinic_new_patient"),
    path("patients/<int:patient_id>/", record.patient_record, name="clinic_patient"),
    path(
        "patients/<int:patient_id>/chart/<slug:chart>.svg",
        record.patient_chart,
        name="clinic_patient_chart",
    ),
    path(
        "patients/<int:patient_id>/programme/",
        programme.change_programme,
        name="clinic_change_programme",
    ),
    path(
        "patients/<int:patient_id>/questionnaires/",
        programme.record_questionnaire,
        name="clinic_record_questionnaire",
    ),
    path("patients/<int:patient_id>/invite/", patients.invite_patient, name="clinic_invite"),
]

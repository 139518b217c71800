from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from backcare import views
from backcare.accounts import views as account_views
from backcare.api import views as api_views
from backcare.api.main import api
from backcare.care.views import (
    account,
    check,
    checkin,
    exercises,
    handout,
    home,
    learn,
    messages,
    my_data,
    progress,
    thermal,
    today,
    who_looked,
)
from backcare.care.views.check_limit import limit_anonymous_checks

# Django tries these in order: the API and the load balancer's health check, asked most often
# and by programs, come first (nothing else starts with api/ or is healthz).
urlpatterns = [
    path("api/v1/", api.urls),
    # Anything else under the API is its 404 problem, not the site's 404 page.
    re_path(r"^api/", api_views.not_found),
    path("healthz", views.healthz, name="healthz"),
    path("", home.home, name="home"),
    path("check/", check.check_start, name="check_start"),
    path("check/<slug:step>/", limit_anonymous_checks(check.check_step), name="check_step"),
    path("result/<int:assessment_id>/", check.result, name="result"),
    path("today/", today.today, name="today"),
    path("today/thermal/", thermal.thermal, name="thermal"),
    path("today/handout.pdf", handout.handout_pdf, name="handout_pdf"),
    path("today/backcare.ics", handout.calendar_ics, name="calendar_ics"),
    path("progress/", progress.progress_page, name="progress"),
    path("progress/chart/<slug:chart>.svg", progress.chart_svg, name="progress_chart"),
    path("exercises/", exercises.exercise_index, name="exercises"),
    path("exercises/<slug:exercise_id>/", exercises.exercise_page, name="exercise"),
    path("exercises/<slug:exercise_id>/figure.svg", exercises.figure_svg, name="exercise_figure"),
    path("learn/", learn.learn_index, name="learn"),
    path("learn/<slug:topic_id>/", learn.learn_topic, name="learn_topic"),
    path("check-in/", checkin.check_in, name="check_in"),
    path("check-in/<int:check_in_id>/", checkin.check_in_result, name="check_in_result"),
    path("messages/", messages.messages_page, name="messages"),
    path("account/who-looked/", who_looked.who_looked, name="who_looked"),
    path("account/signup/", account.signup, name="signup"),
    path("account/settings/", account.settings_view, name="account_settings"),
    path("region/", account.set_region, name="set_region"),
    path("account/my-data.json", my_data.export_data, name="export_data"),
    path("account/delete/", my_data.delete_account, name="delete_account"),
    path("account/login/", auth_views.LoginView.as_view(), name="login"),
    path(
        "account/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "account/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password_change/",
        account_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("account/logout/", account_views.LogoutView.as_view(), name="logout"),
    path("account/", include("django.contrib.auth.urls")),
    path("clinic/", include("backcare.clinic.urls")),
    path("", include("backcare.clinic.urls_book")),
    path("account/tokens/", api_views.tokens_page, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke/", api_views.revoke, name="api_revoke_token"),
    path("admin/", admin.site.urls),
]

handler400 = "backcare.views.bad_request"
handler500 = "backcare.views.server_error"

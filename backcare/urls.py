from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from backcare import views
from backcare.accounts import views as account_views
from backcare.care.views import check, checkin, home, today

urlpatterns = [
    path("", home.home, name="home"),
    path("check/", check.check_start, name="check_start"),
    path("check/<slug:step>/", check.check_step, name="check_step"),
    path("result/<int:assessment_id>/", check.result, name="result"),
    path("today/", today.today, name="today"),
    path("check-in/", checkin.check_in, name="check_in"),
    path("check-in/<int:check_in_id>/", checkin.check_in_result, name="check_in_result"),
    path("account/signup/", account_views.signup, name="signup"),
    path("account/settings/", account_views.settings_view, name="account_settings"),
    path("account/login/", auth_views.LoginView.as_view(), name="login"),
    path("account/", include("django.contrib.auth.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from backcare.accounts.demo import CANNOT_CHANGE_PASSWORD, CANNOT_DELETE
from backcare.accounts.models import User

# What nobody may change on the demo account, in the admin either.
DEMO_FIXED = ("username", "email", "password")


@admin.register(User)
class BackcareUserAdmin(UserAdmin):  # type: ignore[type-arg]
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fixed = DEMO_FIXED if obj is not None and obj.is_demo else ()
        return (*super().get_readonly_fields(request, obj), *fixed)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_demo:
            return False
        return bool(super().has_delete_permission(request, obj))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        if queryset.filter(is_demo=True).exists():
            self.message_user(request, CANNOT_DELETE, messages.WARNING)
        super().delete_queryset(request, queryset.exclude(is_demo=True))

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        user = self.get_object(request, id)
        if user is not None and user.is_demo:
            self.message_user(request, CANNOT_CHANGE_PASSWORD, messages.ERROR)
            return redirect("admin:accounts_user_change", user.pk)
        response: HttpResponse = super().user_change_password(request, id, form_url)
        return response

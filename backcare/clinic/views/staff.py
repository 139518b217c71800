"""A clinic administrator's staff page, and the page a newcomer joins from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from backcare.accounts.backends import PATH
from backcare.accounts.models import Role, StaffInvite, StaffMember, User
from backcare.clinic import staff as actions
from backcare.clinic.guards import staff_required
from backcare.clinic.models import Location


class InviteForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=Role.choices)
    locations = forms.ModelMultipleChoiceField(
        queryset=Location.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_admin = forms.BooleanField(
        label="Clinic administrator (manages staff accounts)", required=False
    )

    def __init__(self, *args: Any, clinic_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["locations"]
        if isinstance(field, forms.ModelMultipleChoiceField):
            field.queryset = Location.objects.filter(clinic_id=clinic_id).order_by("name")
            field.label_from_instance = lambda location: location.name

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("email: another account already uses this address.")
        waiting = StaffInvite.objects.filter(
            email__iexact=email, used_at=None, cancelled_at=None, expires_at__gt=timezone.now()
        )
        if waiting.exists():
            raise ValidationError("email: an invitation to this address is waiting; resend it.")
        return email


class JoinForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    password = forms.CharField(
        label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )  # fmt: skip

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("username: that username is taken; choose another.")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "password" in data:
            probe = User(username=data.get("username", ""))
            try:
                password_validation.validate_password(data["password"], probe)
            except ValidationError as error:
                self.add_error("password", error)
        return data


def _link_for(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("staff_join", args=[token]))


def _page(request: HttpRequest, form: InviteForm, status: int = 200) -> HttpResponse:
    me: StaffMember = request.staff  # type: ignore[attr-defined]
    members = (
        StaffMember.objects.filter(clinic_id=me.clinic_id)
        .select_related("user")
        .prefetch_related("locations")
        .order_by("user__first_name", "user__username")
    )
    with_device = set(
        TOTPDevice.objects.filter(user__staff__clinic_id=me.clinic_id, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    rows = [{"m": m, "second_factor": m.user_id in with_device} for m in members]
    invites = (
        StaffInvite.objects.filter(clinic_id=me.clinic_id, used_at=None, cancelled_at=None)
        .prefetch_related("locations")
        .order_by("created_at")
    )
    context = {"rows": rows, "invites": invites, "form": form, "me": me, "now": timezone.now()}
    return render(request, "clinic/staff.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required(admin=True)
def staff_page(request: HttpRequest) -> HttpResponse:
    me: StaffMember = request.staff  # type: ignore[attr-defined]
    form = InviteForm(request.POST or None, clinic_id=me.clinic_id)
    if request.method == "POST":
        if not form.is_valid():
            return _page(request, form, status=400)
        data = form.cleaned_data
        actions.do_invite_staff(
            me, name=data["name"], email=data["email"], role=data["role"],
            is_admin=data["is_admin"], locations=data["locations"],
            link_for=_link_for(request), now=timezone.now(),
        )  # fmt: skip
        messages.success(request, f"Invitation sent to {data['email']}.")
        return redirect("clinic_staff")
    return _page(request, form)


def _invite(request: HttpRequest, invite_id: int) -> StaffInvite:
    me: StaffMember = request.staff  # type: ignore[attr-defined]
    return get_object_or_404(
        StaffInvite, pk=invite_id, clinic_id=me.clinic_id, used_at=None, cancelled_at=None
    )


def _member(request: HttpRequest, staff_id: int) -> StaffMember:
    me: StaffMember = request.staff  # type: ignore[attr-defined]
    return get_object_or_404(StaffMember, pk=staff_id, clinic_id=me.clinic_id)


@require_POST
@staff_required(admin=True)
def resend_invite(request: HttpRequest, invite_id: int) -> HttpResponse:
    invite = _invite(request, invite_id)
    actions.do_resend_invite(
        request.staff,  # type: ignore[attr-defined]
        invite, link_for=_link_for(request), now=timezone.now(),
    )  # fmt: skip
    messages.success(
        request, f"A new link is on its way to {invite.email}; the old one no longer works."
    )
    return redirect("clinic_staff")


@require_POST
@staff_required(admin=True)
def cancel_invite(request: HttpRequest, invite_id: int) -> HttpResponse:
    invite = _invite(request, invite_id)
    actions.do_cancel_invite(request.staff, invite, now=timezone.now())  # type: ignore[attr-defined]
    messages.success(request, f"The invitation for {invite.email} is cancelled.")
    return redirect("clinic_staff")


@require_POST
@staff_required(admin=True)
def deactivate(request: HttpRequest, staff_id: int) -> HttpResponse:
    member = _member(request, staff_id)
    try:
        actions.do_deactivate(request.staff, member, now=timezone.now())  # type: ignore[attr-defined]
    except actions.StaffError as error:
        messages.error(request, str(error))
        return _page(request, InviteForm(clinic_id=member.clinic_id), status=400)
    messages.success(request, f"{member.name} can no longer log in.")
    return redirect("clinic_staff")


@require_POST
@staff_required(admin=True)
def reset_second_factor(request: HttpRequest, staff_id: int) -> HttpResponse:
    member = _member(request, staff_id)
    me: StaffMember = request.staff  # type: ignore[attr-defined]
    if member.pk == me.pk:
        messages.error(
            request, "You cannot reset your own second factor here; ask another administrator."
        )
        return _page(request, InviteForm(clinic_id=me.clinic_id), status=400)
    actions.do_reset_second_factor(request.user, member, now=timezone.now())
    messages.success(request, f"{member.name} sets up a new authenticator app at their next login.")
    return redirect("clinic_staff")


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    invite = actions.open_invite(token, now)
    if invite is None:
        return render(request, "clinic/join_invalid.html", status=404)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff = actions.do_accept_invite(
                invite, username=form.cleaned_data["username"],
                password=form.cleaned_data["password"], now=now,
            )  # fmt: skip
        except actions.StaffError:
            return render(request, "clinic/join_invalid.html", status=404)
        except IntegrityError:  # the username or address was taken a moment ago
            form.add_error("username", "username: that username or your e-mail address is taken.")
            return render(request, "clinic/join.html", {"form": form, "invite": invite}, status=400)
        login(request, staff.user, backend=PATH)
        return redirect(reverse("staff_setup_second_factor") + "?next=" + reverse("clinic_home"))
    status = 400 if form.is_bound else 200
    return render(request, "clinic/join.html", {"form": form, "invite": invite}, status=status)

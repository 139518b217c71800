"""Staff accounts: an administrator invites, the newcomer joins and sets up a second factor."""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from backcare.accounts.models import StaffInvite, StaffMember, User
from backcare.care.models import Action, AuditEvent
from backcare.clinic.demo import DEMO_STAFF, demo_staff
from backcare.clinic.management.commands.create_staff import HANDOVER
from backcare.clinic.models import Location
from backcare.clinic.staff import token_hash
from tests.web.people import Clinic, clinic_for, staff_client, staff_member

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh long passphrase 77"


def admin_of(c: Clinic) -> User:
    StaffMember.objects.filter(user=c.priya).update(is_admin=True)
    return c.priya


def invite(client: Client, location: Location, **extra: str) -> str:
    data = {"name": "Nina Novak", "email": "nina@clinic.example", "role": "physio",
            "locations": [str(location.pk)], **extra}  # fmt: skip
    response = client.post(reverse("clinic_staff"), data)
    assert response.status_code == 302, response.content.decode()
    body = mail.outbox[-1].body
    found = re.search(r"http://testserver(/clinic/join/[^/\s]+/)", body)
    assert found, body
    return found.group(1)


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def test_an_invited_physio_joins_sets_up_totp_and_sees_the_queue() -> None:
    c = clinic_for()
    admin = staff_client(admin_of(c))
    link = invite(admin, c.location)
    message = mail.outbox[-1]
    assert message.to == ["nina@clinic.example"] and "Harbour Physio" in message.subject
    assert AuditEvent.objects.filter(action=Action.STAFF_INVITED, actor=c.priya).count() == 1
    stored = StaffInvite.objects.get()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash

    newcomer = Client()
    assert newcomer.get(link).status_code == 200
    weak = newcomer.post(link, {"username": "nina", "password": "password"})
    assert weak.status_code == 400 and not User.objects.filter(username="nina").exists()
    joined = newcomer.post(link, {"username": "nina", "password": NEW_PASSWORD})
    assert joined["Location"].startswith(reverse("staff_setup_second_factor"))
    nina = User.objects.get(username="nina")
    assert nina.staff.clinic == c.clinic and nina.staff.role == "physio"
    assert list(nina.staff.locations.all()) == [c.location]
    assert newcomer.get(reverse("clinic_home")).status_code == 302  # second factor first
    newcomer.get(joined["Location"])
    device = TOTPDevice.objects.get(user=nina)
    done = newcomer.post(reverse("staff_setup_second_factor"), {"code": code_for(device)})
    assert done.status_code == 302
    assert newcomer.get(reverse("clinic_home")).status_code == 200
    assert Client().get(link).status_code == 404  # used once

    nina.refresh_from_db()
    assert nina.check_password(NEW_PASSWORD)


def test_the_staff_page_lists_staff_with_their_second_factor() -> None:
    c = clinic_for()
    page = staff_client(admin_of(c)).get(reverse("clinic_staff")).content.decode()
    assert "Priya" in page and "Rob" in page and "Receptionist" in page
    assert "Otto" not in page  # another clinic's


@pytest.mark.parametrize("who", ["rob", "plain_priya", "otto"])
def test_only_a_clinic_administrator_opens_the_staff_page(who: str) -> None:
    c = clinic_for()
    user = {"rob": c.rob, "plain_priya": c.priya, "otto": c.otto}[who]
    assert staff_client(user).get(reverse("clinic_staff")).status_code == 404


def test_a_receptionist_administrator_still_manages_staff() -> None:
    c = clinic_for()
    StaffMember.objects.filter(user=c.rob).update(is_admin=True)
    assert staff_client(c.rob).get(reverse("clinic_staff")).status_code == 200


def test_another_clinics_admin_cannot_resend_or_cancel_your_invites() -> None:
    c = clinic_for()
    invite(staff_client(admin_of(c)), c.location)
    pending = StaffInvite.objects.get()
    StaffMember.objects.filter(user=c.otto).update(is_admin=True)
    otto = staff_client(c.otto)
    assert "nina" not in otto.get(reverse("clinic_staff")).content.decode()
    for name in ("clinic_resend_invite", "clinic_cancel_invite"):
        assert otto.post(reverse(name, args=[pending.pk])).status_code == 404
    pending.refresh_from_db()
    assert pending.pending
    member = c.rob.staff
    assert otto.post(reverse("clinic_deactivate_staff", args=[member.pk])).status_code == 404


def test_locations_of_another_clinic_are_refused() -> None:
    c = clinic_for()
    elsewhere = Location.objects.create(clinic=c.otto.staff.clinic, name="Hill")
    admin = staff_client(admin_of(c))
    response = admin.post(reverse("clinic_staff"), {"name": "N", "email": "n@x.example",
                          "role": "physio", "locations": [str(elsewhere.pk)]})  # fmt: skip
    assert response.status_code == 400 and not StaffInvite.objects.exists()


def test_an_invite_expires_after_seven_days_and_a_resend_replaces_the_link() -> None:
    c = clinic_for()
    admin = staff_client(admin_of(c))
    link = invite(admin, c.location)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        expired = Client().get(link)
        assert expired.status_code == 404 and "does not work" in expired.content.decode()
    pending = StaffInvite.objects.get()
    admin.post(reverse("clinic_resend_invite", args=[pending.pk]))
    assert Client().get(link).status_code == 404
    new_link = re.search(r"http://testserver(/clinic/join/[^/\s]+/)", mail.outbox[-1].body)
    assert new_link and Client().get(new_link.group(1)).status_code == 200
    admin.post(reverse("clinic_cancel_invite", args=[pending.pk]))
    assert Client().get(new_link.group(1)).status_code == 404
    assert Client().get("/clinic/join/nonsense/").status_code == 404


def test_an_admin_deactivates_others_but_not_themself_nor_the_last_admin() -> None:
    c = clinic_for()
    admin = staff_client(admin_of(c))
    assert (
        admin.post(reverse("clinic_deactivate_staff", args=[c.priya.staff.pk])).status_code == 400
    )
    assert admin.post(reverse("clinic_deactivate_staff", args=[c.rob.staff.pk])).status_code == 302
    c.rob.refresh_from_db()
    assert not c.rob.is_active
    second = staff_member("ada", c.clinic, "physio", is_admin=True)
    other = staff_client(second)
    assert (
        other.post(reverse("clinic_deactivate_staff", args=[c.priya.staff.pk])).status_code == 302
    )
    StaffMember.objects.filter(user=c.priya).update(is_admin=False)
    # ada is now the only active administrator; priya is inactive, so nobody can remove ada.
    from backcare.clinic.staff import StaffError, do_deactivate

    third = staff_member("zed", c.clinic, "physio")
    with pytest.raises(StaffError, match="at least one active administrator"):
        do_deactivate(third.staff, second.staff, now=timezone.now())


def test_an_admin_resets_another_staff_members_second_factor() -> None:
    c = clinic_for()
    admin = staff_client(admin_of(c))
    staff_client(c.rob)  # rob has a device
    assert TOTPDevice.objects.filter(user=c.rob).exists()
    assert (
        admin.post(reverse("clinic_reset_second_factor", args=[c.rob.staff.pk])).status_code == 302
    )
    assert not TOTPDevice.objects.filter(user=c.rob).exists()
    own = admin.post(reverse("clinic_reset_second_factor", args=[c.priya.staff.pk]))
    assert own.status_code == 400


def test_repeated_wrong_codes_are_refused_even_the_right_one_straight_after() -> None:
    c = clinic_for()
    client = Client()
    client.force_login(c.priya)
    device = TOTPDevice.objects.create(user=c.priya, name="phone", confirmed=True)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(3):
        assert client.post(reverse("staff_verify"), {"code": wrong}).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    refused = client.post(reverse("staff_verify"), {"code": code_for(device)})
    assert refused.status_code == 200  # throttled: the right code is refused too, for now
    assert client.get(reverse("clinic_home")).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        device.refresh_from_db()
        accepted = client.post(reverse("staff_verify"), {"code": code_for(device)})
        assert accepted.status_code == 302


def create(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("create_staff", *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_create_staff_makes_a_login_with_a_one_time_password() -> None:
    c = clinic_for()
    out = create("--clinic", "harbour-physio", "--username", "lena", "--email", "lena@x.example",
                 "--role", "receptionist", "--location", "Quay", "--admin")  # fmt: skip
    password = out.split(HANDOVER)[1].split()[0]
    lena = User.objects.get(username="lena")
    assert lena.check_password(password) and lena.staff.is_admin
    assert list(lena.staff.locations.all()) == [c.location]
    create("--clinic", str(c.clinic.pk), "--username", "mo", "--email", "mo@x.example",
           "--role", "physio", "--password-stdin", stdin=NEW_PASSWORD + "\n")  # fmt: skip
    assert User.objects.get(username="mo").check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("change", "option"),
    [
        ({"--clinic": "nowhere"}, "--clinic"),
        ({"--clinic": "99999"}, "--clinic"),
        ({"--role": "surgeon"}, "--role"),
        ({"--username": "priya"}, "--username"),
        ({"--username": "bad name!"}, "--username"),
        ({"--email": "not-an-address"}, "--email"),
        ({"--email": "priya@clinic.example"}, "--email"),
        ({"--location": "Hill"}, "--location"),
    ],
)
def test_create_staff_refuses_bad_input_with_exit_code_2(
    change: dict[str, str], option: str
) -> None:
    clinic_for()
    given = {"--clinic": "Harbour Physio", "--username": "lena", "--email": "lena@x.example",
             "--role": "physio", **change}  # fmt: skip
    before = User.objects.count()
    with pytest.raises(CommandError) as failure:
        create(*[part for pair in given.items() for part in pair])
    assert failure.value.returncode == 2 and str(failure.value).startswith(option)
    assert User.objects.count() == before


def test_create_staff_refuses_a_weak_password_from_stdin() -> None:
    clinic_for()
    with pytest.raises(CommandError) as failure:
        create("--clinic", "harbour-physio", "--username", "lena", "--email", "l@x.example",
               "--role", "physio", "--password-stdin", stdin="short\n")  # fmt: skip
    assert failure.value.returncode == 2 and "--password-stdin" in str(failure.value)
    assert not User.objects.filter(username="lena").exists()


def test_demo_staff_are_idempotent_with_the_documented_secrets() -> None:
    c = clinic_for()
    first = demo_staff(c.clinic)
    again = demo_staff(c.clinic)
    assert {k: v.pk for k, v in first.items()} == {k: v.pk for k, v in again.items()}
    assert TOTPDevice.objects.filter(user__username="physio").count() == 1
    for username, entry in DEMO_STAFF.items():
        user = User.objects.get(username=username)
        assert user.check_password(entry[0])
        device = TOTPDevice.objects.get(user=user)
        assert device.bin_key == base64.b32decode(entry[5]) and device.confirmed
    assert again["clinicadmin"].is_admin and again["reception"].role == "receptionist"
    out = io.StringIO()
    call_command("demo_totp", "physio", stdout=out)
    assert out.getvalue().strip() == code_for(TOTPDevice.objects.get(user__username="physio"))
    with pytest.raises(CommandError) as failure:
        call_command("demo_totp", "priya")
    assert failure.value.returncode == 2


def test_staff_totp_command_resets_a_lost_second_factor() -> None:
    c = clinic_for()
    staff_client(c.rob)
    call_command("staff_totp", "rob", "--reset", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=c.rob).exists()
    with pytest.raises(CommandError) as failure:
        call_command("staff_totp", "nobody", "--reset")
    assert failure.value.returncode == 2


def test_a_deactivated_staff_member_is_logged_out_and_cannot_log_in_again() -> None:
    c = clinic_for()
    rob = staff_client(c.rob)
    assert rob.get(reverse("clinic_home")).status_code == 200
    staff_client(admin_of(c)).post(reverse("clinic_deactivate_staff", args=[c.rob.staff.pk]))
    assert rob.get(reverse("clinic_home")).status_code == 302
    again = Client()
    again.post(reverse("login"), {"username": "rob", "password": "a long passphrase 42"})
    assert "_auth_user_id" not in again.session


def test_an_invite_to_a_taken_or_already_invited_address_is_refused() -> None:
    c = clinic_for()
    admin = staff_client(admin_of(c))
    invite(admin, c.location)
    for email in ("nina@clinic.example", "ROB@clinic.example"):
        again = admin.post(reverse("clinic_staff"), {"name": "N", "email": email, "role": "physio"})
        assert again.status_code == 400 and "email: " in again.content.decode()
    assert StaffInvite.objects.count() == 1 and len(mail.outbox) == 1


def test_the_invite_email_holds_a_link_and_nothing_about_patients() -> None:
    from tests.web.people import person

    maya, _ = person("maya", onset_days=4, pain_now=4)
    c = clinic_for(maya)
    invite(staff_client(admin_of(c)), c.location)
    body = mail.outbox[-1].body
    assert "maya" not in body.lower() and "pain" not in body.lower()
    assert len(re.findall(r"https?://", body)) == 1


def test_a_demo_login_passes_the_second_factor_with_the_demo_totp_code() -> None:
    c = clinic_for()
    demo_staff(c.clinic)
    client = Client()
    client.force_login(User.objects.get(username="clinicadmin"))
    out = io.StringIO()
    call_command("demo_totp", "clinicadmin", stdout=out)
    assert client.post(reverse("staff_verify"), {"code": out.getvalue().strip()}).status_code == 302
    assert client.get(reverse("clinic_staff")).status_code == 200


def test_joining_after_someone_took_the_address_is_a_400_and_the_invite_still_works() -> None:
    c = clinic_for()
    link = invite(staff_client(admin_of(c)), c.location)
    User.objects.create_user("sneaky", email="NINA@clinic.example", password=NEW_PASSWORD)
    taken = Client().post(link, {"username": "nina", "password": NEW_PASSWORD})
    assert taken.status_code == 400 and "username: " in taken.content.decode()
    assert not User.objects.filter(username="nina").exists()
    assert StaffInvite.objects.get().pending

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from moderation.models import InstanceSettings, Invite, RegistrationMode


def allow_user_invites() -> None:
    settings = InstanceSettings.current()
    settings.users_can_invite = True
    settings.registrations_mode = RegistrationMode.NONE
    settings.save()


def test_users_cannot_invite_unless_the_admin_allows(alice, client_for) -> None:
    client = client_for(alice)
    assert client.get("/invites").status_code == 403
    allow_user_invites()
    response = client.post("/invites", {"max_uses": "5", "expires_in": "86400"})
    assert response.status_code == 302
    invite = Invite.objects.get(user=alice)
    assert invite.max_uses == 5 and invite.valid_for_use
    assert invite.expires_at is not None
    assert timedelta(hours=23) < invite.expires_at - timezone.now() <= timedelta(days=1)
    assert f"http://testserver/invite/{invite.code}" in client.get("/invites").content.decode()


def test_admins_always_can_invite(make_user, client_for) -> None:
    admin = make_user("boss", role="admin")
    response = client_for(admin).post("/invites", {"max_uses": "", "expires_in": ""})
    assert response.status_code == 302
    invite = Invite.objects.get()
    assert invite.max_uses is None and invite.expires_at is None


def test_expired_invite_refuses_sign_up(alice, client_for) -> None:
    allow_user_invites()
    client = client_for(alice)
    client.post("/invites", {"max_uses": "", "expires_in": "1800"})
    invite = Invite.objects.get()
    client.post(f"/invites/{invite.pk}/expire")
    invite.refresh_from_db()
    assert not invite.valid_for_use
    page = Client().get(f"/invite/{invite.code}").content.decode()
    assert "expired" in page and "Registrations are closed" in page


def test_bad_invite_form_input_is_refused(alice, client_for) -> None:
    allow_user_invites()
    response = client_for(alice).post("/invites", {"max_uses": "7", "expires_in": "12"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Invite.objects.exists()

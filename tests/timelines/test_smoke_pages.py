import pytest
from django.test import Client

from timelines.models import Status


@pytest.mark.parametrize(
    "path", ["/", "/public/local", "/public", "/tags/hello", "/about", "/auth/sign_up",
             "/auth/sign_in", "/auth/password/new", "/health", "/privacy-policy"],
)  # fmt: skip
def test_public_pages_answer(path: str) -> None:
    assert Client().get(path).status_code == 200


def test_signed_in_pages_answer(alice, bob, client_for) -> None:
    client = client_for(alice)
    response = client.post("/statuses", {"text": "Hello #world @bob", "visibility": "public"})
    assert response.status_code == 302
    status = Status.objects.get(account=alice.account)
    for path in ["/", "/notifications", "/bookmarks", "/settings/profile", "/settings/account",
                 "/follow_requests", "/@alice", "/@alice/followers", "/@alice/following",
                 f"/@alice/{status.pk}", "/tags/world", "/public/local"]:  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"Hello" in response.content or path in (
            "/notifications", "/bookmarks", "/settings/profile", "/settings/account",
            "/follow_requests", "/@alice/followers", "/@alice/following",
        ), path  # fmt: skip


def test_terms_of_service_page_follows_the_admin_text() -> None:
    from moderation.models import InstanceSettings

    assert Client().get("/terms-of-service").status_code == 404
    settings = InstanceSettings.current()
    settings.terms_of_service = "Be kind to %{domain}."
    settings.save()
    page = Client().get("/terms-of-service")
    assert page.status_code == 200 and "Be kind to testserver." in page.content.decode()

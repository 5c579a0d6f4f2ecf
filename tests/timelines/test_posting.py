import pytest
from django.test import Client

from moderation.models import InstanceSettings
from timelines.models import Mention, Notification, Status


def post(client: Client, text: str, **extra: object):
    return client.post("/statuses", {"text": text, "visibility": "public", **extra})


def test_post_renders_links_mentions_and_tags(alice, bob, client_for) -> None:
    response = post(client_for(alice), "Hello @bob #Herd https://example.com <b>x</b>")
    assert response.status_code == 302
    status = Status.objects.get()
    assert status.uri == f"http://testserver/users/alice/statuses/{status.pk}"
    assert status.url == f"http://testserver/@alice/{status.pk}"
    assert status.local and status.visibility == "public"
    assert 'href="http://testserver/@bob"' in status.content
    assert 'href="http://testserver/tags/Herd"' in status.content
    assert "&lt;b&gt;x&lt;/b&gt;" in status.content
    assert [t.name for t in status.tags.all()] == ["Herd"]
    assert Mention.objects.get(status=status).account == bob.account
    notification = Notification.objects.get(account=bob.account)
    assert notification.type == "mention" and notification.status == status


def test_snowflake_ids_increase_with_time(alice, client_for) -> None:
    client = client_for(alice)
    post(client, "one")
    post(client, "two")
    first, second = Status.objects.order_by("created_at")
    assert second.pk > first.pk > 2**40


@pytest.mark.parametrize("text", ["", "   \n "])
def test_empty_posts_are_refused(alice, client_for, text) -> None:
    response = post(client_for(alice), text)
    assert response.status_code == 400
    assert b"Write something" in response.content
    assert not Status.objects.exists()


def test_character_limit_follows_the_admin_setting(alice, client_for) -> None:
    client = client_for(alice)
    assert post(client, "x" * 501).status_code == 400
    assert post(client, "x" * 470 + " https://example.com/" + "y" * 200).status_code == 302
    settings = InstanceSettings.current()
    settings.character_limit = 1000
    settings.save()
    assert post(client, "x" * 900).status_code == 302
    assert Status.objects.count() == 2


def test_content_warning_counts_towards_the_limit(alice, client_for) -> None:
    response = post(client_for(alice), "x" * 450, spoiler_text="y" * 60)
    assert response.status_code == 400
    assert post(client_for(alice), "x", spoiler_text="Spoilers").status_code == 302
    status = Status.objects.get()
    assert status.spoiler_text == "Spoilers" and status.sensitive


def test_bad_visibility_is_refused(alice, client_for) -> None:
    assert post(client_for(alice), "hi", visibility="everyone").status_code == 400
    assert not Status.objects.exists()


def test_reply_threads_and_notifies(alice, bob, client_for) -> None:
    post(client_for(alice), "first")
    parent = Status.objects.get()
    response = post(client_for(bob), "@alice answer", in_reply_to_id=parent.pk)
    assert response.status_code == 302
    reply = Status.objects.exclude(pk=parent.pk).get()
    assert reply.in_reply_to == parent and reply.in_reply_to_account == alice.account
    page = Client().get(f"/@alice/{parent.pk}")
    assert b"answer" in page.content
    assert Notification.objects.filter(account=alice.account, type="mention").exists()


def test_reply_to_invisible_post_is_refused(alice, bob, client_for) -> None:
    post(client_for(alice), "secret", visibility="private")
    secret = Status.objects.get()
    response = post(client_for(bob), "peek", in_reply_to_id=secret.pk)
    assert response.status_code == 400
    assert b"does not exist" in response.content
    assert Status.objects.count() == 1


def test_delete_own_post_only(alice, bob, client_for) -> None:
    post(client_for(alice), "mine")
    status = Status.objects.get()
    response = client_for(bob).post(f"/statuses/{status.pk}/delete")
    assert response.status_code == 302 and Status.objects.exists()
    client_for(alice).post(f"/statuses/{status.pk}/delete")
    assert not Status.objects.exists()
    assert Client().get(f"/@alice/{status.pk}").status_code == 404


def test_posting_needs_login_and_csrf(alice) -> None:
    assert Client().post("/statuses", {"text": "hi"}).status_code == 302
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/statuses", {"text": "hi"}).status_code == 403
    assert not Status.objects.exists()

from accounts.models import Follow, FollowRequest
from timelines.models import Notification
from timelines.services.statuses import StatusInput, do_create_status


def test_follow_and_unfollow_from_the_profile(alice, bob, client_for) -> None:
    client = client_for(bob)
    do_create_status(account=alice.account, data=StatusInput(text="from alice"))
    assert "from alice" not in client.get("/").content.decode()
    assert client.post("/@alice/follow").status_code == 302
    assert Follow.objects.filter(account=bob.account, target_account=alice.account).exists()
    assert Notification.objects.get(account=alice.account).type == "follow"
    assert "from alice" in client.get("/").content.decode()
    assert "Unfollow" in client.get("/@alice").content.decode()
    assert "bob" in client.get("/@alice/followers").content.decode()
    assert "alice" in client.get("/@bob/following").content.decode()
    client.post("/@alice/unfollow")
    assert not Follow.objects.exists()
    assert "from alice" not in client.get("/").content.decode()


def test_locked_account_gets_requests_to_approve_or_reject(make_user, bob, client_for) -> None:
    locked = make_user("lock", locked=True)
    client_for(bob).post("/@lock/follow")
    request = FollowRequest.objects.get()
    assert not Follow.objects.exists()
    assert Notification.objects.get(account=locked.account).type == "follow_request"
    owner = client_for(locked)
    assert "bob" in owner.get("/follow_requests").content.decode()
    owner.post(f"/follow_requests/{request.pk}/authorize")
    assert Follow.objects.filter(account=bob.account, target_account=locked.account).exists()
    assert not FollowRequest.objects.exists()

    carol = make_user("carol")
    client_for(carol).post("/@lock/follow")
    owner.post(f"/follow_requests/{FollowRequest.objects.get().pk}/reject")
    assert not FollowRequest.objects.exists()
    assert not Follow.objects.filter(account=carol.account).exists()


def test_cannot_follow_self_or_answer_others_requests(alice, bob, make_user, client_for) -> None:
    client_for(alice).post("/@alice/follow")
    assert not Follow.objects.exists()
    locked = make_user("lock", locked=True)
    client_for(bob).post("/@lock/follow")
    request = FollowRequest.objects.get()
    assert client_for(alice).post(f"/follow_requests/{request.pk}/authorize").status_code == 404
    assert locked and FollowRequest.objects.exists()


def test_unknown_profile_is_404(client) -> None:
    assert client.get("/@nobody").status_code == 404

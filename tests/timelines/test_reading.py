from accounts.services.follows import do_follow
from timelines.services.interactions import do_favourite, do_reblog
from timelines.services.statuses import StatusInput, do_create_status


def test_home_is_newest_first_and_paginated(alice, bob, client_for) -> None:
    do_follow(account=bob.account, target=alice.account)
    for i in range(25):
        do_create_status(account=alice.account, data=StatusInput(text=f"post number {i:02d}"))
    client = client_for(bob)
    first = client.get("/")
    page = first.content.decode()
    assert page.index("post number 24") < page.index("post number 23")
    assert "post number 04" not in page and "post number 05" in page
    older = first.context["older"]
    second = client.get(f"/?max_id={older}").content.decode()
    assert "post number 04" in second and "post number 00" in second
    assert "post number 05" not in second


def test_home_leaves_out_replies_to_strangers(alice, bob, make_user, client_for) -> None:
    stranger = make_user("stranger")
    do_follow(account=bob.account, target=alice.account)
    theirs = do_create_status(account=stranger.account, data=StatusInput(text="stranger's"))
    do_create_status(
        account=alice.account,
        data=StatusInput(text="reply to stranger", in_reply_to_id=theirs.pk),
    )
    do_create_status(account=alice.account, data=StatusInput(text="top level"))
    page = client_for(bob).get("/").content.decode()
    assert "top level" in page and "reply to stranger" not in page


def test_notifications_page_lists_each_kind(alice, bob, client_for) -> None:
    status = do_create_status(account=alice.account, data=StatusInput(text="hello"))
    do_follow(account=bob.account, target=alice.account)
    do_favourite(account=bob.account, status=status)
    do_reblog(account=bob.account, status=status)
    do_create_status(
        account=bob.account, data=StatusInput(text="@alice re", in_reply_to_id=status.pk)
    )
    page = client_for(alice).get("/notifications").content.decode()
    for phrase in ("followed you", "favourited your post", "boosted your post", "replied to you"):
        assert phrase in page
    assert "followed you" not in client_for(bob).get("/notifications").content.decode()


def test_thread_page_shows_ancestors_and_descendants(alice, bob) -> None:
    from django.test import Client

    root = do_create_status(account=alice.account, data=StatusInput(text="root post"))
    middle = do_create_status(
        account=bob.account, data=StatusInput(text="middle post", in_reply_to_id=root.pk)
    )
    do_create_status(
        account=alice.account, data=StatusInput(text="leaf post", in_reply_to_id=middle.pk)
    )
    page = Client().get(f"/@bob/{middle.pk}").content.decode()
    page = page[page.index("<main") :]
    assert page.index("root post") < page.index("middle post") < page.index("leaf post")

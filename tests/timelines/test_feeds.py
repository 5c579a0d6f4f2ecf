"""Who gets a post in their Redis home or list feed, and who does not (fan-out on real Redis
and PostgreSQL, Celery eager)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Account, Follow, User
from accounts.services.blocks import do_block
from accounts.services.domain_blocks import do_block_domain
from accounts.services.follows import do_follow
from accounts.services.mutes import do_mute
from timelines import feeds
from timelines.models import Status, Visibility
from timelines.services.interactions import do_reblog
from timelines.services.lists import do_add_list_accounts, do_create_list
from timelines.services.statuses import StatusInput, do_create_status
from timelines.services.tag_follows import do_follow_tag


def active(*users: User) -> None:
    User.objects.filter(pk__in=[u.pk for u in users]).update(last_active_at=timezone.now())


def home(user: User) -> list[int]:
    return feeds.ids_in(feeds.home_key(user.account.pk))


def in_list(list_id: int) -> list[int]:
    return feeds.ids_in(feeds.list_key(list_id))


def post(user: User, text: str, **kwargs) -> Status:
    return do_create_status(account=user.account, data=StatusInput(text=text, **kwargs))


def test_each_visibility_reaches_whom_it_should(alice, bob, make_user) -> None:
    carol, stranger = make_user("carol"), make_user("stranger")
    active(alice, bob, carol, stranger)
    do_follow(account=bob.account, target=alice.account)
    do_follow(account=carol.account, target=alice.account)
    public = post(alice, "public")
    unlisted = post(alice, "unlisted", visibility=Visibility.UNLISTED)
    private = post(alice, "private", visibility=Visibility.PRIVATE)
    direct = post(alice, "@bob direct", visibility=Visibility.DIRECT)
    assert home(bob) == [direct.pk, private.pk, unlisted.pk, public.pk]
    assert home(carol) == [private.pk, unlisted.pk, public.pk]
    assert home(alice) == [direct.pk, private.pk, unlisted.pk, public.pk]
    assert home(stranger) == []


def test_replies_reach_only_those_who_follow_both(alice, bob, make_user) -> None:
    carol, dave = make_user("carol"), make_user("dave")
    active(bob, dave)
    for follower in (bob, dave):
        do_follow(account=follower.account, target=alice.account)
    do_follow(account=dave.account, target=carol.account)
    theirs = post(carol, "carol's")
    reply = post(alice, "answer", in_reply_to_id=theirs.pk)
    to_self = post(alice, "thread", in_reply_to_id=reply.pk)
    assert reply.pk not in home(bob) and to_self.pk in home(bob)
    assert reply.pk in home(dave) and to_self.pk in home(dave)


def test_blocks_either_way_keep_boosts_out(alice, bob, make_user) -> None:
    carol, dave = make_user("carol"), make_user("dave")
    active(bob, dave)
    do_follow(account=bob.account, target=alice.account)
    do_follow(account=dave.account, target=alice.account)
    do_block(account=bob.account, target=carol.account)
    do_block(account=carol.account, target=dave.account)
    boost = do_reblog(account=alice.account, status=post(carol, "carol's"))
    assert boost.pk not in home(bob) and boost.pk not in home(dave)
    original = post(alice, "alice's own")
    assert original.pk in home(bob) and original.pk in home(dave)


def test_mutes_and_hidden_boosts(alice, bob, make_user) -> None:
    carol, dave, erin = make_user("carol"), make_user("dave"), make_user("erin")
    active(bob, dave, erin)
    for follower in (bob, dave, erin):
        do_follow(account=follower.account, target=alice.account)
    do_mute(account=bob.account, target=alice.account)
    do_mute(account=dave.account, target=carol.account)
    do_follow(account=erin.account, target=alice.account, reblogs=False)
    original = post(alice, "hello")
    boost = do_reblog(account=alice.account, status=post(carol, "carol's"))
    assert home(bob) == []
    assert original.pk in home(dave) and boost.pk not in home(dave)
    assert original.pk in home(erin) and boost.pk not in home(erin)


def test_domain_blocks_keep_boosts_of_that_domain_out(alice, bob) -> None:
    active(bob)
    do_follow(account=bob.account, target=alice.account)
    eve = Account.objects.create(username="eve", domain="remote.example", uri="https://r/eve")
    remote = Status.objects.create(account=eve, local=False, uri="https://r/1", content="hi")
    do_block_domain(account=bob.account, domain="remote.example")
    boost = do_reblog(account=alice.account, status=remote)
    assert boost.pk not in home(bob)
    assert boost.pk in home(alice)


def test_remote_author_reaches_local_followers(bob) -> None:
    active(bob)
    eve = Account.objects.create(username="eve", domain="remote.example", uri="https://r/eve")
    Follow.objects.create(account=bob.account, target_account=eve)
    from federation.parse import RemoteNote
    from federation.services.remote_statuses import do_create_remote_status

    note = RemoteNote(
        id="https://r/notes/1", attributed_to="https://r/eve", content="<p>from afar</p>",
        to=["https://www.w3.org/ns/activitystreams#Public"],
    )  # fmt: skip
    status = do_create_remote_status(account=eve, note=note)
    assert status is not None and home(bob) == [status.pk]


def test_lists_and_exclusive_lists(alice, bob, make_user) -> None:
    carol = make_user("carol")
    active(bob)
    do_follow(account=bob.account, target=alice.account)
    do_follow(account=bob.account, target=carol.account)
    plain = do_create_list(account=bob.account, title="friends", replies_policy="followed")
    exclusive = do_create_list(account=bob.account, title="work", exclusive=True)
    quiet = do_create_list(account=bob.account, title="quiet", replies_policy="none")
    do_add_list_accounts(list_=plain, accounts=[alice.account])
    do_add_list_accounts(list_=exclusive, accounts=[carol.account])
    do_add_list_accounts(list_=quiet, accounts=[alice.account])
    members_only = do_create_list(account=bob.account, title="members")
    do_add_list_accounts(list_=members_only, accounts=[alice.account])
    by_alice = post(alice, "alice")
    by_carol = post(carol, "carol")
    reply = post(alice, "to carol", in_reply_to_id=by_carol.pk)
    assert in_list(plain.pk) == [reply.pk, by_alice.pk]
    assert in_list(exclusive.pk) == [by_carol.pk]
    assert in_list(quiet.pk) == [by_alice.pk]
    assert in_list(members_only.pk) == [by_alice.pk]
    assert home(bob) == [reply.pk, by_alice.pk]


def test_followed_tags_bring_public_posts_only(alice, bob, make_user) -> None:
    carol = make_user("carol")
    active(bob, carol)
    do_follow_tag(account=bob.account, name="cats")
    do_follow_tag(account=carol.account, name="cats")
    do_mute(account=carol.account, target=alice.account)
    public = post(alice, "look #cats")
    post(alice, "quiet #cats", visibility=Visibility.UNLISTED)
    assert home(bob) == [public.pk]
    assert home(carol) == []


def test_boost_of_a_post_near_the_top_is_not_inserted_again(alice, bob, make_user) -> None:
    carol, dave = make_user("carol"), make_user("dave")
    active(bob)
    for target in (alice, carol, dave):
        do_follow(account=bob.account, target=target.account)
    original = post(alice, "popular")
    do_reblog(account=carol.account, status=original)
    assert home(bob) == [original.pk]
    other = post(make_user("erin"), "elsewhere")
    first_boost = do_reblog(account=carol.account, status=other)
    second_boost = do_reblog(account=dave.account, status=other)
    assert first_boost.pk in home(bob) and second_boost.pk not in home(bob)


def test_inactive_followers_are_skipped_and_their_feed_dropped(alice, bob) -> None:
    do_follow(account=bob.account, target=alice.account)
    active(bob)
    earlier = post(alice, "earlier")
    assert home(bob) == [earlier.pk]
    User.objects.filter(pk=bob.pk).update(last_active_at=timezone.now() - timedelta(days=8))
    later = post(alice, "later")
    assert home(bob) == []
    assert not feeds.client().exists(feeds.home_key(bob.account.pk) + ":ready")
    from timelines.selectors import home_timeline

    assert [s.pk for s in home_timeline(bob.account).order_by("-id")] == [later.pk, earlier.pk]
    assert home(bob) == [later.pk, earlier.pk]


def test_page_cursors_are_exact_although_scores_are_doubles() -> None:
    # Ids made in one millisecond differ in low bits that a double score cannot hold.
    ids = [117_000_000_000_000_000 + n for n in range(40)]
    feed = feeds.RankedFeed("feed:home:precision", lambda limit: [])
    feed.merge(ids, mark_ready=True)
    assert feed.window(5, max_id=ids[20]) == ids[19:14:-1]
    assert feed.window(3, since_id=ids[36]) == ids[39:36:-1]
    assert feed.window(3, min_id=ids[10]) == ids[13:10:-1]
    assert feed.window(3, max_id=ids[12], since_id=ids[10]) == [ids[11]]


def test_a_follow_for_some_languages_keeps_the_others_out(alice, bob, make_user) -> None:
    from timelines.selectors import home_query, newest_ids
    from timelines.services.lists import list_timeline

    carol, dave = make_user("carol"), make_user("dave")
    active(alice, bob, carol)
    do_follow(account=bob.account, target=alice.account, languages=["en", "PT"])
    do_follow(account=carol.account, target=alice.account, languages=[])
    english = post(alice, "hello", language="en")
    german = post(alice, "hallo", language="de")
    portuguese = post(alice, "olá", language="pt")
    unknown = post(alice, "?")
    other = post(dave, "tschüss", language="de")
    boost = do_reblog(account=alice.account, status=other)
    everything = [boost.pk, unknown.pk, portuguese.pk, german.pk, english.pk]
    wanted = [boost.pk, unknown.pk, portuguese.pk, english.pk]
    assert home(bob) == wanted
    # An empty choice is no choice.
    assert home(carol) == everything
    # The database query a feed is rebuilt from keeps the same ones out.
    rebuilt = newest_ids(home_query(bob.account), 20)
    assert rebuilt == wanted
    # Lists follow the owner's choice too, merged or fanned out.
    friends = do_create_list(account=bob.account, title="alice")
    do_add_list_accounts(list_=friends, accounts=[alice.account])
    built = sorted(list_timeline(friends).values_list("id", flat=True), reverse=True)
    assert [i for i in built if i != boost.pk] == wanted[1:]
    later_german, later_english = (
        post(alice, "noch", language="de"),
        post(alice, "more", language="en"),
    )
    assert later_german.pk not in in_list(friends.pk)
    assert later_english.pk in in_list(friends.pk)

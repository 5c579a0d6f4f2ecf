"""Filters v2 and v1, and the `filtered` field they put on statuses, checked against Mastodon's
Filter, FilterKeyword, FilterStatus, FilterResult and v1 Filter entities."""

from datetime import datetime, timedelta
from urllib.parse import urlencode

import httpx
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from mastodon import Mastodon

from accounts.services.follows import do_follow
from tests.api.accounts_support import NOT_FOUND, SCOPE_ERROR
from timelines.api.present import present_timeline
from timelines.models import Status
from timelines.models_curation import Filter, FilterKeyword, FilterStatus
from timelines.selectors import home_timeline, paginate
from timelines.services.filters import do_add_keyword, do_create_filter
from timelines.services.statuses import StatusInput, do_create_status


def post(user, text: str, **options) -> Status:
    return do_create_status(account=user.account, data=StatusInput(text=text, **options))


def test_filter_lifecycle_through_mastodon_py(alice, api_for) -> None:
    api: Mastodon = api_for(alice)
    created = api.create_filter_v2(
        "Spoilers",
        ["home", "public"],
        "warn",
        expires_in=3600,
        keywords_attributes=[{"keyword": "finale", "whole_word": True}, {"keyword": "twist"}],
    )
    assert set(created) == {
        "id", "title", "context", "expires_at", "filter_action", "keywords", "statuses",
    }  # fmt: skip
    assert created["title"] == "Spoilers" and created["context"] == ["home", "public"]
    assert created["filter_action"] == "warn" and created["statuses"] == []
    assert [(k["keyword"], k["whole_word"]) for k in created["keywords"]] == [
        ("finale", True), ("twist", True),
    ]  # fmt: skip
    assert created["expires_at"] > timezone.now() and isinstance(created["id"], str)
    assert [f["title"] for f in api.filters_v2()] == ["Spoilers"]
    finale = created["keywords"][0]
    updated = api.update_filter_v2(
        created["id"],
        title="No spoilers",
        filter_action="hide",
        keywords_attributes=[
            {"id": finale["id"], "whole_word": False},
            {"id": created["keywords"][1]["id"], "_destroy": True},
            {"keyword": "ending"},
        ],
    )
    assert updated["title"] == "No spoilers" and updated["filter_action"] == "hide"
    assert updated["context"] == ["home", "public"]
    assert [(k["keyword"], k["whole_word"]) for k in updated["keywords"]] == [
        ("finale", False), ("ending", True),
    ]  # fmt: skip
    assert api.filter_v2(created["id"])["title"] == "No spoilers"
    api.delete_filter_v2(created["id"])
    assert api.filters_v2() == [] and not FilterKeyword.objects.exists()


def test_keywords_and_statuses_of_a_filter(alice, bob, api_for, http_for) -> None:
    api = api_for(alice)
    created = api.create_filter_v2("Mine", ["thread"], "blur")
    assert created["filter_action"] == "blur" and created["expires_at"] is None
    keyword = api.add_filter_keyword_v2(created["id"], "cats", whole_word=False)
    assert keyword == {"id": keyword["id"], "keyword": "cats", "whole_word": False}
    assert [k["keyword"] for k in api.filter_keywords_v2(created["id"])] == ["cats"]
    client = http_for(alice)
    changed = client.put(f"/api/v2/filters/keywords/{keyword['id']}", data={"keyword": "dogs"})
    assert changed.json() == {"id": keyword["id"], "keyword": "dogs", "whole_word": False}
    assert client.get(f"/api/v2/filters/keywords/{keyword['id']}").json()["keyword"] == "dogs"
    assert client.delete(f"/api/v2/filters/keywords/{keyword['id']}").json() == {}
    status = post(bob, "a post to filter")
    row = api.add_filter_status_v2(created["id"], status.pk)
    assert row == {"id": row["id"], "status_id": str(status.pk)}
    assert api.filter_status_v2(row["id"]) == row
    assert api.filter_statuses_v2(created["id"]) == [row]
    again = client.post(f"/api/v2/filters/{created['id']}/statuses", data={"status_id": status.pk})
    assert again.status_code == 422
    assert again.json() == {"error": "Validation failed: Status has already been taken"}
    missing = client.post(f"/api/v2/filters/{created['id']}/statuses", data={"status_id": "1"})
    assert missing.json() == {"error": "Validation failed: Status must exist"}
    hidden = post(bob, "for someone else @bob", visibility="direct")
    invisible = client.post(
        f"/api/v2/filters/{created['id']}/statuses", data={"status_id": hidden.pk}
    )
    assert invisible.json() == {"error": "Validation failed: Status is invalid"}
    api.delete_filter_status_v2(row["id"])
    assert not FilterStatus.objects.exists()


def test_form_bodies_with_bracket_keys(alice, http_for) -> None:
    client = http_for(alice)
    response = client.post(
        "/api/v2/filters",
        # As Rails reads a form: a new entry starts when a key repeats.
        content=urlencode(
            [
                ("title", "Form"),
                ("context[]", "home"),
                ("context[]", "notifications"),
                ("keywords_attributes[][keyword]", "one"),
                ("keywords_attributes[][whole_word]", "false"),
                ("keywords_attributes[][keyword]", "two"),
                ("keywords_attributes[][whole_word]", "true"),
            ]
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["context"] == ["home", "notifications"]
    assert {(k["keyword"], k["whole_word"]) for k in body["keywords"]} == {
        ("one", False), ("two", True),
    }  # fmt: skip
    indexed = client.post(
        "/api/v2/filters",
        content=(
            "title=Indexed&context[]=account&keywords_attributes[0][keyword]=alpha"
            "&keywords_attributes[1][keyword]=beta&keywords_attributes[1][whole_word]=0"
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ).json()
    assert [(k["keyword"], k["whole_word"]) for k in indexed["keywords"]] == [
        ("alpha", True), ("beta", False),
    ]  # fmt: skip


def test_bad_filters_are_refused_and_change_nothing(alice, bob, http_for) -> None:
    client = http_for(alice)
    nothing = client.post("/api/v2/filters", data={})
    assert nothing.status_code == 422
    assert nothing.json() == {
        "error": "Validation failed: Title can't be blank, Context can't be blank, "
        "Context None or invalid context supplied"
    }
    wrong = client.post("/api/v2/filters", json={"title": "x", "context": ["home", "feeds"]})
    assert wrong.json() == {"error": "Validation failed: Context None or invalid context supplied"}
    action = client.post(
        "/api/v2/filters", json={"title": "x", "context": ["home"], "filter_action": "delete"}
    )
    assert action.status_code == 422 and action.json() == {
        "error": "'delete' is not a valid action"
    }
    blank = client.post(
        "/api/v2/filters",
        json={
            "title": "x",
            "context": ["home"],
            "keywords_attributes": [{"keyword": "", "whole_word": True}],
        },
    )
    assert blank.json() == {"error": "Validation failed: Keywords keyword can't be blank"}
    assert not Filter.objects.exists()
    mine = do_create_filter(account=alice.account, title="Mine", context=["home"])
    kept = do_add_keyword(filter_=mine, keyword="kept", whole_word=True)
    theirs = do_create_filter(account=bob.account, title="Bob's", context=["home"])
    bad_update = client.put(
        f"/api/v2/filters/{mine.pk}",
        json={
            "title": "Renamed",
            "context": [],
            "keywords_attributes": [{"id": kept.pk, "_destroy": True}],
        },
    )
    assert bad_update.status_code == 422
    foreign = do_add_keyword(filter_=theirs, keyword="theirs", whole_word=True)
    steal = client.put(
        f"/api/v2/filters/{mine.pk}",
        json={"keywords_attributes": [{"id": foreign.pk, "_destroy": "1"}]},
    )
    assert steal.status_code == 404
    mine.refresh_from_db()
    assert mine.title == "Mine" and FilterKeyword.objects.count() == 2
    for method, path in [
        ("GET", f"/api/v2/filters/{theirs.pk}"),
        ("DELETE", f"/api/v2/filters/{theirs.pk}"),
        ("GET", f"/api/v2/filters/{theirs.pk}/keywords"),
        ("POST", f"/api/v2/filters/{theirs.pk}/statuses"),
        ("DELETE", f"/api/v2/filters/keywords/{foreign.pk}"),
        ("GET", f"/api/v1/filters/{foreign.pk}"),
        ("GET", "/api/v2/filters/nope"),
    ]:
        response = client.request(method, path)
        assert response.status_code == 404 and response.json() == NOT_FOUND, (method, path)
    assert Filter.objects.filter(pk=theirs.pk).exists()


def test_v1_filters_are_keywords_of_v2_filters(alice, api_for, http_for) -> None:
    api = api_for(alice)
    created = api.filter_create("Bad Word", ["home", "thread"], irreversible=True, whole_word=False)
    assert created == {
        "id": created["id"], "phrase": "Bad Word", "context": ["home", "thread"],
        "whole_word": False, "expires_at": None, "irreversible": True,
    }  # fmt: skip
    keyword = FilterKeyword.objects.select_related("filter").get(pk=created["id"])
    assert keyword.filter.title == "Bad Word" and keyword.filter.filter_action == "hide"
    v2 = api.filters_v2()
    assert [(f["title"], [k["keyword"] for k in f["keywords"]]) for f in v2] == [
        ("Bad Word", ["Bad Word"]),
    ]  # fmt: skip
    updated = api.filter_update(
        created["id"], phrase="Worse Word", irreversible=False, expires_in=600
    )
    assert updated["phrase"] == "Worse Word" and not updated["irreversible"]
    assert updated["expires_at"] is not None
    assert [f["phrase"] for f in api.filters()] == ["Worse Word"]
    # A filter with several keywords cannot be changed as a whole through one of them.
    do_add_keyword(filter_=keyword.filter, keyword="another", whole_word=True)
    client = http_for(alice)
    refused = client.put(f"/api/v1/filters/{created['id']}", data={"context[]": ["public"]})
    assert refused.status_code == 422
    assert refused.json()["error"].startswith("These parameters cannot be changed")
    assert Filter.objects.get().context == ["home", "thread"]
    only_keyword = client.put(f"/api/v1/filters/{created['id']}", data={"whole_word": "true"})
    assert only_keyword.status_code == 200 and only_keyword.json()["whole_word"] is True
    api.filter_delete(created["id"])
    assert [k.keyword for k in FilterKeyword.objects.all()] == ["another"]
    blank = client.post("/api/v1/filters", data={"phrase": "", "context[]": "home"})
    assert blank.json() == {"error": "Validation failed: Title can't be blank"}


def test_filtered_on_statuses_and_hidden_posts(alice, bob, api_for) -> None:
    do_follow(account=alice.account, target=bob.account)
    warned = post(bob, "The Finale was great")
    partial = post(bob, "finales everywhere")
    hidden = post(bob, "spam spam")
    own = post(alice, "my own spam")
    picked = post(bob, "nothing special")
    plain = post(alice, "nothing to see")
    api = api_for(alice)
    warn = do_create_filter(account=alice.account, title="Show", context=["home", "thread"])
    do_add_keyword(filter_=warn, keyword="finale", whole_word=True)
    FilterStatus.objects.create(filter=warn, status=picked)
    hide = do_create_filter(
        account=alice.account, title="Hide", context=["home"], filter_action="hide"
    )
    do_add_keyword(filter_=hide, keyword="spam", whole_word=True)
    expired = do_create_filter(
        account=alice.account, title="Expired", context=["home"], expires_in=-10
    )
    do_add_keyword(filter_=expired, keyword="great", whole_word=True)
    home = {int(s["id"]): s for s in api.timeline_home()}
    assert hidden.pk not in home and own.pk in home and plain.pk in home
    result = home[warned.pk]["filtered"]
    assert result == [
        {
            "filter": {
                "id": str(warn.pk), "title": "Show", "context": ["home", "thread"],
                "expires_at": None, "filter_action": "warn",
            },
            "keyword_matches": ["Finale"],
            "status_matches": None,
        }
    ]  # fmt: skip
    assert home[partial.pk]["filtered"] == []
    assert home[picked.pk]["filtered"][0]["status_matches"] == [str(picked.pk)]
    assert home[picked.pk]["filtered"][0]["keyword_matches"] is None
    assert home[own.pk]["filtered"][0]["filter"]["filter_action"] == "hide"
    # On the public timeline only filters for "public" apply: the hide filter does not.
    public = {int(s["id"]): s for s in api.timeline_public()}
    assert hidden.pk in public and public[hidden.pk]["filtered"] == []
    # A single status reports every active filter, as Mastodon does.
    single = api.status(hidden.pk)
    assert [r["filter"]["title"] for r in single["filtered"]] == ["Hide"]


def test_filtered_reaches_boosts(alice, bob, make_user, api_for) -> None:
    carol = make_user("carol")
    do_follow(account=alice.account, target=bob.account)
    original = post(carol, "finale talk")
    api_bob = api_for(bob)
    boost = api_bob.status_reblog(original.pk)
    keyword_filter = do_create_filter(account=alice.account, title="F", context=["home"])
    do_add_keyword(filter_=keyword_filter, keyword="finale", whole_word=True)
    home = api_for(alice).timeline_home()
    entry = next(s for s in home if s["id"] == boost["id"])
    assert entry["filtered"][0]["keyword_matches"] == ["finale"]
    assert entry["reblog"]["filtered"][0]["filter"]["title"] == "F"


def test_filter_scopes(alice, http_for, base_url) -> None:
    reader = http_for(alice, scope="read:filters")
    assert reader.get("/api/v2/filters").json() == []
    for path in ("/api/v2/filters", "/api/v1/filters"):
        refused = reader.post(path, json={"title": "x", "phrase": "x", "context": ["home"]})
        assert refused.status_code == 403 and refused.json() == SCOPE_ERROR
    other = http_for(alice, scope="read:lists")
    assert other.get("/api/v1/filters").status_code == 403
    assert httpx.get(f"{base_url}/api/v2/filters").status_code == 401
    assert not Filter.objects.exists()
    writer = http_for(alice, scope="read:filters write:filters")
    created = writer.post(
        "/api/v2/filters",
        json={"title": "T", "context": ["public"], "expires_in": 3600},
    ).json()
    expires = datetime.fromisoformat(created["expires_at"].replace("Z", "+00:00"))
    assert timedelta(minutes=59) < expires - timezone.now() <= timedelta(hours=1)
    never = writer.put(f"/api/v2/filters/{created['id']}", json={"expires_in": ""}).json()
    assert never["expires_at"] is None and never["title"] == "T"


def test_filtered_costs_the_same_queries_for_any_page_size(alice, bob) -> None:
    do_follow(account=alice.account, target=bob.account)
    for n in range(15):
        post(bob, f"post {n} with a keyword" if n % 2 else f"post {n}")
    warn = do_create_filter(account=alice.account, title="W", context=["home"])
    do_add_keyword(filter_=warn, keyword="keyword", whole_word=True)
    FilterStatus.objects.create(filter=warn, status=Status.objects.earliest("id"))
    hide = do_create_filter(
        account=alice.account, title="H", context=["home"], filter_action="hide"
    )
    do_add_keyword(filter_=hide, keyword="post 3", whole_word=True)

    def queries_for(limit: int) -> tuple[int, int]:
        page = paginate(home_timeline(alice.account), limit=limit)
        with CaptureQueriesContext(connection) as captured:
            shown = present_timeline(alice.account, page, "home")
        return len(captured), len(shown)

    small, shown_small = queries_for(3)
    large, shown_large = queries_for(15)
    assert small == large
    assert shown_small == 3 and shown_large == 14

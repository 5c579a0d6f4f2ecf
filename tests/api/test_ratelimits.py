"""API rate limits: Mastodon's throttles and families, their headers and the 429 answer. Limits
are lowered with the `settings` fixture so that a handful of requests reaches them, and
periods are a day long so that no window closes during a test."""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import redis
from django.conf import settings as django_settings
from mastodon.errors import MastodonRatelimitError

from fediverse.api.ratelimit import parse_rate, throttleable_ip
from moderation.models import Report
from timelines.models import Status

RESET_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


@pytest.fixture
def limits(settings) -> Callable[..., None]:
    """Turn the limits on, and lower some."""
    settings.API_RATELIMIT_ENABLE = True

    def lower(**rates: str) -> None:
        settings.API_RATELIMITS = {**django_settings.API_RATELIMITS, **rates}

    lower()
    return lower


def reset_of(response: httpx.Response) -> datetime:
    value = response.headers["X-RateLimit-Reset"]
    assert RESET_RE.match(value), value
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def test_anonymous_requests_are_limited_per_address(limits, base_url) -> None:
    limits(anonymous="3/1d")
    answers = [httpx.get(f"{base_url}/api/v1/instance") for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert [r.headers["X-RateLimit-Remaining"] for r in answers] == ["2", "1", "0"]
    assert {r.headers["X-RateLimit-Limit"] for r in answers} == {"3"}
    over = httpx.get(f"{base_url}/api/v1/instance/rules", headers={"Origin": "https://a.example"})
    assert over.status_code == 429
    assert over.json() == {"error": "Too many requests"}
    assert over.headers["content-type"].startswith("application/json")
    assert over.headers["X-RateLimit-Limit"] == "3" and over.headers["X-RateLimit-Remaining"] == "0"
    assert over.headers["Access-Control-Allow-Origin"] == "*"  # apps can read the refusal
    reset = reset_of(over)
    now = datetime.now(UTC)
    assert now < reset <= now + timedelta(days=1)
    assert reset.hour == reset.minute == reset.second == 0  # windows align on the epoch


def test_default_limits_and_headers(limits, base_url, alice, api_for) -> None:
    response = httpx.get(f"{base_url}/api/v1/instance")
    assert response.headers["X-RateLimit-Limit"] == "300"
    assert response.headers["X-RateLimit-Remaining"] == "299"
    assert reset_of(response) - datetime.now(UTC) <= timedelta(minutes=5)
    page = httpx.get(f"{base_url}/about")
    assert page.status_code == 200 and "X-RateLimit-Limit" not in page.headers
    api = api_for(alice)
    api.account_verify_credentials()
    # Mastodon.py reads the headers as apps do.
    assert api.ratelimit_limit == 300 and api.ratelimit_remaining == 299
    assert api.ratelimit_reset > datetime.now(UTC).timestamp()


def test_tokens_and_accounts_have_their_own_counters(limits, base_url, alice, token_for) -> None:
    first, second = token_for(alice), token_for(alice)
    limits(per_token="2/1d", per_account="3/1d", anonymous="100/1d")

    def get(token: str) -> httpx.Response:
        return httpx.get(
            f"{base_url}/api/v1/accounts/verify_credentials",
            headers={"Authorization": f"Bearer {token}"},
        )

    assert [get(first).status_code for _ in range(2)] == [200, 200]
    assert get(first).status_code == 429  # over the token's limit
    refused = get(second)  # a fresh token, but the account has had its three
    assert refused.status_code == 429 and refused.headers["X-RateLimit-Limit"] == "3"
    anonymous = httpx.get(f"{base_url}/api/v1/instance")
    assert anonymous.status_code == 200 and anonymous.headers["X-RateLimit-Limit"] == "100"
    invalid = httpx.get(f"{base_url}/api/v1/instance", headers={"Authorization": "Bearer nope"})
    assert invalid.headers["X-RateLimit-Remaining"] == "98"  # counted as anonymous


def test_api_sign_ups_are_limited_per_address(limits, base_url) -> None:
    limits(sign_up="2/1d")
    form = {"username": "someone", "email": "someone@example.com", "password": "x" * 12}
    codes = [httpx.post(f"{base_url}/api/v1/accounts", data=form).status_code for _ in range(3)]
    assert codes[0] != 429 and codes[1] != 429 and codes[2] == 429


def test_paging_is_limited(limits, base_url, alice) -> None:
    limits(paging="1/1d")
    path = f"{base_url}/api/v1/accounts/{alice.account.pk}/statuses"
    assert httpx.get(path, params={"max_id": "999999999999999999"}).status_code == 200
    assert httpx.get(path, params={"max_id": "999999999999999999"}).status_code == 429
    assert httpx.get(path).status_code == 200  # a first page is not paging


def test_reports_family_counts_only_reports_made(limits, alice, bob, http_for) -> None:
    with http_for(alice) as client:
        limits(reports="2/1d")
        body = {"account_id": str(bob.account.pk)}
        failed = client.post("/api/v1/reports", json={**body, "category": "bogus"})
        assert failed.status_code == 422
        made = [client.post("/api/v1/reports", json=body) for _ in range(2)]
        assert [r.status_code for r in made] == [200, 200]
        assert [r.headers["X-RateLimit-Remaining"] for r in made] == ["1", "0"]
        assert {r.headers["X-RateLimit-Limit"] for r in made} == {"2"}
        over = client.post("/api/v1/reports", json=body)
    assert over.status_code == 429 and over.json() == {"error": "Too many requests"}
    assert Report.objects.count() == 2


def test_posting_and_deleting_have_their_own_limits(limits, alice, http_for) -> None:
    with http_for(alice) as client:
        limits(statuses="2/1d", delete="1/1d")
        assert client.post("/api/v1/statuses", json={"status": ""}).status_code == 422
        made = [client.post("/api/v1/statuses", json={"status": f"post {n}"}) for n in range(2)]
        assert [r.status_code for r in made] == [200, 200]
        assert made[1].headers["X-RateLimit-Limit"] == "2"
        assert made[1].headers["X-RateLimit-Remaining"] == "0"
        assert client.post("/api/v1/statuses", json={"status": "one more"}).status_code == 429
        first, second = (r.json()["id"] for r in made)
        assert client.delete(f"/api/v1/statuses/{first}").status_code == 200
        assert client.delete(f"/api/v1/statuses/{second}").status_code == 429
    assert list(Status.objects.values_list("text", flat=True)) == ["post 1"]


def test_counters_live_in_redis(limits, base_url) -> None:
    httpx.get(f"{base_url}/api/v1/instance")
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    assert any(b"ratelimit:unauthenticated_api:" in key for key in client.keys("*ratelimit*"))


def test_limits_are_off_in_tests_and_for_the_safelist(settings, base_url) -> None:
    assert settings.API_RATELIMIT_ENABLE is False  # tests/settings.py turns them off
    assert "X-RateLimit-Limit" not in httpx.get(f"{base_url}/api/v1/instance").headers
    settings.API_RATELIMIT_ENABLE = True
    assert "X-RateLimit-Limit" in httpx.get(f"{base_url}/api/v1/instance").headers
    settings.API_RATELIMIT_SAFELIST = ["127.0.0.1", "::1"]
    assert "X-RateLimit-Limit" not in httpx.get(f"{base_url}/api/v1/instance").headers


def test_mastodon_py_sees_the_refusal(limits, base_url, alice, api_for) -> None:
    api = api_for(alice)
    limits(per_token="1/1d")
    api.account_verify_credentials()
    with pytest.raises(MastodonRatelimitError):
        api.account_verify_credentials()


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("300/5m", (300, 300)), ("400/24h", (400, 86400)), ("10/60", (10, 60)),
     ("5/d", (5, 86400)), (" 30 / 30m ", (30, 1800))],
)  # fmt: skip
def test_rates_are_read_from_settings(rate: str, parsed: tuple[int, int]) -> None:
    assert parse_rate(rate) == parsed


def test_bad_rates_are_refused() -> None:
    with pytest.raises(ValueError):
        parse_rate("lots")


def test_ipv6_clients_are_counted_by_their_64_block() -> None:
    assert throttleable_ip("2001:db8:1:2:3:4:5:6") == throttleable_ip("2001:db8:1:2::9")
    assert throttleable_ip("2001:db8:1:3::9") != throttleable_ip("2001:db8:1:2::9")
    assert throttleable_ip("192.0.2.7") == "192.0.2.7"

"""CORS: browser apps (Elk, Phanpy, masto.js) call the API, the token endpoints and the
well-known documents from other origins; the server's own web pages stay same-origin."""

import httpx
import pytest

ORIGIN = "https://elk.example"
OPEN_PATHS = [
    "/api/v1/instance", "/api/v2/instance", "/api/v1/custom_emojis", "/api/v1/nowhere",
    "/oauth/token", "/oauth/revoke", "/.well-known/oauth-authorization-server",
]  # fmt: skip
EXPOSED = {"link", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}


def exposed(response: httpx.Response) -> set[str]:
    header = response.headers.get("Access-Control-Expose-Headers", "")
    return {name.strip().lower() for name in header.split(",")}


@pytest.mark.parametrize("path", OPEN_PATHS)
def test_preflight_is_answered_for_any_origin(base_url, path) -> None:
    response = httpx.options(
        base_url + path,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    methods = response.headers["Access-Control-Allow-Methods"]
    assert {"GET", "POST", "PUT", "PATCH", "DELETE"} <= {m.strip() for m in methods.split(",")}
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "idempotency-key" in allowed


def test_api_answers_expose_paging_and_rate_limit_headers(base_url, alice, http_for) -> None:
    answers = [
        httpx.get(f"{base_url}/api/v1/instance", headers={"Origin": ORIGIN}),
        httpx.get(f"{base_url}/api/v1/instance/nope", headers={"Origin": ORIGIN}),
        httpx.post(f"{base_url}/oauth/token", data={}, headers={"Origin": ORIGIN}),
        httpx.post(f"{base_url}/oauth/revoke", data={}, headers={"Origin": ORIGIN}),
        httpx.get(f"{base_url}/.well-known/oauth-authorization-server", headers={"Origin": ORIGIN}),
    ]
    with http_for(alice) as client:
        answers.append(client.get("/api/v1/announcements", headers={"Origin": ORIGIN}))
    for response in answers:
        assert response.headers["Access-Control-Allow-Origin"] == "*", response.url
        assert exposed(response) >= EXPOSED, response.url
    # Tokens, not cookies, carry the identity: credentials are never allowed.
    assert all("Access-Control-Allow-Credentials" not in r.headers for r in answers)


@pytest.mark.parametrize("path", ["/about", "/auth/sign_in", "/oauth/authorize", "/admin/login/"])
def test_web_pages_stay_same_origin(base_url, path) -> None:
    response = httpx.get(base_url + path, headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = httpx.options(
        base_url + path, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers

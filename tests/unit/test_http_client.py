"""The platform HTTP client against a real local server: retries, Retry-After, timeouts,
and secrets that never reach a message."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from engine.credentials import MissingCredential, credential
from engine.http_client import (
    HttpClient,
    HttpError,
    RetryPolicy,
    redact,
    retry_after_seconds,
)

TOKEN = "pat-na1-0123456789abcdef"
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def _client(server: HTTPServer, waits: list[float], **kwargs: object) -> HttpClient:
    return HttpClient(
        server.url_for("/"),
        secret_headers={"Authorization": f"Bearer {TOKEN}"},
        sleep=waits.append,
        clock=lambda: NOW,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_429_is_retried_after_the_seconds_the_server_asks(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/things").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/things").respond_with_json({"ok": True})
    waits: list[float] = []
    response = _client(httpserver, waits).request("GET", "/things")
    assert response.json() == {"ok": True}
    assert waits == [7.0]


def test_a_retry_after_date_and_a_cap(httpserver: HTTPServer) -> None:
    later = "Sun, 22 Nov 2026 12:00:20 GMT"
    assert retry_after_seconds(later, NOW) == 20.0
    assert retry_after_seconds("Sun, 22 Nov 2026 11:00:00 GMT", NOW) == 0.0
    assert retry_after_seconds("soon", NOW) is None
    httpserver.expect_ordered_request("/x").respond_with_data(
        "", status=503, headers={"Retry-After": "3600"}
    )
    httpserver.expect_ordered_request("/x").respond_with_data("done")
    waits: list[float] = []
    _client(httpserver, waits, retry=RetryPolicy(max_delay=30.0)).request("GET", "/x")
    assert waits == [30.0]


def test_server_errors_back_off_exponentially_then_fail_with_the_api_message(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/deploy").respond_with_data(
        f"internal error; your token {TOKEN} was fine", status=500
    )
    waits: list[float] = []
    client = _client(httpserver, waits, retry=RetryPolicy(attempts=4, base_delay=1.0))
    with pytest.raises(HttpError) as failed:
        client.request("POST", "/deploy", json={"a": 1})
    assert failed.value.status == 500
    message = str(failed.value)
    assert message.startswith(f"POST {httpserver.url_for('/deploy')} answered 500 after 4 attempts")
    assert TOKEN not in message
    assert "your token *** was fine" in message
    assert len(waits) == 3
    # 1, 2, 4 seconds, each with up to 100% jitter.
    assert all(base <= wait <= 2 * base for wait, base in zip(waits, [1, 2, 4], strict=True))


def test_a_client_error_is_not_retried_unless_it_is_expected(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/missing").respond_with_data("no such thing", status=404)
    waits: list[float] = []
    client = _client(httpserver, waits)
    with pytest.raises(HttpError, match="answered 404: no such thing"):
        client.request("GET", "/missing")
    assert client.request("GET", "/missing", ok=[404]).status_code == 404
    assert waits == []
    assert len(httpserver.log) == 2


def test_a_timeout_is_retried_then_reported(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.5)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    waits: list[float] = []
    client = _client(httpserver, waits, timeout=(1.0, 0.1), retry=RetryPolicy(attempts=2))
    with pytest.raises(HttpError, match=r"GET .*/slow timed out after 2 attempts"):
        client.request("GET", "/slow")
    assert len(waits) == 1


def test_the_secret_headers_are_sent_but_never_shown(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/me", headers={"Authorization": f"Bearer {TOKEN}"}
    ).respond_with_json({"user": "ops"})
    client = _client(httpserver, [])
    assert client.request("GET", "/me").json() == {"user": "ops"}
    assert TOKEN not in repr(client)
    assert redact(f"Bearer {TOKEN} and {TOKEN[:3]}", client.secrets) == f"*** and {TOKEN[:3]}"


def test_credentials_come_from_the_environment_or_a_file_it_names(tmp_path: Path) -> None:
    assert credential("HUBSPOT_TOKEN", {"HUBSPOT_TOKEN": f" {TOKEN}\n"}) == TOKEN
    secret = tmp_path / "token"
    secret.write_text(TOKEN + "\n", encoding="utf-8")
    assert credential("HUBSPOT_TOKEN", {"HUBSPOT_TOKEN_FILE": str(secret)}) == TOKEN
    with pytest.raises(MissingCredential) as missing:
        credential("HUBSPOT_TOKEN", {})
    assert str(missing.value) == (
        "set HUBSPOT_TOKEN (or HUBSPOT_TOKEN_FILE, the path of a file holding it)"
    )
    with pytest.raises(MissingCredential, match="which cannot be read"):
        credential("HUBSPOT_TOKEN", {"HUBSPOT_TOKEN_FILE": str(tmp_path / "absent")})

"""Marketo's REST API as Accord calls it: an access token first, then `success: false` checked.

Marketo answers most errors with HTTP 200 and `{"success": false, "errors": [{"code",
"message"}]}` (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/
error-codes), so HTTP status alone says little. Codes 606 (rate limit: 100 calls in 20
seconds) and 615 (more than 10 concurrent calls) are retried after a backoff; 601 and 602
(access token invalid or expired) get a new token, once; any other code is a failure.
The access token comes from `GET /identity/oauth/token` with the client credentials
(https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/authentication)
and is sent as a Bearer header; it, the client id and the secret are all kept out of
every message.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from engine.http_client import HttpClient, HttpError, RetryPolicy, redact

RETRIED_CODES = frozenset({"606", "615"})
EXPIRED_TOKEN_CODES = frozenset({"601", "602"})


class MarketoError(HttpError):
    """Marketo answered `success: false` with an error that is not retried."""


class MarketoApi:
    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        timeout: tuple[float, float],
        sleep: Callable[[float], None],
        retry: RetryPolicy | None = None,
    ) -> None:
        self.base_url = base_url
        self._client_id = client_id
        self._client_secret = client_secret
        self.timeout = timeout
        self.sleep = sleep
        self.retry = retry or RetryPolicy()
        self._rest: HttpClient | None = None

    def __repr__(self) -> str:
        return f"MarketoApi({self.base_url!r})"

    @property
    def _secrets(self) -> tuple[str, ...]:
        return (self._client_id, self._client_secret)

    def _authenticate(self) -> HttpClient:
        identity = HttpClient(
            self.base_url,
            timeout=self.timeout,
            sleep=self.sleep,
            retry=self.retry,
            extra_secrets=self._secrets,
        )
        answer = identity.request(
            "GET",
            "/identity/oauth/token",
            params={
                "client_id": self._client_id,
                "client_secret": self._client_secret,
                "grant_type": "client_credentials",
            },
        ).json()
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise MarketoError("Marketo's identity service gave no access token")
        return HttpClient(
            self.base_url,
            secret_headers={"Authorization": f"Bearer {token}"},
            timeout=self.timeout,
            sleep=self.sleep,
            retry=self.retry,
            extra_secrets=self._secrets,
        )

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        form: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The answer of a successful call (`success: true`); MarketoError otherwise."""
        renewed = False
        for attempt in range(1, self.retry.attempts + 1):
            if self._rest is None:
                self._rest = self._authenticate()
            rest = self._rest
            answer = rest.request(method, path, params=params, json=json, data=form).json()
            if not isinstance(answer, dict):
                raise MarketoError(f"{method} {rest.url(path)} answered something not JSON")
            if answer.get("success", True):
                return answer
            errors = answer.get("errors") or [{"code": "?", "message": "no reason given"}]
            codes = {str(e.get("code")) for e in errors}
            if codes & EXPIRED_TOKEN_CODES and not renewed:
                self._rest, renewed = None, True
                continue
            if codes <= RETRIED_CODES and attempt < self.retry.attempts:
                self.sleep(self.retry.delay(attempt, None, random.random()))
                continue
            said = "; ".join(f"{e.get('code')} {e.get('message')}" for e in errors)
            raise MarketoError(redact(f"{method} {rest.url(path)} failed: {said}", [*rest.secrets]))
        raise MarketoError(f"{method} {path}: still rate-limited after {self.retry.attempts} tries")

"""The one HTTP client every platform API goes through: timeouts, retries, secrets kept out.

Each request has a connect and a read timeout. A 429 or a 5xx answer, a timeout or a lost
connection is retried with exponential backoff (honouring `Retry-After`, capped), up to a
fixed number of attempts; other answers are returned or raised as they are. Credentials
are given as headers marked secret: no error message, log line or repr carries them, and
`redact` scrubs them from any text an API echoes back.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})
DEFAULT_TIMEOUT = (5.0, 60.0)  # seconds to connect, seconds between bytes of the answer


class HttpError(Exception):
    """A request failed for good: its method, URL (without query), status and the API's
    own message, with every secret removed."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # in all, the first included
    base_delay: float = 0.5  # seconds before the second attempt; doubled each time
    max_delay: float = 30.0  # no wait is longer, whatever Retry-After says

    def delay(self, attempt: int, retry_after: float | None, jitter: float) -> float:
        """The wait before attempt `attempt + 1` (attempt counts from 1)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        backoff: float = self.base_delay * 2 ** (attempt - 1) * (1 + jitter)
        return min(backoff, self.max_delay)


def retry_after_seconds(value: str | None, now: dt.datetime) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110, 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max((when - now).total_seconds(), 0.0)


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret (of four characters or more) replaced by `***`."""
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


@dataclass
class HttpClient:
    """Requests to one API: `base_url` joined with each path; `secret_headers` (e.g. the
    Authorization header) are sent with every request and never shown."""

    base_url: str
    secret_headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    extra_secrets: tuple[str, ...] = field(default=(), repr=False)

    @property
    def secrets(self) -> tuple[str, ...]:
        values = [*self.secret_headers.values(), *self.extra_secrets]
        # A bearer header's token alone, too: APIs echo tokens without the scheme.
        values += [v.split(" ", 1)[1] for v in self.secret_headers.values() if " " in v]
        return tuple(values)

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | str | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        ok: Iterable[int] = (),
    ) -> requests.Response:
        """The response of the first attempt that is not retried. A 4xx or 5xx answer
        raises HttpError unless its status is in `ok`; so do timeouts and lost
        connections once the attempts are spent."""
        url = self.url(path)
        where = f"{method} {url}"
        accepted = set(ok)
        for attempt in range(1, self.retry.attempts + 1):
            last = attempt == self.retry.attempts
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    data=data,
                    headers={**self.headers, **(headers or {}), **self.secret_headers},
                    timeout=self.timeout,
                )
            except (requests.Timeout, requests.ConnectionError) as error:
                if last:
                    kind = "timed out" if isinstance(error, requests.Timeout) else "failed"
                    raise HttpError(
                        f"{where} {kind} after {attempt} attempts"
                        f" ({redact(type(error).__name__, self.secrets)})"
                    ) from None
                self.sleep(self.retry.delay(attempt, None, random.random()))
                continue
            if response.status_code in RETRIED_STATUS and not last:
                wait = retry_after_seconds(response.headers.get("Retry-After"), self.clock())
                self.sleep(self.retry.delay(attempt, wait, random.random()))
                continue
            if response.status_code >= 400 and response.status_code not in accepted:
                body = redact(response.text[:500], self.secrets)
                tries = f" after {attempt} attempts" if attempt > 1 else ""
                raise HttpError(
                    f"{where} answered {response.status_code}{tries}: {body}",
                    response.status_code,
                )
            return response
        raise AssertionError("unreachable: the last attempt returns or raises")

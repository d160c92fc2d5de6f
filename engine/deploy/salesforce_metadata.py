"""The Metadata API calls Accord makes, through simple-salesforce: retrieve and deploy.

simple-salesforce builds the SOAP envelopes and sends them with the `requests.Session` it
is given. Accord gives it a session that puts a timeout on every request and retries a
429, a 5xx, a timeout or a lost connection with engine.http_client's policy (backoff,
Retry-After honoured); its errors are re-raised as SalesforceApiError, whose message names
the call and carries the API's own words with the access token removed.

Deploy and retrieve are asynchronous: the call returns an id, and Accord polls
checkDeployStatus / checkRetrieveStatus (every `poll_interval` seconds, up to
`max_polls` times) until Salesforce says it is done.
"""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import requests
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import SalesforceError
from simple_salesforce.metadata import SfdcMetadataApi

from engine.deploy import DeployError
from engine.http_client import (
    DEFAULT_TIMEOUT,
    RETRIED_STATUS,
    RetryPolicy,
    redact,
    retry_after_seconds,
)

DEPLOY_DONE = frozenset({"Succeeded", "SucceededPartial", "Failed", "Canceled"})
RETRIEVE_DONE = frozenset({"Succeeded", "Failed"})


class SalesforceApiError(DeployError):
    """A Metadata API call failed for good (after its retries); no secret in the message."""


class RetryingSession(requests.Session):
    """A session whose every request has a timeout and is retried on 429/5xx, timeouts
    and lost connections, as engine.http_client retries (the last answer is returned)."""

    def __init__(
        self,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__()
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.sleep = sleep

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        for attempt in range(1, self.retry.attempts + 1):
            last = attempt == self.retry.attempts
            try:
                response = super().request(method, url, *args, **kwargs)  # type: ignore[arg-type]
            except (requests.Timeout, requests.ConnectionError):
                if last:
                    raise
                self.sleep(self.retry.delay(attempt, None, random.random()))
                continue
            if response.status_code in RETRIED_STATUS and not last:
                wait = retry_after_seconds(response.headers.get("Retry-After"), _now())
                self.sleep(self.retry.delay(attempt, wait, random.random()))
                continue
            return response
        raise AssertionError("unreachable: the last attempt returns or raises")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def metadata_url(instance_url: str, api_version: str) -> str:
    """The Metadata API endpoint of an instance. The token travels in every request, so
    the instance must be https (plain http only to this machine, for contract tests)."""
    parts = urlsplit(instance_url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SalesforceApiError(
            "SALESFORCE_INSTANCE_URL is not a URL like https://yourcompany.my.salesforce.com"
        )
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise SalesforceApiError("SALESFORCE_INSTANCE_URL must be https")
    return f"{parts.scheme}://{parts.netloc}/services/Soap/m/{api_version}/"


@dataclass(frozen=True)
class ComponentFailure:
    kind: str
    file: str
    problem: str


@dataclass(frozen=True)
class DeployOutcome:
    id: str
    status: str
    failures: tuple[ComponentFailure, ...]
    deployed: int

    @property
    def succeeded(self) -> bool:
        return self.status == "Succeeded" and not self.failures


@dataclass
class MetadataClient:
    """Metadata API retrieve and deploy on the org at `instance_url`, as `token`."""

    instance_url: str
    token: str = field(repr=False)
    api_version: str
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    poll_interval: float = 2.0
    max_polls: int = 900  # at 2 s, half an hour
    _api: SfdcMetadataApi | None = field(default=None, init=False, repr=False)

    def _mdapi(self) -> SfdcMetadataApi:
        if self._api is None:
            session = RetryingSession(timeout=self.timeout, retry=self.retry, sleep=self.sleep)
            sf = Salesforce(
                instance_url=self.instance_url,
                session_id=self.token,
                version=self.api_version,
                session=session,
            )
            # simple-salesforce assumes https; keep the scheme the instance URL gives.
            sf.metadata_url = metadata_url(self.instance_url, self.api_version)
            self._api = sf.mdapi
        return self._api

    def _call(self, what: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except SalesforceError as error:
            content = error.content
            text = (
                content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
            )
            raise SalesforceApiError(
                self._clean(f"Salesforce Metadata API {what} answered {error.status}: {text[:500]}")
            ) from None
        except requests.Timeout:
            raise SalesforceApiError(
                f"Salesforce Metadata API {what} timed out after {self.retry.attempts} attempts"
            ) from None
        except requests.RequestException as error:
            raise SalesforceApiError(
                self._clean(
                    f"Salesforce Metadata API {what} failed after {self.retry.attempts}"
                    f" attempts ({type(error).__name__})"
                )
            ) from None
        except Exception as error:  # a malformed answer: simple-salesforce's own exceptions
            raise SalesforceApiError(
                self._clean(f"Salesforce Metadata API {what} gave an unreadable answer: {error}")
            ) from None

    def _clean(self, text: str) -> str:
        return redact(text, [self.token])

    def _poll(self, what: str, check: Callable[[], str | None], done: frozenset[str]) -> str:
        for _ in range(self.max_polls):
            status = self._call(what, check) or ""
            if status in done:
                return str(status)
            self.sleep(self.poll_interval)
        raise SalesforceApiError(
            f"Salesforce Metadata API {what}: not done after {self.max_polls} checks"
        )

    def retrieve(self, types: Mapping[str, Iterable[str]]) -> bytes:
        """The zip of an unpackaged retrieve of `types` (type → members, `*` for all).
        Members that do not exist are simply not in it."""
        api = self._mdapi()
        unpackaged = {
            kind: [escape(m) for m in sorted(set(names))] for kind, names in types.items()
        }
        async_id, _ = self._call(
            "retrieve", lambda: api.retrieve("", unpackaged=unpackaged, single_package=True)
        )
        if not async_id:
            raise SalesforceApiError("Salesforce Metadata API retrieve returned no id")
        status = self._poll(
            "checkRetrieveStatus", lambda: api.check_retrieve_status(async_id)[0], RETRIEVE_DONE
        )
        state, error_message, _, data = self._call(
            "checkRetrieveStatus", lambda: api.retrieve_zip(async_id)
        )
        if status != "Succeeded" or state != "Succeeded":
            raise SalesforceApiError(
                self._clean(f"the Salesforce retrieve failed: {error_message or state or status}")
            )
        return bytes(data)

    def deploy(self, zip_data: bytes, *, check_only: bool) -> DeployOutcome:
        """Deploy `zip_data` all or nothing (rollbackOnError) and wait for the result;
        `check_only` validates it without changing the org."""
        api = self._mdapi()
        options = {
            "checkOnly": "true" if check_only else "false",
            "rollbackOnError": "true",
            "allowMissingFiles": "false",
            "autoUpdatePackage": "false",
            "ignoreWarnings": "false",
            "performRetrieve": "false",
            "purgeOnDelete": "false",
        }
        # sandbox=True only stops simple-salesforce overriding the options set above.
        async_id, _ = self._call(
            "deploy", lambda: api.deploy(io.BytesIO(zip_data), sandbox=True, **options)
        )
        if not async_id:
            raise SalesforceApiError("Salesforce Metadata API deploy returned no id")
        details: dict[str, Any] = {}

        def check() -> str | None:
            status, _, deployment, _ = api.check_deploy_status(async_id)
            details.clear()
            details.update(deployment or {})
            return status

        status = self._poll("checkDeployStatus", check, DEPLOY_DONE)
        failures = tuple(
            ComponentFailure(
                str(e.get("type") or ""),
                self._clean(str(e.get("file") or "")),
                self._clean(str(e.get("message") or e.get("status") or "")),
            )
            for e in details.get("errors") or ()
        )
        deployed = int(details.get("deployed_count") or 0)
        return DeployOutcome(str(async_id), status, failures, deployed)

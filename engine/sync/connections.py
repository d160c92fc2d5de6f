"""HTTP clients for the CRMs, from credentials in the environment (engine.credentials).

Every request goes through engine.http_client, so each has timeouts and retries and no
token reaches a message. `PACE` is the module's clock: tests swap it for one that does not
wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from engine.credentials import credential
from engine.http_client import DEFAULT_TIMEOUT, HttpClient, RetryPolicy
from engine.sync.writeback import SALESFORCE

HUBSPOT_API_URL = "https://api.hubapi.com"
# The REST API version of the Bulk API 2.0 paths (/services/data/vXX.X/jobs/...).
# https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_0.htm
SALESFORCE_API_VERSION = "62.0"


@dataclass(frozen=True)
class Pace:
    """How the clients wait: between retries and polls, and for an answer."""

    sleep: Callable[[float], None] = time.sleep
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    retry: RetryPolicy = field(default_factory=RetryPolicy)


PACE = Pace()


@dataclass(frozen=True)
class Connection:
    client: HttpClient
    sleep: Callable[[float], None]
    api_version: str = SALESFORCE_API_VERSION


def connect(target: str, environ: Mapping[str, str], pace: Pace | None = None) -> Connection:
    """A client for `target`; MissingCredential names the variable to set."""
    pace = pace or PACE
    if target == SALESFORCE:
        base = credential("SALESFORCE_INSTANCE_URL", environ)
        token = credential("SALESFORCE_ACCESS_TOKEN", environ)
        version = environ.get("SALESFORCE_API_VERSION", SALESFORCE_API_VERSION).lstrip("v")
    else:
        base = environ.get("HUBSPOT_API_URL") or HUBSPOT_API_URL
        token = credential("HUBSPOT_TOKEN", environ)
        version = SALESFORCE_API_VERSION
    client = HttpClient(
        base_url=base,
        secret_headers={"Authorization": f"Bearer {token}"},
        headers={"Accept": "application/json"},
        timeout=pace.timeout,
        retry=pace.retry,
        sleep=pace.sleep,
        extra_secrets=(token,),
    )
    return Connection(client, pace.sleep, version)

"""Helpers the sync tests share: leads to sync, clients that do not wait, the environment."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from engine.http_client import RetryPolicy
from engine.sync import connections
from engine.sync.connections import Pace
from sync.contract import TOKEN

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-03-02T10:00:00Z"


def lead_id(n: int) -> str:
    return f"00Q5g00000Lead{n:03d}"


def write_leads(path: Path, count: int = 25) -> list[str]:
    """`count` leads of the example organisation's model, with a spread of scores."""
    titles = ["VP Data", "Director of Analytics", "Engineer", "Student", "Head of Data"]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            [
                "lead_id",
                "job_title",
                "employees",
                "country",
                "lead_source",
                "pricing_page_visits",
                "demo_requested",
                "created_at",
                "last_activity_at",
            ]
        )
        for n in range(1, count + 1):
            writer.writerow(
                [
                    lead_id(n),
                    titles[n % len(titles)],
                    50 * n * n,
                    ["US", "DE", "JP", "GB"][n % 4],
                    ["Website", "Webinar", "Paid Search"][n % 3],
                    n % 4,
                    "true" if n % 5 == 0 else "false",
                    f"2026-02-{n % 27 + 1:02d}T09:00:00Z",
                    f"2026-02-{n % 27 + 1:02d}T15:30:00Z",
                ]
            )
    return [lead_id(n) for n in range(1, count + 1)]


def quick_clients(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Clients that record their waits instead of waiting, with a short read timeout."""
    waits: list[float] = []
    pace = Pace(sleep=waits.append, timeout=(2.0, 0.25), retry=RetryPolicy(attempts=6))
    monkeypatch.setattr(connections, "PACE", pace)
    return waits


def salesforce_env(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("SALESFORCE_INSTANCE_URL", url)
    monkeypatch.setenv("SALESFORCE_ACCESS_TOKEN", TOKEN)
    monkeypatch.delenv("SALESFORCE_API_VERSION", raising=False)


def hubspot_env(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("HUBSPOT_API_URL", url)
    monkeypatch.setenv("HUBSPOT_TOKEN", TOKEN)


def assert_no_token(*texts: str) -> None:
    for text in texts:
        assert TOKEN not in text
        assert TOKEN.split("!", 1)[1] not in text

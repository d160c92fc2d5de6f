"""Salesforce Bulk API 2.0: ingest jobs that update Leads, and query jobs that read them.

Ingest (one job per chunk, since a job takes one upload):
https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/walkthrough_upload_data.htm
create job (POST jobs/ingest), upload CSV (PUT contentUrl), close it (PATCH state
UploadComplete), poll (GET jobs/ingest/ID), read successfulResults, failedResults and
unprocessedrecords. Query:
https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm
create job (POST jobs/query), poll, read results pages by the `Sforce-Locator` header.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from engine.http_client import HttpClient, HttpError, redact
from engine.sync.checkpoint import ChunkResult, Failure
from engine.sync.writeback import Record

OBJECT = "Lead"
DONE_STATES = frozenset({"JobComplete", "Failed", "Aborted"})
NO_MORE = "null"  # the Sforce-Locator of the last page
QUERY_PAGE = 50_000  # maxRecords per results page


class BulkJobError(Exception):
    """A job failed or was aborted as a whole: its chunk is to be sent again."""


class BulkJobPending(BulkJobError):
    """A job did not finish in the time allowed: the next run waits for it again."""


@dataclass(frozen=True)
class Polling:
    """Waits between job status checks: growing from `first` to `longest`, `limit` in all."""

    first: float = 1.0
    longest: float = 20.0
    limit: float = 3600.0

    def waits(self) -> Iterator[float]:
        wait, spent = self.first, 0.0
        while spent < self.limit:
            yield wait
            spent += wait
            wait = min(wait * 2, self.longest)


def to_csv(records: Sequence[Record], id_name: str) -> str:
    """The upload: a header of API names, one row per record, quoted as RFC 4180 says."""
    if not records:
        return ""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([id_name, *(name for name, _ in records[0].values)])
    for record in records:
        writer.writerow([record.id, *(value for _, value in record.values)])
    return stream.getvalue()


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@dataclass(frozen=True)
class BulkApi:
    client: HttpClient
    sleep: Callable[[float], None]
    version: str
    polling: Polling = Polling()

    @property
    def jobs(self) -> str:
        return f"/services/data/v{self.version}/jobs"

    def wait_for(self, kind: str, job: str) -> dict[str, Any]:
        """The job's info once it is done (or raises BulkJobError when it takes too long)."""
        for wait in self.polling.waits():
            info: dict[str, Any] = self.client.request("GET", f"{self.jobs}/{kind}/{job}").json()
            if info.get("state") in DONE_STATES:
                return info
            self.sleep(wait)
        raise BulkJobPending(
            f"Bulk API job {job} is still running after {self.polling.limit:.0f} s;"
            " re-run to pick it up again"
        )


@dataclass(frozen=True)
class LeadUpdates:
    """Writes chunks of Lead updates, one ingest job each."""

    api: BulkApi
    id_name: str

    def write(
        self, records: Sequence[Record], job: str | None, started: Callable[[str], None]
    ) -> ChunkResult:
        """Upload `records` (or, given the `job` an earlier run started, read its results)."""
        info: dict[str, Any] | None = None
        if job is not None:
            try:
                info = self.api.wait_for("ingest", job)
            except HttpError as error:
                if error.status != 404:
                    raise
                # Salesforce deletes jobs after seven days: send the chunk again.
        if job is None or info is None:
            job = self._start(records)
            started(job)
            info = self.api.wait_for("ingest", job)
        if info["state"] != "JobComplete":
            raise BulkJobError(
                f"Bulk API ingest job {job} ended {info['state']}:"
                f" {info.get('errorMessage') or 'no reason given'}"
            )
        return self._results(job, info)

    def _start(self, records: Sequence[Record]) -> str:
        body = {
            "object": OBJECT,
            "operation": "update",
            "contentType": "CSV",
            "columnDelimiter": "COMMA",
            "lineEnding": "LF",
        }
        client, jobs = self.api.client, self.api.jobs
        created = client.request("POST", f"{jobs}/ingest", json=body).json()
        job = str(created["id"])
        upload = created.get("contentUrl") or f"{jobs}/ingest/{job}/batches"
        client.request(
            "PUT",
            "/" + str(upload).lstrip("/"),
            data=to_csv(records, self.id_name).encode("utf-8"),
            headers={"Content-Type": "text/csv"},
        )
        client.request("PATCH", f"{jobs}/ingest/{job}", json={"state": "UploadComplete"})
        return job

    def _results(self, job: str, info: dict[str, Any]) -> ChunkResult:
        client, base = self.api.client, f"{self.api.jobs}/ingest/{job}"
        accept = {"Accept": "text/csv"}
        succeeded = read_csv(
            client.request("GET", f"{base}/successfulResults", headers=accept).text
        )
        failed = read_csv(client.request("GET", f"{base}/failedResults", headers=accept).text)
        unprocessed = read_csv(
            client.request("GET", f"{base}/unprocessedrecords", headers=accept).text
        )
        secrets = client.secrets
        failures = [
            Failure(
                row.get(self.id_name) or row.get("sf__Id") or "",
                redact(row.get("sf__Error") or "rejected, no reason given", secrets),
            )
            for row in failed
        ]
        failures += [
            Failure(row.get(self.id_name, ""), "not processed by Salesforce") for row in unprocessed
        ]
        return ChunkResult(len(succeeded), tuple(failures))


def soql(fields: Sequence[str], modified: str, since: str | None) -> str:
    """The history query; `since` is an ISO 8601 UTC instant, compared inclusively so a
    record changed in the same second as the last pull is never missed."""
    selected = list(dict.fromkeys([*fields, modified]))
    text = f"SELECT {', '.join(selected)} FROM {OBJECT}"
    if since is not None:
        text += f" WHERE {modified} >= {since}"
    return text


@dataclass(frozen=True)
class LeadQuery:
    """Reads Leads with one query job, page by page."""

    api: BulkApi
    page_size: int = QUERY_PAGE

    def rows(self, query: str) -> Iterator[list[dict[str, str]]]:
        client, jobs = self.api.client, self.api.jobs
        body = {
            "operation": "query",
            "query": query,
            "contentType": "CSV",
            "columnDelimiter": "COMMA",
            "lineEnding": "LF",
        }
        job = str(client.request("POST", f"{jobs}/query", json=body).json()["id"])
        info = self.api.wait_for("query", job)
        if info["state"] != "JobComplete":
            raise BulkJobError(
                f"Bulk API query job {job} ended {info['state']}:"
                f" {info.get('errorMessage') or 'no reason given'}"
            )
        locator: str | None = None
        while True:
            params: dict[str, Any] = {"maxRecords": self.page_size}
            if locator is not None:
                params["locator"] = locator
            page = client.request(
                "GET", f"{jobs}/query/{job}/results", params=params, headers={"Accept": "text/csv"}
            )
            yield read_csv(page.text)
            locator = page.headers.get("Sforce-Locator")
            if not locator or locator == NO_MORE:
                return

"""A local Salesforce that speaks Bulk API 2.0's ingest and query contracts, with state.

Shapes from https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/
(create job, upload job data, close job, job info, successful/failed/unprocessed results,
query job results paged by Sforce-Locator).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sync.contract import ContractServer, json_response

JOBS = "/services/data/v62.0/jobs"
ACCORD_FIELDS = {
    "Accord_Score__c",
    "Accord_Fit_Score__c",
    "Accord_Engagement_Score__c",
    "Accord_Grade__c",
    "Accord_Stage__c",
    "Accord_Route__c",
}


@dataclass
class Job:
    id: str
    kind: str
    body: dict[str, Any]
    state: str
    polls: int = 0
    upload: str = ""
    succeeded: list[dict[str, str]] = field(default_factory=list)
    failed: list[tuple[dict[str, str], str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue()


@dataclass
class SalesforceServer(ContractServer):
    leads: dict[str, dict[str, str]] = field(default_factory=dict)
    reject: dict[str, str] = field(default_factory=dict)  # Id → error
    page_limit: int = 10  # at most this many records per results page
    jobs: dict[str, Job] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def install(self, httpserver: HTTPServer) -> SalesforceServer:
        httpserver.expect_request(re.compile(".*")).respond_with_handler(self.handle)
        return self

    def route(self, request: Request) -> Response:
        path, method = request.path, request.method
        if not path.startswith(JOBS + "/"):
            return json_response([{"errorCode": "NOT_FOUND"}], 404)
        parts = path[len(JOBS) + 1 :].split("/")
        kind = parts[0]
        if method == "POST" and len(parts) == 1:
            return self._create(kind, request.get_json())
        job = self.jobs.get(parts[1]) if len(parts) > 1 else None
        if job is None or job.kind != kind:
            return json_response([{"errorCode": "NOT_FOUND", "message": "no job"}], 404)
        rest = parts[2:]
        if kind == "ingest" and method == "PUT" and rest == ["batches"]:
            if job.state != "Open" or request.content_type != "text/csv":
                return json_response([{"errorCode": "INVALIDJOBSTATE"}], 400)
            job.upload = request.get_data(as_text=True)
            return Response("", 201)
        if kind == "ingest" and method == "PATCH" and not rest:
            if request.get_json() != {"state": "UploadComplete"} or job.state != "Open":
                return json_response([{"errorCode": "INVALIDJOBSTATE"}], 400)
            self._process(job)
            job.state = "InProgress"
            return json_response(self._info(job))
        if method == "GET" and not rest:
            job.polls += 1
            if job.state in ("InProgress", "UploadComplete") and job.polls >= 2:
                job.state = "JobComplete"
            return json_response(self._info(job))
        if kind == "ingest" and method == "GET" and len(rest) == 1:
            return self._ingest_results(job, rest[0])
        if kind == "query" and method == "GET" and rest == ["results"]:
            return self._page(job, request)
        return json_response([{"errorCode": "NOT_FOUND"}], 404)

    def _create(self, kind: str, body: dict[str, Any]) -> Response:
        number = next(self._ids)
        if kind == "ingest":
            wanted = {"object": "Lead", "operation": "update", "contentType": "CSV"}
            if any(body.get(k) != v for k, v in wanted.items()) or body.get("lineEnding") != "LF":
                return json_response([{"errorCode": "INVALIDJOB"}], 400)
            job = Job(f"7508c00000{number:05d}", kind, body, "Open")
        elif kind == "query" and body.get("operation") == "query":
            job = Job(f"7508c00000{number:05d}", kind, body, "UploadComplete")
            self._query(job, str(body["query"]))
        else:
            return json_response([{"errorCode": "INVALIDJOB"}], 400)
        self.jobs[job.id] = job
        info = self._info(job)
        if kind == "ingest":
            info["contentUrl"] = f"services/data/v62.0/jobs/ingest/{job.id}/batches"
        return json_response(info)

    def _info(self, job: Job) -> dict[str, Any]:
        return {
            "id": job.id,
            "operation": job.body.get("operation"),
            "object": "Lead",
            "state": job.state,
            "contentType": "CSV",
            "lineEnding": "LF",
            "numberRecordsProcessed": len(job.succeeded) + len(job.failed),
            "numberRecordsFailed": len(job.failed),
        }

    def _process(self, job: Job) -> None:
        rows = list(csv.DictReader(io.StringIO(job.upload)))
        for row in rows:
            lead_id = row["Id"]
            unknown = set(row) - ACCORD_FIELDS - {"Id"}
            if lead_id in self.reject:
                job.failed.append((row, self.reject[lead_id]))
            elif lead_id not in self.leads:
                job.failed.append((row, "ENTITY_IS_DELETED:entity is deleted:--"))
            elif unknown:
                job.failed.append((row, f"INVALID_FIELD:No such column {sorted(unknown)[0]}"))
            else:
                for name, value in row.items():
                    if name != "Id":
                        self.leads[lead_id][name] = "" if value == "#N/A" else value
                job.succeeded.append(row)

    def _ingest_results(self, job: Job, what: str) -> Response:
        if job.state != "JobComplete":
            return json_response([{"errorCode": "INVALIDJOBSTATE"}], 400)
        header = next(csv.reader(io.StringIO(job.upload)), [])
        if what == "successfulResults":
            rows = [[r["Id"], "false", *(r[h] for h in header)] for r in job.succeeded]
            text = _csv(["sf__Id", "sf__Created", *header], rows)
        elif what == "failedResults":
            rows = [["", error, *(r[h] for h in header)] for r, error in job.failed]
            text = _csv(["sf__Id", "sf__Error", *header], rows)
        elif what == "unprocessedrecords":
            text = _csv(header, [])
        else:
            return json_response([{"errorCode": "NOT_FOUND"}], 404)
        return Response(text, 200, content_type="text/csv")

    def _query(self, job: Job, soql: str) -> None:
        found = re.fullmatch(
            r"SELECT (?P<fields>.+) FROM Lead(?: WHERE SystemModstamp >= (?P<since>\S+))?", soql
        )
        assert found, soql
        job.columns = [name.strip() for name in found["fields"].split(",")]
        since = found["since"]
        for lead in sorted(self.leads.values(), key=lambda lead: lead["SystemModstamp"]):
            # Both sides are UTC ISO 8601; compare at the second, as SOQL literals are.
            if since is None or lead["SystemModstamp"][:19] >= since[:19]:
                job.rows.append({c: lead.get(c, "") for c in job.columns})

    def _page(self, job: Job, request: Request) -> Response:
        if job.state != "JobComplete":
            return json_response([{"errorCode": "INVALIDJOBSTATE"}], 400)
        start = int(request.args.get("locator") or 0)
        size = min(int(request.args.get("maxRecords") or self.page_limit), self.page_limit)
        rows = job.rows[start : start + size]
        more = start + size < len(job.rows)
        text = _csv(job.columns, [[r[c] for c in job.columns] for r in rows])
        headers = {
            "Sforce-Locator": str(start + size) if more else "null",
            "Sforce-NumberOfRecords": str(len(rows)),
        }
        return Response(text, 200, headers, content_type="text/csv")

"""The Salesforce platform of `accord plan/apply --target salesforce` (docs/deploy-salesforce.md).

desired: one component per metadata file of the export, its body canonical XML.
current: a Metadata API retrieve of the same members (and of the records and fields of
    Accord's own custom metadata types, so that ones Accord no longer exports show up as
    removals), canonicalised the same way; a member that does not exist is absent.
apply: one deploy zip of the added and changed components (and destructiveChanges.xml for
    removed ones), validated first with a check-only deploy, then deployed for real with
    rollbackOnError: Salesforce deploys all or nothing, so a failure changes nothing.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from engine.credentials import credential
from engine.deploy import DeployError
from engine.deploy.journal import ApplyResult, Journal
from engine.deploy.plan import Action, Change, Component, Plan
from engine.deploy.salesforce_components import (
    Member,
    Members,
    MetadataFormatError,
    assignment_rules_named,
    from_mdapi_files,
    from_source,
    mdapi_files,
    package_text,
    rule_names,
    unzip,
    zip_bytes,
)
from engine.deploy.salesforce_metadata import (
    DeployOutcome,
    MetadataClient,
    SalesforceApiError,
    metadata_url,
)
from engine.export import Export
from engine.http_client import DEFAULT_TIMEOUT

TARGET = "salesforce"
INSTANCE_URL = "SALESFORCE_INSTANCE_URL"
ACCESS_TOKEN = "SALESFORCE_ACCESS_TOKEN"
PREFIX = "Accord_"

# Dependency order: what others need comes first (make_plan keeps it for adds and changes).
_ORDER = (
    "CustomObject",
    "CustomField",
    "CustomNotificationType",
    "Queue",
    "CustomMetadata",
    "Flow",
    "AssignmentRules",
)


def _ordered(members: Iterable[Member]) -> list[Component]:
    rank = {kind: i for i, kind in enumerate(_ORDER)}
    ordered = sorted(members, key=lambda m: (rank.get(m.kind, len(rank)), m.kind, m.name))
    return [Component(m.kind, m.name, m.body) for m in ordered]


def accord_types(package: Members) -> frozenset[str]:
    """Accord's own custom metadata types in the export (`Accord_Scoring_Rule__mdt`, …):
    every record and field of them is Accord's."""
    return frozenset(
        name
        for name in package.names("CustomObject")
        if name.startswith(PREFIX) and name.endswith("__mdt")
    )


def removable(kind: str, name: str, types: frozenset[str]) -> bool:
    """Whether Accord may delete a member it no longer exports: a record or a field of one
    of its own custom metadata types. Nothing else is deleted (docs/deploy-salesforce.md)."""
    owner = name.split(".", 1)[0]
    if kind == "CustomMetadata":
        return owner + "__mdt" in types
    if kind == "CustomField":
        return owner in types
    return False


@dataclass
class SalesforcePlatform:
    """Accord's metadata in one Salesforce org, through the Metadata API."""

    client_for: Callable[[str], MetadataClient]  # API version → client
    target: str = TARGET
    _package: Members | None = field(default=None, init=False)
    _rules: frozenset[str] = field(default=frozenset(), init=False)
    _client: MetadataClient | None = field(default=None, init=False, repr=False)

    def _metadata(self) -> MetadataClient:
        if self._package is None:
            raise DeployError("Salesforce: desired() names what to retrieve; call it first")
        if self._client is None:
            self._client = self.client_for(self._package.version)
        return self._client

    def desired(self, export: Export) -> list[Component]:
        try:
            members, package = from_source(export.files)
        except MetadataFormatError as error:
            raise DeployError(f"the Salesforce export cannot be read: {error}") from None
        if not package.version:
            raise DeployError("the Salesforce export's package.xml names no API version")
        self._package = package
        self._rules = frozenset(
            name for m in members if m.kind == "AssignmentRules" for name in rule_names(m.body)
        )
        return _ordered(members)

    def retrieve_request(self) -> dict[str, frozenset[str]]:
        """What current() asks Salesforce for: the export's members, and every record of
        Accord's own custom metadata types (custom objects come with all their fields)."""
        assert self._package is not None
        types = dict(self._package.types)
        if accord_types(self._package):
            types["CustomMetadata"] = types.get("CustomMetadata", frozenset()) | {"*"}
        return types

    def current(self) -> list[Component]:
        client = self._metadata()
        assert self._package is not None
        package, types = self._package, accord_types(self._package)
        try:
            members = from_mdapi_files(unzip(client.retrieve(self.retrieve_request())))
        except MetadataFormatError as error:
            raise DeployError(f"Salesforce returned metadata Accord cannot read: {error}") from None
        found = []
        for item in members:
            if item.name in package.names(item.kind):
                if item.kind == "AssignmentRules":
                    # Only Accord's rule; rules made by hand on the same object are not Accord's.
                    body = assignment_rules_named(item.body, self._rules)
                    if body is None:
                        continue
                    item = Member(item.kind, item.name, body)
                found.append(item)
            elif removable(item.kind, item.name, types):
                found.append(item)
        return _ordered(found)

    def deploy_files(self, changes: Iterable[Change]) -> dict[str, str]:
        """The deploy zip's files for `changes`: package.xml, the added and changed
        members in Metadata API format, and destructiveChanges.xml for the removed ones."""
        assert self._package is not None
        types = accord_types(self._package)
        upserts: list[Member] = []
        deletions: dict[str, list[str]] = defaultdict(list)
        for change in changes:
            if change.action is Action.REMOVE:
                if not removable(change.kind, change.name, types):
                    raise DeployError(
                        f"Salesforce: Accord removes only records and fields of its own custom"
                        f" metadata types, not {change.kind} {change.name}"
                    )
                deletions[change.kind].append(change.name)
            else:
                assert change.after is not None
                upserts.append(Member(change.kind, change.name, change.after))
        kinds: dict[str, list[str]] = defaultdict(list)
        for item in upserts:
            kinds[item.kind].append(item.name)
        files = mdapi_files(upserts)
        files["package.xml"] = package_text(kinds, self._package.version)
        if deletions:
            files["destructiveChanges.xml"] = package_text(deletions, self._package.version)
        return files

    def apply(self, plan: Plan, journal: Journal) -> ApplyResult:
        if plan.target != self.target:
            raise DeployError(f"a plan for {plan.target} cannot be applied to Salesforce")
        if not plan.changes:
            journal.finish()
            return ApplyResult((), ())
        client = self._metadata()
        try:
            archive = zip_bytes(self.deploy_files(plan.changes))
        except MetadataFormatError as error:
            raise DeployError(f"the plan's Salesforce metadata cannot be read: {error}") from None
        try:
            check = client.deploy(archive, check_only=True)
        except SalesforceApiError as error:
            raise DeployError(f"{error}; nothing was deployed") from None
        if not check.succeeded:
            raise DeployError(_failed("the check-only deploy (validation) failed", check))
        try:
            outcome = client.deploy(archive, check_only=False)
        except SalesforceApiError as error:
            raise DeployError(
                f"{error}. Salesforce deploys all or nothing: the deploy either did not"
                " start or is applied whole; run `accord plan --target salesforce` to see"
                " which, and apply again"
            ) from None
        if not outcome.succeeded:
            raise DeployError(_failed("the deploy failed and Salesforce rolled it back", outcome))
        # All or nothing: every change is made at once.
        journal.done.extend(c.id for c in plan.changes if c.id not in journal.done)
        journal.finish()
        return ApplyResult(plan.changes, ())


def _failed(what: str, outcome: DeployOutcome) -> str:
    lines = [f"Salesforce: {what} (deploy {outcome.id}, {outcome.status}); nothing was deployed"]
    for failure in outcome.failures:
        lines.append(f"  {failure.file or failure.kind}: {failure.problem}")
    if not outcome.failures:
        lines.append("  (Salesforce named no component)")
    return "\n".join(lines)


def from_environment(
    environ: Mapping[str, str],
    *,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    sleep: Callable[[float], None] = time.sleep,
    poll_interval: float = 2.0,
) -> SalesforcePlatform:
    """The platform for the org `SALESFORCE_INSTANCE_URL` names, as `SALESFORCE_ACCESS_TOKEN`
    (each or `NAME_FILE`); MissingCredential when one is not set."""
    instance_url = credential(INSTANCE_URL, environ)
    metadata_url(instance_url, "0")  # refuses a URL that is not https before any request
    token = credential(ACCESS_TOKEN, environ)

    def client_for(api_version: str) -> MetadataClient:
        return MetadataClient(
            instance_url,
            token,
            api_version,
            timeout=timeout,
            sleep=sleep,
            poll_interval=poll_interval,
        )

    return SalesforcePlatform(client_for)


class _Settings(Protocol):  # engine.deploy.platforms.Settings (which imports this module)
    @property
    def environ(self) -> Mapping[str, str]: ...
    @property
    def timeout(self) -> tuple[float, float]: ...
    @property
    def sleep(self) -> Callable[[float], None]: ...


def from_settings(settings: _Settings) -> SalesforcePlatform:
    """engine.deploy.platforms' factory."""
    return from_environment(settings.environ, timeout=settings.timeout, sleep=settings.sleep)

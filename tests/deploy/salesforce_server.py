"""A local Salesforce Metadata API: the SOAP 1.1 contract of deploy, checkDeployStatus,
retrieve and checkRetrieveStatus (element names from simple-salesforce's metadata.wsdl),
on pytest-httpserver, with an org whose metadata it keeps.

It behaves as Salesforce documents: a deploy is asynchronous (the first status check says
InProgress), checkOnly validates without changing the org, rollbackOnError makes the
deploy all or nothing, destructiveChanges.xml deletes, a retrieve returns the members
asked for (`*` for all of a type; a custom object with its fields) and leaves out those
that do not exist. It can fail one request with any status, answer a 429 with
Retry-After, fail every request from one on, fail a component, and carry drift (an edit
made by hand in the org). It shares no code with the client it tests.
"""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
MD = "http://soap.sforce.com/2006/04/metadata"
_Q = "{" + MD + "}"
API_VERSION = "63.0"
TOKEN = "00Dxx0000001gPL!AQ4AQFakeAccessTokenForTests.x9Z"

FILES = {  # type → (folder, suffix) in a Metadata API zip
    "AssignmentRules": ("assignmentRules", ".assignmentRules"),
    "CustomMetadata": ("customMetadata", ".md"),
    "CustomNotificationType": ("notificationtypes", ".notiftype"),
    "Flow": ("flows", ".flow"),
    "Queue": ("queues", ".queue"),
}
STANDARD_OBJECTS = frozenset({"Lead", "Account", "Contact"})


@dataclass
class Deploy:
    id: str
    check_only: bool
    rollback_on_error: bool
    failures: list[tuple[str, str, str, str]]  # type, file, full name, problem
    deployed: int
    total: int
    checks: int = 0


@dataclass
class Org:
    """The org's metadata: (type, member) → the member's XML element (for a custom field,
    its `<fields>` element; for a custom object, the object without fields)."""

    members: dict[tuple[str, str], ET.Element] = field(default_factory=dict)

    def snapshot(self) -> dict[tuple[str, str], str]:
        return {k: ET.tostring(v, encoding="unicode") for k, v in sorted(self.members.items())}

    def has_object(self, name: str) -> bool:
        return name in STANDARD_OBJECTS or ("CustomObject", name) in self.members


@dataclass
class SalesforceServer:
    server: HTTPServer
    token: str = TOKEN
    org: Org = field(default_factory=Org)
    requests: list[str] = field(default_factory=list)  # SOAPAction of every request
    deploys: list[Deploy] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)  # every request body, as sent
    answers: list[str] = field(default_factory=list)  # every answer body
    fail: dict[int, tuple[int, dict[str, str]]] = field(default_factory=dict)
    fail_from: tuple[int, int] | None = None  # (request number, status): every one after
    component_problems: dict[tuple[str, str], str] = field(default_factory=dict)
    real_deploy_problems: dict[tuple[str, str], str] = field(default_factory=dict)
    checks_until_done: int = 1  # status checks that answer InProgress first
    _retrieves: dict[str, bytes] = field(default_factory=dict)

    def install(self) -> SalesforceServer:
        self.server.expect_request(
            re.compile(rf"^/services/Soap/m/{re.escape(API_VERSION)}/.*$"), method="POST"
        ).respond_with_handler(self._handle)
        return self

    @property
    def instance_url(self) -> str:
        return self.server.url_for("/").rstrip("/")

    # --- failures and drift -------------------------------------------------------------

    def fail_request(self, number: int, status: int, retry_after: str | None = None) -> None:
        """Answer the `number`th request (counting from 1, every request) with `status`."""
        self.fail[number] = (status, {"Retry-After": retry_after} if retry_after else {})

    def fail_every_request_from(self, number: int, status: int) -> None:
        self.fail_from = (number, status)

    def edit(self, kind: str, name: str, change: Callable[[ET.Element], None]) -> None:
        """Change a member by hand, as someone in Setup would."""
        change(self.org.members[(kind, name)])

    # --- HTTP ---------------------------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        number = len(self.requests) + 1
        action = request.headers.get("SOAPAction", "").strip('"')
        self.requests.append(action)
        body = request.get_data(as_text=True)
        self.bodies.append(body)
        if self.fail_from is not None and number >= self.fail_from[0]:
            return self._answer(Response("Service Unavailable", status=self.fail_from[1]))
        if number in self.fail:
            status, headers = self.fail[number]
            return self._answer(Response("try again", status=status, headers=headers))
        envelope = ET.fromstring(body)
        session = envelope.findtext(f"{{{SOAP}}}Header/{_Q}SessionHeader/{_Q}sessionId")
        if session != self.token or request.headers.get("Authorization") != f"Bearer {self.token}":
            return self._fault("sf:INVALID_SESSION_ID", "INVALID_SESSION_ID: Invalid Session ID")
        call = envelope.find(f"{{{SOAP}}}Body/*")
        if call is None or call.tag != _Q + action:
            return self._fault("soapenv:Client", f"SOAPAction {action} does not match the body")
        handler = {
            "deploy": self._deploy,
            "checkDeployStatus": self._check_deploy,
            "retrieve": self._retrieve,
            "checkRetrieveStatus": self._check_retrieve,
        }.get(action)
        if handler is None:
            return self._fault("soapenv:Client", f"no operation {action}")
        return self._answer(_envelope(action + "Response", handler(call)))

    def _answer(self, response: Response) -> Response:
        self.answers.append(response.get_data(as_text=True))
        return response

    def _fault(self, code: str, message: str) -> Response:
        text = (
            f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{SOAP}"'
            f' xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault>'
            f"<faultcode>{code}</faultcode><faultstring>{_escape(message)}</faultstring>"
            "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
        )
        return self._answer(Response(text, status=500, content_type="text/xml"))

    # --- deploy -------------------------------------------------------------------------

    def _deploy(self, call: ET.Element) -> ET.Element:
        options = call.find(f"{_Q}DeployOptions")
        assert options is not None

        def flag(name: str) -> bool:
            return (options.findtext(_Q + name) or "").strip().lower() == "true"

        data = base64.b64decode(call.findtext(f"{_Q}ZipFile") or "")
        check_only = flag("checkOnly")
        deploy = self.run_deploy(data, check_only, flag("rollbackOnError"))
        self.deploys.append(deploy)
        result = ET.Element("result")
        _leaf(result, "done", "false")
        _leaf(result, "id", deploy.id)
        _leaf(result, "state", "Queued")
        return result

    def run_deploy(self, data: bytes, check_only: bool, rollback: bool) -> Deploy:
        deploy_id = f"0Af{len(self.deploys) + 1:012d}"
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        failures: list[tuple[str, str, str, str]] = []
        if "package.xml" not in files:
            failures.append(("", "package.xml", "package.xml", "No package.xml found"))
            return Deploy(deploy_id, check_only, rollback, failures, 0, 0)
        package = _package(files["package.xml"])
        deletions = (
            _package(files["destructiveChanges.xml"]) if "destructiveChanges.xml" in files else []
        )
        staged = Org(dict(self.org.members))
        total = len(package) + len(deletions)
        deployed = 0
        for kind, name in deletions:
            staged.members.pop((kind, name), None)
            deployed += 1
        found: list[tuple[str, str, str, ET.Element]] = []
        problem: str | None
        for kind, name in package:
            path, element = _find(files, kind, name)
            if element is None:
                missing = f"An object '{name}' of type {kind} was named in package.xml, but was not found in zipped directory"
                failures.append((kind, path, name, missing))
                continue
            found.append((kind, name, path, element))
            staged.members[(kind, name)] = element
        # Salesforce orders a deploy's components itself: dependencies are checked against
        # the org as the whole deploy would leave it.
        for kind, name, path, element in found:
            problem = self.component_problems.get((kind, name))
            if problem is None and not check_only:
                problem = self.real_deploy_problems.get((kind, name))
            problem = problem or _dependency_problem(staged, kind, name, element)
            if problem is not None:
                failures.append((kind, path, name, problem))
                if (kind, name) in self.org.members:
                    staged.members[(kind, name)] = self.org.members[(kind, name)]
                else:
                    del staged.members[(kind, name)]
            else:
                deployed += 1
        if not check_only and (not failures or not rollback):
            self.org = staged
        if failures and rollback:
            deployed = 0
        return Deploy(deploy_id, check_only, rollback, failures, deployed, total)

    def _check_deploy(self, call: ET.Element) -> ET.Element:
        wanted = call.findtext(f"{_Q}asyncProcessId")
        deploy = next(d for d in self.deploys if d.id == wanted)
        deploy.checks += 1
        done = deploy.checks > self.checks_until_done
        result = ET.Element("result")
        _leaf(result, "checkOnly", _bool(deploy.check_only))
        if done:
            details = ET.SubElement(result, "details")
            for kind, path, name, problem in deploy.failures:
                failure = ET.SubElement(details, "componentFailures")
                for tag, value in (
                    ("changed", "false"),
                    ("componentType", kind),
                    ("created", "false"),
                    ("deleted", "false"),
                    ("fileName", path),
                    ("fullName", name),
                    ("problem", problem),
                    ("problemType", "Error"),
                    ("success", "false"),
                ):
                    _leaf(failure, tag, value)
        _leaf(result, "done", _bool(done))
        _leaf(result, "id", deploy.id)
        _leaf(result, "numberComponentErrors", str(len(deploy.failures) if done else 0))
        _leaf(result, "numberComponentsDeployed", str(deploy.deployed if done else 0))
        _leaf(result, "numberComponentsTotal", str(deploy.total))
        _leaf(result, "numberTestErrors", "0")
        _leaf(result, "numberTestsCompleted", "0")
        _leaf(result, "numberTestsTotal", "0")
        _leaf(result, "rollbackOnError", _bool(deploy.rollback_on_error))
        status = "InProgress" if not done else ("Failed" if deploy.failures else "Succeeded")
        _leaf(result, "status", status)
        _leaf(result, "success", _bool(done and not deploy.failures))
        return result

    # --- retrieve -----------------------------------------------------------------------

    def _retrieve(self, call: ET.Element) -> ET.Element:
        request = call.find(f"{_Q}retrieveRequest")
        assert request is not None
        assert request.findtext(f"{_Q}apiVersion") == API_VERSION
        wanted: list[tuple[str, str]] = []
        # simple-salesforce writes the package's elements without a namespace prefix (and
        # Salesforce takes them); qualified ones are read too.
        for entry in [
            *request.findall(f"{_Q}unpackaged/types"),
            *request.findall(f"{_Q}unpackaged/{_Q}types"),
        ]:
            kind = entry.findtext("name") or entry.findtext(f"{_Q}name") or ""
            members = [*entry.findall("members"), *entry.findall(f"{_Q}members")]
            wanted += [(kind, m.text or "") for m in members]
        retrieve_id = f"09S{len(self._retrieves) + 1:012d}"
        self._retrieves[retrieve_id] = self._retrieve_zip(wanted)
        result = ET.Element("result")
        _leaf(result, "done", "false")
        _leaf(result, "id", retrieve_id)
        _leaf(result, "state", "Queued")
        return result

    def _retrieve_zip(self, wanted: list[tuple[str, str]]) -> bytes:
        chosen: set[tuple[str, str]] = set()
        for kind, name in wanted:
            if name == "*":
                chosen |= {k for k in self.org.members if k[0] == kind}
            elif kind == "CustomObject":
                chosen |= {
                    k
                    for k in self.org.members
                    if k == (kind, name) or (k[0] == "CustomField" and k[1].startswith(name + "."))
                }
            elif (kind, name) in self.org.members:
                chosen.add((kind, name))
        objects: dict[str, list[ET.Element]] = {}
        files: dict[str, bytes] = {}
        for kind, name in sorted(chosen):
            element = self.org.members[(kind, name)]
            if kind == "CustomField":
                objects.setdefault(name.split(".")[0], []).append(element)
            elif kind == "CustomObject":
                objects.setdefault(name, [])[:0] = list(element)
            else:
                folder, suffix = FILES[kind]
                files[f"{folder}/{name}{suffix}"] = _document(element)
        for name, children in objects.items():
            root = ET.Element(_Q + "CustomObject")
            root[:] = sorted(children, key=lambda e: e.tag)
            files[f"objects/{name}.object"] = _document(root)
        files["package.xml"] = _package_xml(sorted(chosen))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path, data in sorted(files.items()):
                archive.writestr(path, data)
        return buffer.getvalue()

    def _check_retrieve(self, call: ET.Element) -> ET.Element:
        wanted = call.findtext(f"{_Q}asyncProcessId") or ""
        include_zip = (call.findtext(f"{_Q}includeZip") or "").lower() == "true"
        result = ET.Element("result")
        _leaf(result, "done", "true")
        _leaf(result, "id", wanted)
        _leaf(result, "status", "Succeeded")
        _leaf(result, "success", "true")
        if include_zip:
            _leaf(result, "zipFile", base64.b64encode(self._retrieves[wanted]).decode())
        return result


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _leaf(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def _envelope(tag: str, result: ET.Element) -> Response:
    for element in result.iter():
        if not element.tag.startswith("{"):
            element.tag = _Q + element.tag
    wrapper = ET.Element(_Q + tag)
    wrapper.append(result)
    envelope = ET.Element(f"{{{SOAP}}}Envelope")
    ET.SubElement(envelope, f"{{{SOAP}}}Body").append(wrapper)
    text = ET.tostring(envelope, encoding="unicode")
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?>' + text, status=200, content_type="text/xml"
    )


def _document(root: ET.Element) -> bytes:
    text = ET.tostring(root, encoding="unicode", default_namespace=MD)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode()


def _package(data: bytes) -> list[tuple[str, str]]:
    root = ET.fromstring(data)
    found = []
    for entry in root.findall(f"{_Q}types"):
        kind = entry.findtext(f"{_Q}name") or ""
        found += [(kind, m.text or "") for m in entry.findall(f"{_Q}members")]
    return found


def _package_xml(members: list[tuple[str, str]]) -> bytes:
    root = ET.Element(_Q + "Package")
    kinds = sorted({k for k, _ in members})
    for kind in kinds:
        entry = ET.SubElement(root, _Q + "types")
        for _, name in (m for m in members if m[0] == kind):
            ET.SubElement(entry, _Q + "members").text = name
        ET.SubElement(entry, _Q + "name").text = kind
    ET.SubElement(root, _Q + "version").text = API_VERSION
    return _document(root)


def _find(files: dict[str, bytes], kind: str, name: str) -> tuple[str, ET.Element | None]:
    """A member's file in a deploy zip, and its element (None when it is not there)."""
    if kind in ("CustomField", "CustomObject"):
        object_name = name.split(".")[0]
        path = f"objects/{object_name}.object"
        if path not in files:
            return path, None
        root = ET.fromstring(files[path])
        if kind == "CustomObject":
            copy = ET.Element(root.tag)
            copy[:] = [c for c in root if c.tag != _Q + "fields"]
            return path, copy if len(copy) else None
        field_name = name.split(".", 1)[1]
        for element in root.findall(f"{_Q}fields"):
            if element.findtext(f"{_Q}fullName") == field_name:
                return path, element
        return path, None
    folder, suffix = FILES[kind]
    path = f"{folder}/{name}{suffix}"
    return path, ET.fromstring(files[path]) if path in files else None


def _dependency_problem(org: Org, kind: str, name: str, element: ET.Element) -> str | None:
    """What Salesforce would refuse because something it needs does not exist."""
    if kind == "CustomField" and not org.has_object(name.split(".")[0]):
        return f"Entity Enumeration Or ID: bad value for restricted picklist field: {name}"
    if kind == "CustomMetadata" and not org.has_object(name.split(".")[0] + "__mdt"):
        return f"Invalid type: {name.split('.')[0]}__mdt"
    if kind == "AssignmentRules":
        for entry in element.iter(_Q + "ruleEntry"):
            if entry.findtext(f"{_Q}assignedToType") == "Queue":
                queue = entry.findtext(f"{_Q}assignedTo") or ""
                if ("Queue", queue) not in org.members:
                    return f"no Queue named {queue} found"
    return None

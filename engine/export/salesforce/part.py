"""What each builder of the Salesforce export returns: files, diagnostics and coverage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.diagnostics import Diagnostic
from engine.export import Coverage

SOURCE_ROOT = "force-app/main/default"
# The Metadata API version of the WSDL the files are checked against (simple-salesforce's).
API_VERSION = "63.0"


@dataclass(frozen=True)
class Part:
    files: Mapping[str, str] = field(default_factory=dict)  # relative path → text
    diagnostics: tuple[Diagnostic, ...] = ()
    coverage: tuple[Coverage, ...] = ()

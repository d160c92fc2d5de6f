"""Salesforce API names for Accord ids, and the X104 diagnostic when an id cannot have one.

An API name starts with a letter, holds only ASCII letters, digits and single underscores,
does not end with an underscore and is at most 40 characters for fields, custom metadata
records and queues (80 for flows). https://help.salesforce.com/s/articleView?id=sf.custom_field_names.htm
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.diagnostics import Diagnostic, diagnostic
from engine.span import Span

FIELD_LIMIT = 40  # a custom field's name without `__c`; also a developer name's limit
FLOW_LIMIT = 80

_VALID = re.compile(r"^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$")
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")


def api_name(text: str) -> str:
    """`amer-enterprise` → `Amer_Enterprise`: words joined by single underscores, each capitalised.

    May still be invalid (too long, starting with a digit); `is_valid` says."""
    words = [w for w in _SEPARATORS.split(text) if w]
    return "_".join(w[0].upper() + w[1:] for w in words)


def is_valid(name: str, limit: int = FIELD_LIMIT) -> bool:
    return len(name) <= limit and _VALID.match(name) is not None


@dataclass
class Namer:
    """Names one kind of component (queues, fields, records), refusing invalid names and
    two ids that would share a name: the first id in definition order keeps it."""

    kind: str  # what is named, for messages: "queue", "custom field"
    limit: int = FIELD_LIMIT
    template: str = "{}"  # where the id's API form goes: "Accord_{}_Score"
    suffix: str = ""  # added after the checks: "__c"
    taken: dict[str, str] = field(default_factory=dict)  # name (case-folded) → the id
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def name(self, id: str, span: Span) -> str | None:
        base = self.template.format(api_name(id))
        if not is_valid(base, self.limit):
            self.diagnostics.append(
                diagnostic(
                    "X104",
                    f"`{id}` gives the {self.kind} name `{base}`, which Salesforce does not"
                    f" accept (at most {self.limit} characters, letters, digits and single"
                    " underscores, starting with a letter)",
                    span,
                    help="shorten or rename the id; this definition is not exported",
                )
            )
            return None
        key = base.casefold()  # API names are unique whatever their case
        if key in self.taken and self.taken[key] != id:
            self.diagnostics.append(
                diagnostic(
                    "X104",
                    f"`{id}` and `{self.taken[key]}` both give the {self.kind} name `{base}`",
                    span,
                    help="rename one of them; this definition is not exported",
                )
            )
            return None
        self.taken[key] = id
        return base + self.suffix

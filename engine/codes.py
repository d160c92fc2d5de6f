"""The catalogue of diagnostic codes: stable ids, default severities and what each means.

Codes never change meaning once released; a retired code is never reused. The same table
feeds SARIF rule metadata and docs/diagnostics.md (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeInfo:
    severity: str
    name: str
    summary: str


CODES: dict[str, CodeInfo] = {
    # Y: reading files and YAML
    "Y101": CodeInfo("error", "yaml-syntax", "The file is not valid YAML."),
    "Y102": CodeInfo("error", "duplicate-key", "A mapping names the same key twice."),
    "Y103": CodeInfo("error", "yaml-tag", "A YAML tag such as `!!python/object` or `!custom`."),
    "Y104": CodeInfo("error", "alias-expansion", "Aliases expand beyond the allowed bound."),
    "Y105": CodeInfo(
        "error",
        "yaml11-boolean",
        "`yes`, `no`, `on`, `off`, `y` or `n` unquoted: YAML 1.1 reads it as a boolean.",
    ),
    "Y106": CodeInfo(
        "error",
        "yaml11-number",
        "A value such as `17:30` or `0755` that YAML 1.1 reads as a number.",
    ),
    "Y107": CodeInfo("error", "encoding", "The file is not UTF-8 text."),
    "Y108": CodeInfo(
        "error", "document-count", "The file is empty or holds more than one YAML document."
    ),
    "Y109": CodeInfo("error", "key-type", "A mapping key that is not a string."),
    "Y110": CodeInfo(
        "error", "file-too-large", "The file is larger than a definition file may be."
    ),
    "Y111": CodeInfo(
        "error", "too-many-values", "The file holds more values than a definition file may."
    ),
    # S: the JSON Schema of each kind
    "S101": CodeInfo(
        "error", "unknown-key", "A key the kind's schema does not define (often a typo)."
    ),
    "S102": CodeInfo("error", "missing-key", "A required key is missing."),
    "S103": CodeInfo(
        "error", "wrong-type", "A value of the wrong type, e.g. text where a number goes."
    ),
    "S104": CodeInfo("error", "value-not-allowed", "A value outside the allowed set."),
    "S105": CodeInfo("error", "bad-format", "A value that does not have the required form."),
    "S106": CodeInfo(
        "error", "out-of-range", "A number, length or count outside its allowed range."
    ),
    "S107": CodeInfo("error", "unknown-kind", "`apiVersion` or `kind` is missing or unknown."),
    "S108": CodeInfo(
        "warning", "schema-comment", "The editor schema comment names another kind's schema."
    ),
    "S109": CodeInfo("error", "schema", "Any other violation of the kind's schema."),
    # E: expressions
    "E101": CodeInfo("error", "expression-syntax", "An expression that does not parse."),
    "E102": CodeInfo(
        "error",
        "forbidden-construct",
        "A construct outside the expression language (attributes, lambdas, …).",
    ),
    "E103": CodeInfo("error", "unknown-name", "A name that is no field, term or computed value."),
    "E104": CodeInfo("error", "unknown-function", "A call to a function outside the allowed set."),
    "E105": CodeInfo(
        "error", "arguments", "A function called with the wrong number or kind of arguments."
    ),
    "E106": CodeInfo(
        "error", "type-mismatch", "Values of types that cannot be combined or compared."
    ),
    "E107": CodeInfo("error", "not-a-condition", "A condition whose value is not true or false."),
    "E108": CodeInfo("error", "regex", "A regular expression outside the RE2 dialect, or invalid."),
    "E109": CodeInfo("error", "outcome-leak", "An outcome field used in a definition."),
    "E110": CodeInfo(
        "error", "not-available-here", "A value that this kind of definition may not use."
    ),
    "E111": CodeInfo(
        "error", "unknown-value", "A literal that is not among the values a field or output takes."
    ),
    "E112": CodeInfo("error", "expression-size", "An expression too long or nested too deeply."),
    "E113": CodeInfo(
        "error",
        "term-not-executable",
        "A glossary term without an executable meaning used in a condition or given examples.",
    ),
    # R: ids and references between definitions
    "R101": CodeInfo("error", "duplicate-id", "Two definitions share an id."),
    "R102": CodeInfo("error", "unknown-reference", "A reference to an id that is not defined."),
    "R103": CodeInfo("error", "field-type", "A field of the wrong type for where it is used."),
    "R104": CodeInfo(
        "error", "name-clash", "A name used both as a field, a term, a score group or a built-in."
    ),
    "R105": CodeInfo("error", "cycle", "Definitions that depend on each other in a circle."),
    "R106": CodeInfo(
        "error", "project-layout", "A required definition file is missing or repeated."
    ),
    "R107": CodeInfo(
        "error", "tests-file-name", "Rule tests outside a `*.tests.yaml` file, or the reverse."
    ),
    "R108": CodeInfo("error", "duplicate-alias", "Two glossary terms claim the same alias."),
    "R109": CodeInfo(
        "error",
        "test-value",
        "A rule test's or term example's lead value that does not fit the field.",
    ),
    # L: logic of the definitions
    "L101": CodeInfo("error", "missing-fallback", "The last route does not match every lead."),
    "L102": CodeInfo(
        "warning", "unreachable-route", "A route that an earlier route always pre-empts."
    ),
    "L103": CodeInfo("error", "grade-order", "A grade band that an earlier band always pre-empts."),
    "L104": CodeInfo(
        "error", "points-sign", "Points or caps of the wrong sign, or caps out of order."
    ),
    "L105": CodeInfo(
        "warning", "points-over-cap", "A rule worth more than its group's cap can hold."
    ),
    "L106": CodeInfo("warning", "never-true", "A condition that can never hold."),
    "L107": CodeInfo(
        "error", "calendar-hours", "Working hours that are empty, reversed or given twice."
    ),
    "L108": CodeInfo("error", "invalid-date", "A date, time or time zone that does not exist."),
    "L109": CodeInfo(
        "warning", "capacity", "Members promised more weekly capacity than their team has."
    ),
    # X: exports to the platforms (warnings, errors with `accord export --strict`)
    "X101": CodeInfo(
        "warning",
        "unsupported-condition",
        "A condition uses an operator or function the target platform cannot express.",
    ),
    "X102": CodeInfo(
        "warning",
        "unmapped-field",
        "A condition reads a lead field that has no name on the target platform.",
    ),
    "X103": CodeInfo(
        "warning",
        "unsupported-feature",
        "A definition uses a feature the target platform cannot carry (decay, a cap, a strategy).",
    ),
    "X104": CodeInfo(
        "warning", "platform-name", "An id the target platform's naming rules do not accept."
    ),
}

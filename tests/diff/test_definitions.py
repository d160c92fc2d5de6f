"""engine.diff.definitions: which definitions a pull request changes, and who owns them.

Each head revision is the example organisation with its file bytes edited in memory; every
expected change below was worked out by hand from the YAML (lines from the files, owners
from their `owners:` lines).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.diff.definitions import definition_changes, field_changes
from engine.diff.report import ChangeKind, DefinitionChange, FieldChanges
from engine.ir import Project
from engine.project import compile_project, read_files

ROOT = Path(__file__).resolve().parents[2]
ADDED, REMOVED, MODIFIED = ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.MODIFIED
MARKETING_SALES = ("marketing", "sales")  # rules/scoring.yaml, rules/qualification.yaml, …
SALES_REVOPS = ("revops", "sales")  # rules/routing.yaml, slas/calendars.yaml

Edit = tuple[str, str, str]  # file, text that occurs exactly once, its replacement


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return read_files(ROOT)


def compiled(files: dict[str, bytes], *edits: Edit) -> Project:
    edited = dict(files)
    for path, old, new in edits:
        text = edited[path].decode()
        assert text.count(old) == 1, f"{old!r} must occur once in {path}"
        edited[path] = text.replace(old, new).encode()
    result = compile_project(edited)
    assert result.ok, result.diagnostics
    assert result.project is not None
    return result.project


def moved_block(text: str, block_start: str, block_end: str, before: str) -> str:
    """`text` with the lines from `block_start` up to `block_end` moved above `before`."""
    start, end = text.index(block_start), text.index(block_end)
    block, rest = text[start:end], text[:start] + text[end:]
    at = rest.index(before)
    return rest[:at] + block + rest[at:]


def test_identical_projects_have_no_changes(northwind: Project, files: dict[str, bytes]) -> None:
    assert definition_changes(northwind, northwind) == ()
    assert definition_changes(northwind, compiled(files)) == ()
    assert field_changes(northwind, compiled(files)) == FieldChanges(added=(), removed=())


def test_layout_comments_and_line_moves_change_nothing(
    northwind: Project, files: dict[str, bytes]
) -> None:
    segments = files["glossary/segments.yaml"].decode()
    start, end = segments.index("  - id: territory"), segments.index("  - id: arr")
    territory_last = f"{segments[:start]}{segments[end:]}\n{segments[start:end]}".rstrip() + "\n"
    head = compiled(
        {**files, "glossary/segments.yaml": territory_last.encode()},
        # Every line of the file moves down three.
        (
            "rules/scoring.yaml",
            "# Northwind's lead score",
            "# A new comment.\n#\n#\n# Northwind's lead score",
        ),
        ("rules/scoring.yaml", "cap: {min: 0, max: 100}", "cap:\n  min: 0\n  max: 100"),
        ("rules/scoring.yaml", "when: employees < 50", "when: (employees  <  50)"),
        ("rules/scoring.yaml", "# --- industry ---", "# --- industry (reviewed) ---"),
        # A folded paragraph wrapped at another word reads the same.
        (
            "rules/scoring.yaml",
            "the last activity, so a\n      burst of",
            "the last activity,\n      so a burst of",
        ),
        (
            "rules/routing.yaml",
            "members: [ana.silva, marcus.reed, priya.nair, tom.becker]",
            "members:\n      - ana.silva\n      - marcus.reed\n      - priya.nair\n      - tom.becker",
        ),
        (
            "rules/routing.yaml",
            'when: region == "AMER" and enterprise',
            'when: region=="AMER"   and enterprise',
        ),
        (
            "slas/calendars.yaml",
            'mon-fri: "09:00-17:30"',
            'mon-thu: "09:00-17:30"\n      fri: "09:00-17:30"',
        ),
        ("slas/handoff.yaml", "within: 4 business hours", 'within: "4 business hours"'),
    )
    assert [t.id for t in head.terms][-2:] == ["arr", "territory"]
    assert definition_changes(northwind, head) == ()


# One edit, the changes it makes: the data-driven part of the suite.
CASES: dict[str, tuple[list[Edit], tuple[DefinitionChange, ...]]] = {
    "rule points": (
        [
            (
                "rules/scoring.yaml",
                "points: 15\n        why: 1,000+",
                "points: 20\n        why: 1,000+",
            )
        ],
        (
            DefinitionChange(
                "rule",
                "enterprise_size",
                MODIFIED,
                ("points 15 → 20",),
                "rules/scoring.yaml:28",
                MARKETING_SALES,
            ),
        ),
    ),
    "rule condition": (
        [("rules/scoring.yaml", "annual_revenue >= 100000000", "annual_revenue >= 50000000")],
        (
            DefinitionChange(
                "rule",
                "revenue_over_100m",
                MODIFIED,
                ("condition: annual_revenue >= 100000000 → annual_revenue >= 50000000",),
                "rules/scoring.yaml:50",
                MARKETING_SALES,
            ),
        ),
    ),
    "group cap": (
        [("rules/scoring.yaml", "cap: {min: -40, max: 60}", "cap: {min: -40, max: 70}")],
        (
            DefinitionChange(
                "group",
                "fit",
                MODIFIED,
                ("cap max 60 → 70",),
                "rules/scoring.yaml:19",
                MARKETING_SALES,
            ),
        ),
    ),
    "stage condition": (
        [("rules/qualification.yaml", "when: score >= 50 and", "when: score >= 55 and")],
        (
            DefinitionChange(
                "stage",
                "mql",
                MODIFIED,
                (
                    "condition: score >= 50 and fit >= 25 and engagement >= 10 and not existing_customer"
                    " → score >= 55 and fit >= 25 and engagement >= 10 and not existing_customer",
                ),
                "rules/qualification.yaml:65",
                MARKETING_SALES,
            ),
        ),
    ),
    "qualifying stage": (
        [("rules/qualification.yaml", "qualifying_stage: mql", "qualifying_stage: sal")],
        (
            DefinitionChange(
                "qualifying_stage",
                "qualification",
                MODIFIED,
                ("qualifying stage mql → sal",),
                "rules/qualification.yaml:58",
                MARKETING_SALES,
            ),
        ),
    ),
    "qualifying stage left to its default": (
        [("rules/qualification.yaml", "qualifying_stage: mql\n", "")],
        (
            DefinitionChange(
                "qualifying_stage",
                "qualification",
                MODIFIED,
                ("qualifying stage mql → (the first stage after the entry stage)",),
                "rules/qualification.yaml:7",  # the Qualification itself: apiVersion's line
                MARKETING_SALES,
            ),
        ),
    ),
    "route assignment": (
        [
            (
                "rules/routing.yaml",
                "assign: {team: apac}\n    why:",
                "assign: {queue: unassigned-leads}\n    why:",
            )
        ],
        (
            DefinitionChange(
                "route",
                "apac_hand_raisers",
                MODIFIED,
                ("assigns team:apac → queue:unassigned-leads",),
                "rules/routing.yaml:154",
                SALES_REVOPS,
            ),
        ),
    ),
    "member capacity": (
        [
            (
                "rules/routing.yaml",
                "name: Kim Nguyen, capacity_per_week: 40",
                "name: Kim Nguyen, capacity_per_week: 35",
            )
        ],
        (
            DefinitionChange(
                "team",
                "amer-mid-market",
                MODIFIED,
                ("member kim.nguyen capacity_per_week 40 → 35",),
                "rules/routing.yaml:47",
                SALES_REVOPS,
            ),
        ),
    ),
    "team capacity, a member added and the rotation reordered": (
        [
            (
                "rules/routing.yaml",
                "capacity_per_week: 80\n    members: [jan.devries, emma.clarke, pierre.laurent]",
                "capacity_per_week: 100\n    members: [emma.clarke, jan.devries, pierre.laurent, mia.berg]",
            )
        ],
        (
            DefinitionChange(
                "team",
                "emea-mid-market",
                MODIFIED,
                (
                    "capacity_per_week 80 → 100",
                    "member mia.berg added",
                    "member order jan.devries, emma.clarke, pierre.laurent"
                    " → emma.clarke, jan.devries, pierre.laurent",
                ),
                "rules/routing.yaml:70",
                SALES_REVOPS,
            ),
        ),
    ),
    # The term's owners (marketing, sales, revops) and its file's (marketing, sales).
    # The definition is longer than a side's 90 characters, so both sides start at the
    # last word boundary 30 or more characters before the first difference.
    "glossary definition": (
        [("glossary/lifecycle.yaml", "however much they engage.", "however often they engage.")],
        (
            DefinitionChange(
                "term",
                "competitor",
                MODIFIED,
                (
                    "definition: …never routed to a rep, however much they engage."
                    " → …never routed to a rep, however often they engage.",
                ),
                "glossary/lifecycle.yaml:94",
                ("marketing", "revops", "sales"),
            ),
        ),
    ),
    "executable term": (
        [("glossary/segments.yaml", "means: employees >= 1000", "means: employees >= 500")],
        (
            DefinitionChange(
                "term",
                "enterprise",
                MODIFIED,
                ("means: employees >= 1000 → employees >= 500",),
                "glossary/segments.yaml:19",
                ("marketing", "revops", "sales"),
            ),
        ),
    ),
    # A long folded condition, cut the same way: its first difference is the `,` after "EMEA".
    "long condition": (
        [("glossary/segments.yaml", '["AMER", "EMEA", "APAC"]', '["AMER", "EMEA"]')],
        (
            DefinitionChange(
                "term",
                "icp",
                MODIFIED,
                (
                    'means: …"Telecommunications"] and region in ["AMER", "EMEA", "APAC"]'
                    ' → …"Telecommunications"] and region in ["AMER", "EMEA"]',
                ),
                "glossary/segments.yaml:66",
                ("marketing", "revops", "sales"),
            ),
        ),
    ),
    "sla and commitment": (
        [
            ("slas/handoff.yaml", "within: 4 business hours", "within: 2 business hours"),
            ("slas/handoff.yaml", "at_least: 450", "at_least: 500"),
        ],
        (
            DefinitionChange(
                "sla",
                "mql_first_touch",
                MODIFIED,
                ("within 4 business hours → 2 business hours",),
                "slas/handoff.yaml:13",
                MARKETING_SALES,
            ),
            DefinitionChange(
                "commitment",
                "monthly_mql_volume",
                MODIFIED,
                ("at_least 450 → 500",),
                "slas/handoff.yaml:83",
                MARKETING_SALES,
            ),
        ),
    ),
    "calendar hours": (
        [("slas/calendars.yaml", 'fri: "09:00-15:00"', 'fri: "09:00-14:00"')],
        (
            DefinitionChange(
                "calendar",
                "apac",
                MODIFIED,
                ("hours fri 09:00-15:00 → 09:00-14:00",),
                "slas/calendars.yaml:47",
                SALES_REVOPS,
            ),
        ),
    ),
    "lead model settings": (
        [
            (
                "rules/lead.yaml",
                "  - lead_source\n  - region\n",
                "  - region\n  - lead_source\n",
            )
        ],
        (
            DefinitionChange(
                "field",
                "lead model",
                MODIFIED,
                ("report_by order lead_source, region → region, lead_source",),
                "rules/lead.yaml:13",
                ("revops",),
            ),
        ),
    ),
    "party": (
        [("accord.yaml", '"@northwind/sales"', '"@northwind/sales-team"')],
        (
            DefinitionChange(
                "party",
                "sales",
                MODIFIED,
                ("github @northwind/sales → @northwind/sales-team",),
                "accord.yaml:24",
                ("revops",),
            ),
        ),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_one_edit(case: str, northwind: Project, files: dict[str, bytes]) -> None:
    edits, expected = CASES[case]
    assert definition_changes(northwind, compiled(files, *edits)) == expected


def test_rule_added_and_removed(northwind: Project, files: dict[str, bytes]) -> None:
    head = compiled(
        files,
        (
            "rules/scoring.yaml",
            "      - id: tiny_company\n        when: employees < 50\n        points: -15\n",
            "      - id: huge_company\n        when: employees >= 100000\n        points: 5\n",
        ),
    )
    assert definition_changes(northwind, head) == (
        DefinitionChange(
            "rule",
            "huge_company",
            ADDED,
            ("5 points in fit when employees >= 100000",),
            "rules/scoring.yaml:40",
            MARKETING_SALES,
        ),
        DefinitionChange(
            "rule",
            "tiny_company",
            REMOVED,
            ("-15 points in fit when employees < 50",),
            "rules/scoring.yaml:40",
            MARKETING_SALES,
        ),
    )


def test_rule_moved_to_another_group(northwind: Project, files: dict[str, bytes]) -> None:
    scoring = files["rules/scoring.yaml"].decode()
    text = moved_block(
        scoring,
        "      - id: partner_referral",
        "      - id: low_intent_source",
        "      - id: enterprise_size",
    )
    head = compiled({**files, "rules/scoring.yaml": text.encode()})
    assert definition_changes(northwind, head) == (
        DefinitionChange(
            "rule",
            "partner_referral",
            MODIFIED,
            ("group engagement → fit",),
            "rules/scoring.yaml:28",
            MARKETING_SALES,
        ),
    )


def test_route_moved_up(northwind: Project, files: dict[str, bytes]) -> None:
    # partner_referrals goes from 4th to 2nd, pushing named_accounts and existing_customers down.
    routing = files["rules/routing.yaml"].decode()
    text = moved_block(
        routing, "  - id: partner_referrals", "  - id: amer_public_sector", "  - id: named_accounts"
    )
    head = compiled({**files, "rules/routing.yaml": text.encode()})
    assert definition_changes(northwind, head) == (
        DefinitionChange(
            "route",
            "existing_customers",
            MODIFIED,
            ("now checked 4th (was 3rd)",),
            "rules/routing.yaml:125",
            SALES_REVOPS,
        ),
        DefinitionChange(
            "route",
            "named_accounts",
            MODIFIED,
            ("now checked 3rd (was 2nd)",),
            "rules/routing.yaml:121",
            SALES_REVOPS,
        ),
        DefinitionChange(
            "route",
            "partner_referrals",
            MODIFIED,
            ("now checked 2nd (was 4th)",),
            "rules/routing.yaml:117",
            SALES_REVOPS,
        ),
    )


def test_added_route_moves_no_other(northwind: Project, files: dict[str, bytes]) -> None:
    # A new first route shifts every line and position, but no route's order among the
    # routes on both sides. named_accounts then moves above disqualified_leads: it stays
    # 2nd in the whole list, so its detail counts only the routes on both sides.
    routing = files["rules/routing.yaml"].decode()
    text = moved_block(
        routing,
        "  - id: named_accounts",
        "  - id: existing_customers",
        "  - id: disqualified_leads",
    )
    vip = "  - id: vip\n    when: employees >= 100000\n    assign: {team: amer-enterprise}\n"
    text = text.replace("  - id: named_accounts", vip + "  - id: named_accounts")
    head = compiled({**files, "rules/routing.yaml": text.encode()})
    assert definition_changes(northwind, head) == (
        DefinitionChange(
            "route",
            "disqualified_leads",
            MODIFIED,
            ("now checked 3rd (was 1st)",),
            "rules/routing.yaml:120",
            SALES_REVOPS,
        ),
        DefinitionChange(
            "route",
            "named_accounts",
            MODIFIED,
            ("now checked 1st among the routes on both sides (was 2nd)",),
            "rules/routing.yaml:116",
            SALES_REVOPS,
        ),
        DefinitionChange(
            "route",
            "vip",
            ADDED,
            ("assigns team:amer-enterprise when employees >= 100000",),
            "rules/routing.yaml:113",
            SALES_REVOPS,
        ),
    )


def test_lead_model_field_added_and_removed(northwind: Project, files: dict[str, bytes]) -> None:
    head = compiled(
        files,
        (
            "rules/lead.yaml",
            "  won_amount:\n"
            "    type: number\n"
            "    role: outcome\n"
            "    description: First-year ARR in USD of the opportunity, when it closed won.\n"
            "    salesforce: Won_Amount__c\n"
            "    hubspot: won_amount\n",
            "  budget_confirmed:\n    type: boolean\n",
        ),
    )
    assert field_changes(northwind, head) == FieldChanges(
        added=("budget_confirmed",), removed=("won_amount",)
    )
    assert definition_changes(northwind, head) == (
        DefinitionChange(
            "field",
            "budget_confirmed",
            ADDED,
            ("boolean, attribute",),
            "rules/lead.yaml:280",
            ("revops",),
        ),
        DefinitionChange(
            "field", "won_amount", REMOVED, ("number, outcome",), "rules/lead.yaml:280", ("revops",)
        ),
    )


def test_changes_sort_by_kind_then_id(northwind: Project, files: dict[str, bytes]) -> None:
    head = compiled(
        files,
        ("accord.yaml", '"@northwind/sales"', '"@northwind/sales-team"'),
        ("slas/handoff.yaml", "at_least: 450", "at_least: 500"),
        (
            "rules/routing.yaml",
            "name: Kim Nguyen, capacity_per_week: 40",
            "name: Kim Nguyen, capacity_per_week: 35",
        ),
        (
            "rules/scoring.yaml",
            "points: 15\n        why: 1,000+",
            "points: 20\n        why: 1,000+",
        ),
        (
            "rules/scoring.yaml",
            "points: 10\n        why: 200-999",
            "points: 11\n        why: 200-999",
        ),
    )
    found = [(c.kind, c.id) for c in definition_changes(northwind, head)]
    assert found == [
        ("rule", "enterprise_size"),
        ("rule", "mid_market_size"),
        ("team", "amer-mid-market"),
        ("commitment", "monthly_mql_volume"),
        ("party", "sales"),
    ]

"""Generate realistic, deterministic synthetic lead history for the example organisation.

    python bench/generate_leads.py --leads 50000 --seed 7 --out history/sample-leads.parquet

`accord diff` and the SLA reports replay rules over historical leads; Northwind Cloud is
invented, so its history is too. Everything is generated set-based in DuckDB SQL
(`generate_leads.sql` beside this file), never row by row in Python: 10M leads stream
straight into Parquet.

The model, in the order the SQL builds it:

- Arrivals: hourly buckets over `months` months, weighted by each region's local working
  day and week, seasonality (dead between Christmas and New Year, quiet August), ~50%
  yearly growth, daily noise and campaign days. Leads are spread over the buckets by their
  cumulative weight, so arrival order is row order and the Salesforce-style ids (`00Q`, an
  instance, a base-62 record number, the real case-safety suffix) rise with `created_at`.
- Companies: a lead works for a company from its region's pool, drawn with a long tail (a
  few accounts send dozens of leads). Headcount is log-normal (median ~90, 1 in 10 over
  1,000), revenue follows headcount, and country (so region), industry, warehouse, name,
  domain, customer, competitor and account owner come from the company's key, so all its
  leads agree.
- People: corporate (~77%), free-mail (~15%), role, malformed, missing, university and
  competitor addresses; title and seniority drawn together from a table that hits the
  scoring and disqualifier regexes in realistic proportions; enrichment gaps leave nulls.
- Engagement: one latent intent per lead drives zero-inflated, correlated counters, the
  hand-raises and the last activity (a few days later, on a weekday, at the same hour).
- The process: a rough fit + engagement score of the past (not the engine's rules) and a
  human's noise decide who became an MQL (~10%). A rep of the team covering the region
  and size touches it on the team calendar's hours at the rep's own pace (median 20 to
  240 business minutes), accepts or recycles it, qualifies some into SQLs. Outcomes come
  from a logistic model of the true fit and intent, so a good MQL definition has real lift
  (~18% of MQLs convert, ~2% of the rest). Stamps past the end of the window are censored.

Determinism: there is no `random()`. Every draw is `hash(key XOR hash(draw name))` mapped to
(0, 1), where the key is `hash(seed, row index)` or the company's `hash(seed, 'company',
region, number)`, so a value depends on the seed, the row and the draw's name only, never
on threads or order. DuckDB's `hash` gives the same value for the same input within one
DuckDB version (checked across processes and thread counts); so with the same DuckDB
version and platform, the same seed and count give the same table and Parquet bytes.
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import functools
import os
import re
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from engine.expressions.nodes import Expr, Literal, Membership, walk
from engine.ir import Condition, FieldType, Project, Strategy
from engine.project import compile_project, read_files

ROOT = Path(__file__).resolve().parents[1]
SQL_FILE = Path(__file__).with_suffix(".sql")
SLOTS = 1000  # resolution of a weighted draw: the rarest value gets at least 1 in 1000
_MACRO = re.compile(r"^CREATE OR REPLACE TEMP MACRO (\w+)", re.MULTILINE)
_PARAMETER = re.compile(r"\$(\w+)")

SQL_TYPES = {
    FieldType.STRING: "VARCHAR",
    FieldType.INTEGER: "BIGINT",
    FieldType.NUMBER: "DOUBLE",
    FieldType.BOOLEAN: "BOOLEAN",
    FieldType.DATE: "DATE",
    FieldType.DATETIME: "TIMESTAMP",
}

# Teams, queues and the one user the SQL routes to by name; checked against rules/routing.yaml.
TEAMS_USED = (
    "amer-enterprise",
    "amer-mid-market",
    "emea-enterprise",
    "emea-mid-market",
    "apac",
    "regulated-industries",
    "inside-sales",
)
QUEUES_USED = ("marketing-nurture", "customer-expansion", "partner-leads", "unassigned-leads")
USERS_USED = ("marcus.reed",)

# --- the world: weights are relative, within their group ------------------------------------

REGIONS = ("AMER", "EMEA", "APAC")  # block order of $country_slots; shares live in the SQL
EMBARGOED_WEIGHT = 0.1  # per embargoed country, against ~100 for its region: about 1 in 1,000

# code: (region, weight, local top-level domain, share of companies using it, legal forms)
COUNTRIES: dict[str, tuple[str, float, str, float, tuple[str, ...]]] = {
    "US": ("AMER", 76, ".com", 0.0, ("Inc.", "LLC", "Corp.")),
    "CA": ("AMER", 9, ".ca", 0.3, ("Inc.", "Ltd.")),
    "BR": ("AMER", 5, ".com.br", 0.6, ("Ltda.", "S.A.")),
    "MX": ("AMER", 4, ".com.mx", 0.5, ("S.A. de C.V.",)),
    "AR": ("AMER", 1.5, ".com.ar", 0.5, ("S.A.",)),
    "CO": ("AMER", 1.5, ".com.co", 0.5, ("S.A.S.",)),
    "CL": ("AMER", 1.5, ".cl", 0.5, ("SpA",)),
    "CU": ("AMER", 0, ".cu", 0.8, ("S.A.",)),
    "GB": ("EMEA", 24, ".co.uk", 0.5, ("Ltd", "plc")),
    "DE": ("EMEA", 17, ".de", 0.6, ("GmbH", "AG", "SE")),
    "FR": ("EMEA", 9, ".fr", 0.5, ("SA", "SAS")),
    "NL": ("EMEA", 7, ".nl", 0.5, ("B.V.", "N.V.")),
    "ES": ("EMEA", 5, ".es", 0.5, ("S.L.", "S.A.")),
    "IT": ("EMEA", 5, ".it", 0.5, ("S.p.A.", "S.r.l.")),
    "SE": ("EMEA", 4, ".se", 0.5, ("AB",)),
    "CH": ("EMEA", 4, ".ch", 0.6, ("AG", "GmbH", "SA")),
    "IE": ("EMEA", 3, ".ie", 0.4, ("Ltd", "DAC")),
    "PL": ("EMEA", 3, ".pl", 0.6, ("Sp. z o.o.", "S.A.")),
    "BE": ("EMEA", 2.5, ".be", 0.5, ("NV", "SA", "BV")),
    "AT": ("EMEA", 2, ".at", 0.6, ("GmbH", "AG")),
    "DK": ("EMEA", 2, ".dk", 0.5, ("A/S", "ApS")),
    "NO": ("EMEA", 2, ".no", 0.5, ("AS", "ASA")),
    "FI": ("EMEA", 1.5, ".fi", 0.5, ("Oy", "Oyj")),
    "PT": ("EMEA", 1.5, ".pt", 0.5, ("Lda.", "S.A.")),
    "IL": ("EMEA", 2, ".co.il", 0.4, ("Ltd.",)),
    "AE": ("EMEA", 2, ".ae", 0.3, ("LLC", "FZE")),
    "ZA": ("EMEA", 2, ".co.za", 0.5, ("(Pty) Ltd",)),
    "CZ": ("EMEA", 1, ".cz", 0.6, ("s.r.o.", "a.s.")),
    "RU": ("EMEA", 0, ".ru", 0.8, ("OOO", "AO")),
    "BY": ("EMEA", 0, ".by", 0.8, ("OOO",)),
    "IR": ("EMEA", 0, ".ir", 0.8, ("Co.",)),
    "SY": ("EMEA", 0, ".sy", 0.8, ("LLC",)),
    "AU": ("APAC", 24, ".com.au", 0.6, ("Pty Ltd", "Ltd")),
    "IN": ("APAC", 24, ".in", 0.3, ("Pvt. Ltd.", "Ltd.")),
    "SG": ("APAC", 14, ".sg", 0.3, ("Pte. Ltd.",)),
    "JP": ("APAC", 11, ".co.jp", 0.5, ("K.K.", "Co., Ltd.")),
    "KR": ("APAC", 5, ".co.kr", 0.5, ("Co., Ltd.",)),
    "HK": ("APAC", 5, ".com.hk", 0.4, ("Ltd", "Limited")),
    "NZ": ("APAC", 4, ".co.nz", 0.6, ("Ltd", "Limited")),
    "PH": ("APAC", 3, ".ph", 0.3, ("Inc.", "Corp.")),
    "MY": ("APAC", 3, ".com.my", 0.5, ("Sdn. Bhd.", "Bhd.")),
    "ID": ("APAC", 3, ".co.id", 0.5, ("Tbk",)),
    "TH": ("APAC", 2, ".co.th", 0.5, ("Co., Ltd.",)),
    "VN": ("APAC", 2, ".vn", 0.5, ("JSC", "Co., Ltd.")),
    "KP": ("APAC", 0, ".kp", 1.0, ("Co.",)),
}

# industry: (weight, words used in company names)
INDUSTRIES: dict[str, tuple[float, tuple[str, ...]]] = {
    "Technology": (30, ("Software", "Labs", "Technologies", "Systems", "Analytics", "Cloud")),
    "Banking": (4, ("Bank", "Bancorp", "Savings Bank")),
    "Finance": (6, ("Capital", "Financial", "Payments", "Partners")),
    "Insurance": (4, ("Insurance", "Mutual", "Assurance")),
    "Healthcare": (7, ("Health", "Medical", "Care", "Clinics")),
    "Biotechnology": (3, ("Bio", "Therapeutics", "Genomics")),
    "Retail": (8, ("Retail", "Stores", "Brands", "Market")),
    "Manufacturing": (8, ("Manufacturing", "Industries", "Components", "Motors")),
    "Media": (5, ("Media", "Studios", "Publishing")),
    "Telecommunications": (3, ("Telecom", "Networks", "Mobile")),
    "Energy": (3, ("Energy", "Power", "Utilities")),
    "Transportation": (4, ("Logistics", "Freight", "Transport")),
    "Education": (3, ("Learning", "Academy", "Education")),
    "Government": (2, ("Agency", "Authority", "Services")),
    "Not For Profit": (1.5, ("Foundation", "Trust", "Alliance")),
    "Other": (7, ("Group", "Holdings", "Consulting", "Services")),
}

# warehouse: weights for companies under 200, 200-999 and 1,000+ employees
WAREHOUSES: dict[str, tuple[float, float, float]] = {
    "Snowflake": (22, 28, 26),
    "BigQuery": (20, 16, 12),
    "Databricks": (8, 14, 17),
    "Redshift": (10, 11, 10),
    "Synapse": (3, 5, 8),
    "Teradata": (0.3, 1.5, 6),
    "Oracle": (2, 4, 8),
    "None": (25, 8, 3),
    "Other": (10, 7, 6),
}

LEAD_SOURCES = {
    "Website": 17,
    "Organic Search": 16,
    "Paid Search": 12,
    "Webinar": 8,
    "Trade Show": 5,
    "Content Syndication": 8,
    "Purchased List": 4,
    "Partner Referral": 3,
    "Customer Referral": 2,
    "Product Signup": 10,
    "Outbound": 6,
    "Other": 2,
}

EMAIL_KINDS = {
    "corporate": 76.8,
    "freemail": 15.5,
    "role": 2.2,
    "malformed": 0.9,
    "missing": 1.5,
    "academic": 1.6,
    "competitor": 0.2,
}

# Free-mail providers: the rules' personal_email list plus a few it misses, as real lists do.
FREEMAIL = {"gmail.com": 52, "outlook.com": 11, "yahoo.com": 9, "hotmail.com": 8, "icloud.com": 4}
FREEMAIL_UNLISTED = {"btinternet.com": 1, "orange.fr": 1, "comcast.net": 1}
FREEMAIL_DEFAULT = 1.0

# (title, seniority as enrichment gives it or None, persona, weight at <200, 200-999, 1,000+
# employees and at universities). Persona drives engagement and the outcome model; the
# title text is what the rules' regexes see, so some titles deliberately slip past them.
TITLES: tuple[tuple[str, str | None, str, tuple[float, float, float, float]], ...] = (
    ("CEO", "C-Level", "exec", (3.0, 0.3, 0.05, 0)),
    ("Founder", None, "exec", (2.5, 0.2, 0, 0)),
    ("Owner", None, "exec", (2.0, 0.1, 0, 0)),
    ("Co-Founder & CTO", "C-Level", "exec", (2.0, 0.3, 0, 0)),
    ("CTO", "C-Level", "exec", (2.5, 1.0, 0.3, 0)),
    ("Chief Technology Officer", "C-Level", "exec", (0.8, 0.5, 0.3, 0)),
    ("Chief Data Officer", "C-Level", "exec", (0.2, 0.6, 0.8, 0)),
    ("CIO", "C-Level", "exec", (0.2, 0.6, 0.5, 0)),
    ("VP of Data", "VP", "exec", (0.6, 1.5, 1.5, 0)),
    ("VP Engineering", "VP", "exec", (1.0, 1.4, 1.0, 0)),
    ("Vice President, Data & Analytics", "VP", "exec", (0.2, 0.8, 1.4, 0)),
    ("SVP Technology", "VP", "exec", (0, 0.3, 0.6, 0)),
    ("Head of Data", "Director", "exec", (1.5, 2.2, 1.6, 0)),
    ("Head of Analytics", "Director", "exec", (0.8, 1.2, 1.0, 0)),
    ("Director of Data Engineering", "Director", "exec", (0.4, 1.6, 2.5, 0)),
    ("Director, Business Intelligence", "Director", "exec", (0.3, 1.2, 1.8, 0)),
    ("Senior Director, Data Platform", "Director", "exec", (0, 0.5, 1.4, 0)),
    ("Director of IT", "Director", "exec", (0.6, 1.0, 1.0, 3)),
    ("Sales Director", "Director", "other", (0.5, 0.5, 0.5, 0)),
    ("Marketing Director", "Director", "other", (0.5, 0.4, 0.3, 0)),
    ("Data Engineer", "Individual Contributor", "practitioner", (6, 7, 8, 6)),
    ("Senior Data Engineer", "Individual Contributor", "practitioner", (3, 5, 6, 0)),
    ("Analytics Engineer", "Individual Contributor", "practitioner", (3, 4, 3, 0)),
    ("Data Architect", "Individual Contributor", "practitioner", (0.8, 2, 3.5, 0)),
    ("ML Engineer", "Individual Contributor", "practitioner", (1.5, 1.5, 1.5, 0)),
    ("Platform Engineer", "Individual Contributor", "practitioner", (1, 1.5, 2, 0)),
    ("ETL Developer", "Individual Contributor", "practitioner", (0.8, 1.2, 1.5, 0)),
    ("BI Developer", "Individual Contributor", "practitioner", (1, 1.5, 1.5, 0)),
    ("Associate Data Engineer", "Entry Level", "practitioner", (0.5, 0.8, 1.0, 0)),
    ("Data Engineering Manager", "Manager", "practitioner", (0.8, 2, 2.5, 0)),
    ("Analytics Manager", "Manager", "practitioner", (0.8, 1.5, 1.5, 0)),
    ("BI Manager", "Manager", "practitioner", (0.5, 1.2, 1.5, 0)),
    ("Data Platform Lead", "Manager", "practitioner", (0.5, 1.2, 1.5, 0)),
    ("Lead Data Engineer", "Manager", "practitioner", (0.5, 1.0, 1.5, 0)),
    ("Data Analyst", "Individual Contributor", "other", (4, 4, 4, 0)),
    ("Senior Data Analyst", "Individual Contributor", "other", (1.5, 2, 2, 0)),
    ("Junior Data Analyst", "Entry Level", "other", (1, 1, 1, 0)),
    ("Data Scientist", "Individual Contributor", "other", (2, 2, 2, 0)),
    ("Software Engineer", "Individual Contributor", "other", (4, 3, 3, 0)),
    ("Solutions Architect", "Individual Contributor", "other", (1, 1, 1.5, 0)),
    ("DevOps Engineer", "Individual Contributor", "other", (1, 1, 1, 0)),
    ("Operations Analyst", "Individual Contributor", "other", (1, 1, 1, 0)),
    ("Account Executive", "Individual Contributor", "other", (0.8, 0.8, 0.8, 0)),
    ("IT Manager", "Manager", "other", (2, 1.5, 1, 0)),
    ("Engineering Manager", "Manager", "other", (1.5, 1.5, 1.5, 0)),
    ("Product Manager", "Manager", "other", (1.5, 1.5, 1.5, 0)),
    ("Marketing Operations Manager", "Manager", "other", (1, 1, 0.8, 0)),
    ("Consultant", None, "other", (3, 1, 1, 0)),
    ("Data Engineering Intern", "Entry Level", "student", (0.6, 0.6, 0.6, 0)),
    ("Summer Intern", "Entry Level", "student", (0.3, 0.3, 0.3, 0)),
    ("Graduate Trainee", "Entry Level", "student", (0.2, 0.3, 0.4, 0)),
    ("Working Student", "Entry Level", "student", (0.1, 0.2, 0.3, 0)),
    ("Student", "Entry Level", "student", (0, 0, 0, 35)),
    ("MSc Student", "Entry Level", "student", (0, 0, 0, 12)),
    ("PhD Candidate", "Entry Level", "student", (0, 0, 0, 12)),
    ("Research Assistant", "Entry Level", "student", (0, 0, 0, 10)),
    ("Research Software Engineer", "Individual Contributor", "other", (0, 0, 0, 5)),
    ("Professor", None, "other", (0, 0, 0, 6)),
    ("Lecturer", None, "other", (0, 0, 0, 3)),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Susan "
    "Richard Jessica Joseph Sarah Thomas Karen Daniel Lisa Matthew Nancy Anthony Sandra Mark "
    "Emily Andrew Laura Paul Anna Lukas Sophie Jonas Lea Felix Emma Lars Ingrid Pierre Camille "
    "Marco Giulia Pablo Lucia Priya Arjun Wei Mei Hiroshi Yuki Minjun Jiwoo Olivia Noah Liam "
    "Ava Mohammed Fatima Aisha Tomasz Katarzyna Sipho Chloe Raj Ananya Mateo Valentina"
)
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark Lewis "
    "Walker Hall Young King Wright Mueller Schmidt Schneider Fischer Weber Meyer Wagner Becker "
    "Dubois Moreau Laurent Rossi Russo Bianchi Fernandez Gonzalez Patel Sharma Singh Kumar Wang "
    "Li Zhang Liu Tanaka Suzuki Kim Park Nguyen Tran OBrien Nowak Kowalski Jansen Devries "
    "Andersson Nielsen Hansen Okafor Silva"
)
STEM_HEADS = _words(
    "North Blue Bright Silver Red Iron Clear Open Swift Green Stone Cloud Pine Harbor Summit "
    "Atlas Nova Vertex Quant Apex Orion Lumen Beacon Cedar Falcon Granite Maple Polar River Sun "
    "Terra Vista Wave Zen Hyper Omni Prime Bold Crest Echo Frontier Golden Horizon Keystone "
    "Lake Oak Peak Sky Star Tide"
)
STEM_TAILS = _words(
    "field point stone bridge gate line path works ly io hub stack leaf mark shore way wood "
    "star forge ridge vale port scale craft"
)


# --- from the project's definitions -------------------------------------------------------


@functools.cache
def northwind(root: Path = ROOT) -> Project:
    """The example organisation's definitions (read once): lead model, routing, calendars."""
    compiled = compile_project(read_files(root))
    project = compiled.project
    if project is None or project.lead_model is None or project.routing is None:
        raise ValueError(
            f"{root}: the lead model or routing does not build; run `accord validate` there"
        )
    return project


def lead_columns(project: Project) -> list[tuple[str, str]]:
    """(field id, DuckDB type) of every lead field, in lead-model order."""
    assert project.lead_model is not None
    return [(f.id, SQL_TYPES[f.type]) for f in project.lead_model.fields]


def _listed(expr: Expr) -> list[str]:
    """The string options of every `x in [...]` in an expression, in source order."""
    return [
        option.value
        for node in walk(expr)
        if isinstance(node, Membership)
        for option in node.options
        if isinstance(option, Literal) and isinstance(option.value, str)
    ]


def _condition(project: Project, kind: str, name: str) -> Expr:
    if kind == "disqualifier" and project.qualification is not None:
        for disqualifier in project.qualification.disqualifiers:
            if disqualifier.id == name:
                return disqualifier.when.expr
    for term in project.terms:
        if kind == "term" and term.id == name and isinstance(term.means, Condition):
            return term.means.expr
    raise ValueError(f"the generator needs the {kind} `{name}`, which the project lacks")


def _slots(weights: Mapping[str, float], size: int = SLOTS) -> list[str]:
    """`size` values, each repeated in proportion to its weight (largest remainder), so a
    uniform index into the list is a weighted draw; every positive weight gets a slot."""
    positive = {value: weight for value, weight in weights.items() if weight > 0}
    total = sum(positive.values())
    counts = {value: max(1, int(size * weight / total)) for value, weight in positive.items()}
    by_remainder = sorted(positive, key=lambda v: (-(size * positive[v] / total) % 1, v))
    for value in by_remainder[: size - sum(counts.values())]:
        counts[value] += 1
    while sum(counts.values()) > size:  # the minimum of one slot overshot: trim the largest
        counts[max(counts, key=lambda v: (counts[v], v))] -= 1
    return [value for value in positive for _ in range(counts[value])]


def _checked(field: str, values: Sequence[str], project: Project) -> None:
    assert project.lead_model is not None
    lead_field = project.lead_model.field(field)
    allowed = set(lead_field.values or ()) if lead_field else set()
    unknown = sorted(set(values) - allowed)
    if lead_field is None or (lead_field.values is not None and unknown):
        raise ValueError(
            f"the generator writes {unknown or field} into `{field}`; see rules/lead.yaml"
        )


def _rep_speed(member_id: str) -> float:
    """A rep's median time to first touch, in business minutes: 20 to 240, fixed per rep."""
    return round(20 * 12 ** (zlib.crc32(member_id.encode()) / 2**32), 1)


def model_params(project: Project) -> dict[str, Any]:
    """The bound parameters of the SQL: the world's tables and what the project defines."""
    assert project.routing is not None
    embargoed = _listed(_condition(project, "disqualifier", "embargoed_country"))
    competitors = _listed(_condition(project, "disqualifier", "competitor"))
    freemail = _listed(_condition(project, "term", "personal_email"))
    countries = {
        code: (region, EMBARGOED_WEIGHT if code in embargoed else weight)
        for code, (region, weight, *_rest) in COUNTRIES.items()
    }
    _checked("region", REGIONS, project)
    _checked("industry", list(INDUSTRIES), project)
    _checked("data_warehouse", list(WAREHOUSES), project)
    _checked("lead_source", list(LEAD_SOURCES), project)
    _checked("seniority", [t[1] for t in TITLES if t[1] is not None], project)

    teams = {team.id: team for team in project.routing.teams}
    members = {m.id for team in teams.values() for m in team.members}
    queues = {queue.id for queue in project.routing.queues}
    for kind, used, known in (
        ("team", TEAMS_USED, teams),
        ("queue", QUEUES_USED, queues),
        ("user", USERS_USED, members),
    ):
        for name in used:
            if name not in known:
                raise ValueError(
                    f"generate_leads.sql routes to {kind} `{name}`, not in rules/routing.yaml"
                )
    team_slots: list[str] = []
    for name in TEAMS_USED:
        team = teams[name]
        share = {
            m.id: m.weight
            if team.strategy is Strategy.WEIGHTED
            else float(m.capacity_per_week or 1)
            if team.strategy is Strategy.CAPACITY_AWARE
            else 1.0
            for m in team.members
        }
        team_slots += _slots(share, 100)

    calendars = {calendar.id: calendar for calendar in project.calendars}
    reps: dict[str, tuple[str, int, int]] = {}
    for team in teams.values():
        calendar = calendars[team.calendar.id]
        monday = [h for h in calendar.hours if h.weekday == 0]
        opens = min(h.start.hour * 60 + h.start.minute for h in monday)
        closes = max(h.end.hour * 60 + h.end.minute + (1 if h.end.second else 0) for h in monday)
        for member in team.members:
            reps.setdefault(member.id, (calendar.timezone, opens, closes))

    words = [(list(w) * 6)[:6] for _, w in INDUSTRIES.values()]
    legal = [(list(c[4]) * 3)[:3] for c in COUNTRIES.values()]
    title_blocks = [_slots({str(i): t[3][tier] for i, t in enumerate(TITLES)}) for tier in range(4)]
    return {
        "country_codes": list(COUNTRIES),
        "country_region": [c[0] for c in COUNTRIES.values()],
        "country_tld": [c[2] for c in COUNTRIES.values()],
        "country_tld_share": [c[3] for c in COUNTRIES.values()],
        "country_legal": [form for forms in legal for form in forms],
        "country_slots": [
            code
            for region in REGIONS
            for code in _slots({c: w for c, (r, w) in countries.items() if r == region})
        ],
        "embargoed": embargoed,
        "industries": list(INDUSTRIES),
        "industry_slots": _slots({name: w for name, (w, _) in INDUSTRIES.items()}),
        "industry_words": [word for block in words for word in block],
        "warehouse_slots": [
            name
            for tier in range(3)
            for name in _slots({name: w[tier] for name, w in WAREHOUSES.items()})
        ],
        "source_slots": _slots(LEAD_SOURCES),
        "email_kind_slots": _slots(EMAIL_KINDS),
        "freemail_slots": _slots(
            {d: FREEMAIL.get(d, FREEMAIL_DEFAULT) for d in freemail} | FREEMAIL_UNLISTED
        ),
        "competitor_domains": competitors,
        "title_slots": [int(index) for block in title_blocks for index in block],
        "titles": [t[0] for t in TITLES],
        "title_seniority": [t[1] for t in TITLES],
        "title_persona": [t[2] for t in TITLES],
        "first_names": [name.lower() for name in FIRST_NAMES],
        "last_names": [name.lower() for name in LAST_NAMES],
        "stem_heads": STEM_HEADS,
        "stem_tails": STEM_TAILS,
        "team_ids": list(TEAMS_USED),
        "team_reps": team_slots,
        "rep_ids": list(reps),
        "rep_timezone": [r[0] for r in reps.values()],
        "rep_opens": [r[1] for r in reps.values()],
        "rep_closes": [r[2] for r in reps.values()],
        "rep_speed": [_rep_speed(rep) for rep in reps],
    }


# --- running it ------------------------------------------------------------------------------


def _sections() -> dict[str, str]:
    """The SQL file's statements by their `-- name:` header."""
    sections: dict[str, str] = {}
    name = ""
    for line in SQL_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("-- name: "):
            name = line.removeprefix("-- name: ").strip()
            sections[name] = ""
        elif name:
            sections[name] += line + "\n"
    return sections


def _add_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def _bound(sql: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters a statement uses (DuckDB rejects unused named parameters)."""
    return {name: values[name] for name in sorted(set(_PARAMETER.findall(sql)))}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _prepare(
    connection: duckdb.DuckDBPyConnection, count: int, seed: int, start: date, months: int
) -> tuple[str, dict[str, Any]]:
    """Create the helper macros and the arrivals table; the leads query and its parameters."""
    if count < 0 or months < 1:
        raise ValueError(f"need count >= 0 and months >= 1, got {count} and {months}")
    project = northwind()
    sections = _sections()
    window = {"seed": seed, "count": count, "start": start, "end": _add_months(start, months)}
    for statement in sections["macros"].split(";\n"):
        if statement.strip():
            connection.execute(statement)
    connection.execute(sections["hours"], _bound(sections["hours"], window))
    connection.execute(sections["arrivals"], _bound(sections["arrivals"], window))
    core = sections["leads"]
    params = _bound(core, model_params(project) | window)
    produced = connection.sql(core, params=params).columns
    wanted = [name for name, _ in lead_columns(project)]
    if sorted(produced) != sorted(wanted):
        missing, extra = sorted(set(wanted) - set(produced)), sorted(set(produced) - set(wanted))
        raise ValueError(
            f"generate_leads.sql and rules/lead.yaml disagree: missing {missing}, extra {extra}"
        )
    select = ",\n    ".join(
        f"CAST({_quoted(name)} AS {sql_type}) AS {_quoted(name)}"
        for name, sql_type in lead_columns(project)
    )
    return f"SELECT\n    {select}\nFROM (\n{core}\n) AS generated", params


@contextlib.contextmanager
def _generating(connection: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the generator's statements, leaving the connection's settings as they were.

    DuckDB's expression rewriter copies earlier CTEs' expressions into later ones along
    this long chain, and common-subexpression elimination then takes seconds per query to
    undo what it can (200k leads: 46 s with the rewriter, 2 s without), so it is off while
    the query runs. The setting is the database's, so other connections to it see it too.
    The helper tables and macros are dropped afterwards."""
    setting = "SELECT current_setting('disabled_optimizers')"
    previous = str((connection.execute(setting).fetchone() or ("",))[0])
    disabled = ",".join(name for name in (previous, "expression_rewriter") if name)
    connection.execute("SET disabled_optimizers = $disabled", {"disabled": disabled})
    try:
        yield
    finally:
        connection.execute("SET disabled_optimizers = $previous", {"previous": previous})
        connection.execute("DROP TABLE IF EXISTS synth_arrivals")
        connection.execute("DROP TABLE IF EXISTS synth_hours")
        # Names from our own SQL file, so safe to splice in as identifiers.
        for name in reversed(_MACRO.findall(_sections()["macros"])):
            connection.execute(f"DROP MACRO IF EXISTS {name}")


def generate_leads(
    connection: duckdb.DuckDBPyConnection,
    count: int,
    *,
    seed: int = 7,
    start: date = date(2025, 6, 1),
    months: int = 18,
    table: str = "leads",
) -> None:
    """Create (or replace) `table` with `count` synthetic leads, in arrival order.

    The table holds every row in the connection's database; for tens of millions of leads
    use a file-backed database or `write_parquet`, which streams."""
    with _generating(connection):
        query, params = _prepare(connection, count, seed, start, months)
        connection.execute(f"CREATE OR REPLACE TABLE {_quoted(table)} AS {query}", params)


def write_parquet(
    path: Path,
    count: int,
    *,
    seed: int = 7,
    start: date = date(2025, 6, 1),
    months: int = 18,
) -> None:
    """Write `count` leads to a ZSTD Parquet file, sorted by created_at then lead_id.

    Rows stream from the query in arrival order (which is that sort order) into a
    temporary file beside `path`, renamed over it only when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        with duckdb.connect() as connection, tempfile.TemporaryDirectory() as scratch:
            # Row order is the sort order only while DuckDB keeps insertion order. The
            # memory limit keeps 10M leads near 1 GB (the writer buffers otherwise).
            connection.execute("SET preserve_insertion_order = true")
            connection.execute("SET enable_progress_bar = false")
            connection.execute("SET memory_limit = '1GB'")
            connection.execute("SET temp_directory = $scratch", {"scratch": scratch})
            with _generating(connection):
                query, params = _prepare(connection, count, seed, start, months)
                connection.sql(query, params=params).write_parquet(
                    temporary, compression="zstd", overwrite=True
                )
        Path(temporary).replace(path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=50_000, help="how many leads (default 50000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2025, 6, 1))
    parser.add_argument("--months", type=int, default=18)
    parser.add_argument("--out", type=Path, required=True, help="the Parquet file to write")
    args = parser.parse_args(argv)
    if args.leads < 0 or args.months < 1:
        parser.error("--leads must be >= 0 and --months >= 1")
    started = time.perf_counter()
    write_parquet(args.out, args.leads, seed=args.seed, start=args.start, months=args.months)
    elapsed = time.perf_counter() - started
    size = args.out.stat().st_size
    print(f"{args.out}: {args.leads:,} leads, {size:,} bytes in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

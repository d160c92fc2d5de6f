"""The synthetic lead history generator: deterministic, shaped by the lead model, realistic."""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from engine.ir import FieldType

ROOT = Path(__file__).resolve().parents[1]
# bench/ is scripts, not a package: its modules import as top-level modules from there.
sys.path.insert(0, str(ROOT / "bench"))

from generate_leads import generate_leads, main, northwind, write_parquet  # noqa: E402

START = datetime(2025, 6, 1)
END = datetime(2026, 12, 1)  # the default window: 18 months from 2025-06-01
DUCKDB_TYPES = {
    FieldType.STRING: "VARCHAR",
    FieldType.INTEGER: "BIGINT",
    FieldType.NUMBER: "DOUBLE",
    FieldType.BOOLEAN: "BOOLEAN",
    FieldType.DATE: "DATE",
    FieldType.DATETIME: "TIMESTAMP",
}
LIFECYCLE = ("mql_at", "first_touch_at", "accepted_at", "sql_at")


def _fields() -> list[tuple[str, FieldType, tuple[str, ...] | None]]:
    model = northwind().lead_model
    assert model is not None
    return [(f.id, f.type, f.values) for f in model.fields]


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return connection.execute(sql).fetchall()


def _strings(connection: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    """The first column of a query's rows, as text."""
    return [str(value) for (value, *_) in connection.execute(sql).fetchall()]


def _numbers(connection: duckdb.DuckDBPyConnection, sql: str) -> list[float]:
    """The one row a query returns, as numbers."""
    row = connection.execute(sql).fetchone()
    assert row is not None
    assert None not in row, sql
    return [float(value) for value in row]


def _value(connection: duckdb.DuckDBPyConnection, sql: str) -> float:
    return _numbers(connection, sql)[0]


@pytest.fixture(scope="module")
def leads() -> Iterator[duckdb.DuckDBPyConnection]:
    """20,000 leads with the default seed and window."""
    with duckdb.connect() as connection:
        generate_leads(connection, 20_000)
        yield connection


# --- determinism ----------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_rows_on_any_number_of_threads() -> None:
    with duckdb.connect() as first, duckdb.connect() as second:
        second.execute("SET threads = 1")
        generate_leads(first, 2_000)
        generate_leads(second, 2_000)
        query = "SELECT * FROM leads ORDER BY lead_id"
        assert _rows(first, query) == _rows(second, query)


def test_another_seed_gives_other_leads() -> None:
    with duckdb.connect() as connection:
        generate_leads(connection, 2_000, seed=7, table="seven")
        generate_leads(connection, 2_000, seed=8, table="eight")
        same = _value(
            connection,
            "SELECT count(*) FROM seven JOIN eight USING (lead_id, email, created_at)",
        )
        assert same < 20


def test_the_parquet_file_is_byte_for_byte_repeatable_and_sorted(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "leads.parquet", tmp_path / "b" / "leads.parquet"
    write_parquet(first, 2_000)
    write_parquet(second, 2_000)
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in first.parent.iterdir()) == ["leads.parquet"]  # no temp left
    with duckdb.connect() as connection:
        unsorted = _value(
            connection,
            f"""SELECT count(*) FROM (
                    SELECT created_at, lead_id,
                           lag(created_at) OVER () AS previous_at, lag(lead_id) OVER () AS previous_id
                    FROM read_parquet('{first}'))
                WHERE created_at < previous_at
                    OR (created_at = previous_at AND lead_id < previous_id)""",
        )
        codec = _rows(
            connection,
            f"SELECT DISTINCT compression FROM parquet_metadata('{first}')",
        )
    assert unsorted == 0
    assert codec == [("ZSTD",)]


def test_the_command_line_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "history" / "leads.parquet"
    assert main(["--leads", "300", "--seed", "3", "--out", str(out)]) == 0
    with duckdb.connect() as connection:
        assert _value(connection, f"SELECT count(*) FROM read_parquet('{out}')") == 300


def test_bad_sizes_are_refused() -> None:
    with duckdb.connect() as connection, pytest.raises(ValueError, match="count >= 0"):
        generate_leads(connection, -1)


# --- shape ------------------------------------------------------------------------------------


def test_columns_are_the_lead_models_fields_in_order_with_their_types(
    leads: duckdb.DuckDBPyConnection,
) -> None:
    described = [(name, kind) for name, kind, *_ in _rows(leads, "DESCRIBE leads")]
    assert described == [(name, DUCKDB_TYPES[kind]) for name, kind, _ in _fields()]


def test_no_leads_is_an_empty_table_of_the_right_shape() -> None:
    with duckdb.connect() as connection:
        generate_leads(connection, 0)
        assert _value(connection, "SELECT count(*) FROM leads") == 0
        assert len(_rows(connection, "DESCRIBE leads")) == len(_fields())


def test_picklists_hold_only_their_values(leads: duckdb.DuckDBPyConnection) -> None:
    for name, _, values in _fields():
        if values is not None:
            found = {v for (v,) in _rows(leads, f"SELECT DISTINCT {name} FROM leads")}
            assert found - {None} <= set(values), name


def _salesforce_suffix(id15: str) -> str:
    """Salesforce's case-safety suffix: per 5-character chunk, a bit per capital letter."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    return "".join(
        alphabet[sum(1 << j for j, c in enumerate(id15[i : i + 5]) if c.isupper())]
        for i in (0, 5, 10)
    )


def test_ids_are_unique_18_character_salesforce_lead_ids(leads: duckdb.DuckDBPyConnection) -> None:
    ids = _strings(leads, "SELECT lead_id FROM leads")
    assert len(set(ids)) == len(ids) == 20_000
    for lead_id in ids[::97]:
        assert re.fullmatch(r"00Q[0-9A-Za-z]{15}", lead_id)
        assert lead_id[15:] == _salesforce_suffix(lead_id[:15])


def test_ids_increase_with_arrival(leads: duckdb.DuckDBPyConnection) -> None:
    ids = _strings(leads, "SELECT lead_id FROM leads ORDER BY created_at")
    assert ids == sorted(ids)


def test_lifecycle_stamps_follow_the_process(leads: duckdb.DuckDBPyConnection) -> None:
    stamps = ("created_at", *LIFECYCLE)
    for earlier, later in itertools.pairwise(stamps):
        assert _value(leads, f"SELECT count(*) FROM leads WHERE {later} < {earlier}") == 0
        # no stamp without the one before it
        assert (
            _value(
                leads, f"SELECT count(*) FROM leads WHERE {later} IS NOT NULL AND {earlier} IS NULL"
            )
            == 0
        )
    broken = _value(
        leads,
        """SELECT count(*) FROM leads WHERE sql_at::DATE > converted_on
            OR created_at::DATE > converted_on OR last_activity_at < created_at
            OR recycled_at < mql_at OR nurture_enrolled_at < recycled_at
            OR (nurture_enrolled_at IS NOT NULL AND recycled_at IS NULL)
            OR converted <> (converted_on IS NOT NULL)
            OR (won_amount IS NOT NULL AND NOT opportunity_created)""",
    )
    assert broken == 0


def test_no_timestamp_falls_outside_the_window(leads: duckdb.DuckDBPyConnection) -> None:
    stamps = [name for name, kind, _ in _fields() if kind is FieldType.DATETIME]
    for name in stamps:
        first, last = _rows(leads, f"SELECT min({name}), max({name}) FROM leads")[0]
        assert isinstance(first, datetime), name
        assert isinstance(last, datetime), name
        assert first >= START, name
        assert last < END, name
    assert (
        _value(leads, f"SELECT count(*) FROM leads WHERE converted_on >= DATE '{END:%Y-%m-%d}'")
        == 0
    )


def test_region_is_derived_from_country(leads: duckdb.DuckDBPyConnection) -> None:
    assert (
        _value(leads, "SELECT count(*) FROM leads WHERE (region IS NULL) <> (country IS NULL)") == 0
    )
    pairs = _rows(leads, "SELECT DISTINCT country, region FROM leads WHERE country IS NOT NULL")
    regions = {str(country): str(region) for country, region in pairs}
    assert len(regions) == _value(
        leads, "SELECT count(DISTINCT country) FROM leads WHERE country IS NOT NULL"
    )
    assert (regions["US"], regions["DE"], regions["SG"]) == ("AMER", "EMEA", "APAC")


# --- realism (wide tolerances: these guard the model's shape, not its exact numbers) ----------


def test_the_mql_definition_of_the_past_has_real_lift(leads: duckdb.DuckDBPyConnection) -> None:
    mql_share = _value(leads, "SELECT avg((mql_at IS NOT NULL)::INTEGER) FROM leads")
    mql, other = _numbers(
        leads,
        """SELECT avg(converted::INTEGER) FILTER (WHERE mql_at IS NOT NULL),
                  avg(converted::INTEGER) FILTER (WHERE mql_at IS NULL) FROM leads""",
    )
    assert 0.05 <= mql_share <= 0.20
    assert mql >= 4 * other > 0


def test_segments_and_flags_come_in_realistic_proportions(
    leads: duckdb.DuckDBPyConnection,
) -> None:
    shares = _numbers(
        leads,
        """SELECT
            avg((country IS NULL)::INTEGER),
            avg(is_customer::INTEGER),
            avg(is_competitor::INTEGER),
            avg((account_owner IS NOT NULL)::INTEGER),
            avg(regexp_matches(email, '@(gmail|outlook|yahoo|hotmail)[.]com$')::INTEGER),
            avg(regexp_matches(job_title, '(?i)\\b(student|intern|trainee|phd candidate)\\b')::INTEGER),
            avg(list_contains(['RU', 'BY', 'IR', 'KP', 'CU', 'SY'], country)::INTEGER)
        FROM leads""",
    )
    missing_country, customers, competitors, owned, freemail, students, embargoed = shares
    assert 0.01 <= missing_country <= 0.06
    assert 0.01 <= customers <= 0.06
    assert 0.001 <= competitors <= 0.015
    assert 0.02 <= owned <= 0.10
    assert 0.05 <= freemail <= 0.30
    assert 0.005 <= students <= 0.06
    assert embargoed < 0.005


def test_company_size_is_long_tailed_and_revenue_follows_it(
    leads: duckdb.DuckDBPyConnection,
) -> None:
    median, top, correlation = _numbers(
        leads,
        "SELECT median(employees), max(employees), corr(ln(employees), ln(annual_revenue)) FROM leads",
    )
    assert 30 <= median <= 300
    assert top >= 10_000
    assert correlation > 0.7


def test_leads_arrive_on_working_days_and_grow(leads: duckdb.DuckDBPyConnection) -> None:
    weekend = _value(leads, "SELECT avg((isodow(created_at) >= 6)::INTEGER) FROM leads")
    first, last = _numbers(
        leads,
        """SELECT count(*) FILTER (WHERE created_at < TIMESTAMP '2025-09-01'),
                  count(*) FILTER (WHERE created_at >= TIMESTAMP '2026-09-01') FROM leads""",
    )
    assert weekend < 0.2  # 2 days of 7 would be 0.29
    assert last > 1.2 * first  # the same three months, a year later
    touched_on_weekdays = _value(
        leads, "SELECT avg((isodow(first_touch_at) <= 5)::INTEGER) FROM leads"
    )
    assert touched_on_weekdays > 0.9


def test_engagement_is_zero_heavy_and_goes_with_hand_raising(
    leads: duckdb.DuckDBPyConnection,
) -> None:
    idle, clicks_raised, clicks_other = _numbers(
        leads,
        """SELECT avg((pricing_page_visits = 0)::INTEGER),
                  avg(email_clicks) FILTER (WHERE demo_requested),
                  avg(email_clicks) FILTER (WHERE NOT demo_requested) FROM leads""",
    )
    assert idle > 0.6
    assert clicks_raised > 1.5 * clicks_other


# --- the committed sample ---------------------------------------------------------------------


def test_the_committed_sample_has_50000_leads_with_the_lead_models_columns() -> None:
    sample = ROOT / "history" / "sample-leads.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"CREATE VIEW sample AS SELECT * FROM read_parquet('{sample}')")
        assert _value(connection, "SELECT count(*) FROM sample") == 50_000
        columns = [name for name, *_ in _rows(connection, "DESCRIBE sample")]
    assert columns == [name for name, _, _ in _fields()]

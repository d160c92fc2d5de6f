"""lower() and upper() map every character as DuckDB does, checked over all of Unicode."""

from __future__ import annotations

import unicodedata

import duckdb

from engine.interpreter.functions import domain, lower, upper


def test_case_mapping_matches_duckdb_for_every_assigned_character() -> None:
    rows = (
        duckdb.connect()
        .execute(
            "SELECT i, lower(chr(i::INTEGER)), upper(chr(i::INTEGER)) FROM range(1, 1114112) r(i)"
            " WHERE i < 55296 OR i > 57343"
        )
        .fetchall()
    )
    differences = [
        (hex(code), chr(code), lower(chr(code)), upper(chr(code)), low, up)
        for code, low, up in rows
        # Characters unassigned in this Python's Unicode tables may be assigned in DuckDB's.
        if unicodedata.category(chr(code)) != "Cn"
        and (lower(chr(code)) != low or upper(chr(code)) != up)
    ]
    assert differences == []


def test_case_mapping_is_per_character() -> None:
    # Python's str.lower would give the final sigma, str.upper "SS" and "İ" two characters.
    assert lower("ΑΣ") == "ασ"
    assert upper("straße") == "STRAẞE"
    assert lower("İstanbul") == "istanbul"
    assert upper("ﬁx") == "ﬁX"


DOMAINS = [
    ("Ana@Acme.COM", "acme.com"),
    ("https://www.acme.com/pricing", "acme.com"),
    ("HTTP://WWW.Ünï.de:80/x", "ünï.de"),
    ("a@b@c.org", "c.org"),  # after the last @
    ("www.x.io", "x.io"),
    ("ftp://a/b", "a"),
    ("1http://x", "1http"),  # not a scheme: it starts with a digit
    ("a:b@c", "c"),
    ("a\nb@c.d", "c.d"),
    ("x?q=1", "x"),
    ("", None),
    ("@", None),
    ("https://", None),
    ("www.", None),
    ("/pricing", None),
    ("www.www.x.io", "www.x.io"),  # `www.` is dropped once
    ("mailto:ann@x.org", "x.org"),
    ("https://user:secret@Host.io:8080/", "host.io"),
]


def test_domain_in_both_evaluators() -> None:
    from engine.sql.expressions import domain_sql

    connection = duckdb.connect()
    for text, expected in DOMAINS:
        (in_sql,) = connection.execute(
            f"SELECT {domain_sql('t')} FROM (SELECT ? AS t)", [text]
        ).fetchone()  # type: ignore[misc]
        assert (domain(text), in_sql) == (expected, expected), text


def test_nested_domain_calls_stay_small() -> None:
    # Found by the parity property test: a domain() spelled with string functions repeated
    # its argument, so domain(domain(domain(x))) grew the SQL (and DuckDB's planning) by
    # orders of magnitude. The SQL of a nested call must grow linearly.
    from engine.sql.expressions import domain_sql

    once, thrice = domain_sql("t"), domain_sql(domain_sql(domain_sql("t")))
    assert len(thrice) < 3 * len(once)
    row = duckdb.connect().execute(f"SELECT {thrice} FROM (SELECT 'a@www.b.io/x' AS t)").fetchone()
    assert row == ("b.io",)

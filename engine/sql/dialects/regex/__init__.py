"""RE2 regular expressions rewritten for engines with other regex dialects.

Accord's regexes are RE2 (checked at validation; docs/evaluation.md). DuckDB and BigQuery
run RE2 itself; Spark runs java.util.regex, Postgres its ARE engine, Snowflake POSIX ERE
with a few Perl escapes. Each construct is rewritten into what means the same on the
target, or reported as unsupported: a pattern is translated whole or not at all.

Captures never matter (RE2 has no back-references, and Accord only asks whether a pattern
matches, or for the whole match), so every group becomes non-capturing, which also keeps
REGEXP_EXTRACT returning the whole match where an engine would return the first group.

`tokens` holds the parsed form, `parse` reads a pattern into it, `charsets` the character
sets and escapes the renderings share, and one module per target renders it.
"""

from __future__ import annotations

from engine.sql.dialects.regex.java import to_java
from engine.sql.dialects.regex.parse import anchored_at_start
from engine.sql.dialects.regex.postgres import to_postgres
from engine.sql.dialects.regex.re2 import to_re2
from engine.sql.dialects.regex.snowflake import EreTranslation, to_snowflake
from engine.sql.dialects.regex.tokens import RegexUnsupported

__all__ = [
    "EreTranslation",
    "RegexUnsupported",
    "anchored_at_start",
    "to_java",
    "to_postgres",
    "to_re2",
    "to_snowflake",
]

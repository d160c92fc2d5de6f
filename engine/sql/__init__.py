"""The SQL backend: the whole project compiled into one set-based query (DuckDB dialect)."""

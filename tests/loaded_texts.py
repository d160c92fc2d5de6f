"""Every text in a value loaded from YAML or JSON, keys included: dbt renders each string of
its YAML files with Jinja, and hostile text must be found wherever an export put it.
Importable from every test folder (tests/ is on the path)."""

from __future__ import annotations


def texts(value: object) -> list[str]:
    """The strings of a loaded value, keys and values, depth first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [*texts(k), *texts(v)]]
    if isinstance(value, list):
        return [s for v in value for s in texts(v)]
    return []

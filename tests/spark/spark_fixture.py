"""One local Spark for the whole test run, or a skip that says what is missing (a fixture
the Spark test modules import: a second conftest.py would clash with tests/conftest.py)."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from engine.spark import LOCAL_CONF, SQL_CONF


def _missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'accord[spark]')"
    if importlib.util.find_spec("pyarrow") is None:
        return "pyarrow is not installed (the spark extra needs it)"
    if shutil.which("java") is None:
        return "no Java on this machine (Spark needs Java 17 or later)"
    return None


@pytest.fixture(scope="session", name="spark")
def spark_fixture() -> Iterator[Any]:
    missing = _missing()
    if missing:
        pytest.skip(missing)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[2]").appName("accord-tests")
    for key, value in {**LOCAL_CONF, **SQL_CONF}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()

"""Fixtures shared by the test suite. Being the rootdir conftest, it also puts tests/ on the
import path, so test modules can share helpers (`from test_cli import run`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.ir import Project
from engine.project import compile_project, read_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def northwind() -> Project:
    """The example organisation, compiled once."""
    compiled = compile_project(read_files(ROOT))
    assert compiled.ok, compiled.diagnostics
    assert compiled.project is not None
    return compiled.project


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite the golden export files (tests/exports/goldens/) from the exporters;"
        " review the diff as real XML/JSON/SQL before committing it.",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))

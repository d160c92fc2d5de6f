"""Writing the docs site: all of it or nothing, replacing a previous build in one rename
(engine.output_directory); only a directory `accord docs` wrote (or an empty one) is replaced."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from engine.output_directory import Marker, OutputDirectoryError, write_directory

SITE = Marker(".accord-docs", "accord docs", "site")
MARKER = SITE.name
SiteError = OutputDirectoryError


def write_site(pages: Mapping[str, str], out: Path) -> None:
    """Write `pages` ({relative path: text}) as the directory `out`, atomically."""
    write_directory(pages, out, SITE)

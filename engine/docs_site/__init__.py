"""The docs site: a static HTML site of the project's definitions, built by `accord docs`.

Pure pages (engine.docs_site.pages: Project → {path: html}) and one IO edge each way:
engine.docs_site.history reads a leads file, engine.docs_site.write writes the site.
"""

from __future__ import annotations

from engine.docs_site.pages import build_site
from engine.docs_site.write import SiteError, write_site

__all__ = ["SiteError", "build_site", "write_site"]

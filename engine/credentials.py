"""Credentials for the platform APIs: from the environment, or a file the environment names.

`NAME` holds the value itself, or `NAME_FILE` the path of a file that holds it (the
convention of Docker and Kubernetes secrets). Values are never printed, logged or written:
errors name the variable, never what it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


class MissingCredential(Exception):
    """A credential is not set (or its file cannot be read)."""


def credential(name: str, environ: Mapping[str, str]) -> str:
    """The value of credential `name` (e.g. HUBSPOT_TOKEN)."""
    value = environ.get(name)
    if value:
        return value.strip()
    path = environ.get(f"{name}_FILE")
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise MissingCredential(
                f"{name}_FILE names {path}, which cannot be read ({error.strerror})"
            ) from None
        if text:
            return text
        raise MissingCredential(f"{name}_FILE names {path}, which is empty")
    raise MissingCredential(f"set {name} (or {name}_FILE, the path of a file holding it)")

"""Writing the docs site: all of it or nothing, replacing a previous build in one rename.

The pages are written into a temporary directory beside the target, then renamed into
place, so an interrupted run leaves either the old site or the new one, never a mix. An
existing target is replaced only if it is empty or a site this command wrote (it holds
MARKER): `--out ~` must not delete a home directory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

MARKER = ".accord-docs"
MARKER_TEXT = "Written by `accord docs`; the next build replaces this whole directory.\n"


class SiteError(Exception):
    """The site cannot be written where asked."""


def _replaceable(out: Path) -> bool:
    if not out.is_dir() or out.is_symlink():
        return False
    return (out / MARKER).is_file() or not any(out.iterdir())


def _public(directory: Path) -> None:
    """mkdtemp makes a private directory; a site gets the permissions any new one would."""
    umask = os.umask(0)
    os.umask(umask)
    directory.chmod(0o777 & ~umask)


def write_site(pages: Mapping[str, str], out: Path) -> None:
    """Write `pages` ({relative path: text}) as the directory `out`, atomically."""
    if out.exists() and not _replaceable(out):
        raise SiteError(
            f"{out} exists and is not a site written by `accord docs`;"
            " choose a new or empty directory"
        )
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        for relative, text in sorted(pages.items()):
            path = staging / relative
            if staging.resolve() not in path.resolve().parents:
                raise SiteError(f"refusing to write {relative!r} outside the site")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8", newline="\n")
        _public(staging)
        if out.exists():
            old = Path(tempfile.mkdtemp(dir=parent, prefix=f".{out.name}.", suffix=".old"))
            old.rmdir()  # only its unique name is wanted: rename needs the target absent
            out.rename(old)
            try:
                staging.rename(out)
            except BaseException:
                old.rename(out)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

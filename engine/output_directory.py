"""Writing a generated directory (the docs site, an export): all of it or nothing.

The files are written into a temporary directory beside the target, then renamed into
place, so an interrupted run leaves either the old directory or the new one, never a mix
that the next step (a deploy, a browser) would trust. An existing target is replaced only
if it is empty or a directory the same command wrote (it holds that command's marker
file): `--out ~` must not delete a home directory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class OutputDirectoryError(Exception):
    """The directory cannot be written where asked."""


@dataclass(frozen=True)
class Marker:
    """The file that says which command wrote a directory, and what it is called."""

    name: str  # e.g. ".accord-docs"
    command: str  # e.g. "accord docs"
    noun: str  # e.g. "site"

    @property
    def text(self) -> str:
        return f"Written by `{self.command}`; the next build replaces this whole directory.\n"


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


def _replaceable(out: Path, marker: Marker) -> bool:
    if not out.is_dir() or out.is_symlink():
        return False
    return (out / marker.name).is_file() or not any(out.iterdir())


def _public(directory: Path) -> None:
    """mkdtemp makes a private directory; the output gets the permissions any new one would."""
    umask = os.umask(0)
    os.umask(umask)
    directory.chmod(0o777 & ~umask)


def write_directory(files: Mapping[str, str], out: Path, marker: Marker) -> None:
    """Write `files` ({relative path: text}) as the directory `out`, atomically."""
    if out.exists() and not _replaceable(out, marker):
        raise OutputDirectoryError(
            f"{out} exists and is not {_article(marker.noun)} {marker.noun} written by"
            f" `{marker.command}`;"
            " choose a new or empty directory"
        )
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        for relative, text in sorted(files.items()):
            path = staging / relative
            if staging.resolve() not in path.resolve().parents:
                raise OutputDirectoryError(
                    f"refusing to write {relative!r} outside the {marker.noun}"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        (staging / marker.name).write_text(marker.text, encoding="utf-8", newline="\n")
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

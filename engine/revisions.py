"""A project's definition files at a git revision, read from git objects.

`accord diff --base REF` compares two revisions of the definitions without checking
either out: the files come from `git ls-tree` and `git cat-file`, so the working tree (and
whatever the user has uncommitted there) is never touched.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from engine.project import DEFINITION_DIRS, PROJECT_FILE, read_files

WORKING_TREE = "working tree"
_TIMEOUT = 60  # seconds; a local git call that takes longer is stuck


class RevisionError(Exception):
    """A revision that cannot be read: not a repository, an unknown ref, no project there."""


@dataclass(frozen=True)
class RevisionFiles:
    label: str  # the ref as the user wrote it, or WORKING_TREE
    commit: str | None  # the commit the ref resolved to; None for the working tree
    files: dict[str, bytes]  # path relative to the project root → content


def read_working_tree(root: Path) -> RevisionFiles:
    return RevisionFiles(WORKING_TREE, None, read_files(root))


def read_revision(root: Path, ref: str) -> RevisionFiles:
    """The project's definition files as committed at `ref` (a branch, tag, sha, `HEAD~1`…)."""
    if not ref or ref.startswith("-"):
        # Never let a ref reach git as an option.
        raise RevisionError(f"`{ref}` is not a revision; name a branch, tag or commit")
    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    if not commit:
        raise RevisionError(
            f"`{ref}` is not a commit in this repository; check the name with `git log {ref}`"
        )
    listing = _git(root, "ls-tree", "-r", "-z", commit, "--", PROJECT_FILE, *DEFINITION_DIRS)
    objects: dict[str, str] = {}
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        # ls-tree names paths relative to the directory it runs in: the project's root.
        if kind == "blob" and mode in ("100644", "100755") and _is_definition(path):
            objects[path] = sha
    if PROJECT_FILE not in objects:
        where = f"in {prefix.rstrip('/')}" if prefix else "at the repository's root"
        raise RevisionError(
            f"`{ref}` ({commit[:12]}) has no {PROJECT_FILE} {where}; was the project added later?"
        )
    contents = _cat_files(root, list(objects.values()))
    files = {path: contents[sha] for path, sha in sorted(objects.items())}
    return RevisionFiles(ref, commit, files)


def _is_definition(path: str) -> bool:
    """The files read_files would read from a working tree: no hidden files or folders."""
    if path == PROJECT_FILE:
        return True
    parts = path.split("/")
    return (
        len(parts) > 1
        and parts[0] in DEFINITION_DIRS
        and not any(part.startswith(".") for part in parts)
        and parts[-1].endswith((".yaml", ".yml"))
    )


def _git(root: Path, *args: str) -> str:
    try:
        completed = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            check=False,
            timeout=_TIMEOUT,
        )
    except FileNotFoundError as error:
        raise RevisionError("git is not installed; --base needs git to read revisions") from error
    except subprocess.TimeoutExpired as error:
        raise RevisionError(f"git {args[0]} did not answer in {_TIMEOUT} s") from error
    if completed.returncode != 0 and not (args[0] == "rev-parse" and "--verify" in args):
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        if any("not a git repository" in line for line in message):
            raise RevisionError(f"{root} is not in a git repository; --base needs one")
        raise RevisionError(f"git {args[0]} failed: {message[-1] if message else 'no message'}")
    return completed.stdout.decode("utf-8", "surrogateescape")


def _cat_files(root: Path, shas: list[str]) -> dict[str, bytes]:
    """Blob contents by sha, through one `git cat-file --batch`."""
    if not shas:
        return {}
    try:
        completed = subprocess.run(
            ["git", "-C", str(root), "cat-file", "--batch"],
            input="".join(f"{sha}\n" for sha in shas).encode(),
            capture_output=True,
            check=True,
            timeout=_TIMEOUT,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise RevisionError("git cat-file could not read the definition files") from error
    out = completed.stdout
    contents: dict[str, bytes] = {}
    at = 0
    while at < len(out):
        header_end = out.index(b"\n", at)
        sha, _kind, size = out[at:header_end].decode().split()
        start = header_end + 1
        contents[sha] = out[start : start + int(size)]
        at = start + int(size) + 1  # the content is followed by a newline
    return contents


def working_tree_revision(root: Path) -> tuple[str, bool] | None:
    """The commit the working tree is at, and whether its definitions have uncommitted
    edits; None outside a git repository (or one with no commit yet)."""
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip()
        if not commit:
            return None
        status = _git(root, "status", "--porcelain", "--", PROJECT_FILE, *DEFINITION_DIRS)
    except RevisionError:
        return None
    return commit, bool(status.strip())

"""`accord compile`: the manifest is the whole project, checked by its schema, stable in bytes,
and its content hash follows meaning, not layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from git_repo import git
from jsonschema import Draft202012Validator
from test_cli import ROOT, example, run

from engine.manifest import SourceRevision, content_hash, manifest, render_manifest
from engine.project import compile_project, read_files

SCHEMA = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text(encoding="utf-8"))


def built(files: dict[str, bytes]) -> Any:
    compiled = compile_project(files)
    assert compiled.ok, compiled.diagnostics
    return compiled.project


def test_the_example_manifest_follows_its_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    project = built(read_files(ROOT))
    document = json.loads(render_manifest(project, SourceRevision("a" * 40, False)))
    assert list(Draft202012Validator(SCHEMA).iter_errors(document)) == []
    rules = [r for g in document["project"]["score_model"]["groups"] for r in g["rules"]]
    assert len(rules) == 35
    (demo,) = [r for r in rules if r["id"] == "demo_request"]
    assert demo == {
        "group": "engagement",
        "id": "demo_request",
        "points": 25,
        "when": "demo_requested == true",
        "where": "rules/scoring.yaml:136",
        "why": demo["why"],
    }
    mql = next(t for t in document["project"]["terms"] if t["id"] == "mql")
    assert mql["means"] == {"binding": "rules/qualification.yaml#mql"}


def test_a_broken_manifest_fails_the_schema() -> None:
    document = manifest(built(read_files(ROOT)), None)
    document["project"]["score_model"]["groups"][0]["rules"][0]["points"] = "15"
    document["content_hash"] = "md5:abc"
    errors = sorted(e.message for e in Draft202012Validator(SCHEMA).iter_errors(document))
    assert errors == [
        "'15' is not of type 'integer'",
        "'md5:abc' does not match '^sha256:[0-9a-f]{64}$'",
    ]


def test_same_inputs_same_bytes() -> None:
    project = built(read_files(ROOT))
    assert render_manifest(project, None) == render_manifest(built(read_files(ROOT)), None)


def test_the_hash_follows_meaning_not_layout() -> None:
    files = read_files(ROOT)
    base = content_hash(built(files))
    moved = dict(files)
    # A comment line at the top moves every rule down a line: `where` changes, not meaning.
    moved["rules/scoring.yaml"] = b"# a comment\n" + files["rules/scoring.yaml"]
    assert content_hash(built(moved)) == base
    assert manifest(built(moved), None)["project"] != manifest(built(files), None)["project"]
    changed = dict(files)
    text = files["rules/scoring.yaml"].decode()
    assert text.count("        points: 25\n") == 1
    changed["rules/scoring.yaml"] = text.replace(
        "        points: 25\n", "        points: 26\n"
    ).encode()
    assert content_hash(built(changed)) != base


def test_the_command_names_the_revision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = example(tmp_path)
    out = tmp_path / "build"
    code, _, err = run(["compile", str(project), "--out", str(out)], capsys)
    assert code == 0, err
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["source"] is None
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    commit = git(project, "rev-parse", "HEAD")
    code, _, err = run(["compile", str(project), "--out", str(out)], capsys)
    first = (out / "manifest.json").read_bytes()
    assert json.loads(first)["source"] == {"commit": commit, "dirty": False}
    code, _, err = run(["compile", str(project), "--out", str(out)], capsys)
    assert (out / "manifest.json").read_bytes() == first
    (project / "rules" / "scoring.yaml").write_text(
        (project / "rules" / "scoring.yaml").read_text(encoding="utf-8") + "\n# edited\n",
        encoding="utf-8",
    )
    code, _, err = run(["compile", str(project), "--out", str(out)], capsys)
    document = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert document["source"] == {"commit": commit, "dirty": True}
    assert document["content_hash"] == json.loads(first)["content_hash"]

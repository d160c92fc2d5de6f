"""A GitHub Actions job run on this machine, as far as Accord's workflows need it: which jobs
an event runs, `env:` values from the contexts the test gives (`${{ }}` as GitHub
evaluates the forms the workflows use), and each step's `run:` script as written.

The `accord` commands of a script run through the real CLI in this process (`cli.main`), so
the test can fix the clock (pr.yml's `accord diff` has no --as-of: its report is as of the
moment it runs); the shell around them (`mkdir -p`, `| tee FILE`, `set -o pipefail`, a
`for` loop) is done here, and a script with no `accord` command in it (the job-summary
steps) runs in bash with the step's environment. A second actions/checkout into a `path:`
is made; the others, setup-python and upload-artifact have nothing to do here.
Anything else a script says is refused, so a workflow edit this runner does not understand
fails the test instead of being skipped.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

# argv → exit code, stdout, stderr (test_cli.run on capsys)
Accord = Callable[[list[str]], tuple[int, str, str]]
# (ref, where): a clone of the repository at ref, as actions/checkout makes it
Checkout = Callable[[str, Path], object]

# The `uses:` steps, and what stands in for each on this machine.
ACTIONS = {
    "actions/checkout": "the test made the workspace: a full clone at the event's commit",
    "actions/setup-python": "this virtualenv's Python",
    "actions/upload-artifact": "the files stay in the workspace, where the test reads them",
}
# Installing Accord: it is installed in this virtualenv already.
INSTALL = re.compile(r"python -m pip install --quiet (\S+)")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")
FOR_LOOP = re.compile(r"for (\w+) in (.+); do")


@dataclass(frozen=True)
class Command:
    argv: list[str]  # as run, after the shell's expansion
    code: int
    out: str
    err: str


@dataclass
class Step:
    name: str
    code: int
    output: str = ""  # what the step printed (stdout and stderr), as the job log shows it
    commands: list[Command] = field(default_factory=list)


def load_workflow(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def triggers(workflow: Mapping[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as true.
    found = workflow.get("on", workflow.get(True))
    assert isinstance(found, dict)
    return found


def jobs_for(workflow: Mapping[Any, Any], event: str) -> list[str]:
    """The jobs an event runs, in file order (the workflows' `needs:` follow it)."""
    assert event in triggers(workflow), event
    chosen = []
    for name, job in workflow["jobs"].items():
        condition = job.get("if")
        if condition is not None:
            assert re.fullmatch(r"github\.event_name == '\w+'", condition), condition
        if condition is None or condition == f"github.event_name == '{event}'":
            chosen.append(name)
    return chosen


def evaluate(value: object, contexts: Mapping[str, Any]) -> Any:
    """A value with `${{ }}`: a context path, `A || 'default'` and `fromJSON(…)`, as GitHub
    evaluates them; unset vars and secrets are empty strings, as on GitHub."""
    if not isinstance(value, str):
        return value
    whole = EXPRESSION.fullmatch(value.strip())
    if whole is not None:
        return _expression(whole[1], contexts)
    return EXPRESSION.sub(lambda m: str(_expression(m[1], contexts)), value)


def _expression(text: str, contexts: Mapping[str, Any]) -> Any:
    text = text.strip()
    if text.startswith("fromJSON(") and text.endswith(")"):
        return json.loads(_expression(text[len("fromJSON(") : -1], contexts))
    if "||" in text:
        value: Any = ""
        for option in text.split("||"):
            value = _expression(option, contexts)
            if value:
                break
        return value
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    assert re.fullmatch(r"[\w-]+(\.[\w-]+)+", text), (
        f"an expression this runner cannot read: {text}"
    )
    head, *path = text.split(".")
    value = contexts[head]
    for part in path:
        # GitHub gives '' for a variable or secret nobody set; any other context must be known.
        value = value.get(part, "") if head in ("vars", "secrets") else value[part]
    return value


def job_matrix(job: Mapping[str, Any], contexts: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each combination of the job's matrix (one key in these workflows), or one run."""
    matrix = job.get("strategy", {}).get("matrix")
    if matrix is None:
        return [{}]
    ((key, values),) = matrix.items()
    values = evaluate(values, contexts)
    assert isinstance(values, list)
    return [{key: value} for value in values]


def run_job(
    workflow: Mapping[Any, Any],
    name: str,
    *,
    workspace: Path,
    contexts: Mapping[str, Any],
    runner_env: Mapping[str, str],
    accord: Accord,
    checkout: Checkout,
    monkeypatch: pytest.MonkeyPatch,
) -> list[Step]:
    """The job's steps in order, until one fails (no step of these workflows is meant to
    run after a failure in the runs the test makes; `if:` conditions on steps only skip
    them after a failure, a cancellation or for a fork's pull request)."""
    job = workflow["jobs"][name]
    env = {**runner_env, **_env(job, contexts)}
    steps: list[Step] = []
    for index, step in enumerate(job["steps"]):
        label = step.get("name") or step.get("uses") or f"step {index + 1}"
        if "uses" in step:
            action = step["uses"].split("@")[0]
            assert action in ACTIONS, f"{name}: no stand-in for {action}"
            inputs = {k: evaluate(v, contexts) for k, v in step.get("with", {}).items()}
            if action == "actions/checkout" and "path" in inputs:
                checkout(inputs["ref"], workspace / inputs["path"])
            continue
        script = step["run"]
        install = INSTALL.fullmatch(script.strip())
        if install is not None:
            assert (workspace / install[1]).is_dir(), f"{name}: nothing to install at {install[1]}"
            continue
        step_env = {**env, **_env(step, contexts)}
        if _has_accord(script):
            done = _run_in_process(label, script, step_env, workspace, accord, monkeypatch)
        else:
            done = _run_in_bash(label, script, step_env, workspace)
        steps.append(done)
        if done.code != 0:
            break
    return steps


def _env(holder: Mapping[str, Any], contexts: Mapping[str, Any]) -> dict[str, str]:
    return {key: str(evaluate(value, contexts)) for key, value in holder.get("env", {}).items()}


def _has_accord(script: str) -> bool:
    return any(re.search(r"(^|\s)accord\s", line + " ") for line in script.splitlines())


def _run_in_bash(label: str, script: str, env: Mapping[str, str], workspace: Path) -> Step:
    # GitHub runs a `run:` script without `shell:` as `bash -e {0}`.
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-c", script],
        cwd=workspace,
        env={"PATH": "/usr/bin:/bin", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=60,
    )
    return Step(label, done.returncode, done.stdout)


def _run_in_process(
    label: str,
    script: str,
    env: Mapping[str, str],
    workspace: Path,
    accord: Accord,
    monkeypatch: pytest.MonkeyPatch,
) -> Step:
    step = Step(label, 0)
    with monkeypatch.context() as patch:
        patch.chdir(workspace)
        for key, value in env.items():
            patch.setenv(key, value)
        lines = [line.strip() for line in script.strip().splitlines() if line.strip()]
        step.code = _shell(lines, dict(env), workspace, accord, step)
    return step


def _shell(
    lines: list[str], variables: dict[str, str], cwd: Path, accord: Accord, step: Step
) -> int:
    """The little shell the workflows' accord steps are written in, with `bash -e`'s rule:
    the first command that fails ends the script with its status."""
    i = 0
    while i < len(lines):
        line = lines[i]
        loop = FOR_LOOP.fullmatch(line)
        if loop is not None:
            end = lines.index("done", i)
            for value in shlex.split(loop[2]):
                code = _shell(lines[i + 1 : end], {**variables, loop[1]: value}, cwd, accord, step)
                if code:
                    return code
            i = end + 1
            continue
        words = [_expand(word, variables) for word in shlex.split(line)]
        i += 1
        if words == ["set", "-o", "pipefail"]:
            continue  # a pipeline's status is accord's below (tee does not fail)
        if words[:2] == ["mkdir", "-p"] and len(words) > 2:
            for directory in words[2:]:
                (cwd / directory).mkdir(parents=True, exist_ok=True)
            continue
        argv, tee = words, None
        if "|" in words:
            at = words.index("|")
            argv, pipe = words[:at], words[at + 1 :]
            assert pipe[:1] == ["tee"], f"a pipe this runner cannot run: {line}"
            assert len(pipe) == 2, f"a pipe this runner cannot run: {line}"
            tee = cwd / pipe[1]
        assert argv[0] == "accord", f"a command this runner cannot run: {line}"
        code, out, err = accord(argv[1:])
        step.commands.append(Command(argv, code, out, err))
        step.output += out + err
        if tee is not None:
            tee.write_text(out, encoding="utf-8")
        if code:
            return code
    return 0


def _expand(word: str, variables: Mapping[str, str]) -> str:
    # A variable the step does not set is an error here, not an empty string.
    return VARIABLE.sub(lambda m: variables[m[1] or m[2]], word)

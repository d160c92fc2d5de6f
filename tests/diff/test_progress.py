"""The diff's progress bar: on a person's terminal only, on stderr only."""

from __future__ import annotations

import io

import pytest

from engine.commands import evaluation
from engine.diff.run import STEPS


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_when_piped_or_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert evaluation.progress_bar() is None
    monkeypatch.setattr("sys.stderr", Terminal())
    monkeypatch.setenv("CI", "true")
    assert evaluation.progress_bar() is None


def test_a_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    step = evaluation.progress_bar()
    assert step is not None
    for label in [*STEPS, evaluation.DONE]:
        step(label)
    frames = terminal.getvalue().split("\r")[1:]
    assert frames == [
        "accord diff [------------------------] reading leads     ",
        "accord diff [######------------------] scoring the base  ",
        "accord diff [############------------] scoring the head  ",
        "accord diff [##################------] comparing         ",
        "accord diff [########################] done              \n",
    ]

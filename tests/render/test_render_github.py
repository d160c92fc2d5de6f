"""The GitHub Actions renderer: workflow commands and their escaping, checked exactly."""

from __future__ import annotations

from engine.diagnostics import Diagnostic, Note, Severity
from engine.render import RENDERERS
from engine.render.github import render_github
from engine.span import Span


def test_registered_under_github() -> None:
    assert RENDERERS["github"] is render_github


def test_error_with_help_then_summary() -> None:
    d = Diagnostic(
        "E103",
        Severity.ERROR,
        "unknown name `job_titel`",
        Span("rules/scoring.yaml", 12, 23, 12, 32),
        help="did you mean `job_title`?",
    )
    out = render_github([d], {}, "accord: 9 files checked: 1 error")
    assert out == (
        "::error file=rules/scoring.yaml,line=12,col=23,endLine=12,endColumn=32,"
        "title=E103 unknown-name::unknown name `job_titel`%0Ahelp: did you mean `job_title`?\n"
        "accord: 9 files checked: 1 error\n"
    )


def test_warning_with_notes_on_lines_of_their_own() -> None:
    d = Diagnostic(
        "L102",
        Severity.WARNING,
        "route `eu` is never reached",
        Span("routing/routes.yaml", 20, 5, 22, 1),
        notes=(
            Note("pre-empted by `all`", Span("routing/routes.yaml", 8, 5, 8, 12)),
            Note("see also", Span("routing/teams.yaml", 2, 3, 2, 4)),
        ),
    )
    assert render_github([d], {}, "s") == (
        "::warning file=routing/routes.yaml,line=20,col=5,endLine=22,endColumn=1,"
        "title=L102 unreachable-route::route `eu` is never reached"
        "%0Anote: pre-empted by `all`: routing/routes.yaml:8:5"
        "%0Anote: see also: routing/teams.yaml:2:3\n"
        "s\n"
    )


def test_percent_colon_comma_and_newlines_are_escaped() -> None:
    d = Diagnostic(
        "S105",
        Severity.ERROR,
        "100% wrong: a, b\r\nnext::line",
        Span("rules/a,b:c%d.yaml", 1, 2, 1, 3),
        help="use 50%,\nnot 100%",
    )
    assert render_github([d], {}, "s") == (
        # Property values escape `%`, CR, LF, `:` and `,`; the message escapes `%`, CR and LF.
        "::error file=rules/a%2Cb%3Ac%25d.yaml,line=1,col=2,endLine=1,endColumn=3,"
        "title=S105 bad-format::100%25 wrong: a, b%0D%0Anext::line"
        "%0Ahelp: use 50%25,%0Anot 100%25\n"
        "s\n"
    )


def test_uncatalogued_code_is_titled_by_its_code_alone() -> None:
    d = Diagnostic("X999", Severity.ERROR, "m", Span("f.yaml", 1, 1, 1, 2))
    assert render_github([d], {}, "s") == (
        "::error file=f.yaml,line=1,col=1,endLine=1,endColumn=2,title=X999::m\ns\n"
    )


def test_no_diagnostics_is_the_summary_alone() -> None:
    assert render_github([], {}, "accord: no problems") == "accord: no problems\n"

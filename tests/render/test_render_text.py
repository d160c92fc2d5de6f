"""The compiler-style text renderer, checked against output written out by hand."""

from __future__ import annotations

from engine.diagnostics import Diagnostic, Note, Severity
from engine.render import RENDERERS
from engine.render.text import render_text
from engine.span import Span

SCORING = "\n".join(
    [
        "apiVersion: accord/v1",
        "kind: LeadScoring",
        "rules:",
        "  - id: senior_buyer",
        "    points: 10",
        "",
        "",
        "",
        "",
        "",
        "  - id: vp",
        '        when: matches(job_titel, "(?i)vp")',
        "",
    ]
)
SUMMARY = "accord: 9 files checked: 2 errors, 1 warning"


def unknown_name() -> Diagnostic:
    return Diagnostic(
        "E103",
        Severity.ERROR,
        "unknown name `job_titel`",
        Span("rules/scoring.yaml", 12, 23, 12, 32),
        help="did you mean `job_title`?",
        notes=(Note("`a` first defined here", Span("rules/scoring.yaml", 3, 5, 3, 6)),),
    )


def one(line_text: str, span: Span, severity: Severity = Severity.ERROR, code: str = "E101") -> str:
    """The text of one diagnostic about a file whose given line is `line_text`."""
    text = "\n" * (span.line - 1) + line_text + "\n"
    d = Diagnostic(code, severity, "msg", span)
    return render_text([d], {span.file: text}, "done")


def test_registered_under_text() -> None:
    assert RENDERERS["text"] is render_text


def test_error_with_snippet_help_and_note() -> None:
    out = render_text([unknown_name()], {"rules/scoring.yaml": SCORING}, SUMMARY)
    assert out == (
        "rules/scoring.yaml:12:23: error[E103] unknown name `job_titel`\n"
        "   |\n"
        '12 |         when: matches(job_titel, "(?i)vp")\n'
        "   |                       ^^^^^^^^^\n"
        "   = help: did you mean `job_title`?\n"
        "   = note: `a` first defined here: rules/scoring.yaml:3:5\n"
        "\n"
        "accord: 9 files checked: 2 errors, 1 warning\n"
    )


def test_blank_line_between_diagnostics_and_warning_label() -> None:
    warning = Diagnostic(
        "L102",
        Severity.WARNING,
        "route `eu` is never reached",
        Span("rules/scoring.yaml", 4, 9, 4, 21),
    )
    out = render_text([warning, unknown_name()], {"rules/scoring.yaml": SCORING}, SUMMARY)
    assert out == (
        "rules/scoring.yaml:4:9: warning[L102] route `eu` is never reached\n"
        "  |\n"
        "4 |   - id: senior_buyer\n"
        "  |         ^^^^^^^^^^^^\n"
        "\n"
        "rules/scoring.yaml:12:23: error[E103] unknown name `job_titel`\n"
        "   |\n"
        '12 |         when: matches(job_titel, "(?i)vp")\n'
        "   |                       ^^^^^^^^^\n"
        "   = help: did you mean `job_title`?\n"
        "   = note: `a` first defined here: rules/scoring.yaml:3:5\n"
        "\n"
        "accord: 9 files checked: 2 errors, 1 warning\n"
    )


def test_missing_source_omits_the_snippet() -> None:
    d = Diagnostic(
        "R102",
        Severity.ERROR,
        "unknown team `emea`",
        Span("routing/routes.yaml", 7, 11, 7, 15),
        help="did you mean `emea_sales`?",
    )
    out = render_text([d], {"rules/scoring.yaml": SCORING}, "accord: 1 error")
    assert out == (
        "routing/routes.yaml:7:11: error[R102] unknown team `emea`\n"
        "  = help: did you mean `emea_sales`?\n"
        "\n"
        "accord: 1 error\n"
    )


def test_line_out_of_range_omits_the_snippet() -> None:
    d = Diagnostic("Y101", Severity.ERROR, "bad", Span("a.yaml", 40, 1, 40, 2))
    assert render_text([d], {"a.yaml": "a: 1\n"}, "s") == "a.yaml:40:1: error[Y101] bad\n\ns\n"


def test_no_diagnostics_is_the_summary_alone() -> None:
    assert render_text([], {}, "accord: 9 files checked: no problems") == (
        "accord: 9 files checked: no problems\n"
    )


def test_tabs_are_expanded_alike_on_source_and_caret_lines() -> None:
    # "\tname:\tx": `x` is column 8; each tab shows as four spaces.
    assert one("\tname:\tx", Span("t.yaml", 2, 8, 2, 9)) == (
        "t.yaml:2:8: error[E101] msg\n  |\n2 |     name:    x\n  |              ^\n\ndone\n"
    )
    # A span over the tab itself is four carets wide.
    assert one("\tname:\tx", Span("t.yaml", 2, 7, 2, 9)) == (
        "t.yaml:2:7: error[E101] msg\n  |\n2 |     name:    x\n  |          ^^^^^\n\ndone\n"
    )


def test_unicode_columns_count_characters_and_wide_ones_take_two_cells() -> None:
    # Columns count code points: `é` is one, `e` + combining acute two (in one cell), and
    # `販売` (columns 22-23) takes two cells per character; 20 cells come before it.
    line = 'title: "é e\u0301 général 販売"'
    assert line.index("販") == 21
    assert one(line, Span("g.yaml", 3, 22, 3, 24)) == (
        "g.yaml:3:22: error[E101] msg\n"
        "  |\n"
        '3 | title: "é e\u0301 général 販売"\n'
        "  | " + " " * 20 + "^^^^\n"
        "\n"
        "done\n"
    )


def test_span_running_onto_later_lines_is_underlined_to_the_end_of_its_first() -> None:
    assert one("when: a and", Span("m.yaml", 1, 7, 3, 4)) == (
        "m.yaml:1:7: error[E101] msg\n  |\n1 | when: a and\n  |       ^^^^^\n\ndone\n"
    )


def test_empty_span_and_end_of_line_still_get_one_caret() -> None:
    assert one("key:", Span("e.yaml", 1, 5, 1, 5)) == (
        "e.yaml:1:5: error[E101] msg\n  |\n1 | key:\n  |     ^\n\ndone\n"
    )


def test_empty_line_has_no_trailing_space_and_crlf_is_dropped() -> None:
    out = render_text(
        [Diagnostic("Y108", Severity.ERROR, "empty", Span("c.yaml", 2, 1, 2, 1))],
        {"c.yaml": "a: 1\r\n\r\n"},
        "s",
    )
    assert out == "c.yaml:2:1: error[Y108] empty\n  |\n2 |\n  | ^\n\ns\n"
    out = render_text(
        [Diagnostic("Y101", Severity.ERROR, "x", Span("c.yaml", 1, 1, 1, 5))],
        {"c.yaml": "a: 1\r\n"},
        "s",
    )
    assert out == "c.yaml:1:1: error[Y101] x\n  |\n1 | a: 1\n  | ^^^^\n\ns\n"


def test_three_digit_line_numbers_widen_the_gutter() -> None:
    assert one("x", Span("w.yaml", 100, 1, 100, 2), Severity.WARNING, "L106") == (
        "w.yaml:100:1: warning[L106] msg\n    |\n100 | x\n    | ^\n\ndone\n"
    )


def test_long_line_shows_a_window_around_the_span() -> None:
    line = "x" * 149 + "HELLO" + "y" * 146  # 300 characters, HELLO at column 150
    assert one(line, Span("l.yaml", 1, 150, 1, 155)) == (
        "l.yaml:1:150: error[E101] msg\n"
        "  |\n"
        "1 | …" + "x" * 40 + "HELLO" + "y" * 115 + "…\n"
        "  | " + " " * 41 + "^^^^^\n"
        "\n"
        "done\n"
    )


def test_long_line_window_near_either_end_cuts_only_one_side() -> None:
    line = "a" * 239 + "END" + "b" * 8  # 250 characters
    assert one(line, Span("l.yaml", 1, 240, 1, 243)) == (
        "l.yaml:1:240: error[E101] msg\n"
        "  |\n"
        "1 | …" + "a" * 149 + "END" + "b" * 8 + "\n"
        "  | " + " " * 150 + "^^^\n"
        "\n"
        "done\n"
    )
    line = "abcdSTART" + "z" * 241  # 250 characters
    assert one(line, Span("l.yaml", 1, 5, 1, 10)) == (
        "l.yaml:1:5: error[E101] msg\n  |\n1 | abcdSTART" + "z" * 151 + "…\n  |     ^^^^^\n\ndone\n"
    )


def test_long_line_carets_stop_at_the_window_edge() -> None:
    line = "x" * 149 + "y" * 151  # 300 characters; the span covers every `y`
    assert one(line, Span("l.yaml", 1, 150, 1, 301)) == (
        "l.yaml:1:150: error[E101] msg\n"
        "  |\n"
        "1 | …" + "x" * 40 + "y" * 120 + "…\n"
        "  | " + " " * 41 + "^" * 120 + "\n"
        "\n"
        "done\n"
    )


def test_a_line_of_exactly_200_characters_is_shown_whole() -> None:
    line = "q" * 200
    out = one(line, Span("l.yaml", 1, 200, 1, 201))
    assert "1 | " + "q" * 200 + "\n" in out
    assert "…" not in out


def test_color_wraps_header_gutter_and_carets_in_ansi_codes() -> None:
    out = render_text([unknown_name()], {"rules/scoring.yaml": SCORING}, SUMMARY, color=True)
    assert out == (
        "\x1b[1mrules/scoring.yaml:12:23: \x1b[0m"
        "\x1b[1;31merror[E103]\x1b[0m"
        "\x1b[1m unknown name `job_titel`\x1b[0m\n"
        "\x1b[34m   |\x1b[0m\n"
        '\x1b[34m12 |\x1b[0m         when: matches(job_titel, "(?i)vp")\n'
        "\x1b[34m   |\x1b[0m                       \x1b[1;31m^^^^^^^^^\x1b[0m\n"
        "\x1b[34m   =\x1b[0m \x1b[1mhelp:\x1b[0m did you mean `job_title`?\n"
        "\x1b[34m   =\x1b[0m \x1b[1mnote:\x1b[0m `a` first defined here: rules/scoring.yaml:3:5\n"
        "\n"
        "accord: 9 files checked: 2 errors, 1 warning\n"
    )
    warning = Diagnostic("L109", Severity.WARNING, "w", Span("x.yaml", 1, 1, 1, 2))
    assert render_text([warning], {}, "s", color=True) == (
        "\x1b[1mx.yaml:1:1: \x1b[0m\x1b[1;33mwarning[L109]\x1b[0m\x1b[1m w\x1b[0m\n\ns\n"
    )

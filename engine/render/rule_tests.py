"""Render rule test results: a text report for people, JUnit XML for CI."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET

from engine.rule_testing import INTERPRETER, SQL, Failure, TestResult


def _evaluators(failure: Failure) -> str:
    if set(failure.evaluators) == {INTERPRETER, SQL}:
        return "both evaluators"
    return " and ".join(failure.evaluators)


def failure_lines(failure: Failure) -> list[str]:
    where = f"{failure.span.file}:{failure.span.line}:{failure.span.column}"
    return [
        f"  {where}: {failure.what} ({_evaluators(failure)})",
        f"    expected: {failure.expected}",
        f"    actual:   {failure.actual}",
    ]


def render_rule_tests_text(results: Sequence[TestResult]) -> str:
    lines = []
    for result in results:
        if result.passed:
            continue
        test = result.test
        lines.append(f"FAIL {test.span.file}:{test.span.line}: {test.id}")
        for failure in result.failures:
            lines.extend(failure_lines(failure))
        lines.append("")
    lines.append(summary(results))
    return "\n".join(lines) + "\n"


def summary(results: Sequence[TestResult]) -> str:
    failed = sum(not r.passed for r in results)
    files = len({r.test.span.file for r in results})
    total = f"{len(results)} test{'s' if len(results) != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    verdict = f"{failed} failed" if failed else "all passed"
    return f"accord: {total}, each run by the interpreter and by DuckDB: {verdict}"


def render_junit(results: Sequence[TestResult]) -> str:
    """JUnit XML, one testsuite per tests file; ElementTree escapes every value."""
    by_file: dict[str, list[TestResult]] = {}
    for result in results:
        by_file.setdefault(result.test.span.file, []).append(result)
    root = ET.Element(
        "testsuites",
        name="accord",
        tests=str(len(results)),
        failures=str(sum(not r.passed for r in results)),
    )
    for path, file_results in sorted(by_file.items()):
        suite = ET.SubElement(
            root,
            "testsuite",
            name=path,
            tests=str(len(file_results)),
            failures=str(sum(not r.passed for r in file_results)),
            errors="0",
            skipped="0",
        )
        for result in file_results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=path.removesuffix(".yaml").replace("/", "."),
                name=result.test.id,
                file=path,
                line=str(result.test.span.line),
            )
            if result.failures:
                first = result.failures[0]
                message = f"{first.what}: expected {first.expected}, got {first.actual}"
                if len(result.failures) > 1:
                    message += f" (and {len(result.failures) - 1} more)"
                body = "\n".join(line for f in result.failures for line in failure_lines(f))
                failure = ET.SubElement(case, "failure", message=message, type="expectation")
                failure.text = body
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

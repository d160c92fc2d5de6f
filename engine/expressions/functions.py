"""The allow-listed functions: their names, argument types and result types.

This table is the whole function set of the language. Each evaluator implements every entry
with the same meaning (docs/language.md); a name missing here cannot be called.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.expressions.nodes import ExprType

_B, _N, _S, _D, _T = (
    ExprType.BOOLEAN,
    ExprType.NUMBER,
    ExprType.STRING,
    ExprType.DATE,
    ExprType.DATETIME,
)
_TEXT = frozenset({_S})
_TIME = frozenset({_D, _T})
_ANY_VALUE = frozenset({_B, _N, _S, _D, _T})


@dataclass(frozen=True)
class Function:
    name: str
    usage: str  # how the call is written, for messages
    params: tuple[frozenset[ExprType], ...]
    result: ExprType | None  # None: the type shared by the arguments (coalesce)
    summary: str
    variadic: bool = False  # the last parameter repeats; at least len(params) arguments
    regex_argument: int | None = None  # index of an argument that must be a regex literal

    @property
    def arity(self) -> str:
        count = len(self.params)
        plural = "" if count == 1 else "s"
        return f"at least {count} arguments" if self.variadic else f"{count} argument{plural}"


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function(
            "matches",
            'matches(text, "regex")',
            (_TEXT, _TEXT),
            _B,
            "the RE2 regex matches somewhere in the text",
            regex_argument=1,
        ),
        Function(
            "contains", "contains(text, part)", (_TEXT, _TEXT), _B, "the text contains the part"
        ),
        Function(
            "startswith",
            "startswith(text, prefix)",
            (_TEXT, _TEXT),
            _B,
            "the text starts with the prefix",
        ),
        Function(
            "endswith",
            "endswith(text, suffix)",
            (_TEXT, _TEXT),
            _B,
            "the text ends with the suffix",
        ),
        Function("lower", "lower(text)", (_TEXT,), _S, "the text in lower case"),
        Function("upper", "upper(text)", (_TEXT,), _S, "the text in upper case"),
        Function(
            "trim", "trim(text)", (_TEXT,), _S, "the text without leading and trailing white space"
        ),
        Function("length", "length(text)", (_TEXT,), _N, "the number of characters"),
        Function(
            "domain",
            "domain(text)",
            (_TEXT,),
            _S,
            "the domain of an e-mail address or URL, lower case",
        ),
        Function(
            "days_since", "days_since(time)", (_TIME,), _N, "days from the time to the as-of clock"
        ),
        Function(
            "hours_since",
            "hours_since(time)",
            (frozenset({_T}),),
            _N,
            "hours from the time to the as-of clock",
        ),
        Function("is_null", "is_null(value)", (_ANY_VALUE,), _B, "the value is missing"),
        Function(
            "coalesce",
            "coalesce(a, b, …)",
            (_ANY_VALUE, _ANY_VALUE),
            None,
            "the first value that is not missing",
            variadic=True,
        ),
    )
}

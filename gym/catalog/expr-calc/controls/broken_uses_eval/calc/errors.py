"""Errors raised while reading or evaluating an expression.

CalcError
├── CalcSyntaxError   bad input text (exit 2)
└── CalcMathError     a valid expression that cannot be computed (exit 3)
"""


class CalcError(Exception):
    """Base class of every calculator error."""

    exit_code = 1


class CalcSyntaxError(CalcError):
    """The text is not a valid expression."""

    exit_code = 2


class CalcMathError(CalcError):
    """The expression is valid but its value is undefined."""

    exit_code = 3

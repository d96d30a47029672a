"""Interactive mode: evaluate stdin line by line with names kept between lines."""

import sys
from typing import TextIO

from calc.errors import CalcError
from calc.evaluator import evaluate_program, format_number
from calc.parser import parse_program


def run_session(lines: TextIO, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Evaluate each non-blank line; the exit status of the last failing line, else 0."""
    env: dict[str, float] = {}
    status = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            print(format_number(evaluate_program(parse_program(line.rstrip("\r\n")), env)), file=out)
        except CalcError as error:
            print(f"error: {error}", file=err)
            status = error.exit_code
    return status

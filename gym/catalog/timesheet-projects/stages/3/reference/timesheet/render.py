"""Report output: aligned text or JSON (hours and amounts as strings with two decimals)."""

import json
from decimal import Decimal

ZERO = Decimal("0.00")


def text_rows(rows: list[tuple], with_amount: bool) -> str:
    """``KEY  HOURS  AMOUNT`` lines (key padded to 10, hours to 6, amount to 9) and a total line."""
    total_hours = sum((r[1] for r in rows), ZERO)
    lines = [_line(r, with_amount) for r in rows]
    total = ("total", total_hours) + ((sum((r[2] for r in rows), ZERO),) if with_amount else ())
    return "\n".join(lines + [_line(total, with_amount)]) + "\n"


def _line(row: tuple, with_amount: bool) -> str:
    line = f"{row[0]:<10}  {row[1]:>6}"
    return line + f"  {row[2]:>9}" if with_amount else line


def json_rows(rows: list[tuple], key: str, with_amount: bool) -> str:
    """``{"rows": [{key, "hours", "amount"?}], "total": {"hours", "amount"?}}``."""
    def record(row: tuple) -> dict:
        data = {"hours": str(row[1])}
        if with_amount:
            data["amount"] = str(row[2])
        return data

    total = ("total", sum((r[1] for r in rows), ZERO), sum((r[2] for r in rows), ZERO) if with_amount else ZERO)
    doc = {"rows": [{key: r[0], **record(r)} for r in rows], "total": record(total)}
    return json.dumps(doc, indent=2) + "\n"

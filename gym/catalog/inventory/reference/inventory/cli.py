"""The command line: argument parsing and dispatch; errors become one line and an exit status."""

import argparse
import json
import sys
from pathlib import Path

from inventory import db as database
from inventory import reports, service
from inventory.errors import DatabaseError, InventoryError
from inventory.formats import FORMATS, render
from inventory.transfer import from_document, to_document


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree."""
    parser = argparse.ArgumentParser(prog="inventory", description="Track items, suppliers and stock.")
    parser.add_argument("--db", type=Path, default=database.DEFAULT_PATH, help="data file (default inventory.json)")
    sub = parser.add_subparsers(dest="command", required=True)
    _supplier_commands(sub.add_parser("supplier", help="manage suppliers"))
    _item_commands(sub.add_parser("item", help="manage items"))
    for name in ("receive", "ship"):
        move = sub.add_parser(name, help=f"{name} stock")
        move.add_argument("sku")
        move.add_argument("qty")
        move.add_argument("--note", default="")
    _with_format(sub.add_parser("history", help="movements of one item")).add_argument("sku")
    report = sub.add_parser("report", help="stock reports")
    report_sub = report.add_subparsers(dest="report", required=True)
    _with_format(report_sub.add_parser("value", help="stock value per category"))
    _with_format(report_sub.add_parser("low", help="items at or below their reorder level"))
    sub.add_parser("export", help="print the whole database as JSON")
    imp = sub.add_parser("import", help="load a JSON export")
    imp.add_argument("file", type=Path)
    imp.add_argument("--replace", action="store_true", help="replace a non-empty database")
    return parser


def _with_format(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--format", choices=FORMATS, default="table")
    return parser


def _supplier_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add")
    add.add_argument("id")
    add.add_argument("name")
    add.add_argument("--email", default="")
    _with_format(sub.add_parser("list"))


def _item_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add")
    add.add_argument("sku")
    add.add_argument("name")
    add.add_argument("--category", required=True)
    add.add_argument("--cost", required=True)
    add.add_argument("--reorder", default="0", help="reorder level (default 0: never)")
    add.add_argument("--supplier", default="")
    listing = _with_format(sub.add_parser("list"))
    listing.add_argument("--category")


def run(args: argparse.Namespace, db: database.Database) -> tuple[str, bool]:
    """(output, whether the database changed)."""
    if args.command == "supplier":
        if args.action == "add":
            supplier = service.add_supplier(db, args.id, args.name, args.email)
            return f"added supplier {supplier.id}\n", True
        return render(reports.supplier_list(db), args.format), False
    if args.command == "item":
        if args.action == "add":
            item = service.add_item(db, args.sku, args.name, args.category, args.cost, args.reorder, args.supplier)
            return f"added item {item.sku}\n", True
        return render(reports.item_list(db, args.category), args.format), False
    if args.command in ("receive", "ship"):
        operation = service.receive if args.command == "receive" else service.ship
        return f"{args.sku}: {operation(db, args.sku, args.qty, args.note)} in stock\n", True
    if args.command == "history":
        return render(reports.history(db, args.sku), args.format), False
    if args.command == "report":
        table = reports.value_report(db) if args.report == "value" else reports.low_stock(db)
        return render(table, args.format), False
    if args.command == "export":
        return json.dumps(to_document(db.suppliers, db.items, db.movements), indent=2) + "\n", False
    return import_file(db, args.file, args.replace), True


def import_file(db: database.Database, path: Path, replace: bool) -> str:
    """Load an export into ``db`` (all or nothing)."""
    if not db.is_empty() and not replace:
        raise DatabaseError("the database is not empty; use --replace to overwrite it")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatabaseError(f"cannot import {path}: {exc}") from None
    db.suppliers, db.items, db.movements = from_document(document, source=str(path))
    return (f"imported {len(db.suppliers)} suppliers, {len(db.items)} items, "
            f"{len(db.movements)} movements\n")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        db = database.load(args.db)
        output, changed = run(args, db)
        if changed:
            database.save(db, args.db)
    except InventoryError as exc:
        print(f"inventory: {exc}", file=sys.stderr)
        return exc.exit_code
    sys.stdout.write(output)
    return 0

"""The command line: argument parsing and dispatch; errors become one line and an exit status."""

import argparse
import json
import sys
from pathlib import Path

from inventory import db as database
from inventory import reports, service
from inventory.errors import DatabaseError, InventoryError
from inventory.formats import FORMATS, render
from inventory.models import DEFAULT_LOCATION
from inventory.transfer import from_document, to_document


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree."""
    parser = argparse.ArgumentParser(prog="inventory", description="Track items, suppliers and stock.")
    parser.add_argument("--db", type=Path, default=database.DEFAULT_PATH, help="data file (default inventory.json)")
    sub = parser.add_subparsers(dest="command", required=True)
    _supplier_commands(sub.add_parser("supplier", help="manage suppliers"))
    _item_commands(sub.add_parser("item", help="manage items"))
    for name in ("receive", "ship"):
        movement = sub.add_parser(name, help=f"{name} stock")
        movement.add_argument("sku")
        movement.add_argument("qty")
        movement.add_argument("--note", default="")
        movement.add_argument("--location", default=DEFAULT_LOCATION)
    adjust = sub.add_parser("adjust", help="record a stock-take count")
    adjust.add_argument("sku")
    adjust.add_argument("count")
    adjust.add_argument("--note", default="")
    adjust.add_argument("--location", default=DEFAULT_LOCATION)
    move = sub.add_parser("move", help="transfer stock between locations")
    for name in ("sku", "qty", "source", "target"):
        move.add_argument(name)
    _with_format(sub.add_parser("stock", help="quantity per location of one item")).add_argument("sku")
    _with_format(sub.add_parser("history", help="movements of one item")).add_argument("sku")
    report = sub.add_parser("report", help="stock reports")
    report_sub = report.add_subparsers(dest="report", required=True)
    _with_format(report_sub.add_parser("value", help="stock value per category"))
    _with_format(report_sub.add_parser("low", help="items at or below their reorder level"))
    _with_format(report_sub.add_parser("movement", help="units received and shipped per item"))
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
    update = sub.add_parser("update")
    update.add_argument("sku")
    update.add_argument("--cost")
    update.add_argument("--reorder")
    update.add_argument("--supplier", help="a supplier id, or - to clear it")


REPORTS = {"value": reports.value_report, "low": reports.low_stock, "movement": reports.movement_report}


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
        if args.action == "update":
            item = service.update_item(db, args.sku, args.cost, args.reorder, args.supplier)
            return f"updated item {item.sku}\n", True
        return render(reports.item_list(db, args.category), args.format), False
    if args.command in ("receive", "ship", "adjust", "move", "stock"):
        return run_stock_command(args, db)
    if args.command == "history":
        return render(reports.history(db, args.sku), args.format), False
    if args.command == "report":
        return render(REPORTS[args.report](db), args.format), False
    if args.command == "export":
        return json.dumps(to_document(db.suppliers, db.items, db.movements), indent=2) + "\n", False
    return import_file(db, args.file, args.replace), True


def run_stock_command(args: argparse.Namespace, db: database.Database) -> tuple[str, bool]:
    """receive, ship, adjust, move and stock: the location-aware commands."""
    if args.command == "stock":
        return render(reports.stock_by_location(db, args.sku), args.format), False
    if args.command == "move":
        moved = service.move(db, args.sku, args.qty, args.source, args.target)
        return f"{args.sku}: moved {moved} from {args.source} to {args.target}\n", True
    if args.command == "adjust":
        counted = service.adjust(db, args.sku, args.count, args.note, args.location)
        if counted is None:
            return f"{args.sku}: no change\n", True
        return f"{args.sku}: {counted} in stock at {args.location}\n", True
    operation = service.receive if args.command == "receive" else service.ship
    on_hand = operation(db, args.sku, args.qty, args.note, args.location)
    return f"{args.sku}: {on_hand} in stock at {args.location}\n", True


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

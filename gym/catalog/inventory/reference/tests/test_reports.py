from decimal import Decimal

from inventory.formats import render
from inventory.reports import low_stock, value_report


def test_value_report_totals_per_category_exactly(small_db):
    _, rows = value_report(small_db)
    assert rows == [["hardware", 1, 30, Decimal("3.00")], ["tools", 1, 2, Decimal("90.00")],
                    ["TOTAL", 2, 32, Decimal("93.00")]]


def test_low_stock_names_the_supplier(small_db):
    _, rows = low_stock(small_db)
    assert rows == [["A-1", "Bolt", 30, 50, "Acme Ltd", "sales@acme.test"]]


def test_table_right_aligns_numbers():
    text = render((["name", "qty"], [["a", 5], ["bb", 10]]), "table")
    assert text == "name  qty\n----  ---\na       5\nbb     10\n"

import json
from decimal import Decimal

from invoice.order import Line, Order
from invoice.render_json import render_json


def test_json_totals_match_the_text_rules():
    order = Order("1", "c", [Line("x", 3, Decimal("10.25"))], {"amount": "0.75"}, "0.10")
    data = json.loads(render_json(order))
    assert (data["subtotal"], data["discount"], data["tax"], data["total"]) == ("30.75", "0.75", "3.00", "33.00")

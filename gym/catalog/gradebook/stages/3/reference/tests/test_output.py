import json

from grades.output import as_csv, as_json


def test_csv_and_json_share_rounding_and_letters():
    results = {"ann": 87.54, "bob": 59.96}
    assert as_csv(results) == "student,percent,letter\nann,87.5,B\nbob,60.0,F\n"
    assert json.loads(as_json(results))[0] == {"student": "ann", "percent": 87.5, "letter": "B"}

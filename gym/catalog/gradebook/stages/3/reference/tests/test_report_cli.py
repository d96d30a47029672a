"""The report command end to end on a small file."""

import json

from grades.__main__ import main

CSV = "student,category,assignment,score,max\nann,homework,h1,9,10\nann,exam,e1,46,50\nbob,homework,h1,5,10\n"


def test_weighted_report_as_json(tmp_path, capsys):
    path = tmp_path / "g.csv"
    path.write_text(CSV)
    assert main(["report", str(path), "--weights", "homework=30,exam=70", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"student": "ann", "percent": 91.4, "letter": "A"},
                    {"student": "bob", "percent": 50.0, "letter": "F"}]


def test_missing_weight_is_exit_2_with_one_line(tmp_path, capsys):
    path = tmp_path / "g.csv"
    path.write_text(CSV)
    assert main(["report", str(path), "--weights", "exam=1"]) == 2
    assert capsys.readouterr().err == "grades: no weight for category 'homework'\n"

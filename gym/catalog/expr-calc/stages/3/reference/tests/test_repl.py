import io

from calc.repl import run_session


def test_names_persist_between_lines_and_errors_continue():
    out, err = io.StringIO(), io.StringIO()
    status = run_session(io.StringIO("x = 2\n\n1 / 0\nx * 5\n"), out, err)
    assert out.getvalue() == "2\n10\n"
    assert err.getvalue() == "error: division by zero\n"
    assert status == 3

from csvstats.grouping import group_columns


def test_groups_are_sorted_and_leave_out_the_key_column():
    cols = {"team": ["red", "blue", "red"], "score": ["3", "5", "4"]}
    assert group_columns(cols, "team") == {"blue": {"score": ["5"]}, "red": {"score": ["3", "4"]}}

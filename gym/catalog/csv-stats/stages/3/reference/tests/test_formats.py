from csvstats import formats
from csvstats.stats import summarize


def test_every_format_module_renders_plain_and_grouped():
    summaries = {"x": summarize([1.0, 3.0])}
    for name, module in formats.REGISTRY.items():
        assert module.render(summaries), name
        assert "g" in module.render_grouped({"g": summaries}), name


def test_text_format_line():
    assert formats.get("text").render({"x": summarize([1.0, 3.0])}) == (
        "x: count=2 sum=4.00 mean=2.00 median=2.00 min=1.00 max=3.00 stdev=1.41\n")

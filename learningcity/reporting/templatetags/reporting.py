from django import template
from django.utils.safestring import mark_safe

from learningcity.core import charts

from ..documents.word import cell_text

register = template.Library()


@register.filter
def chart_svg(chart: dict) -> str:
    """A drafted chart as the same server-rendered SVG the indicator pages use."""
    bars = [
        charts.Bar(
            str(label),
            value if isinstance(value, int | float) else None,
            "<5 / \u2013" if value is None else cell_text(value),
        )
        for label, value in chart["bars"]
    ]
    return mark_safe(charts.bar_chart(chart["title"], bars))  # noqa: S308 - built by core.charts, escaped there


@register.filter
def cell(value) -> str:
    return cell_text(value)

"""The rows of the dashboard's tables, written in one pass (issue 17, item 5): a city's page has hundreds of cells,
each of which a template loop would resolve, test and escape node by node. The same HTML as the loop it replaces
(tests/test_views.py compares it with the loop's)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _name(label, href: str) -> str:
    label = conditional_escape(label)
    return f'<a href="{conditional_escape(href)}">{label}</a>' if href else label


@register.simple_tag
def table_rows(table) -> SafeString:
    """`<tr>` per row of a people or programme table: its name (a link to the area), learners, population and rate
    (tables with population), hours."""
    out = []
    for r in table.rows:
        middle = (
            f'<td class="num">{conditional_escape(r.population_text)}</td>'
            f'<td class="num">{conditional_escape(r.rate_text)}</td>'
            if table.with_population
            else ""
        )
        out.append(
            f'<tr><th scope="row">{_name(r.label, r.href)}</th>'
            f'<td class="num">{conditional_escape(r.learners_text)}</td>{middle}'
            f'<td class="num">{conditional_escape(r.hours_text)}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above


@register.simple_tag
def ranking_rows(ranking) -> SafeString:
    """`<tr>` per group of the ranking: where, group, learners, population, rate, gap and parity index."""
    texts: dict[tuple, str] = {}  # gaps and parity indices repeat: each written once

    def number(value, digits: int) -> str:
        text = texts.get((value, digits))
        if text is None:
            text = texts[(value, digits)] = conditional_escape(floatformat(value, digits))
        return text

    out = [
        f"<tr><td>{_name(r.label, r.href)}</td><td>{conditional_escape(r.group)}</td>"
        f'<td class="num">{conditional_escape(r.learners)}</td><td class="num">{conditional_escape(r.population)}</td>'
        f'<td class="num">{number(r.rate, 1)}%</td><td class="num">{number(r.gap, 2)}</td>'
        f'<td class="num">{number(r.parity, 2)}</td></tr>'
        for r in ranking
    ]
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above

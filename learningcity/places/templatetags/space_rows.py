"""The back office's table of spaces written by one tag (issue 17): a template loop resolved, escaped and rendered
four cells a row node by node, about 13 % of the page's CPU for its 25 rows."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def staff_space_rows(rows):
    """`<tr>` for each row of `places.selectors.staff_list_rows`: the name linked to its edit page (relative to
    manage/spaces/), type, area and status, every value escaped."""
    return format_html_join(
        "",
        '<tr><td><a href="{}/">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>\n',
        ((row["id"], row["name"], row["type"], row["area"], row["status"]) for row in rows),
    )

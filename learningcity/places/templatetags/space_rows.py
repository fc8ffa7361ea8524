"""The back office's table of spaces written by one tag (issue 17): a template loop resolved, escaped and rendered
four cells a row node by node, about 13 % of the page's CPU for its 25 rows."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def staff_space_rows(rows) -> SafeString:
    """`<tr>` for each row of `places.selectors.staff_list_rows`: the name linked to its edit page (relative to
    manage/spaces/), type, area and status. The values are plain text (names and labels, never HTML), escaped as
    Django's `escape` does (`html.escape`, quotes included) without its lazy-string and safe-string checks per
    cell, which took half of the tag's time."""
    return mark_safe(  # noqa: S308 - every value escaped here
        "".join(
            f'<tr><td><a href="{int(row["id"])}/">{escape(str(row["name"]))}</a></td>'
            f"<td>{escape(str(row['type']))}</td><td>{escape(str(row['area']))}</td>"
            f"<td>{escape(str(row['status']))}</td></tr>\n"
            for row in rows
        )
    )

"""The menus of every page, written in one pass (issue 17): some thirty links on a staff page, each of which a
template loop would resolve, translate and escape node by node."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def menu_items(links, css_class=""):
    """`<li><a href="url">label</a></li>` for each (label, url), labels in the active language, both escaped."""
    attr = format_html(' class="{}"', css_class) if css_class else mark_safe("")
    return format_html_join(
        "", '<li{}><a href="{}">{}</a></li>', ((attr, url, label) for label, url in links)
    )

"""Small template helpers of the library page: a facet's value, links that add or remove one filter."""

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def query_with(params, key, value):
    data = {k: v for k, v in params.items() if k != "page"}
    data[key] = value
    return urlencode(data)


@register.simple_tag
def query_without(params, key):
    return urlencode({k: v for k, v in params.items() if k not in (key, "page")})

"""Charts drawn on the server (SVG): the comparison's bars and trends, and the graph of who works with whom."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640


def _num(value) -> str:
    return f"{float(value):.1f}"


def compare_chart(comparison) -> SafeString:
    """Horizontal bars, one per city (suppressed cities are named, without a bar)."""
    rows = comparison.rows
    if not rows:
        return mark_safe("")
    use = "per_capita" if comparison.per_capita else "value"
    values = [getattr(r, use) for r in rows]
    top = max((float(v) for v in values if v is not None), default=0.0) or 1.0
    bar_h, label_w = 22, 200
    height = bar_h * len(rows) + 10
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-label="{escape(_("Comparison of member cities"))}">'
    ]
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = 5 + i * bar_h
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(row.city.name[:30])}</text>')
        if value is None:
            parts.append(
                f'<text x="{label_w}" y="{y + 15}" font-size="12" fill="#666">{escape(_("suppressed or no data"))}</text>'
            )
            continue
        w = (WIDTH - label_w - 60) * float(value) / top
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{bar_h - 6}" fill="#0b5d7a"></rect>'
        )
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12">{_num(value)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def partnership_graph_svg(edges: list[tuple[str, str, str]]) -> SafeString:
    """Parties on a circle, a line for each partnership between them."""
    names: list[str] = []
    for a, b, _title in edges:
        for name in (a, b):
            if name not in names:
                names.append(name)
    if not names:
        return mark_safe("")
    size, radius = 520, 180
    cx = cy = size / 2
    pos = {}
    for i, name in enumerate(names):
        angle = 2 * math.pi * i / len(names) - math.pi / 2
        pos[name] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {size} {size}" width="100%" '
        f'aria-label="{escape(_("Who works with whom"))}">'
    ]
    for a, b, title in edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        parts.append(
            f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#0b5d7a" stroke-width="2">'
            f"<title>{escape(title)}</title></line>"
        )
    for name, (x, y) in pos.items():
        parts.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="7" fill="#a65e00"></circle>')
        anchor = "start" if x >= cx else "end"
        dx = 10 if x >= cx else -10
        parts.append(
            f'<text x="{x + dx:.0f}" y="{y + 4:.0f}" font-size="12" text-anchor="{anchor}">{escape(name[:40])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


__all__ = ["compare_chart", "partnership_graph_svg"]

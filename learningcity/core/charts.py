"""Charts drawn on the server as SVG: the same drawing serves the page, the export and a report.

No script, no inline style (the CSP forbids them): only SVG presentation attributes. Each chart has a <title>
and <desc>, and the page shows the same numbers in a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

BAR = "#0b5d7a"
HIDDEN = "#9aa7b0"
REFERENCE = "#a4001d"


@dataclass
class Bar:
    label: str
    value: float | None
    text: str  # what is written at the end of the bar ("<5", "12.5%", "no data")


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def bar_chart(
    title: str,
    bars: list[Bar],
    *,
    reference: float | None = None,
    reference_label: str = "",
    width: int = 560,
) -> str:
    """Horizontal bars, one per row; hidden (suppressed) values are drawn as a grey stub."""
    row_h, label_w, pad = 26, 170, 8
    height = pad * 2 + row_h * max(len(bars), 1) + (18 if reference is not None else 0)
    top = max([b.value for b in bars if b.value is not None] + [reference or 0, 0]) or 1
    plot_w = width - label_w - 70
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="t">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = pad + i * row_h
        label = bar.label if len(bar.label) <= 26 else bar.label[:25] + "…"
        out.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="12" fill="#1b1f24">{escape(label)}</text>'
        )
        if bar.value is None:
            out.append(f'<rect x="{label_w}" y="{y + 5}" width="6" height="16" fill="{HIDDEN}"/>')
            out.append(
                f'<text x="{label_w + 12}" y="{y + 17}" font-size="12" fill="#4a5560">{escape(bar.text)}</text>'
            )
            continue
        w = max(1.0, bar.value / top * plot_w)
        out.append(f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="16" fill="{BAR}"/>')
        out.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" font-size="12" fill="#1b1f24">{escape(bar.text)}</text>'
        )
    if reference is not None:
        x = label_w + reference / top * plot_w
        y2 = pad + row_h * len(bars)
        out.append(
            f'<line x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{y2}" stroke="{REFERENCE}" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{y2 + 14}" font-size="11" fill="{REFERENCE}" text-anchor="middle">'
            f"{escape(reference_label)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


@dataclass
class MapPoint:
    label: str
    lat: float
    lon: float
    value: float | None  # a rate; None = hidden or no data
    text: str
    href: str = ""


def _colour(value: float | None, reference: float | None) -> str:
    if value is None or reference is None or reference <= 0:
        return HIDDEN
    ratio = value / reference
    if ratio < 0.5:
        return "#a4001d"
    if ratio < 0.9:
        return "#e07b00"
    return "#1d6b2f"


def area_map(
    title: str, points: list[MapPoint], *, reference: float | None, width: int = 560, height: int = 360
) -> str:
    """Area centres placed by longitude and latitude; colour says how far the rate falls below the city's:
    red (< half), orange (< 90%), green (at or above 90%), grey (hidden or no data)."""
    pts = [p for p in points if p.lat is not None and p.lon is not None]
    # With links to the areas the map is a group of links, not an image (an image's content is not operable).
    role = f'role="group" aria-label="{_attr(title)}"' if any(p.href for p in pts) else 'role="img"'
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart map" viewBox="0 0 {width} {height}" '
        f'width="100%" {role}>',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f2f6f8"/>',
    ]
    if pts:
        lats = [p.lat for p in pts]
        lons = [p.lon for p in pts]
        lat0, lat1 = min(lats), max(lats)
        lon0, lon1 = min(lons), max(lons)
        span_lat = (lat1 - lat0) or 0.01
        span_lon = (lon1 - lon0) or 0.01
        margin = 50
        for p in pts:
            x = margin + (p.lon - lon0) / span_lon * (width - 2 * margin)
            y = height - margin - (p.lat - lat0) / span_lat * (height - 2 * margin)
            circle = (
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="12" fill="{_colour(p.value, reference)}" '
                f'stroke="#fff" stroke-width="2"><title>{escape(p.label)}: {escape(p.text)}</title></circle>'
                f'<text x="{x:.1f}" y="{y + 26:.1f}" font-size="11" text-anchor="middle" fill="#1b1f24">'
                f"{escape(p.label[:22])} · {escape(p.text)}</text>"
            )
            if p.href:
                circle = (
                    f'<a href="{_attr(p.href)}" aria-label="{_attr(p.label)}: {_attr(p.text)}">{circle}</a>'
                )
            out.append(circle)
    out.append("</svg>")
    return "".join(out)

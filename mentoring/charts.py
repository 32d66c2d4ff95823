"""Server-rendered SVG charts of ratings over time: no script, nothing from the internet."""

import datetime as dt

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import RATING_ACCEPTABLE, RATING_MAX, RATING_MIN


def _y(value: float, top: float, height: float) -> float:
    return top + height * (RATING_MAX - value) / (RATING_MAX - RATING_MIN)


def ratings_chart(points: list[tuple[dt.date, float]], *, width: int = 480, height: int = 200) -> SafeString:
    """A line of the average rating per shift, oldest left, with the acceptable level (4) dashed."""
    left, right, top, bottom = 30, 12, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    title = _("Average rating per shift")
    parts = [
        f'<svg class="ratings-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    for level in range(RATING_MIN, RATING_MAX + 1):
        y = _y(level, top, plot_h)
        dash = ' stroke-dasharray="5 4"' if level == RATING_ACCEPTABLE else ""
        colour = "#1e6b34" if level == RATING_ACCEPTABLE else "#d5dae1"
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{colour}"{dash}/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="13" text-anchor="end" fill="#545b66">{level}</text>')
    if points:
        step = plot_w / max(len(points) - 1, 1)
        coords = [
            (left + (i * step if len(points) > 1 else plot_w / 2), _y(value, top, plot_h))
            for i, (_d, value) in enumerate(points)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1f4e9c" stroke-width="2"/>')
        radius = 3 if len(points) <= 40 else 2
        for (x, y), (day, value) in zip(coords, points, strict=True):
            label = f"{day:%Y-%m-%d}: {value:.1f}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="#1f4e9c"><title>{escape(label)}</title></circle>'
            )
        first, last = points[0][0], points[-1][0]
        parts.append(f'<text x="{left}" y="{height - 6}" font-size="13" fill="#545b66">{first:%m-%d}</text>')
        parts.append(
            f'<text x="{width - right}" y="{height - 6}" font-size="13" text-anchor="end" fill="#545b66">{last:%m-%d}</text>'
        )
    else:
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" text-anchor="middle" fill="#545b66">{}</text>',
                width // 2, height // 2, _("No ratings yet"),
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — numbers and escaped text only


def sparkline(values: list[int], *, width: int = 96, height: int = 24) -> SafeString:
    """A small line of one competency's ratings, for the progress table."""
    if not values:
        return mark_safe("")
    step = (width - 4) / max(len(values) - 1, 1)
    coords = " ".join(
        f"{2 + i * step:.1f},{_y(v, 2, height - 4):.1f}" for i, v in enumerate(values)
    )
    y4 = _y(RATING_ACCEPTABLE, 2, height - 4)
    return mark_safe(
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-hidden="true" '
        f'xmlns="http://www.w3.org/2000/svg"><line x1="0" y1="{y4:.1f}" x2="{width}" y2="{y4:.1f}" stroke="#1e6b34" '
        f'stroke-dasharray="3 3"/><polyline points="{coords}" fill="none" stroke="#1f4e9c" stroke-width="1.5"/></svg>'
    )

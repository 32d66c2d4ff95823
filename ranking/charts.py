"""The trend chart, drawn on the server as SVG: no script, nothing from the internet.

Sized for a phone first: the viewBox is about as wide as a phone's screen, so
its text stays readable when the chart fills the width.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def _short(code: str) -> str:
    """2026Q3 -> 26Q3, 2026-07 -> 26-07: period labels that fit under a bar on a phone."""
    return code[2:] if len(code) > 4 else code


def trend_chart(points, *, width: int = 360, height: int = 230) -> SafeString:
    """Rank per period as a line (1 at the top), points as bars; oldest period on the left.

    Periods before the first ranked one are left out.
    """
    left, right, top, bottom = 34, 34, 24, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    title = _("Rank and points per period")
    parts = [
        f'<svg class="trend-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet" font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    # Labels outside the f-strings: makemessages does not look inside them.
    no_ranking, rank_label, points_label = _("No ranking yet"), _("Rank"), _("Points")
    first = next((i for i, p in enumerate(points) if p.rank is not None), None)
    if first is None:
        parts.append(
            f'<text x="{width // 2}" y="{height // 2}" font-size="14" text-anchor="middle" fill="#545b66">'
            f"{escape(no_ranking)}</text></svg>"
        )
        return mark_safe("".join(parts))  # noqa: S308 — numbers and escaped text only
    points = points[first:]
    ranked = [p for p in points if p.rank is not None]
    worst = max(max(p.rank for p in ranked) + 1, 5)
    values = [float(p.points) for p in ranked]
    high, low = max(max(values), 0.0), min(min(values), 0.0)
    span = (high - low) or 1.0
    step = plot_w / len(points)

    def y_rank(rank):
        return top + plot_h * (rank - 1) / (worst - 1)

    def y_points(value):
        return top + plot_h * (high - value) / span

    parts.append(f'<text x="4" y="14" font-size="12" fill="#1f4e9c">{escape(rank_label)}</text>')
    parts.append(f'<text x="{width - 4}" y="14" font-size="12" text-anchor="end" fill="#8a6d1d">{escape(points_label)}</text>')
    for rank in sorted({1, (worst + 1) // 2, worst}):
        y = y_rank(rank)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d5dae1"/>')
        parts.append(f'<text x="{left - 5}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="#1f4e9c">{rank}</text>')
    for value in sorted({high, low}):
        y = y_points(value)
        parts.append(f'<text x="{width - right + 5}" y="{y + 4:.1f}" font-size="12" fill="#8a6d1d">{value:g}</text>')
    zero = y_points(0.0)
    coords = []
    for i, p in enumerate(points):
        x = left + step * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{height - 12}" font-size="12" text-anchor="middle" fill="#545b66">{escape(_short(p.period.code))}</text>'
        )
        if p.rank is None:
            continue
        y = y_points(float(p.points))
        tip = _("%(period)s: rank %(rank)s of %(of)s, %(points)s points") % {
            "period": p.period.label, "rank": p.rank, "of": p.of, "points": f"{p.points.normalize():f}"}
        parts.append(
            f'<rect x="{x - step * 0.3:.1f}" y="{min(y, zero):.1f}" width="{step * 0.6:.1f}" '
            f'height="{max(abs(zero - y), 1):.1f}" fill="#f2c14e" fill-opacity="0.5"><title>{escape(tip)}</title></rect>'
        )
        coords.append((x, y_rank(p.rank), tip, p.rank))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _t, _r in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1f4e9c" stroke-width="2.5"/>')
    for x, y, tip, rank in coords:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#1f4e9c"><title>{escape(tip)}</title></circle>')
        parts.append(
            f'<text x="{x:.1f}" y="{y - 9:.1f}" font-size="13" font-weight="700" text-anchor="middle" fill="#1f4e9c">{rank}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — numbers and escaped text only

"""The trend chart, drawn on the server as SVG: no script, nothing from the internet."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def trend_chart(points, *, width: int = 560, height: int = 240) -> SafeString:
    """Rank per period (1 at the top) as a line, points as bars behind it; periods left to right."""
    left, right, top, bottom = 40, 44, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    title = _("Rank and points per period")
    parts = [
        f'<svg class="trend-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    ranked = [p for p in points if p.rank is not None]
    if not points or not ranked:
        parts.append(
            f'<text x="{width // 2}" y="{height // 2}" font-size="14" text-anchor="middle" fill="#545b66">'
            f"{escape(_('No ranking yet'))}</text></svg>"
        )
        return mark_safe("".join(parts))  # noqa: S308 — numbers and escaped text only
    worst = max(max(p.of for p in points), 2)
    values = [float(p.points) for p in ranked]
    high, low = max(max(values), 0.0), min(min(values), 0.0)
    span = (high - low) or 1.0
    step = plot_w / len(points)

    def y_rank(rank):
        return top + plot_h * (rank - 1) / (worst - 1)

    def y_points(value):
        return top + plot_h * (high - value) / span

    for rank in sorted({1, (worst + 1) // 2, worst}):
        y = y_rank(rank)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d5dae1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="#1f4e9c">{rank}</text>')
    zero = y_points(0.0)
    parts.append(f'<text x="{width - right + 6}" y="{top + 10}" font-size="12" fill="#8a6d1d">{escape(_("points"))}</text>')
    coords = []
    for i, p in enumerate(points):
        x = left + step * (i + 0.5)
        label = p.period.code
        parts.append(f'<text x="{x:.1f}" y="{height - 14}" font-size="12" text-anchor="middle" fill="#545b66">{escape(label)}</text>')
        if p.rank is None:
            continue
        y = y_points(float(p.points))
        bar_top, bar_h = min(y, zero), abs(zero - y)
        tip = _("%(period)s: rank %(rank)s of %(of)s, %(points)s points") % {
            "period": p.period.label, "rank": p.rank, "of": p.of, "points": p.points}
        parts.append(
            f'<rect x="{x - step * 0.3:.1f}" y="{bar_top:.1f}" width="{step * 0.6:.1f}" height="{max(bar_h, 1):.1f}" '
            f'fill="#f2c14e" fill-opacity="0.45"><title>{escape(tip)}</title></rect>'
        )
        parts.append(f'<text x="{x:.1f}" y="{bar_top - 3:.1f}" font-size="11" text-anchor="middle" fill="#8a6d1d">{p.points.normalize():f}</text>')
        coords.append((x, y_rank(p.rank), tip, p.rank))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _t, _r in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1f4e9c" stroke-width="2.5"/>')
    for x, y, tip, rank in coords:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#1f4e9c"><title>{escape(tip)}</title></circle>')
        parts.append(f'<text x="{x + 8:.1f}" y="{y + 4:.1f}" font-size="12" font-weight="700" fill="#1f4e9c">{rank}</text>')
    parts.append(f'<text x="{left - 34}" y="{top + 4}" font-size="12" fill="#1f4e9c">{escape(_("rank"))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — numbers and escaped text only

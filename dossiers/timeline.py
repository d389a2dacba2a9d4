"""The dossier's stories over time, drawn as a server-rendered SVG bar chart (no script, no CDN)."""

from datetime import date
from html import escape

WIDTH, HEIGHT, PAD_X, PAD_TOP, PAD_BOTTOM = 720, 180, 32, 16, 36


def month_label(month: date) -> str:
    return month.strftime("%b %Y")


def months_between(first: date, last: date) -> list[date]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def timeline_svg(counts: list[tuple[date, int]]) -> str:
    """One bar per month from the first story to the last, empty months included."""
    if not counts:
        return ""
    by_month = {m.replace(day=1): n for m, n in counts}
    months = months_between(min(by_month), max(by_month))[-240:]  # at most 20 years
    peak = max(by_month.values())
    step = (WIDTH - 2 * PAD_X) / len(months)
    bars, labels = [], []
    label_every = max(1, len(months) // 8)
    for i, month in enumerate(months):
        count = by_month.get(month, 0)
        height = (HEIGHT - PAD_TOP - PAD_BOTTOM) * count / peak
        x, y = PAD_X + i * step, HEIGHT - PAD_BOTTOM - height
        title = f"{month_label(month)}: {count} stor{'y' if count == 1 else 'ies'}"
        bars.append(
            f'<rect class="timeline__bar" x="{x + step * 0.1:.1f}" y="{y:.1f}" width="{step * 0.8:.1f}" '
            f'height="{height:.1f}"><title>{escape(title)}</title></rect>'
        )
        if i % label_every == 0:
            labels.append(
                f'<text class="timeline__label" x="{x + step / 2:.1f}" y="{HEIGHT - 12}" '
                f'text-anchor="middle">{escape(month_label(month))}</text>'
            )
    summary = f"Stories per month, {month_label(months[0])} to {month_label(months[-1])}, at most {peak} a month."
    return (
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(summary)}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<line class="timeline__axis" x1="{PAD_X}" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH - PAD_X}" '
        f'y2="{HEIGHT - PAD_BOTTOM}"/>{"".join(bars)}{"".join(labels)}</svg>'
    )

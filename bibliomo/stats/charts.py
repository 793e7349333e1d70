"""Charts as SVG drawn on the server with pygal: no script, no CDN, crisp when printed.

The SVG is sent as a file of its own and shown with <img>, so the page's strict
Content-Security-Policy is untouched (pygal styles its drawing inside the SVG).
"""

from __future__ import annotations

import re

import pygal
from pygal.style import Style

_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545"),
    font_family="DejaVu Sans, Arial, sans-serif",
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=14,
    legend_font_size=16,
    title_font_size=19,
)


def _config(**extra):
    return {
        "style": _STYLE,
        "js": [],  # no tooltips script: the chart must work without JavaScript and on paper
        "disable_xml_declaration": False,
        "print_values": True,
        "print_zeroes": False,
        "legend_at_bottom": True,
        "width": 900,
        "no_data_text": "Нет данных",
        **extra,
    }


_SCRIPT = re.compile(rb"<script\b.*?</script>", re.S)


def _render(chart) -> bytes:
    # pygal always embeds its configuration for the tooltips script; an image needs none.
    return _SCRIPT.sub(b"", chart.render())


def _number(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:.1f}" if value % 1 else f"{int(value)}"
    return text.replace(".", ",")


def bars_by_school(title: str, values: list[tuple[str, float | None]], unit: str = "") -> bytes:
    """A horizontal bar per school, with the value written at its end."""
    chart = pygal.HorizontalBar(
        **_config(
            title=title,
            show_legend=False,
            height=max(300, 90 + 40 * len(values)),
            value_formatter=lambda v: f"{_number(v)}{unit}",
        )
    )
    # pygal draws the first bar at the bottom: reversed, the list reads from the top.
    values = list(reversed(values))
    chart.x_labels = [name for name, _ in values]
    chart.add(title, [v for _, v in values])
    return _render(chart)


def lines_over_years(title: str, labels: list[str], series: dict[str, list[float | None]]) -> bytes:
    chart = pygal.Line(
        **_config(
            title=title,
            height=380,
            dots_size=4,
            value_formatter=_number,
            include_x_axis=True,
            show_legend=len(series) > 1,
            margin_right=50,  # room for the last point's value
        )
    )
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return _render(chart)

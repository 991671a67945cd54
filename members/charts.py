"""Geometry for the server-rendered SVG bar charts (no JavaScript; they print as they are)."""

from dataclasses import dataclass
from decimal import Decimal

LABEL_WIDTH = 150
VALUE_WIDTH = 110
BAR_HEIGHT = 18
GAP = 6
WIDTH = 720


@dataclass
class Bar:
    label: str
    value: Decimal | int | None
    x: int
    y: int
    width: float
    height: int
    text_y: int
    value_x: float


@dataclass
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    label_width: int


def horizontal_bars(items: list[tuple[str, Decimal | int | None]]) -> BarChart:
    """One bar per item, scaled to the largest value; missing values get no bar."""
    largest = max((value for _label, value in items if value), default=0)
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = float(value) / float(largest) * plot_width if value and largest else 0.0
        bars.append(
            Bar(
                label=label, value=value, x=LABEL_WIDTH, y=y, width=round(length, 1),
                height=BAR_HEIGHT, text_y=y + BAR_HEIGHT - 4,
                value_x=round(LABEL_WIDTH + length + 6, 1),
            )
        )  # fmt: skip
    height = GAP + len(items) * (BAR_HEIGHT + GAP)
    return BarChart(width=WIDTH, height=max(height, BAR_HEIGHT + 2 * GAP), bars=bars,
                    label_width=LABEL_WIDTH - 8)  # fmt: skip

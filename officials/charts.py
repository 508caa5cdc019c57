"""Server-rendered SVG bar charts (no JavaScript, no CDN): the geometry only, the template draws it.

A chart shows one to three series per month side by side; each comes with its data table and a text description
on the page."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 960, 260, 40, 24, 220
COLOURS = ["#0b4f9c", "#b35900", "#2d6a2d"]  # contrast ≥ 4.5:1 on white


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    title: str


@dataclass(frozen=True)
class Label:
    x: int
    text: str


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    labels: list[Label]
    legend: list[tuple[str, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - LEFT
    bottom: int = BOTTOM


def bar_chart(key: str, title: str, description: str, months: list[str],
              series: list[tuple[str, list[Decimal | int]]]) -> Chart:
    top = max((v for _name, values in series for v in values), default=0) or 1
    slot = (WIDTH - LEFT * 2) // max(len(months), 1)
    width = max((slot * 3 // 4) // max(len(series), 1), 2)
    bars, labels = [], []
    for i, month in enumerate(months):
        x0 = LEFT + i * slot + (slot - width * len(series)) // 2
        for j, (name, values) in enumerate(series):
            value = values[i]
            height = int((BOTTOM - TOP) * max(value, 0) / top)
            bars.append(Bar(x=x0 + j * width, y=BOTTOM - height, width=width, height=height,
                            colour=COLOURS[j % len(COLOURS)], title=f"{month} {name}: {value}"))
        labels.append(Label(x=x0 + width * len(series) // 2, text=month))
    step = max(1, len(labels) // 12)  # at most about 12 month labels under the axis
    return Chart(key=key, title=title, description=description, bars=bars, labels=labels[::step],
                 legend=[(COLOURS[j % len(COLOURS)], name) for j, (name, _v) in enumerate(series)])

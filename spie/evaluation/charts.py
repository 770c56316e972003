"""Accessible bar charts drawn as inline SVG (role="img", title and description); every chart is
followed in the page by a table with the same figures."""

from dataclasses import dataclass

WIDTH = 640
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 200
VALUE_WIDTH = 90


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: int
    text_x: int
    calculable: bool


def horizontal_bars(items, *, target=None):
    """`items`: (label, value or None, text). Lengths are proportional to the largest value (or the
    target, if larger); a vertical line marks the target."""
    values = [value for _, value, _ in items if value is not None]
    top = max([*values, target or 0, 1])
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value, text) in enumerate(items):
        width = int(plot * float(value) / float(top)) if value is not None else 0
        bars.append(
            Bar(
                label=label,
                text=text,
                y=index * (BAR_HEIGHT + GAP),
                width=max(width, 1) if value is not None else 0,
                text_x=LABEL_WIDTH + max(width, 1) + 6,
                calculable=value is not None,
            )
        )
    height = max(len(items), 1) * (BAR_HEIGHT + GAP)
    target_x = LABEL_WIDTH + int(plot * float(target) / float(top)) if target is not None else None
    return {
        "bars": bars,
        "width": WIDTH,
        "height": height + 4,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 6,
        "bar_height": BAR_HEIGHT,
        "text_dy": BAR_HEIGHT - 6,
        "target_x": target_x,
    }

"""Charts as inline SVG strings, built by hand: no JavaScript and no chart library, so a page
stays one self-contained response and every label goes through one escaping function.

Labels are drawn in a monospace font so their width is known without measuring text: a
character is ``CHAR_WIDTH`` of the font size wide, which is what the geometry is built on."""

from __future__ import annotations

import html
import re

CHAR_WIDTH = 0.6  # of the font size, for common monospace fonts
PAD = 4  # left margin, so no glyph touches the edge
ELLIPSIS = "…"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _text(value: str) -> str:
    """Escaped for element content and quoted attributes; control characters and lone
    surrogates (which no HTML or XML parser accepts) become U+FFFD."""
    return html.escape(_CONTROL.sub("\ufffd", value), quote=True)


def _number(value: float) -> str:
    """A coordinate without needless digits (``12``, ``12.5``)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def shorten(label: str, limit: int) -> str:
    """``label`` cut to ``limit`` characters, the last one an ellipsis when it was cut."""
    if len(label) <= limit:
        return label
    return label[: max(0, limit - 1)] + ELLIPSIS


def _open(title: str, description: str, width: float, height: float, font: int) -> str:
    """The ``<svg>`` element and its ``<title>``: the accessible name says what is shown."""
    return (
        f'<svg class="chart" role="img" aria-label="{_text(description)}" '
        f'xmlns="http://www.w3.org/2000/svg" width="{_number(width)}" '
        f'height="{_number(height)}" viewBox="0 0 {_number(width)} {_number(height)}" '
        f'font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" '
        f'font-size="{font}">'
        f"<title>{_text(title)}</title>"
        f'<text class="chart-title" x="{PAD}" y="{font + 2}" font-weight="bold">'
        f"{_text(title)}</text>"
    )


def bar_chart(
    title: str,
    rows: list[tuple[str, int]],
    *,
    width: int = 640,
    label_chars: int = 32,
    bar_height: int = 16,
    gap: int = 6,
    font: int = 12,
) -> str:
    """A horizontal bar chart: one row per (label, count), in the order given, each bar's
    length proportional to its count (the largest fills the plot). A label longer than
    ``label_chars`` is cut with an ellipsis; every row's ``<title>`` holds the full label and
    count, so a pointer hovering over it shows them. No rows gives a chart saying "no data"."""
    char = font * CHAR_WIDTH
    top = font * 2 + 4  # room for the visible title
    if not rows:
        height = top + bar_height + gap
        return (
            _open(title, f"{title}: no data", width, height, font)
            + f'<text class="no-data" x="{PAD}" y="{_number(top + bar_height - 4)}">no data</text>'
            + "</svg>"
        )
    counts = [max(0, count) for _, count in rows]
    labels = [shorten(label, label_chars) for label, _ in rows]
    label_width = PAD + max(len(label) for label in labels) * char + 8
    count_width = max(len(f"{count:,}") for count in counts) * char + 8
    plot = max(40.0, width - label_width - count_width)
    width = max(width, round(label_width + plot + count_width))
    largest = max(counts) or 1
    height = top + len(rows) * (bar_height + gap)
    summary = ", ".join(
        f"{label} {count:,}" for (label, _), count in zip(rows, counts, strict=True)
    )
    parts = [_open(title, f"{title}: {summary}", width, height, font)]
    for index, ((label, _), shown, count) in enumerate(zip(rows, labels, counts, strict=True)):
        y = top + index * (bar_height + gap)
        length = plot * count / largest
        if count and length < 1:
            length = 1.0  # a count that is not zero stays visible
        baseline = _number(y + bar_height / 2 + font * 0.35)
        parts.append(
            f'<g class="row"><title>{_text(label)}: {count:,}</title>'
            f'<text class="label" x="{_number(label_width - 8)}" y="{baseline}" '
            f'text-anchor="end">{_text(shown)}</text>'
            f'<rect class="bar" x="{_number(label_width)}" y="{_number(y)}" '
            f'width="{_number(length)}" height="{bar_height}"></rect>'
            f'<text class="count" x="{_number(label_width + length + 6)}" y="{baseline}">'
            f"{count:,}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)

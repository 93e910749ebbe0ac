"""The address-space map: where each VLAN's /64 sits inside the site prefix, as inline SVG.

The subnet IDs of the site prefix (the bits between its length and /64) are laid out row by row
as a square-ish grid: a /48 is 256 x 256 cells (each row one /56), a /56 is 16 x 16. Prefixes
shorter than /48 would need more cells than a screen has pixels, so each cell then holds a
power-of-two block of /64s. Only allocated /64s are drawn, over a light background for the
whole prefix; every text is escaped, since names come from the site file.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from ipaddress import IPv6Network

from dualstack.plan.model import VLAN_MODES, Plan, VlanMode, VlanPlan

GRID_PX = 512  # side of the grid, in SVG user units
LEFT, TOP, GAP = 170, 44, 24  # margins: row labels, column labels and caption, legend gap
LEGEND_W = 190
MIN_MARK = 10  # allocated cells smaller than this get a halo so they can be seen and hovered
LABEL_MIN = 22  # cells at least this big carry their VLAN id as text
MAX_SIDE_BITS = 8  # at most 256 x 256 cells
MODE_COLOURS = {
    "static": "#1e6fd9",
    "slaac": "#2e7d32",
    "dhcpv6": "#b45309",
    "slaac+dhcpv6": "#7c3aed",
}
OTHER_COLOUR = "#6b7280"  # a mode added to the planner later, until it gets its own colour


@dataclass(frozen=True, slots=True)
class Grid:
    """How the subnet IDs of ``prefix`` map to cells: ``shift`` low bits share one cell."""

    prefix: IPv6Network
    cols: int
    rows: int
    shift: int

    @property
    def cell(self) -> float:
        """Side of one cell, so the wider dimension fills GRID_PX."""
        return GRID_PX / max(self.cols, self.rows)

    def position(self, network: IPv6Network) -> tuple[float, float]:
        """Top-left corner of the cell holding ``network`` (a /64 inside the prefix)."""
        index = (int(network.network_address) - int(self.prefix.network_address)) >> 64
        index >>= self.shift
        return LEFT + (index % self.cols) * self.cell, TOP + (index // self.cols) * self.cell

    def row_prefix(self, row: int) -> IPv6Network:
        """The prefix one row of cells covers (a /56 for each row of a /48)."""
        span_bits = (self.cols.bit_length() - 1) + self.shift  # /64s per row, as bits
        start = int(self.prefix.network_address) + (row << (span_bits + 64))
        return IPv6Network((start, 64 - span_bits))


def grid_for(prefix: IPv6Network) -> Grid:
    """The grid for a site prefix: columns take the low half of the subnet-ID bits."""
    bits = 64 - prefix.prefixlen
    shift = max(0, bits - 2 * MAX_SIDE_BITS)
    shown = bits - shift
    return Grid(prefix, 1 << (shown - shown // 2), 1 << (shown // 2), shift)


def colour(mode: str) -> str:
    return MODE_COLOURS.get(mode, OTHER_COLOUR)


def _attrs(**values: object) -> str:
    """XML attributes, escaped; a trailing underscore is dropped and other ones become dashes
    (``class_`` -> class, ``fill_opacity`` -> fill-opacity)."""
    return " ".join(
        f'{k.rstrip("_").replace("_", "-")}="{escape(str(v), quote=True)}"'
        for k, v in values.items()
    )


def _tag(name: str, text: str | None = None, /, **attrs: object) -> str:
    """One element; ``text`` is escaped here, so no caller can forget."""
    head = " ".join([name, _attrs(**attrs)]) if attrs else name
    return f"<{head}/>" if text is None else f"<{head}>{escape(text)}</{name}>"


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _region(grid: Grid, v: VlanPlan) -> str:
    """One VLAN's /64: a group with a tooltip, its cell, and a halo when the cell is tiny."""
    assert v.ipv6 is not None
    x, y = grid.position(v.ipv6)
    size, fill = grid.cell, colour(v.vlan.ipv6)
    tip = [f"VLAN {v.vlan.id} {v.vlan.name}", v.ipv6.with_prefixlen, f"mode: {v.vlan.ipv6}"]
    if v.subnet_id is not None:
        tip.append(f"subnet ID: {v.subnet_id:#x}")
    parts = [_tag("title", "\n".join(tip))]
    if size < MIN_MARK:
        pad = (MIN_MARK - size) / 2
        halo = {"x": _num(x - pad), "y": _num(y - pad), "width": MIN_MARK, "height": MIN_MARK}
        paint = {"fill": fill, "fill_opacity": "0.45", "stroke": fill}
        parts.append(_tag("rect", class_="halo", **paint, **halo))
    box = {"x": _num(x), "y": _num(y), "width": _num(size), "height": _num(size)}
    parts.append(_tag("rect", class_="cell", fill=fill, **box))
    if size >= LABEL_MIN:
        centre = {"x": _num(x + size / 2), "y": _num(y + size / 2)}
        parts.append(_tag("text", str(v.vlan.id), class_="cell-label", **centre))
    group = _attrs(class_="vlan-region", data_vlan=v.vlan.id, data_mode=v.vlan.ipv6, tabindex=0)
    return f"<g {group}>{''.join(parts)}</g>"


def _background(grid: Grid) -> list[str]:
    """The whole prefix as a light square, with a guide line every sixteenth of the grid."""
    width, height = grid.cols * grid.cell, grid.rows * grid.cell
    box = {"x": LEFT, "y": TOP, "width": _num(width), "height": _num(height)}
    out = [_tag("rect", class_="prefix", fill="#f6f8fa", stroke="#d0d7de", **box)]
    step = max(1, max(grid.cols, grid.rows) // 16) * grid.cell
    across, down = round(width / step), round(height / step)
    lines = [f"M{_num(LEFT + i * step)} {TOP}v{_num(height)}" for i in range(1, across)]
    lines += [f"M{LEFT} {_num(TOP + i * step)}h{_num(width)}" for i in range(1, down)]
    if lines:
        out.append(_tag("path", class_="guides", d=" ".join(lines), stroke="#e5e9ee", fill="none"))
    return out


def _labels(grid: Grid) -> list[str]:
    """Row labels (the prefix each row covers) on up to nine rows, and column offsets on top."""
    every = max(1, grid.rows // 8)
    rows = sorted({*range(0, grid.rows, every), grid.rows - 1})
    out = [
        _tag(
            "text",
            grid.row_prefix(row).compressed,
            class_="axis",
            x=LEFT - 6,
            y=_num(TOP + (row + 0.5) * grid.cell),
            text_anchor="end",
        )
        for row in rows
    ]
    out += [
        _tag(
            "text",
            f"+{col << grid.shift:x}",
            class_="axis",
            x=_num(LEFT + (col + 0.5) * grid.cell),
            y=TOP - 14,
            text_anchor="middle",
        )
        for col in range(0, grid.cols, max(1, grid.cols // 8))
    ]
    return out


def _legend(vlans: list[VlanPlan]) -> list[str]:
    """A swatch per addressing mode (the planner's modes, then any others found), with counts."""
    modes: list[VlanMode] = [m for m in VLAN_MODES if m != "none"]
    modes += sorted({v.vlan.ipv6 for v in vlans} - set(modes))
    x = LEFT + GRID_PX + GAP
    out = [_tag("text", "addressing mode", class_="legend-title", x=x, y=TOP + 12)]
    for i, mode in enumerate(modes):
        y = TOP + 26 + i * 22
        count = sum(1 for v in vlans if v.vlan.ipv6 == mode)
        swatch = _tag("rect", x=x, y=y, width=14, height=14, fill=colour(mode))
        name = _tag("text", f"{mode} ({count})", x=x + 20, y=y + 11)
        out.append(f"<g {_attrs(class_='legend-item', data_mode=mode)}>{swatch}{name}</g>")
    return out


def _caption(plan: Plan, grid: Grid, allocated: int) -> str:
    """What the map shows, in words: the prefix, its size, the cell size, how much is used."""
    prefix = grid.prefix
    total = 1 << (64 - prefix.prefixlen)
    cells = f"{grid.cols} x {grid.rows} cells"
    if grid.shift:
        cells += f", each {1 << grid.shift:,} /64s"
    text = (
        f"{plan.site.info.name}: {prefix.with_prefixlen}, {total:,} /64s as {cells}; "
        f"{allocated} allocated"
    )
    return _tag("text", text, class_="caption", x=LEFT, y=14)


def address_map(plan: Plan) -> str:
    """The SVG map of the site prefix with one ``vlan-region`` group per VLAN that has a /64."""
    grid = grid_for(plan.site.info.ipv6_prefix)
    vlans = [v for v in plan.vlans if v.ipv6 is not None]
    width = LEFT + GRID_PX + GAP + LEGEND_W
    height = TOP + GRID_PX + 12
    label = f"Address map of {plan.site.info.ipv6_prefix.with_prefixlen}: {len(vlans)} VLAN /64s"
    svg = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        class_="address-map",
        viewBox=f"0 0 {width} {height}",
        role="img",
        aria_label=label,
    )
    body = [
        _tag("title", label),
        _caption(plan, grid, len(vlans)),
        *_background(grid),
        *_labels(grid),
        *(_region(grid, v) for v in vlans),
        *_legend(vlans),
    ]
    return f"<svg {svg}>" + "".join(body) + "</svg>"

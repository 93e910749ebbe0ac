"""The planner's files in the kit: plan.md, vlans.csv, hosts.csv, plan.json."""

from __future__ import annotations

import json

from dualstack.addr.text import compressed
from dualstack.emit import KitInput, register
from dualstack.emit.bind import delegation_text
from dualstack.emit.dns_files import delegation_path
from dualstack.emit.radvd import skip_reason
from dualstack.emit.tabular import to_csv, to_markdown
from dualstack.plan import tables
from dualstack.plan.model import Plan
from dualstack.plan.present import plan as plan_json
from dualstack.zones.build import delegations

_RULES = """\
## How the addresses were chosen

- Each VLAN with IPv6 gets one /64; its subnet ID follows the site's `subnet_scheme`
  (`vlan`: VLAN id digits read as hex, VLAN 120 -> `:120:`; `ipv4`: the IPv4 subnet's second
  and third octets; `sequential`: next free ID, earlier IDs kept). `ipv6_subnet` overrides it.
- `static` hosts: the IPv4 host part, decimal digits read as hex (10.1.10.53 -> `::53`).
- `eui64` hosts: the SLAAC address the MAC produces (modified EUI-64).
- `stable` hosts: RFC 7217 stable privacy, computed as the Linux kernel does.
- `dhcpv6` hosts: a reservation `::d6:<IPv4 host offset>` in the VLAN's `::d6:0/112`;
  dynamic leases use `::d6:1:0/112`.
- The router's address on each VLAN is its `gateway6`, else the static rule applied to its
  IPv4 gateway. A VLAN with neither has no router: no `gateway6`, no IPv6 default route.
"""


@register("plan")
def plan_files(kit: KitInput) -> dict[str, str]:
    """The planner's own files: the report, both tables, and the plan as JSON."""
    plan = kit.plan
    return {
        "plan.md": plan_report(plan),
        "vlans.csv": to_csv(tables.VLAN_COLUMNS, tables.vlan_rows(plan)),
        "hosts.csv": to_csv(tables.HOST_COLUMNS, tables.host_rows(plan)),
        "plan.json": json.dumps(plan_json(plan), indent=2, ensure_ascii=False) + "\n",
    }


def plan_report(plan: Plan) -> str:
    """A report an admin can hand to a colleague."""
    info = plan.site.info
    with_v6 = sum(1 for v in plan.vlans if v.ipv6 is not None)
    dual = sum(1 for h in plan.interfaces if h.ipv6 is not None)
    lines = [
        f"# IPv6 address plan: {info.name}",
        "",
        f"- Domain: `{info.domain}`",
        f"- Delegated prefix: `{info.ipv6_prefix.with_prefixlen}`"
        + (f", ULA `{info.ula_prefix.with_prefixlen}`" if info.ula_prefix else ""),
        f"- Subnet scheme: `{info.subnet_scheme}`",
        f"- VLANs: {len(plan.vlans)} ({with_v6} with IPv6); hosts: {len(plan.interfaces)} "
        f"({dual} dual-stack)",
        "",
        "## VLANs",
        "",
        to_markdown(tables.VLAN_COLUMNS, tables.vlan_rows(plan)),
        "## Hosts",
        "",
        to_markdown(tables.HOST_COLUMNS, tables.host_rows(plan)),
        *_selection(plan),
        *_ipv6_mostly(plan),
        *_unrouted(plan),
        *_small_subnets(plan),
        _RULES,
    ]
    if plan.notes:
        lines += ["## Notes", ""]
        lines += [
            f"- **{n.subject}**: {n.message}" + (f" Fix: {n.fix}" if n.fix else "")
            for n in plan.notes
        ]
        lines.append("")
    return "\n".join(lines)


_SELECTION_COLUMNS = (
    "VLAN",
    "Internet, Linux",
    "Internet, Windows",
    "ULA service, Linux",
    "ULA service, Windows",
)


def _selection(plan: Plan) -> list[str]:
    """Which family and source address hosts of each VLAN use first (RFC 6724, as Linux and
    Windows order them), and the outcomes a plan would not assume."""
    from dualstack.plan.selection import Outlook, outlook, surprises

    views = outlook(plan)
    if not views:
        return []

    def cell(view: Outlook, system: str, towards: str) -> str:
        found = view.outcomes.get((system, towards))
        if found is None:
            return "-" if towards == "ula" and plan.site.info.ula_prefix is None else "no route"
        source = f" from {compressed(found.source)}" if found.source is not None else ""
        return f"{found.kind}{source}"

    rows = [
        {
            "VLAN": f"{v.vlan.vlan.id} {v.vlan.vlan.name}",
            "Internet, Linux": cell(v, "Linux", "internet"),
            "Internet, Windows": cell(v, "Windows", "internet"),
            "ULA service, Linux": cell(v, "Linux", "ula"),
            "ULA service, Windows": cell(v, "Windows", "ula"),
        }
        for v in views
    ]
    lines = [
        "## Which address hosts will use (RFC 6724)",
        "",
        "For a name with both A and AAAA records, the family a host of each VLAN tries first "
        "and the source address it sends from: Linux (glibc's getaddrinfo, the kernel choosing "
        "the source) and Windows (its default prefix policies). The internet is a global IPv6 "
        "and a public IPv4 address; a ULA service is published with a ULA AAAA record and an "
        "A record. `dualstack select` explains any case rule by rule.",
        "",
        to_markdown(_SELECTION_COLUMNS, rows),
    ]
    notes = surprises(plan, views)
    if notes:
        lines += [*(f"- {note}" for note in notes), ""]
    return lines


def _ipv6_mostly(plan: Plan) -> list[str]:
    """The IPv6-mostly VLANs, the NAT64 prefix, what a client does, and what must exist."""
    nat64 = plan.site.nat64
    mostly = [v for v in plan.vlans if v.vlan.ipv6_only_preferred]
    if nat64 is None and not mostly:
        return []
    lines = ["## IPv6-mostly", ""]
    if nat64 is not None:
        lines.append(
            f"NAT64 prefix `{nat64.prefix}`: the DNS64 resolver synthesises with it "
            "(`dns/dns64.conf`) and the IPv6-mostly VLANs' routers advertise it (PREF64, "
            "RFC 8781)."
        )
        lines.append("")
    for v in mostly:
        pref64 = (
            "PREF64 in radvd.conf and ios.txt"
            if nat64 is not None and nat64.radvd_pref64
            else "PREF64 in ios.txt only: radvd 2.19 cannot send it (set `[nat64] "
            "radvd_pref64 = true` where the routers run radvd 2.20 or later)"
        )
        lines.append(
            f"- VLAN {v.vlan.id} ({v.vlan.name}): DHCPv4 option 108 with V6ONLY_WAIT "
            f"{v.vlan.v6only_wait} s (`kea/kea-dhcp4.conf`, `windows/dhcp.ps1`); {pref64}."
        )
    lines += [
        "",
        "A client that can live without IPv4 asks for option 108 (RFC 8925), gets it, takes no "
        "IPv4 address and does not ask again for V6ONLY_WAIT seconds; it reaches IPv4-only "
        "names through DNS64 and the NAT64 gateway, and IPv4 literals through its CLAT "
        "(464XLAT, RFC 6877), which learns the prefix from PREF64 or from `ipv4only.arpa` "
        "(RFC 7050). Older clients ignore the option and keep IPv4.",
        "",
        "Prerequisites the kit does not configure: a NAT64 gateway translating the prefix "
        "(RFC 6146; Jool, Tayga, a firewall or router), a DNS64 resolver that includes "
        "`dns/dns64.conf`, and CLAT on the clients that need IPv4 literals.",
        "",
    ]
    return lines


def _unrouted(plan: Plan) -> list[str]:
    """A section naming the IPv6 VLANs without a router and what the kit does about it, so
    the missing default route reads as a decision, not an omission."""
    items = []
    for v in plan.vlans:
        if v.ipv6 is None or v.routed:
            continue
        if skip_reason(v) is not None:
            what = "no router advertisements at all (static: nothing to autoconfigure)"
        else:
            what = (
                "router advertisements with router lifetime 0 (hosts form addresses but get "
                "no default route) and no DNS options"
            )
        items.append(f"- VLAN {v.vlan.id} ({v.vlan.name}): no IPv4 gateway, no gateway6: {what}.")
    if not items:
        return []
    return ["## VLANs without a router", "", *items, ""]


def _small_subnets(plan: Plan) -> list[str]:
    """Where the PTRs of each VLAN longer than /24 live, and for a block of someone else's
    /24 the exact records that /24's owner must add (RFC 2317), as the kit's
    ``dns/parent-*.txt`` has them."""
    items = []
    for v in plan.vlans:
        net = v.vlan.ipv4
        zone = plan.reverse.zone(net.network_address) if net.prefixlen > 24 else None
        if zone is None:
            continue
        where = f"- VLAN {v.vlan.id} ({v.vlan.name}), {net}: "
        if zone.parent is None:
            items.append(
                where + f"PTRs in `{zone.origin}`, which this kit serves (the site "
                "holds the whole /24)."
            )
        else:
            items.append(
                where + f"this kit serves `{zone.origin}`; the owner of "
                f"`{zone.parent}` must delegate it (below)."
            )
    if not items:
        return []
    lines = ["## IPv4 reverse DNS for subnets smaller than /24", "", *items, ""]
    for parent, records in delegations(plan).items():
        blocks = tuple(str(z.network) for z in plan.reverse.delegated if z.parent == parent)
        lines += [
            f"Records for the owner of `{parent}` to add (`{delegation_path(parent)}`):",
            "",
            "```",
            delegation_text(parent, records, blocks).rstrip("\n"),
            "```",
            "",
        ]
    return lines

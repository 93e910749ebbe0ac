"""``radvd/radvd.conf``: router advertisements for every VLAN with IPv6.

Flags by the VLAN's mode: ``slaac`` A=1; ``slaac+dhcpv6`` A=1 and O=1 (addresses by SLAAC,
DNS options by stateless DHCPv6); ``dhcpv6`` M=1 and A=0 (addresses only from DHCPv6);
``static`` A=0 (hosts are configured by hand; the RA still gives them the default route).
RDNSS lists the IPv6 addresses of the plan's name servers, DNSSL the site domain. Every name
and address written is validated (interface names by the site reader, addresses by ipaddress).

A VLAN without a router (no IPv4 gateway, no ``gateway6``: live migration, cluster, storage)
must not hand its hosts an IPv6 default route (the route HV-GW-001 warns about): its RA says
``AdvDefaultLifetime 0`` (RFC 4861 6.2.3: "not a default router"), so hosts still form
addresses from the prefix but install no default route; it carries no RDNSS/DNSSL either,
because a closed segment has no path to the name servers and its roles must not use DNS. A
``static`` VLAN without a router has nothing to advertise at all: it gets no interface block,
only a comment saying why. With no block left, there is no radvd.conf (radvd rejects a file
without an interface).

A VLAN's ``[vlan.ra]`` table overrides the defaults: router lifetime and preference (RFC
4191), the link MTU, the prefixes' valid/preferred lifetimes, and ``rdnss = false`` for a
VLAN whose hosts must not be handed the site's name servers (a guest network).
"""

from __future__ import annotations

from dualstack.addr.text import compressed
from dualstack.emit import KitInput, register
from dualstack.emit.quoting import token
from dualstack.net._prefix import prefix_text
from dualstack.plan.model import RA_MAX_INTERVAL, Nat64Info, Plan, VlanPlan

MAX_INTERVAL = RA_MAX_INTERVAL  # seconds; RFC 4861 allows 4-1800
MIN_INTERVAL = MAX_INTERVAL // 3  # 0.33 * MaxRtrAdvInterval, the RFC 4861 default ratio
ROUTER_LIFETIME = 1800  # 3 * MaxRtrAdvInterval would be 600; 1800 rides out a router restart

FLAGS = {  # mode -> (AdvManagedFlag, AdvOtherConfigFlag, AdvAutonomous)
    "slaac": (False, False, True),
    "slaac+dhcpv6": (False, True, True),
    "dhcpv6": (True, False, False),
    "static": (False, False, False),
}


def interface_name(vlan: VlanPlan) -> str:
    """The router interface for a VLAN: the site file's ``interface``, else ``vlan<ID>``."""
    return vlan.vlan.interface or f"vlan{vlan.vlan.id}"


def name_server_addresses(plan: Plan, version: int = 6) -> list[str]:
    """The plan's name server addresses (IPv6, or IPv4 with ``version=4``) as text."""
    return [compressed(a) for a in (plan.name_servers6 if version == 6 else plan.name_servers4)]


def _w(value: str) -> str:
    return token(value, "radvd")


def _on(flag: bool) -> str:
    return "on" if flag else "off"


def _lifetime(seconds: int) -> str:
    return "infinity" if seconds == 0xFFFFFFFF else str(seconds)


def router_lifetime(vlan: VlanPlan) -> int:
    """The router lifetime a VLAN's RAs carry: 0 without a router (not a default router,
    RFC 4861 6.2.3), else the site's ``[vlan.ra] router_lifetime`` or the kit's default."""
    if not vlan.routed:
        return 0
    chosen = vlan.vlan.ra.router_lifetime
    return ROUTER_LIFETIME if chosen is None else chosen


def skip_reason(vlan: VlanPlan) -> str | None:
    """Why a VLAN gets no router advertisements, or None when it gets them."""
    if vlan.ipv6 is None:
        return 'ipv6 = "none"'
    if not vlan.routed and vlan.vlan.ipv6 == "static":
        return "static and no router (no gateway, no gateway6): nothing to autoconfigure"
    return None


PREF64_MAX = 65528  # RFC 8781: the lifetime is sent in units of 8 s in 13 bits


def pref64_lifetime(vlan: VlanPlan) -> int:
    """The PREF64 lifetime (RFC 8781 section 4): at least the router lifetime, so hosts keep
    the prefix as long as they keep the router, and at least 3 x MaxRtrAdvInterval (the
    RFC's default), rounded up to a multiple of 8 (its unit)."""
    seconds = max(router_lifetime(vlan), 3 * MAX_INTERVAL)
    return min(PREF64_MAX, -(-seconds // 8) * 8)


def _pref64(v: VlanPlan, nat64: Nat64Info | None) -> list[str]:
    """The PREF64 option of an IPv6-mostly VLAN: radvd's ``nat64prefix`` (radvd 2.20 and
    later), or where the site does not say its routers run that, a comment saying why not."""
    if nat64 is None or not v.vlan.ipv6_only_preferred:
        return []
    prefix = _w(str(nat64.prefix))
    if not nat64.radvd_pref64:
        return [
            f"    # PREF64 {prefix} (RFC 8781) not advertised: nat64prefix needs radvd 2.20 or",
            "    # later; set [nat64] radvd_pref64 = true where the routers run it",
        ]
    return [
        f"    nat64prefix {prefix} {{",
        f"        AdvValidLifetime {pref64_lifetime(v)};",
        "    };",
    ]


def _stanza(
    v: VlanPlan, servers: list[str], domain: str, nat64: Nat64Info | None = None
) -> list[str]:
    """The interface block of one advertised VLAN; a VLAN without a router is advertised as
    no default router and without DNS options, and ``[vlan.ra]`` adds what the site chose."""
    managed, other, autonomous = FLAGS[v.vlan.ipv6]
    ra = v.vlan.ra
    lines = [
        f"# VLAN {v.vlan.id} ({_w(v.vlan.name)}): {v.vlan.ipv6}"
        + ("" if v.routed else "; no router: lifetime 0, no default route, no DNS options")
        + ("" if v.announces_dns or not v.routed else "; no DNS options (rdnss = false)"),
        f"interface {_w(interface_name(v))} {{",
        "    AdvSendAdvert on;",
        f"    MinRtrAdvInterval {MIN_INTERVAL};",
        f"    MaxRtrAdvInterval {MAX_INTERVAL};",
        f"    AdvDefaultLifetime {router_lifetime(v)};",
        f"    AdvManagedFlag {_on(managed)};",
        f"    AdvOtherConfigFlag {_on(other)};",
    ]
    if ra.preference != "medium":
        lines.append(f"    AdvDefaultPreference {ra.preference};")
    if ra.mtu is not None:
        lines.append(f"    AdvLinkMTU {ra.mtu};")
    for prefix in (p for p in (v.ipv6, v.ula) if p is not None):
        lines += [
            f"    prefix {_w(prefix_text(prefix))} {{",
            "        AdvOnLink on;",
            f"        AdvAutonomous {_on(autonomous)};",
        ]
        if ra.valid_lifetime is not None and ra.preferred_lifetime is not None:
            lines += [
                f"        AdvValidLifetime {_lifetime(ra.valid_lifetime)};",
                f"        AdvPreferredLifetime {_lifetime(ra.preferred_lifetime)};",
            ]
        lines.append("    };")
    if v.announces_dns:
        if servers:
            lines.append(f"    RDNSS {' '.join(_w(s) for s in servers)} {{ }};")
        lines.append(f"    DNSSL {_w(domain)} {{ }};")
    lines += _pref64(v, nat64)
    return [*lines, "};", ""]


def radvd_conf(plan: Plan) -> str | None:
    """radvd.conf for the plan, or None when no VLAN is advertised (radvd rejects a file
    without an interface block)."""
    servers = name_server_addresses(plan)
    domain = plan.site.info.domain.rstrip(".")
    lines = ["# generated by dualstack from the site plan; edit the site file, not this", ""]
    advertised = 0
    for v in plan.vlans:
        why = skip_reason(v)
        if why is not None:
            lines += [f"# VLAN {v.vlan.id} ({_w(v.vlan.name)}): no advertisements: {why}", ""]
            continue
        lines += _stanza(v, servers, domain, plan.site.nat64)
        advertised += 1
    return "\n".join(lines) if advertised else None


@register("radvd")
def radvd_files(kit: KitInput) -> dict[str, str]:
    conf = radvd_conf(kit.plan)
    return {} if conf is None else {"radvd/radvd.conf": conf}

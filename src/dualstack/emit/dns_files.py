"""The kit's DNS: BIND zone files and their named.conf fragment under ``dns/``."""

from __future__ import annotations

from dualstack.addr.embedded import NAT64_WELL_KNOWN
from dualstack.emit import KitInput, Secret, register
from dualstack.emit.bind import delegation_text, dns64_conf, named_conf, zone_text
from dualstack.net._prefix import prefix_text
from dualstack.zones.build import delegations
from dualstack.zones.tsig import key_statement


def delegation_path(parent: str) -> str:
    """``dns/parent-50.1.10.in-addr.arpa.txt``: what the owner of that /24 zone must add."""
    return f"dns/parent-{parent.rstrip('.')}.txt"


@register("bind")
def bind_files(kit: KitInput) -> dict[str, str]:
    files = {f"dns/{z.file_name}": zone_text(z, kit.serials[z.origin]) for z in kit.zones}
    ddns = kit.ddns_key if kit.plan.site.dns.ddns else None
    files["dns/named.conf"] = named_conf(kit.zones, ddns_key=ddns.name if ddns else None)
    if ddns is not None:
        files["dns/ddns.key"] = Secret(key_statement(ddns))
    nat64 = kit.plan.site.nat64
    if nat64 is not None:
        files["dns/dns64.conf"] = dns64_conf(nat64.prefix, nat64.prefix == NAT64_WELL_KNOWN)
    for parent, records in delegations(kit.plan).items():
        blocks = tuple(
            prefix_text(z.network) for z in kit.plan.reverse.delegated if z.parent == parent
        )
        files[delegation_path(parent)] = delegation_text(parent, records, blocks)
    return files

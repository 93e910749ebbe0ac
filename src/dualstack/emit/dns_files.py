"""The kit's DNS: BIND zone files and their named.conf fragment under ``dns/``."""

from __future__ import annotations

from dualstack.emit import KitInput, Secret, register
from dualstack.emit.bind import named_conf, zone_text
from dualstack.zones.tsig import key_statement


@register("bind")
def bind_files(kit: KitInput) -> dict[str, str]:
    files = {f"dns/{z.file_name}": zone_text(z, kit.serials[z.origin]) for z in kit.zones}
    ddns = kit.ddns_key if kit.plan.site.dns.ddns else None
    files["dns/named.conf"] = named_conf(kit.zones, ddns_key=ddns.name if ddns else None)
    if ddns is not None:
        files["dns/ddns.key"] = Secret(key_statement(ddns))
    return files

"""The kit's DNS: BIND zone files and their named.conf fragment under ``dns/``."""

from __future__ import annotations

from dualstack.emit import KitInput, register
from dualstack.emit.bind import named_conf, zone_text


@register("bind")
def bind_files(kit: KitInput) -> dict[str, str]:
    files = {f"dns/{z.file_name}": zone_text(z, kit.serials[z.origin]) for z in kit.zones}
    files["dns/named.conf"] = named_conf(kit.zones)
    return files

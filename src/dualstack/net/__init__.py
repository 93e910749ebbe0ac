"""Subnet math over the stdlib ``ipaddress`` values: describe, split, summarize, ranges, free
space, containment, reverse zones and RFC 4193 ULA prefixes.

Every function takes text (read by ``dualstack.addr.parse``) or stdlib values and returns stdlib
values or small frozen dataclasses; ``dualstack.net.present`` turns those into JSON.

>>> from dualstack.net import describe
>>> describe("2001:db8:1200:4000::/50").reverse.names[0]
'4.0.0.2.1.8.b.d.0.1.0.0.2.ip6.arpa.'
"""

from __future__ import annotations

from dualstack.net._prefix import as_network, prefix_text
from dualstack.net.aggregate import range_to_cidrs, summarize
from dualstack.net.calc import Boundary, Description, describe, join_netmask
from dualstack.net.contains import Membership, contains, membership
from dualstack.net.free import FreeSpace, free
from dualstack.net.reverse import ReverseZones, classless_name, reverse_zones
from dualstack.net.split import MAX_RESULTS, split
from dualstack.net.ula import Ula, ula

__all__ = [
    "MAX_RESULTS",
    "Boundary",
    "Description",
    "FreeSpace",
    "Membership",
    "ReverseZones",
    "Ula",
    "as_network",
    "classless_name",
    "contains",
    "describe",
    "free",
    "join_netmask",
    "membership",
    "prefix_text",
    "range_to_cidrs",
    "reverse_zones",
    "split",
    "summarize",
    "ula",
]

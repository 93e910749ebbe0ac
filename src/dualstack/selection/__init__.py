"""Address selection as hosts do it (RFC 6724): which source address a dual-stack host uses
for each destination, and which destination it tries first, under RFC 6724's rules, glibc's
(Linux) or Windows', with the rule behind each choice.

>>> from dualstack.selection import GLIBC, Target, parse_source, select
>>> from ipaddress import ip_address
>>> host = [parse_source("fd00:1::10/64"), parse_source("192.0.2.10/24")]
>>> chosen = select([Target(ip_address("2001:db8::1")), Target(ip_address("198.51.100.1"))],
...                 host, GLIBC)
>>> [str(r.destination.address) for r in chosen.destinations]
['198.51.100.1', '2001:db8::1']
"""

from dualstack.selection.host import HostAddress, parse_source, read_host
from dualstack.selection.order import Ranked, Selection, Target, select
from dualstack.selection.policy import GLIBC, RFC6724, WINDOWS, Policy, policy_named, read_policy
from dualstack.selection.rules import Decision

__all__ = [
    "GLIBC",
    "RFC6724",
    "WINDOWS",
    "Decision",
    "HostAddress",
    "Policy",
    "Ranked",
    "Selection",
    "Target",
    "parse_source",
    "policy_named",
    "read_host",
    "read_policy",
    "select",
]

"""Selection policies: the tables and the comparison details of each system we model, and the
policy files admins edit (``/etc/gai.conf``, ``ip addrlabel`` output, ``netsh interface ipv6
show prefixpolicies`` output).

Two kinds of rule detail exist (see :mod:`.rules`): RFC 6724's own (``glibc=False``: the RFC and
Windows) and glibc's (``glibc=True``: getaddrinfo on Linux, whose source addresses the Linux
kernel picks with its ``ip addrlabel`` table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from ipaddress import IPv4Network, IPv6Network, ip_network

from dualstack.errors import InputError, quote
from dualstack.selection import tables
from dualstack.selection.tables import Row, Table


@dataclass(frozen=True, slots=True)
class Policy:
    """What decides the order: the destination tables (rule 5 labels, rule 6 precedence), the
    labels source selection reads, IPv4 scopes, and whose rule details apply."""

    name: str
    description: str
    precedence: Table
    labels: Table
    source_labels: Table
    scopev4: Table
    glibc: bool


RFC6724 = Policy(
    "rfc6724",
    "RFC 6724's default policy table and rules",
    tables.RFC6724_PRECEDENCE,
    tables.RFC6724_LABELS,
    tables.RFC6724_LABELS,
    tables.GLIBC_SCOPEV4,  # the same two link-local rows RFC 6724 section 3.2 gives
    False,
)
GLIBC = Policy(
    "glibc",
    "glibc getaddrinfo's built-in tables (no /etc/gai.conf lines); sources as the Linux "
    "kernel picks them (default ip addrlabel table)",
    tables.GLIBC_PRECEDENCE,
    tables.GLIBC_LABELS,
    tables.LINUX_LABELS,
    tables.GLIBC_SCOPEV4,
    True,
)
WINDOWS = Policy(
    "windows",
    "Windows' default prefix policies (netsh interface ipv6 show prefixpolicies), RFC 6724 rules",
    tables.RFC6724_PRECEDENCE,
    tables.RFC6724_LABELS,
    tables.RFC6724_LABELS,
    tables.GLIBC_SCOPEV4,
    False,
)
BUILT_IN = {policy.name: policy for policy in (RFC6724, GLIBC, WINDOWS)}


def policy_named(name: str) -> Policy:
    """A built-in policy by name."""
    try:
        return BUILT_IN[name]
    except KeyError:
        raise InputError(
            f"policy {name!r} is not one of {', '.join(BUILT_IN)} (or a policy file)"
        ) from None


def read_policy(text: str, name: str) -> Policy:
    """A policy from a file: ``netsh interface ipv6 show prefixpolicies`` output (Windows),
    ``ip addrlabel`` output (the kernel's source labels under glibc's tables), or an
    ``/etc/gai.conf`` (glibc), told apart by their lines."""
    lines = [line.strip() for line in text.lstrip("\ufeff").splitlines()]
    meaningful = [line for line in lines if line and not line.startswith("#")]
    if any(_NETSH_ROW.match(line) for line in meaningful):
        return _netsh(meaningful, name)
    if meaningful and all(line.startswith("prefix ") for line in meaningful):
        return _addrlabel(meaningful, name)
    return _gai_conf(lines, name)


# ------------------------------------------------------------------ netsh (Windows)

# "        50     0  ::1/128": precedence, label, prefix (the header is translated on
# localised Windows, so rows are found by their shape)
_NETSH_ROW = re.compile(r"^(\d+)\s+(\d+)\s+([0-9A-Fa-f:.]+/\d+)$")


def _netsh(lines: list[str], name: str) -> Policy:
    precedence: list[Row] = []
    labels: list[Row] = []
    for line in lines:
        match = _NETSH_ROW.match(line)
        if not match:
            continue  # "Querying active state...", the header, the dashes
        prefix = _ipv6_prefix(match.group(3), name, line)
        precedence.append(Row(prefix, int(match.group(1))))
        labels.append(Row(prefix, int(match.group(2))))
    return replace(
        WINDOWS,
        name=name,
        description=f"Windows prefix policies from {name} ({len(labels)} rows), RFC 6724 rules",
        precedence=Table(tuple(precedence)),
        labels=Table(tuple(labels)),
        source_labels=Table(tuple(labels)),
    )


# ------------------------------------------------------------------ ip addrlabel (Linux kernel)

_ADDRLABEL = re.compile(r"^prefix\s+(\S+)\s+(?:dev\s+\S+\s+)?label\s+(\d+)$")


def _addrlabel(lines: list[str], name: str) -> Policy:
    rows = []
    for line in lines:
        match = _ADDRLABEL.match(line)
        if not match:
            raise InputError(f"{name}: not an `ip addrlabel` line: {quote(line)}")
        rows.append(Row(_ipv6_prefix(match.group(1), name, line), int(match.group(2))))
    return replace(
        GLIBC,
        name=name,
        description=f"glibc's built-in tables; sources as the Linux kernel picks them with the "
        f"ip addrlabel table in {name}",
        source_labels=Table(tuple(rows)),
    )


# ------------------------------------------------------------------ /etc/gai.conf (glibc)


def _gai_conf(lines: list[str], name: str) -> Policy:
    """gai.conf(5) as glibc reads it: any ``label`` line replaces the whole label table (a
    ``::/0`` row 1 added unless a line has length 0), and likewise ``precedence`` (``::/0``
    40) and ``scopev4`` (``0.0.0.0/0`` global); ``reload`` is accepted; a line glibc would
    skip is an error here, so a typo is not silently ignored."""
    found: dict[str, list[Row]] = {"label": [], "precedence": [], "scopev4": []}
    for number, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        keyword = words[0]
        if keyword == "reload" and len(words) == 2 and words[1] in ("yes", "no", "true", "false"):
            continue
        if keyword not in found or len(words) != 3 or not words[2].isdigit():
            raise InputError(
                f"{name}:{number}: not a gai.conf line (label, precedence or scopev4 PREFIX "
                f"VALUE; reload yes|no): {quote(raw)}"
            )
        where = f"{name}:{number}"
        if keyword == "scopev4":
            prefix = _scopev4_prefix(words[1], where)
        else:
            if "/" not in words[1]:
                raise InputError(f"{where}: {quote(words[1])} needs a /LENGTH")
            prefix = _ipv6_prefix(words[1], where, raw)
        found[keyword].append(Row(prefix, int(words[2])))
    if not any(found.values()):
        return replace(GLIBC, name=name, description=f"{name} sets nothing: glibc's defaults")
    labels = _completed(found["label"], "::/0", 1, tables.GLIBC_LABELS)
    precedence = _completed(found["precedence"], "::/0", 40, tables.GLIBC_PRECEDENCE)
    scopev4 = _completed(found["scopev4"], "::ffff:0:0/96", tables.GLOBAL, tables.GLIBC_SCOPEV4)
    kinds = [kind for kind, rows in found.items() if rows]
    return replace(
        GLIBC,
        name=name,
        description=f"glibc with {name} ({', '.join(kinds)} replaced); sources as the Linux "
        "kernel picks them",
        precedence=precedence,
        labels=labels,
        scopev4=scopev4,
    )


def _completed(rows: list[Row], catch_all: str, value: int, default: Table) -> Table:
    if not rows:
        return default
    catch = ip_network(catch_all)
    assert isinstance(catch, IPv6Network)
    if not any(row.prefix.prefixlen == catch.prefixlen for row in rows):
        rows = [*rows, Row(catch, value)]
    return Table(tuple(rows))


def _ipv6_prefix(text: str, where: str, line: str) -> IPv6Network:
    try:
        network = ip_network(text, strict=False)
    except ValueError:
        raise InputError(f"{where}: {quote(text)} is not an IPv6 prefix in {quote(line)}") from None
    if not isinstance(network, IPv6Network):
        raise InputError(f"{where}: {quote(text)} is not an IPv6 prefix")
    return network


def _scopev4_prefix(text: str, where: str) -> IPv6Network:
    """``::ffff:a.b.c.d/96..128`` or plain ``a.b.c.d/0..32``, as the IPv4-mapped prefix."""
    try:
        network = ip_network(text, strict=False)
    except ValueError:
        raise InputError(f"{where}: {quote(text)} is not a scopev4 prefix") from None
    if isinstance(network, IPv4Network):
        mapped = ip_network(f"::ffff:{network.network_address}/{96 + network.prefixlen}")
        assert isinstance(mapped, IPv6Network)
        return mapped
    if network.prefixlen < 96 or int(network.network_address) >> 32 != 0xFFFF:
        raise InputError(f"{where}: scopev4 takes IPv4 (or ::ffff:a.b.c.d/96-128), not {text}")
    return network

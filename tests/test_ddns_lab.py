"""DHCPv6 DDNS that is never rejected, proven with the real daemons in network namespaces.

Each name has one writer (see emit/kea.py): the kit's zone files own every name they publish
(reserved DHCPv6 NICs, SLAAC hosts, static hosts), Kea owns only its pool clients' names. The
router namespace runs the kit's own radvd.conf, kea-dhcp6.conf, kea-dhcp-ddns.conf and BIND
on the kit's own ``dns/`` folder (its zone files, its named.conf fragment, its ``ddns.key``),
listening on the plan's name server address, which the router namespace holds on ``lo``, so
kea-dhcp-ddns reaches BIND exactly where the kit's config points. The lab sets only paths
(lease file, server-id, pid and lock directories) and Kea's log level, in
:meth:`tests.netlab.NetLab.kea_dhcp6`.

Clients, each sending an FQDN where DHCPv6 leases an address: a reserved DHCPv6 printer and a
pool client sharing the printers VLAN (every client VLAN is a bridge on the router), the iSCSI
NIC of a host on a storage VLAN (``dns = false``, reserved), and a SLAAC + stateless DHCPv6
kiosk. Asserted: no log of kea-dhcp-ddns or named shows a rejected or failed update; exactly
one name change request left kea-dhcp6 (the pool client's); named answers the static
A/AAAA/PTR of the reserved, iSCSI and SLAAC hosts and the pool client's AAAA, DHCID and PTR
from DDNS. A second test shows the guard: a pool client asking for a reserved host's name is
refused by conflict resolution and the kit's records stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv6Address, IPv6Network
from pathlib import Path

import pytest

from dualstack.plan.model import Plan, VlanPlan
from tests import netlab
from tests.bindlab import kit_named_conf, require_named
from tests.testdata import site_kit

pytestmark = pytest.mark.netns

SITE = """
[site]
name = "ddnslab"
domain = "lab.example"
ipv6_prefix = "2001:db8:77::/48"

[dns]
nameservers = ["ns1.lab.example."]  # DDNS is on by default

[[vlan]]
id = 10
name = "mgmt"
ipv4 = "10.0.10.0/24"
gateway = "10.0.10.1"
ipv6 = "static"
interface = "r10"

[[vlan]]
id = 110
name = "clients"
ipv4 = "10.0.110.0/24"
gateway = "10.0.110.1"
ipv6 = "slaac+dhcpv6"
interface = "r110"

[[vlan]]
id = 130
name = "printers"
ipv4 = "10.0.130.0/24"
gateway = "10.0.130.1"
ipv6 = "dhcpv6"  # reservations and a pool: a shared network of two subnets
interface = "r130"

[[vlan]]
id = 140
name = "storage"
ipv4 = "10.0.140.0/24"  # no gateway: no router, no DNS for its roles
ipv6 = "dhcpv6"
interface = "r140"

[[host]]
name = "ns1"
vlan = 10
ipv4 = "10.0.10.53"

[[host]]
name = "kiosk"
vlan = 110
ipv4 = "10.0.110.10"
mac = "00:15:5d:77:01:10"

[[host]]
name = "prn"
vlan = 130
ipv4 = "10.0.130.7"
mac = "00:15:5d:77:01:30"
ipv6 = "dhcpv6"

[[host]]
name = "hv1"
  [[host.interface]]
  name = "Management"
  vlan = 10
  ipv4 = "10.0.10.21"
  [[host.interface]]
  name = "iSCSI"
  role = "iscsi"  # dns = false by its role
  vlan = 140
  ipv4 = "10.0.140.21"
  mac = "00:15:5d:77:01:40"
  ipv6 = "dhcpv6"
"""

POOL_MAC = "00:15:5d:77:99:01"  # in no site file: a client of the pool
POOL_NAME = "laptop7.lab.example."

TIMEOUT = 40.0

# What a refused, failed or dropped update looks like in each daemon's log. Kea's ids are its
# message ids (kea-dhcp-ddns: DHCP_DDNS_*; kea-dhcp6 and its NCR sender: DHCP6_DDNS_*,
# DHCPSRV_DHCP_DDNS_*); BIND 9.18's are the texts of its update and TSIG failures.
KEA_BAD = re.compile(
    r"\b(DHCP_DDNS_\w*(REJECTED|FAILED|FAILURE|ERROR|BAD_DNSCLIENT_STATUS|RESP_CORRUPT"
    r"|DROPPED|IGNORED|NO_MATCH|INVALID_RESPONSE|QUEUE_FULL)"
    r"|DHCPSRV_DHCP_DDNS_(NCR_REJECTED|ERROR_EXCEPTION|HANDLER_NULL|SUSPEND_UPDATES)"
    r"|DHCP6_DDNS_(REQUEST_SEND_FAILED|GENERATED_FQDN_UPDATE_FAIL))\b"
)
NAMED_BAD = re.compile(
    r"update (failed|unsuccessful)|prerequisite not satisfied|denied|refused|NOTAUTH|NOTZONE"
    r"|tsig verify failure|BADKEY|BADSIG|BADTIME|YXDOMAIN|YXRRSET|NXRRSET",
    re.IGNORECASE,
)
NCR_SENT = "DHCPSRV_DHCP_DDNS_NCR_SENT"
FQDN_REPLY = "DHCP6_DDNS_RESPONSE_FQDN_DATA"  # the Client FQDN option kea-dhcp6 answers with
SUBNET_CHANGED = "DHCP6_SUBNET_DYNAMICALLY_CHANGED"  # it moved a client within a shared network
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ ")
NAMED_ADD = re.compile(r"updating zone '[^']+': adding an RR at '([^']+)' (\w+)")


@pytest.fixture
def lab() -> Iterator[netlab.NetLab]:
    tools = ("radvd", "kea-dhcp6", "kea-dhcp-ddns", "dhclient", "dig", "sysctl", "env")
    netlab.require_lab(tools=tools)
    require_named()
    with netlab.NetLab() as the_lab:
        yield the_lab


def _lease(record: Path) -> IPv6Address:
    text = netlab.poll_until(
        lambda: netlab.learned(record, "new_ip6_address"), what="a DHCPv6 lease", timeout=TIMEOUT
    )
    return IPv6Address(text)


def _dig(ns: str, name: str, rtype: str) -> list[str]:
    """The answer's rdata (sorted) from named in ``ns``; empty for NXDOMAIN or no data. Any
    other outcome (no reply, SERVFAIL, REFUSED) raises, so "no record" is never a silent
    failure to ask."""
    argv = ["dig", "@127.0.0.1", "+time=1", "+tries=1", "+noall", "+comments", "+answer"]
    out = netlab.run([*argv, name, rtype], ns=ns, timeout=10).stdout
    status = re.search(r"status: (\w+)", out)
    if status is None or status.group(1) not in ("NOERROR", "NXDOMAIN"):
        raise netlab.LabError(f"dig {name} {rtype}: {out}")
    answers = [line.split(None, 4) for line in out.splitlines() if line and line[0] != ";"]
    return sorted(fields[4] for fields in answers if len(fields) == 5 and fields[3] == rtype)


def _entries(log: str, message_id: str) -> list[str]:
    """The entries of a Kea log with ``message_id``, each with its continuation lines (Kea
    prints a name change request over several lines)."""
    entries: list[str] = []
    for line in log.splitlines():
        if TIMESTAMP.match(line):
            entries.append(line)
        elif entries:
            entries[-1] += "\n" + line
    return [e for e in entries if f" {message_id} " in e]


def _bad_lines(pattern: re.Pattern[str], text: str) -> list[str]:
    return [line for line in text.splitlines() if pattern.search(line)]


PRN_MAC, ISCSI_MAC, KIOSK_MAC = "00:15:5d:77:01:30", "00:15:5d:77:01:40", "00:15:5d:77:01:10"
THIEF_MAC = "00:15:5d:77:99:02"  # a pool client asking for a name the kit owns
CLIENTS = {  # MAC -> the router's interface (a bridge) for that VLAN
    PRN_MAC: "r130",
    POOL_MAC: "r130",
    THIEF_MAC: "r130",
    ISCSI_MAC: "r140",
    KIOSK_MAC: "r110",
}


@dataclass
class Router:
    """The router namespace with the kit's daemons running, and a client namespace per MAC."""

    ns: str
    plan: Plan
    named: netlab.Daemon
    d2: netlab.Daemon
    kea: netlab.Daemon
    clients: dict[str, str]  # MAC -> namespace

    def planned(self, host: str, nic: str | None = None) -> IPv6Address:
        found = [
            n.ipv6
            for n in self.plan.interfaces
            if n.host.name == host and n.interface.name == nic and n.ipv6 is not None
        ]
        assert len(found) == 1, (host, nic, found)
        return found[0]

    def vlan(self, vlan_id: int) -> VlanPlan:
        return next(v for v in self.plan.vlans if v.vlan.id == vlan_id)


def _router(lab: netlab.NetLab, tmp_path: Path) -> Router:
    """Build the kit, the router and every client's link, then start named, kea-dhcp-ddns,
    kea-dhcp6 and radvd from the kit's files (Kea needs its interfaces up with a link-local
    address when it starts, so every client is wired first)."""
    kit, plan = site_kit(tmp_path, SITE)
    ns1 = plan.name_servers6[0]

    # one bridge per client VLAN (clients share a VLAN as hosts do), VLAN 10 as a veth pair,
    # and the name server's address on lo, where named listens and kea-dhcp-ddns sends
    router = lab.netns()
    netlab.sysctl_set(router, "net.ipv6.conf.all.forwarding", 1)
    netlab.run(["ip", "-n", router, "-6", "addr", "add", f"{ns1}/128", "dev", "lo", "nodad"])
    lab.veth(router, "r10", router, "x10")  # VLAN 10 exists on the router, no client needed
    netlab.link_up(router, "r10")
    netlab.link_up(router, "x10")
    for bridge in sorted(set(CLIENTS.values())):
        netlab.add_bridge(router, bridge)
    clients = {
        mac: netlab.bridged_client(lab, router, bridge, f"p{n}", mac)
        for n, (mac, bridge) in enumerate(CLIENTS.items())
    }
    for bridge in sorted(set(CLIENTS.values())):
        netlab.wait_for_address(router, bridge, IPv6Network("fe80::/64"), timeout=TIMEOUT)

    # named on the kit's own dns/ folder; the fragment's relative paths need cwd = the kit
    named_conf = tmp_path / "named.conf"
    named_conf.write_text(kit_named_conf(kit, 53, workdir=tmp_path, listen6=[str(ns1)]))
    named = lab.start(
        router,
        ["env", "-C", str(kit), "named", "-g", "-c", str(named_conf)],
        tmp_path / "named.log",
        name="named",
    )

    def named_up() -> bool:
        named.ensure_alive()
        return "running" in named.log_text() and bool(_dig(router, "lab.example.", "SOA"))

    netlab.poll_until(named_up, what="named to load the kit's zones", timeout=TIMEOUT)

    env = ["env", f"KEA_PIDFILE_DIR={tmp_path}", f"KEA_LOCKFILE_DIR={tmp_path}"]
    d2 = lab.start(
        router,
        [*env, "kea-dhcp-ddns", "-c", str(kit / "kea" / "kea-dhcp-ddns.conf")],
        tmp_path / "d2.log",
        name="kea-dhcp-ddns",
    )
    kea = lab.kea_dhcp6(router, kit / "kea" / "kea-dhcp6.conf", tmp_path, debug=True)
    lab.radvd(router, kit / "radvd" / "radvd.conf", tmp_path)
    return Router(router, plan, named, d2, kea, clients)


def test_ddns_is_never_rejected(lab: netlab.NetLab, tmp_path: Path) -> None:
    r = _router(lab, tmp_path)
    router, named, d2, kea = r.ns, r.named, r.d2, r.kea
    prn, kiosk = r.planned("prn"), r.planned("kiosk")
    hv1, hv1_iscsi = r.planned("hv1", "Management"), r.planned("hv1", "iSCSI")
    assert not next(n for n in r.plan.interfaces if n.interface.name == "iSCSI").in_dns
    printers = r.vlan(130)
    assert printers.pool is not None
    c_prn, c_pool, c_iscsi, c_kiosk = (
        r.clients[m] for m in (PRN_MAC, POOL_MAC, ISCSI_MAC, KIOSK_MAC)
    )

    # the names the kit owns: each client asks for its own name, and none may be updated
    got_prn = _lease(lab.dhclient(c_prn, tmp_path, fqdn="prn.lab.example."))
    got_iscsi = _lease(lab.dhclient(c_iscsi, tmp_path, fqdn="hv1.lab.example."))
    assert got_prn == prn  # the reservation, from the VLAN /64 (outside the pool /112)
    assert got_iscsi == hv1_iscsi
    assert got_prn not in printers.pool
    got_kiosk = netlab.wait_for_address(
        c_kiosk, "eth0", IPv6Network("2001:db8:77:110::/64"), timeout=TIMEOUT
    )
    assert IPv6Address(got_kiosk["local"]) == kiosk
    stateless = lab.dhclient(c_kiosk, tmp_path, "-S")
    netlab.poll_until(
        lambda: netlab.learned(stateless, "new_dhcp6_name_servers"),
        what="DNS servers by stateless DHCPv6",
        timeout=TIMEOUT,
    )

    # the name Kea owns: the pool client's lease is added with its DHCID
    got_pool = _lease(lab.dhclient(c_pool, tmp_path, fqdn=POOL_NAME))
    assert got_pool in printers.pool
    aaaa = netlab.poll_until(
        lambda: _dig(router, POOL_NAME, "AAAA"), what="the pool client's AAAA", timeout=TIMEOUT
    )
    assert aaaa == [str(got_pool)]
    ptr = netlab.poll_until(
        lambda: _dig(router, got_pool.reverse_pointer, "PTR"),
        what="the pool client's PTR",
        timeout=TIMEOUT,
    )
    assert ptr == [POOL_NAME]
    assert len(_dig(router, POOL_NAME, "DHCID")) == 1
    netlab.poll_until(
        lambda: d2.log_text().count("DHCP_DDNS_ADD_SUCCEEDED") >= 1,
        what="kea-dhcp-ddns to report the update",
        timeout=TIMEOUT,
    )
    for daemon in (named, d2, kea):
        daemon.ensure_alive()

    # nothing was refused, and only the pool client's name was ever sent or changed
    kea_log, d2_log, named_log = kea.log_text(), d2.log_text(), named.log_text()
    assert _bad_lines(KEA_BAD, kea_log + d2_log) == []
    assert _bad_lines(NAMED_BAD, named_log) == []
    sent = _entries(kea_log, NCR_SENT)
    assert len(sent) == 1, sent
    assert f"FQDN: [{POOL_NAME}]" in sent[0], sent[0]
    assert f"IP Address: [{got_pool}]" in sent[0], sent[0]
    # how Kea got there: a reserved client stays in the VLAN /64, whose DDNS is off, and is
    # told so (N=1: "the server will not update"); the pool client is moved to the pool /112
    # and its FQDN is processed again under that subnet's DDNS (S=1: the server updates)
    for name in ("prn.lab.example.", "hv1.lab.example."):
        replies = [e for e in _entries(kea_log, FQDN_REPLY) if f"'{name}'" in e]
        assert replies, name
        assert all("(N=1, O=0, S=0)" in e for e in replies), replies
    moved = _entries(kea_log, SUBNET_CHANGED)
    assert moved
    assert all(f"to subnet {printers.pool}" in e for e in moved), moved
    pool_replies = [e for e in _entries(kea_log, FQDN_REPLY) if f"'{POOL_NAME}'" in e]
    assert any("(N=0, O=1, S=1)" in e for e in pool_replies), pool_replies
    assert d2_log.count("DHCP_DDNS_ADD_SUCCEEDED") == 1
    owners = {
        (owner.lower().rstrip(".") + ".", rtype) for owner, rtype in NAMED_ADD.findall(named_log)
    }
    assert owners == {
        (POOL_NAME, "AAAA"),
        (POOL_NAME, "DHCID"),
        (got_pool.reverse_pointer + ".", "PTR"),
        (got_pool.reverse_pointer + ".", "DHCID"),  # Kea marks its PTR as its own too
    }

    # the kit's names answer as the zone files say
    assert _dig(router, "prn.lab.example.", "AAAA") == [str(prn)]
    assert _dig(router, "prn.lab.example.", "A") == ["10.0.130.7"]
    assert _dig(router, prn.reverse_pointer, "PTR") == ["prn.lab.example."]
    assert _dig(router, "kiosk.lab.example.", "AAAA") == [str(kiosk)]
    assert _dig(router, kiosk.reverse_pointer, "PTR") == ["kiosk.lab.example."]
    assert _dig(router, "hv1.lab.example.", "AAAA") == [str(hv1)]  # never the iSCSI lease
    assert _dig(router, hv1_iscsi.reverse_pointer, "PTR") == []
    assert _dig(router, "prn.lab.example.", "DHCID") == []


def test_a_pool_client_cannot_take_a_name_the_kit_owns(lab: netlab.NetLab, tmp_path: Path) -> None:
    """Conflict resolution is the guard for the one case an update may be refused, and should
    be: a pool client asking for a reserved host's name. BIND refuses it (the name is in use
    and has no DHCID of Kea's), and the kit's records stay as they were."""
    r = _router(lab, tmp_path)
    prn = r.planned("prn")
    printers = r.vlan(130)
    assert printers.pool is not None
    got = _lease(lab.dhclient(r.clients[THIEF_MAC], tmp_path, fqdn="prn.lab.example."))
    assert got in printers.pool
    failed = netlab.poll_until(
        lambda: _entries(r.d2.log_text(), "DHCP_DDNS_ADD_FAILED"),
        what="kea-dhcp-ddns to give up on the update",
        timeout=TIMEOUT,
    )
    assert len(failed) == 1
    assert _entries(r.d2.log_text(), "DHCP_DDNS_FORWARD_REPLACE_REJECTED")
    assert "'name not in use' prerequisite not satisfied (YXDOMAIN)" in r.named.log_text()
    assert NAMED_ADD.findall(r.named.log_text()) == []  # nothing was changed
    assert _dig(r.ns, "prn.lab.example.", "AAAA") == [str(prn)]
    assert _dig(r.ns, "prn.lab.example.", "DHCID") == []
    assert _dig(r.ns, got.reverse_pointer, "PTR") == []

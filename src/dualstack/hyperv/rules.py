"""The doctor's rules: each reads the cluster (every node's :class:`Host`) and returns findings
with a stable id, the evidence it looked at, what is wrong in plain words, and the PowerShell
that fixes it.

The purpose of each network is read from the hosts themselves, never from names alone:
iSCSI networks are those an iSCSI connection leaves from; live-migration networks those in
``Get-VMMigrationNetwork``; the management adapter is the one named like it (``Management``,
``Mgmt``), else the one with the IPv4 default gateway.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from ipaddress import ip_network

from dualstack.emit.quoting import powershell
from dualstack.findings import Finding, Rule, RuleBook, Severity
from dualstack.hyperv.model import ClusterNetwork, Host, IPNetwork

_MANAGEMENT = re.compile(r"manag|mgmt", re.IGNORECASE)
ROLE_NAMES = {
    0: "None (0)",
    1: "Cluster only (1)",
    2: "Client only (2)",
    3: "Cluster and client (3)",
}


@dataclass(frozen=True)
class Cluster:
    """All nodes, with what the rules derive from them once."""

    hosts: tuple[Host, ...]

    @cached_property
    def networks(self) -> dict[str, tuple[str, ...]]:
        """Subnet text -> the hosts that have a cluster network on it."""
        out: dict[str, list[str]] = {}
        for host in self.hosts:
            for net in host.cluster_networks:
                for subnet in net.subnets:
                    out.setdefault(str(subnet), []).append(host.name)
        return {k: tuple(v) for k, v in out.items()}

    def iscsi_subnets(self, host: Host) -> set[IPNetwork]:
        """Subnets an iSCSI connection of ``host`` leaves from."""
        out = set()
        for session in host.iscsi_sessions:
            for connection in session.connections:
                for address in host.addresses:
                    if connection.initiator is not None and connection.initiator == address.address:
                        out.add(address.network)
        return out

    @cached_property
    def storage_subnets(self) -> set[IPNetwork]:
        """Subnets any node's iSCSI connections leave from (a network is storage for the whole
        cluster even where one node lost its path)."""
        return set().union(*(self.iscsi_subnets(h) for h in self.hosts))

    def management(self, host: Host) -> str | None:
        """The management adapter's name (see the module docstring)."""
        named = [a.name for a in host.adapters if _MANAGEMENT.search(a.name)]
        if named:
            return named[0]
        gateways = [r.alias for r in host.default_routes if r.destination == "0.0.0.0/0"]
        return gateways[0] if gateways else None

    def network_of(self, host: Host, alias: str) -> ClusterNetwork | None:
        """The cluster network ``alias``'s addresses belong to."""
        for address in host.adapter_addresses(alias):
            for net in host.cluster_networks:
                if any(address.address in s for s in net.subnets):
                    return net
        return None

    def adapters_on(self, host: Host, subnet: IPNetwork) -> list[str]:
        return sorted({a.alias for a in host.addresses if a.address in subnet})


def ps(value: str) -> str:
    """A value as a PowerShell literal for a fix command (quotes doubled; control characters,
    which no adapter name should hold, replaced)."""
    return powershell("".join(c if ord(c) >= 32 and ord(c) != 127 else "?" for c in value))


RULES: RuleBook[Cluster] = RuleBook("hyperv rule")


def check(hosts: Iterable[Host]) -> list[Finding]:
    """Every rule over the cluster; findings in rule order."""
    cluster = Cluster(tuple(hosts))
    return [finding for _, found in RULES.run(cluster) for finding in found]


@RULES.check("HV-DATA-001", Severity.WARNING)
def truncated_values(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """Values cut off by `ConvertTo-Json -Depth`: re-run the collector."""
    for host in cluster.hosts:
        if host.truncated:
            yield found(
                host.name,
                "Some values were cut off by ConvertTo-Json (they read 'System.Object[]'), so "
                "rules that need them may miss problems on this node.",
                fix=(
                    "Run the collector again as shipped (it uses -Depth 6); do not re-export its "
                    "file with a smaller -Depth."
                ),
                evidence=(f"{host.source}: {t}" for t in host.truncated),
            )


@RULES.check("HV-NET-001", Severity.ERROR)
def networks_differ(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """A cluster network has no adapter on some node."""
    subnets = sorted(
        {s for h in cluster.hosts for n in h.cluster_networks for s in n.subnets}, key=str
    )
    for subnet in subnets:
        present = [h.name for h in cluster.hosts if cluster.adapters_on(h, subnet)]
        missing = [h.name for h in cluster.hosts if not cluster.adapters_on(h, subnet)]
        if missing and present:
            yield found(
                str(subnet),
                f"Cluster network {subnet} has an adapter on {', '.join(present)} but none on "
                f"{', '.join(missing)}: traffic the cluster sends over it (heartbeats, CSV, "
                "live migration) has no path to those nodes.",
                fix=(
                    f"On {', '.join(missing)}: give the adapter for this network an address in "
                    f"{subnet} (New-NetIPAddress -InterfaceAlias <adapter> -IPAddress <address> "
                    f"-PrefixLength {subnet.prefixlen}), then check Get-ClusterNetworkInterface."
                ),
                evidence=[
                    *(f"{h}: adapter in {subnet}" for h in present),
                    *(f"{h}: no adapter in {subnet}" for h in missing),
                ],
            )


def _per_network(cluster: Cluster, value: Callable[[Host, str], object | None]):  # type: ignore[no-untyped-def]
    """For each cluster subnet: {host: (adapter, value)} of the adapters on it."""
    table: dict[str, dict[str, tuple[str, object | None]]] = {}
    for host in cluster.hosts:
        for net in host.cluster_networks:
            for subnet in net.subnets:
                for alias in cluster.adapters_on(host, subnet):
                    table.setdefault(str(subnet), {})[host.name] = (alias, value(host, alias))
    return table


@RULES.check("HV-NET-002", Severity.ERROR)
def jumbo_differs(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """Jumbo frame size differs on one network."""

    def jumbo(host: Host, alias: str) -> object | None:
        return dict(host.jumbo).get(alias)

    for subnet, seen in sorted(_per_network(cluster, jumbo).items()):
        values = {v for _, v in seen.values() if v is not None}
        if len(values) > 1:
            evidence = [f"{h}: {a} *JumboPacket {v}" for h, (a, v) in sorted(seen.items())]
            yield found(
                subnet,
                f"Jumbo frames differ on network {subnet} ({', '.join(map(str, sorted(values)))}): "
                "large packets from one node are dropped by the other, which shows up as stalled "
                "live migrations, CSV redirection or iSCSI timeouts rather than a clean error.",
                fix=(
                    "Set the same size everywhere on this network, e.g. "
                    "Set-NetAdapterAdvancedProperty -Name <adapter> -RegistryKeyword "
                    "'*JumboPacket' -RegistryValue 9014 (and the "
                    "switch ports to match)."
                ),
                evidence=evidence,
            )


@RULES.check("HV-NET-003", Severity.WARNING)
def speed_differs(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """Link speed differs on one network."""

    def speed(host: Host, alias: str) -> object | None:
        return next((a.speed for a in host.adapters if a.name == alias), None)

    for subnet, seen in sorted(_per_network(cluster, speed).items()):
        values = {v for _, v in seen.values() if v is not None}
        if len(values) > 1:
            evidence = [f"{h}: {a} {_bps(v)}" for h, (a, v) in sorted(seen.items())]
            yield found(
                subnet,
                f"Link speeds differ on network {subnet}: the slowest node sets the pace of live "
                "migration and CSV traffic, and a NIC that negotiated down is often a bad cable "
                "or port.",
                fix=(
                    "Check the cabling and switch ports (Get-NetAdapter | Format-Table Name, "
                    "LinkSpeed); fix the link that negotiated a lower speed."
                ),
                evidence=evidence,
            )


def _bps(value: object | None) -> str:
    if not isinstance(value, int):
        return "unknown"
    for unit, size in (("Gbps", 10**9), ("Mbps", 10**6)):
        if value >= size:
            return f"{value / size:g} {unit}"
    return f"{value} bps"


@RULES.check("HV-NET-004", Severity.ERROR)
def shared_subnet(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """Two adapters of a node in one subnet, iSCSI paths aside."""
    for host in cluster.hosts:
        iscsi = cluster.iscsi_subnets(host)
        by_subnet: dict[IPNetwork, list[str]] = {}
        for address in host.addresses:
            if address.address.is_link_local or address.address.is_loopback:
                continue
            by_subnet.setdefault(address.network, [])
            if address.alias not in by_subnet[address.network]:
                by_subnet[address.network].append(address.alias)
        for subnet, aliases in sorted(by_subnet.items(), key=lambda kv: str(kv[0])):
            if len(aliases) < 2 or subnet in iscsi:
                continue
            yield found(
                f"{host.name} {subnet}",
                f"{host.name} has {len(aliases)} adapters in {subnet} ({', '.join(aliases)}). "
                + (
                    "Windows Server 2016 and later support this (SMB multichannel), but the "
                    "cluster treats them as one network."
                    if host.modern
                    else "Before Windows Server 2016 the cluster uses only one adapter per "
                    "subnet; the other carries no cluster traffic and may answer ARP for the "
                    "wrong address."
                ),
                fix="Give each adapter its own subnet (one network per role), or team them.",
                evidence=(f"{host.name}: {a} in {subnet}" for a in aliases),
                severity=Severity.INFO if host.modern else None,
            )


def _expected_role(cluster: Cluster, host: Host, net: ClusterNetwork) -> tuple[int, str]:
    if any(s in cluster.storage_subnets for s in net.subnets):
        return 0, "iSCSI"
    management = cluster.management(host)
    if management is not None and cluster.network_of(host, management) == net:
        return 3, "management"
    return 1, "cluster (heartbeat, CSV, live migration)"


@RULES.check("HV-ROLE-001", Severity.ERROR)
def roles(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """Cluster role not None (0) for iSCSI, Cluster and client (3) for management, Cluster only (1)
    for the rest."""
    seen: set[str] = set()
    for host in cluster.hosts:
        for net in host.cluster_networks:
            if net.id in seen or net.role is None:
                continue
            expected, purpose = _expected_role(cluster, host, net)
            if net.role == 0 and expected == 1 and not cluster.storage_subnets:
                continue  # no iSCSI data at all: a role-0 network may well be storage
            if net.role != expected:
                seen.add(net.id)
                yield found(
                    net.name,
                    f"Cluster network '{net.name}' carries {purpose} traffic but has role "
                    f"{ROLE_NAMES.get(net.role, net.role)}; it should be "
                    f"{ROLE_NAMES[expected]}."
                    + (
                        " The cluster would send heartbeats and CSV redirection over the storage "
                        "paths."
                        if expected == 0
                        else ""
                    ),
                    fix=f"(Get-ClusterNetwork -Name {ps(net.name)}).Role = {expected}",
                    evidence=[
                        f"{host.name}: {net.name} {', '.join(map(str, net.subnets))} "
                        f"role {net.role}",
                    ],
                )


@RULES.check("HV-BIND-001", Severity.ERROR)
def management_first(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """Management adapter not first: the binding order before 2016, the lowest IPv4 interface
    metric from 2016."""
    for host in cluster.hosts:
        management = cluster.management(host)
        if management is None:
            continue
        if not host.modern:
            visible = [b for b in host.binding_order if b in {a.name for a in host.adapters}]
            if visible and visible[0] != management:
                yield found(
                    host.name,
                    f"On {host.name} the adapter binding order starts with "
                    f"'{visible[0]}', not the management adapter '{management}'. The "
                    "cluster then resolves and registers the node through the wrong network; the "
                    "classic symptom is live migration failing (events 21126/21111, 'A cluster "
                    "network is not available') while quick migration works.",
                    fix=(
                        "Move the management adapter to the top: ncpa.cpl, Alt, Advanced, "
                        "Advanced Settings, Adapters and Bindings (or edit "
                        "HKLM:\\SYSTEM\\CurrentControlSet\\"
                        "Services\\Tcpip\\Linkage\\Bind), then restart the cluster service node "
                        "by node."
                    ),
                    evidence=[
                        f"{host.name}: binding order {', '.join(host.binding_order)}",
                    ],
                )
            continue
        metrics = {
            i.alias: i.metric
            for i in host.interfaces
            if i.family == 4
            and i.metric is not None
            and any(_routable(a.address) for a in host.adapter_addresses(i.alias))
        }
        if management in metrics:
            lowest = min(metrics.values())
            if metrics[management] > lowest:
                better = sorted(a for a, m in metrics.items() if m == lowest)
                yield found(
                    host.name,
                    f"On {host.name} the management adapter '{management}' has interface metric "
                    f"{metrics[management]}, higher than {', '.join(better)} ({lowest}). Since "
                    "Windows Server 2016 the metric plays the part of the old binding order: the "
                    "node answers for its name through the wrong network, and live migration can "
                    "fail with 'A cluster network is not available for this operation'.",
                    fix=(
                        f"Set-NetIPInterface -InterfaceAlias {ps(management)} -InterfaceMetric "
                        f"{max(1, lowest - 5)}   # lower wins; this turns AutomaticMetric off"
                    ),
                    evidence=(f"{host.name}: {a} metric {m}" for a, m in sorted(metrics.items())),
                )


@RULES.check("HV-LM-001", Severity.ERROR)
def migration_enabled(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """Live migration disabled on a node."""
    for host in cluster.hosts:
        if host.migration.enabled is False:
            yield found(
                host.name,
                f"Live migration is disabled on {host.name}: VMs cannot move to or from it "
                "without downtime.",
                fix="Enable-VMMigration; Set-VMHost -UseAnyNetworkForMigration $false",
                evidence=[
                    f"{host.name}: VirtualMachineMigrationEnabled False",
                ],
            )


def _migration_subnets(host: Host) -> set[str]:
    return {str(subnet) for subnet, _ in host.migration.networks}


@RULES.check("HV-LM-002", Severity.ERROR)
def common_migration_network(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """No live-migration network common to all nodes (unless they use any network)."""
    scoped = [
        h
        for h in cluster.hosts
        if h.migration.any_network is not True and _known(h)  # unknown: Hyper-V not collected
    ]
    if len(scoped) < 2:
        return
    common = set.intersection(*(_migration_subnets(h) for h in scoped))
    if not common:
        yield found(
            "live migration",
            "No live-migration network is common to all nodes: a migration between nodes "
            "whose lists do not overlap fails with event 21126 ('Failed to get the network "
            "address for the destination node') and 21111 on the destination.",
            fix=(
                "On every node: Add-VMMigrationNetwork <the live-migration subnet>, e.g. "
                "Add-VMMigrationNetwork 10.10.20.0/24"
            ),
            evidence=(
                f"{h.name}: {', '.join(sorted(_migration_subnets(h))) or 'none'}" for h in scoped
            ),
        )


@RULES.check("HV-LM-003", Severity.ERROR)
def migration_over_iscsi(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """Live migration over an iSCSI network."""
    for host in cluster.hosts:
        iscsi = {str(s) for s in cluster.iscsi_subnets(host)}
        for subnet in sorted(_migration_subnets(host) & iscsi):
            yield found(
                f"{host.name} {subnet}",
                f"{host.name} live-migrates over {subnet}, an iSCSI network: migration traffic "
                "then competes with storage I/O and can stall the disks of running VMs.",
                fix=(
                    f"Remove-VMMigrationNetwork {subnet}; "
                    "Add-VMMigrationNetwork <the live-migration subnet>"
                ),
                evidence=[
                    f"{host.name}: VMMigrationNetwork {subnet}",
                    f"{host.name}: iSCSI connections leave from {subnet}",
                ],
            )


@RULES.check("HV-LM-004", Severity.WARNING)
def migration_order(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """MigrationNetworkOrder / MigrationExcludeNetworks disagree with Get-VMMigrationNetwork (live-
    migration network excluded, iSCSI not excluded, another network first, unknown ids)."""
    for host in cluster.hosts:
        ids = {n.id: n for n in host.cluster_networks}
        excluded = set(_ids(host.parameter("MigrationExcludeNetworks")))
        order = _ids(host.parameter("MigrationNetworkOrder"))
        if not ids or (not excluded and not order):
            continue
        migration = _migration_subnets(host)
        wanted = [n for n in host.cluster_networks if {str(s) for s in n.subnets} & migration]
        iscsi = {str(s) for s in cluster.iscsi_subnets(host)}
        problems = [
            f"network '{n.name}' is a live-migration network but is excluded"
            for n in wanted
            if n.id in excluded and not {str(s) for s in n.subnets} & iscsi  # HV-LM-003's
        ]
        problems += [
            f"iSCSI network '{ids[i].name}' is not excluded"
            for i in ids
            if {str(s) for s in ids[i].subnets} & iscsi and i not in excluded
        ]
        allowed = [i for i in order if i in ids and i not in excluded]
        if wanted and allowed and allowed[0] not in {n.id for n in wanted}:
            problems.append(f"'{ids[allowed[0]].name}' comes before the live-migration network")
        problems += [f"unknown network id {i}" for i in sorted((excluded | set(order)) - set(ids))]
        if problems:
            yield found(
                host.name,
                "The cluster's live-migration network settings (the Virtual Machine resource "
                "type's MigrationNetworkOrder / MigrationExcludeNetworks) disagree with "
                f"Get-VMMigrationNetwork: {'; '.join(problems)}.",
                fix=(
                    "Failover Cluster Manager, Networks, Live Migration Settings: tick only the "
                    "live-migration network(s), put them first; or "
                    "Get-ClusterResourceType 'Virtual Machine' | Set-ClusterParameter -Name "
                    "MigrationExcludeNetworks -Value "
                    "'<id>;<id>'"
                ),
                evidence=[
                    f"{host.name}: MigrationNetworkOrder {host.parameter('MigrationNetworkOrder')}",
                    f"{host.name}: MigrationExcludeNetworks "
                    f"{host.parameter('MigrationExcludeNetworks')}",
                ],
            )


def _known(host: Host) -> bool:
    """Whether the node's Hyper-V settings were collected at all."""
    return host.migration.enabled is not None or host.migration.any_network is not None


def _routable(address: object) -> bool:
    """An address that carries names and client traffic (not loopback or link-local, such as
    the cluster's hidden NetFT adapter's 169.254/16 and fe80::)."""
    return not (address.is_loopback or address.is_link_local)  # type: ignore[attr-defined]


def _ids(value: str | None) -> list[str]:
    if not value:
        return []
    return [p.strip().strip("{}").lower() for p in re.split(r"[;,\s]+", value) if p.strip()]


@RULES.check("HV-LM-005", Severity.WARNING)
def migration_settings(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """Authentication (CredSSP/Kerberos) and performance option (TCP/IP, compression, SMB) differ
    between nodes; otherwise reported."""
    settings = {
        h.name: (h.migration.authentication, h.migration.performance)
        for h in cluster.hosts
        if h.migration.authentication is not None or h.migration.performance is not None
    }
    distinct = set(settings.values())
    evidence = [
        f"{n}: authentication {a}, performance option {p}" for n, (a, p) in sorted(settings.items())
    ]
    if len(distinct) > 1:
        yield found(
            "live migration",
            "Nodes use different live-migration authentication or performance options: a "
            "migration between a Kerberos node and a CredSSP node, or to a node that does not "
            "accept SMB, fails or falls back.",
            fix=(
                "Set-VMHost -VirtualMachineMigrationAuthenticationType Kerberos "
                "-VirtualMachineMigrationPerformanceOption SMB   # on every node"
            ),
            evidence=evidence,
        )
    elif distinct and None not in next(iter(distinct)):
        auth, performance = next(iter(distinct))
        yield found(
            "live migration",
            f"All nodes: authentication {auth}, performance option {performance}."
            + (
                " Kerberos needs constrained delegation of 'cifs' and 'Microsoft Virtual System "
                "Migration Service' between the nodes' computer accounts."
                if auth == "Kerberos"
                else ""
            ),
            evidence=evidence,
            severity=Severity.INFO,
        )


@RULES.check("HV-DNS-001", Severity.WARNING)
def dns_registration(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """An adapter other than management registers in DNS."""
    for host in cluster.hosts:
        management = cluster.management(host)
        iscsi = cluster.iscsi_subnets(host)
        for alias, registers in host.dns_register:
            own = [a for a in host.adapter_addresses(alias) if _routable(a.address)]
            if not registers or alias == management or not own:
                continue
            if any(a.network in iscsi for a in host.adapter_addresses(alias)):
                continue  # reported by HV-ISCSI-004
            yield found(
                f"{host.name} {alias}",
                f"'{alias}' on {host.name} registers its addresses in DNS: clients and the other "
                "nodes may resolve the node's name to a cluster-only address they cannot reach.",
                fix=(
                    f"Set-DnsClient -InterfaceAlias {ps(alias)} "
                    "-RegisterThisConnectionsAddress $false"
                ),
                evidence=[
                    f"{host.name}: {alias} RegisterThisConnectionsAddress True",
                ],
            )


@RULES.check("HV-GW-001", Severity.WARNING)
def gateways(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """An adapter other than management has a default gateway."""
    for host in cluster.hosts:
        management = cluster.management(host)
        iscsi = cluster.iscsi_subnets(host)
        for route in host.default_routes:
            if route.alias == management:
                continue
            if any(a.network in iscsi for a in host.adapter_addresses(route.alias)):
                continue  # reported by HV-ISCSI-004
            yield found(
                f"{host.name} {route.alias}",
                f"'{route.alias}' on {host.name} has a default gateway ({route.next_hop}): with "
                "two default routes, traffic for other networks may leave by the wrong adapter.",
                fix=(
                    f"Remove-NetRoute -InterfaceAlias {ps(route.alias)} -DestinationPrefix "
                    f"{ps(route.destination)} -Confirm:$false"
                ),
                evidence=[
                    f"{host.name}: {route.alias} {route.destination} via {route.next_hop}",
                ],
            )


@RULES.check("HV-ISCSI-001", Severity.ERROR)
def mcs_mixed_families(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """An MCS session mixes IPv4 and IPv6 connections (the Microsoft initiator does not support
    it)."""
    for host in cluster.hosts:
        for session in host.iscsi_sessions:
            families = {c.initiator.version for c in session.connections if c.initiator}
            families |= {c.target.version for c in session.connections if c.target}
            if len(families) > 1:
                yield found(
                    f"{host.name} {session.target}",
                    "An MCS session mixes IPv4 and IPv6 connections; the Microsoft iSCSI "
                    "Initiator does not support that, and the session fails or loses "
                    "connections.",
                    fix=(
                        "Use one family per session: Disconnect-IscsiTarget -SessionIdentifier "
                        f"{ps(session.id)}, then reconnect each path with portals of one family "
                        "(better: MPIO with one connection per session)."
                    ),
                    evidence=(
                        f"{host.name}: session {session.id} {c.initiator} -> {c.target}"
                        for c in session.connections
                    ),
                )


@RULES.check("HV-ISCSI-002", Severity.WARNING)
def mcs_with_mpio(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """MCS and MPIO on one target."""
    for host in cluster.hosts:
        by_target: dict[str, list[int]] = {}
        for session in host.iscsi_sessions:
            by_target.setdefault(session.target, []).append(len(session.connections))
        for target, counts in sorted(by_target.items()):
            if len(counts) > 1 and max(counts) > 1:
                yield found(
                    f"{host.name} {target}",
                    "This target is reached with MPIO (several sessions) and MCS (several "
                    "connections in one session) at once; Microsoft supports either, not both on "
                    "one target, and failover behaves unpredictably.",
                    fix=(
                        "Keep MPIO: reconnect each session with a single connection "
                        "(Connect-IscsiTarget -IsMultipathEnabled $true ... per portal)."
                    ),
                    evidence=(
                        f"{host.name}: {target} session with {c} connection(s)" for c in counts
                    ),
                )


@RULES.check("HV-ISCSI-003", Severity.ERROR)
def iscsi_paths(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """Fewer than two paths to a target, or both paths on one adapter or subnet."""
    for host in cluster.hosts:
        paths: dict[str, set[tuple[str, str]]] = {}
        for session in host.iscsi_sessions:
            for c in session.connections:
                if c.initiator is None:
                    continue
                alias = next((a.alias for a in host.addresses if a.address == c.initiator), "?")
                subnet = next(
                    (str(a.network) for a in host.addresses if a.address == c.initiator), "?"
                )
                paths.setdefault(session.target, set()).add((alias, subnet))
        for target, used in sorted(paths.items()):
            adapters = {a for a, _ in used}
            subnets = {s for _, s in used}
            if len(adapters) < 2 or len(subnets) < 2:
                yield found(
                    f"{host.name} {target}",
                    f"{host.name} reaches {target} over "
                    f"{'one path' if len(used) < 2 else 'paths that share one adapter or subnet'}: "
                    "a single NIC, cable or switch failure takes the storage (and every VM on it) "
                    "down.",
                    fix=(
                        "Connect a second session from the other iSCSI adapter and subnet: "
                        "Connect-IscsiTarget -NodeAddress <iqn> -IsMultipathEnabled $true "
                        "-InitiatorPortalAddress <second adapter's address> -TargetPortalAddress "
                        "<portal on that subnet> -IsPersistent $true"
                    ),
                    evidence=(f"{host.name}: {target} via {a} ({s})" for a, s in sorted(used)),
                )


@RULES.check("HV-ISCSI-004", Severity.WARNING)
def iscsi_adapter_hygiene(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """An iSCSI adapter with file sharing bound, DNS registration or a gateway."""
    for host in cluster.hosts:
        iscsi = cluster.iscsi_subnets(host)
        aliases = sorted({a.alias for a in host.addresses if a.network in iscsi})
        register = dict(host.dns_register)
        for alias in aliases:
            extra = sorted(
                b.component
                for b in host.bindings
                if b.adapter == alias and b.enabled and b.component in ("ms_msclient", "ms_server")
            )
            problems = [f"{c} bound" for c in extra]
            if register.get(alias):
                problems.append("registers in DNS")
            problems += [
                f"default gateway {r.next_hop}" for r in host.default_routes if r.alias == alias
            ]
            if problems:
                fixes = [
                    f"Disable-NetAdapterBinding -Name {ps(alias)} -ComponentID {c}" for c in extra
                ]
                if register.get(alias):
                    fixes.append(
                        f"Set-DnsClient -InterfaceAlias {ps(alias)} "
                        "-RegisterThisConnectionsAddress $false"
                    )
                fixes += [
                    f"Remove-NetRoute -InterfaceAlias {ps(alias)} -DestinationPrefix "
                    f"{ps(r.destination)} -Confirm:$false"
                    for r in host.default_routes
                    if r.alias == alias
                ]
                yield found(
                    f"{host.name} {alias}",
                    f"iSCSI adapter '{alias}' on {host.name}: {', '.join(problems)}. Storage "
                    "adapters should carry iSCSI only: file sharing, DNS registration and a "
                    "gateway invite other traffic onto the storage path.",
                    fix="; ".join(fixes),
                    evidence=(f"{host.name}: {alias} {p}" for p in problems),
                )


@RULES.check("HV-IPV6-001", Severity.WARNING)
def ipv6_bound(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """IPv6 (`ms_tcpip6`) unbound where IPv4 is bound (disabling IPv6 is unsupported for
    clusters)."""
    for host in cluster.hosts:
        unbound = sorted(
            b.adapter
            for b in host.bindings
            if b.component == "ms_tcpip6"
            and not b.enabled
            and any(
                c.component == "ms_tcpip" and c.enabled and c.adapter == b.adapter
                for c in host.bindings
            )
        )
        if unbound:
            yield found(
                host.name,
                f"IPv6 (ms_tcpip6) is unbound from {', '.join(unbound)} on {host.name}. Microsoft "
                "does not support clusters with IPv6 disabled: the cluster's own traffic uses "
                "IPv6 link-local addresses, and unbinding it has broken heartbeats and "
                "live migration after updates.",
                fix=(
                    "; ".join(
                        f"Enable-NetAdapterBinding -Name {ps(a)} -ComponentID ms_tcpip6"
                        for a in unbound
                    )
                ),
                evidence=(f"{host.name}: {a} ms_tcpip6 disabled" for a in unbound),
            )


# Automatic tunnels: (name, the posture field, the cmdlet that turns it off, the
# DisabledComponents bit that does, the first build where Microsoft turned it off by default:
# Windows 10 / Server 1607 for 6to4, 1703 for ISATAP, 1803 for Teredo). A tunnel is on when
# configured on, or when the host holds one of its addresses (Default leaves it to the build
# and the network: 6to4 needs a public IPv4 address, ISATAP a resolvable router, Teredo an
# unmanaged network).
_TUNNELS = (
    ("6to4", "sixtofour", "Set-Net6to4Configuration -State Disabled", 0x02, 14393),
    ("ISATAP", "isatap", "Set-NetIsatapConfiguration -State Disabled", 0x04, 15063),
    ("Teredo", "teredo", "Set-NetTeredoConfiguration -Type Disabled", 0x08, 17134),
)
_TUNNEL_PREFIXES = {"6to4": ip_network("2002::/16"), "Teredo": ip_network("2001::/32")}


def _build(host: Host) -> int:
    return host.os_version[2] if len(host.os_version) > 2 else 0


def _tunnel_on(name: str, state: str | None) -> str | None:
    """The configured state that turns tunnel ``name`` on; None for Disabled and for Default
    (which depends on the build and the network: only an address of the tunnel shows it is
    up, see :func:`_tunnel_addresses`)."""
    if state is None or state in ("Disabled", "Default"):
        return None
    return f"{name} {'type' if name == 'Teredo' else 'state'} {state}"


def _tunnel_addresses(host: Host, name: str) -> list[str]:
    """Addresses of tunnel ``name`` the host holds (ISATAP: the ::5efe: interface ID)."""
    out = []
    for a in host.addresses:
        if a.address.version != 6:
            continue
        prefix = _TUNNEL_PREFIXES.get(name)
        isatap = (int(a.address) >> 32) & 0xFDFFFFFF == 0x00005EFE
        if (prefix is not None and a.address in prefix) or (name == "ISATAP" and isatap):
            out.append(f"{a.alias} {a.address}")
    return out


@RULES.check("HV-IPV6-002", Severity.WARNING)
def transition_tunnels(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """6to4, ISATAP or Teredo on: servers should not reach IPv6 through automatic tunnels."""
    for host in cluster.hosts:
        posture = host.posture
        off = posture.disabled_components or 0
        reasons, fixes = [], []
        for name, field, cmdlet, bit, first_off in _TUNNELS:
            if off & (0x01 | bit):
                continue  # DisabledComponents turns it off whatever its state
            state = getattr(posture, field)
            why = _tunnel_on(name, state)
            seen = _tunnel_addresses(host, name)
            if why is None and not seen:
                continue
            reasons += [why] if why else []
            reasons += [f"{name} address on {s}" for s in seen]
            if state == "Default" and seen and _build(host) < first_off:
                reasons.append(f"{name} state Default: on by default before build {first_off}")
            fixes.append(cmdlet)
        if fixes:
            yield found(
                host.name,
                f"Automatic IPv6 transition tunnels are on on {host.name}: "
                f"{', '.join(dict.fromkeys(r.split()[0] for r in reasons))}. A server reached "
                "through them takes IPv6 paths nobody planned (6to4 and Teredo relays on the "
                "internet), and their addresses land in DNS and in the cluster's address lists.",
                fix="; ".join(fixes)
                + " (or DisabledComponents 0x01: `dualstack windows components --want "
                "tunnels-off`, then restart)",
                evidence=(f"{host.name}: {r}" for r in reasons),
            )


@RULES.check("HV-IPV6-003", Severity.WARNING)
def ipv6_components_off(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """DisabledComponents turns IPv6 off on the LAN interfaces (0x10, 0xff)."""
    from dualstack.windows import decode, want

    for host in cluster.hosts:
        value = host.posture.disabled_components
        if not value or not value & 0x10:
            continue
        read = decode(value)
        better = want(["prefer-ipv4"], value & 0x20)
        yield found(
            host.name,
            f"DisabledComponents {read.hex} on {host.name} turns IPv6 off on its LAN "
            "interfaces. Microsoft does not recommend disabling IPv6 (some Windows components "
            "may not work; the cluster's own traffic uses IPv6 link-local addresses); to make "
            "the host prefer IPv4, 0x20 is the documented value.",
            fix=f"{better.reg_add}, then restart (or remove the value to turn every "
            "component back on)",
            evidence=[f"{host.name}: DisabledComponents {read.hex}", *read.warnings],
        )


def _prefers_ipv4(host: Host) -> str | None:
    """Why the host's address selection puts IPv4 before IPv6, or None."""
    policies = {str(p.prefix): p for p in host.posture.prefix_policies}
    mapped, default = policies.get("::ffff:0:0/96"), policies.get("::/0")
    if mapped is not None and default is not None and mapped.precedence > default.precedence:
        return (
            f"prefix policy ::ffff:0:0/96 precedence {mapped.precedence} above ::/0 "
            f"{default.precedence}"
        )
    value = host.posture.disabled_components
    if value and value & 0x20:
        return f"DisabledComponents {value:#x} has 0x20 (prefer IPv4)"
    return None


@RULES.check("HV-IPV6-004", Severity.INFO)
def prefers_ipv4(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """A node's prefix policies make it prefer IPv4 over IPv6 (and whether the nodes agree)."""
    why = {host.name: _prefers_ipv4(host) for host in cluster.hosts}
    known = [h for h in cluster.hosts if h.posture.prefix_policies or h.posture.disabled_components]
    others = sorted(h.name for h in known if why[h.name] is None)
    for host in cluster.hosts:
        reason = why[host.name]
        if reason is None:
            continue
        differ = f" Unlike this node, {', '.join(others)} prefer(s) IPv6." if others else ""
        yield found(
            host.name,
            f"{host.name} prefers IPv4 over IPv6 when a name has both (RFC 6724 rule 6, by its "
            f"prefix policies).{differ}",
            fix="Keep it if intended (it is what Microsoft suggests instead of disabling IPv6); "
            "to prefer IPv6 again: `dualstack windows components --want prefer-ipv6` on the "
            "current value, then restart",
            evidence=[f"{host.name}: {reason}"],
        )


@RULES.check("HV-IPV6-005", Severity.INFO)
def random_identifiers(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """SLAAC addresses with random interface IDs: no plan can predict them."""
    for host in cluster.hosts:
        if host.posture.randomize_identifiers != "Enabled":
            continue
        yield found(
            host.name,
            f"{host.name} forms its SLAAC addresses with random interface IDs "
            "(RandomizeIdentifiers Enabled, the Windows default): an address plan, DNS or a "
            "firewall rule cannot know them in advance, and an EUI-64 prediction for this host "
            "would publish an address it never has.",
            fix="Give servers static or DHCPv6 addresses, or form EUI-64 IDs: "
            "Set-NetIPv6Protocol -RandomizeIdentifiers Disabled (new addresses after the "
            "adapters restart)",
            evidence=[f"{host.name}: Get-NetIPv6Protocol RandomizeIdentifiers Enabled"],
        )


@RULES.check("HV-IPV6-006", Severity.WARNING)
def temporary_addresses(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """Temporary (privacy) addresses on a server: its connections leave from them."""
    for host in cluster.hosts:
        state = host.posture.temporary_addresses
        if state not in ("Enabled", "Always"):
            continue
        yield found(
            host.name,
            f"{host.name} uses temporary IPv6 addresses (UseTemporaryAddresses {state}). "
            "Source address selection prefers them (RFC 6724 rule 7), so the server's own "
            "connections (to storage, domain controllers, updates) leave from addresses that "
            "change every day and match no DNS record, ACL or log filter.",
            fix="Set-NetIPv6Protocol -UseTemporaryAddresses Disabled",
            evidence=[f"{host.name}: Get-NetIPv6Protocol UseTemporaryAddresses {state}"],
        )


@RULES.check("HV-VSW-001", Severity.WARNING)
def switch_uplinks(cluster: Cluster, found: Rule) -> Iterable[Finding]:
    """An external switch's uplink has host protocols bound besides `vms_pp`."""
    for host in cluster.hosts:
        for switch in host.switches:
            for description in switch.adapter_descriptions:
                adapter = next((a for a in host.adapters if a.description == description), None)
                if adapter is None:
                    continue
                extra = sorted(
                    b.component
                    for b in host.bindings
                    if b.adapter == adapter.name and b.enabled and b.component != "vms_pp"
                )
                if extra and not switch.management_os:
                    yield found(
                        f"{host.name} {adapter.name}",
                        f"'{adapter.name}' is the uplink of external switch '{switch.name}' but "
                        f"also has {', '.join(extra)} bound: the host itself talks on the VM "
                        "network through it.",
                        fix=(
                            "; ".join(
                                f"Disable-NetAdapterBinding -Name {ps(adapter.name)} "
                                f"-ComponentID {c}"
                                for c in extra
                            )
                        ),
                        evidence=(f"{host.name}: {adapter.name} {c} enabled" for c in extra),
                    )


__all__ = ["RULES", "Cluster", "check"]

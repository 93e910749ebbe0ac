"""Plan against what the network does: which planned IPv6 addresses hosts really formed,
which unplanned ones they use, what DNS holds, and which leases went to unknown clients
(:func:`reconcile`)."""

from dualstack.reconcile.compare import HostRow, Report, reconcile, site_prefixes
from dualstack.reconcile.observed import (
    Leases,
    Seen,
    in_log,
    kea_leases6,
    lease_file,
    neighbours,
    read_neighbours,
)

__all__ = [
    "HostRow",
    "Leases",
    "Report",
    "Seen",
    "in_log",
    "kea_leases6",
    "lease_file",
    "neighbours",
    "read_neighbours",
    "reconcile",
    "site_prefixes",
]

"""The peers `make bench` sets our commands against, and whether each can run here.

``addr6`` (SI6 Networks' IPv6 toolkit: statistics, de-duplication), ``ipv6calc`` (pipe mode:
anonymization, ``-i -m`` annotation, format conversion), ``ipv6loganon`` / ``ipv6logconv``
(web-server logs). The bench installs nothing: ``make sysdeps`` (scripts/sysdeps.sh) installs
Debian's ``ipv6calc`` and ``ipv6toolkit``; a peer missing here leaves its rows with our figures
only, and the bench says which and why.
"""

from __future__ import annotations

import os
import shutil
import sys

# Debian package -> the tools it gives
PACKAGES = {
    "ipv6calc": ("ipv6calc", "ipv6loganon", "ipv6logconv"),
    "ipv6toolkit": ("addr6",),
}

ADDR6_STATS = ["addr6", "-i", "-s"]
ADDR6_UNIQ = ["addr6", "-i", "-q"]
IPV6CALC_ANONYMIZE = ["ipv6calc", "-q", "-A", "anonymize", "-I", "ipv6addr", "-O", "ipv6addr"]
IPV6LOGANON = ["ipv6loganon"]
IPV6CALC_INFO = ["ipv6calc", "-q", "-i", "-m"]
IPV6CALC_FULL = ["ipv6calc", "-q", "-I", "ipv6addr", "-O", "ipv6addr", "--printfulluncompressed"]
RECORDS = (b"IPV6=", b"IPV4=")  # the first line of each of ipv6calc -m's records


def available() -> dict[str, bool]:
    """Which peer tools can be run; each missing one is named on stderr with its package."""
    have = {tool: shutil.which(tool) is not None for tools in PACKAGES.values() for tool in tools}
    for package, tools in PACKAGES.items():
        gone = [tool for tool in tools if not have[tool]]
        if gone:
            print(
                f"bench: peer {', '.join(gone)} missing (Debian package {package}: "
                "`make sysdeps` installs it); its rows show our figures only",
                file=sys.stderr,
            )
    return have


def logconv_command() -> list[str]:
    """ipv6logconv refuses to run as root: as root, it runs as nobody."""
    cmd = ["ipv6logconv", "--out", "addrtype"]
    if os.geteuid() == 0:
        if shutil.which("runuser"):
            return ["runuser", "-u", "nobody", "--", *cmd]
        if shutil.which("setpriv"):
            return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *cmd]
    return cmd

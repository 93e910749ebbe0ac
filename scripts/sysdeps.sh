#!/usr/bin/env bash
# Install the system components the tests drive for real (radvd, iproute2, ethtool, systemd for
# systemd-networkd, BIND, Kea, dhclient, dhcrelay, Chromium for the web UI tests, and ipv6calc
# and ipv6toolkit: the peers `make bench` times, and tests/test_anonymize_ipv6calc.py's
# reference), asking apt only for what is missing and retrying, since the package registry is
# sometimes briefly away.
set -u
want=(radvd iproute2 ethtool systemd bind9 bind9-utils kea-dhcp6-server kea-dhcp4-server kea-dhcp-ddns-server isc-dhcp-client isc-dhcp-relay ndisc6 bind9-dnsutils chromium ipv6calc ipv6toolkit)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "sysdeps: not root, cannot install ${missing[*]}; tests needing them skip (and fail in CI)" >&2
  exit 0
fi
retry() {
  local n
  for n in 1 2 3 4 5; do
    "$@" && return 0
    echo "sysdeps: '$*' failed (try $n), retrying in $((n * 5))s" >&2
    sleep $((n * 5))
  done
  return 1
}
echo "sysdeps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
retry apt-get update -qq || exit 1
retry apt-get install -y -qq --no-install-recommends "${missing[@]}" || exit 1

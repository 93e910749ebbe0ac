"""Reading what DNS holds: a zone by AXFR (TCP, TSIG) or a BIND zone file, as plain RRsets."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from dualstack.errors import DualstackError, InputError
from dualstack.zones.tsig import TsigKey

if TYPE_CHECKING:
    import dns.rrset
    import dns.zone

RRSet = dict[tuple[str, str], frozenset[str]]  # (owner, type) -> values, names absolute


class DnsError(DualstackError):
    """A server refused a transfer or an update (exit code 1)."""

    exit_code = 1


def _rrsets(zone: dns.zone.Zone, types: Collection[str] | None) -> RRSet:
    import dns.rdatatype

    held: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, rdataset in zone.iterate_rdatasets():
        rtype = dns.rdatatype.to_text(rdataset.rdtype)
        if types is None or rtype in types:
            held[(name.to_text(), rtype)].update(r.to_text() for r in rdataset)
    return {k: frozenset(v) for k, v in held.items()}


def read_axfr(
    zone: str,
    server: str,
    port: int,
    key: TsigKey | None,
    types: Collection[str] | None = None,
    timeout: float = 10.0,
) -> RRSet:
    """The RRsets (of ``types``, or all) of ``zone`` on the server, by AXFR (with TSIG when
    ``key`` is given)."""
    import dns.exception
    import dns.query
    import dns.zone

    try:
        transfer = dns.query.xfr(
            server,
            zone,
            port=port,
            keyring=key.keyring() if key is not None else None,
            keyname=key.name if key is not None else None,
            keyalgorithm=key.algorithm if key is not None else "hmac-sha256",
            lifetime=timeout,
            relativize=False,
        )
        live = dns.zone.from_xfr(transfer, relativize=False)
    except (OSError, dns.exception.DNSException) as exc:
        raise DnsError(f"AXFR of {zone} from {server}:{port} failed: {exc}") from None
    return _rrsets(live, types)


def _read_records(text: str, origin: str) -> list[dns.rrset.RRset]:
    """Every RRset of a zone file, as written: $ORIGIN and $TTL honoured, $INCLUDE and
    $GENERATE refused, and no CNAME-beside-data check (dnspython's reader enforces one, but
    that fault is exactly what the audit must see and report)."""
    import dns.name
    import dns.rdataclass
    import dns.tokenizer
    import dns.zonefile

    class Permissive(dns.zonefile.RRsetsReaderTransaction):
        def check_put_rdataset(self, check: object) -> None:
            """Skip the CNAME-and-other-data check the reader registers."""

    manager = dns.zonefile.RRSetsReaderManager(dns.name.from_text(origin), False)
    txn = Permissive(manager, True, False)  # type: ignore[no-untyped-call]
    reader = dns.zonefile.Reader(
        dns.tokenizer.Tokenizer(text, "<zone file>"),
        dns.rdataclass.IN,
        txn,
        allow_directives={"$ORIGIN", "$TTL"},
    )
    reader.read()
    txn.commit()
    return list(manager.rrsets)


def read_zone_file(path: str | Path, origin: str | None = None) -> tuple[str, RRSet]:
    """(origin, RRsets) of a BIND zone file; the origin is the owner of its SOA (``$ORIGIN``
    in the file, else ``origin``, else the file name such as ``corp.example.net.zone``).

    Read record by record rather than as a dnspython Zone, which refuses to load a CNAME
    beside other data: exactly one of the faults the audit exists to report.
    """
    import dns.exception
    import dns.rdatatype

    p = Path(path)
    stem = p.name.removesuffix(".zone").removesuffix(".db")
    guess = origin or re.sub(r"^(\d+)-(\d+)\.", r"\1/\2.", stem) + "."  # RFC 2317 file names
    try:
        text = p.read_text(encoding="utf-8")
        declared = re.search(r"^\$ORIGIN\s+(\S+\.)\s*(?:;.*)?$", text, re.M | re.I)
        rrsets = _read_records(text, declared.group(1) if declared else guess)
    except (OSError, ValueError) as exc:
        raise InputError(f"{p!s:.80}: cannot read zone file: {exc}") from None
    except dns.exception.DNSException as exc:
        raise InputError(f"{p!s:.80}: not a valid zone file: {exc}") from None
    soa = [r for r in rrsets if r.rdtype == dns.rdatatype.SOA]
    if len(soa) != 1:
        raise InputError(f"{p!s:.80}: a zone file needs exactly one SOA record, found {len(soa)}")
    held: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rrset in rrsets:
        key = (rrset.name.to_text(), dns.rdatatype.to_text(rrset.rdtype))
        held[key].update(r.to_text() for r in rrset)
    return soa[0].name.to_text(), {k: frozenset(v) for k, v in held.items()}

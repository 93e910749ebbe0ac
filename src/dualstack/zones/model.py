"""A zone as a value: its apex data and records in a fixed order, all names absolute."""

from __future__ import annotations

from dataclasses import dataclass

# Conservative SOA timers (RFC 1912 section 2.2 ranges): refresh, retry, expire, negative TTL.
REFRESH, RETRY, EXPIRE, MINIMUM = 3600, 900, 1209600, 300
TYPE_ORDER = {"NS": 0, "A": 1, "AAAA": 2, "CNAME": 3, "PTR": 4}


@dataclass(frozen=True, slots=True, order=True)
class Record:
    """One resource record; ``owner`` and name-valued ``value`` end with a dot."""

    owner: str
    rtype: str
    value: str

    def sort_key(self) -> tuple[tuple[str, ...], int, str]:
        """Owner by labels from the root (so a zone reads in tree order), then type, value."""
        return (
            tuple(reversed(self.owner.rstrip(".").split("."))),
            TYPE_ORDER[self.rtype],
            self.value,
        )


@dataclass(frozen=True, slots=True)
class Zone:
    """A zone the kit publishes; ``records`` excludes the SOA, which the renderer writes."""

    origin: str
    ttl: int
    primary: str
    contact: str
    nameservers: tuple[str, ...]
    records: tuple[Record, ...]
    kind: str  # forward | reverse-v4 | reverse-v6
    network: str | None = None  # the prefix a reverse zone covers, for Windows' -NetworkId
    classless: bool = False  # an RFC 2317 zone (a block of someone else's /24)

    @property
    def file_name(self) -> str:
        """``corp.example.net.zone``; an RFC 2317 ``/`` becomes ``-`` to stay one file name."""
        return self.origin.rstrip(".").replace("/", "-") + ".zone"

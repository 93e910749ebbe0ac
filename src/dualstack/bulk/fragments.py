"""The string pool of the JSON-lines writers of ``bulk annotate`` (numba: :mod:`.kernels`;
C: ``_jsonl.c``): the fixed fragments of every line, in the order the writers index them
(``F_*``), then the tables a block's rows pick from (types, scopes, registry entries, ...)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dualstack.present import INSPECT_SCHEMA

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]
MAX_ROW = 2048  # bytes a row needs beyond its input text and its table strings

# The top-level members of a JSON line after "schema", in the order they are written; a
# writer's field mask has bit n set to write FIELDS[n] (``input`` is always written).
FIELDS = (
    "input",
    "kind",
    "address",
    "exploded",
    "prefixlen",
    "network",
    "zone",
    "port",
    "types",
    "scope",
    "registry",
    "embedded_ipv4",
    "teredo",
    "iid",
    "multicast",
    "reverse_pointer",
    "uri",
    "integer",
    "hex",
    "anonymized",
)
ALL_FIELDS = (1 << len(FIELDS)) - 1

# Fixed fragments, in the order the kernel uses them (F_* are their indexes in the pool). Each
# member's fragment starts with its comma, so any subset of members joins up.
FRAGMENTS = (
    b'{"schema":"' + INSPECT_SCHEMA.encode() + b'"',
    b',"input":"',
    b',"kind":"ipv4"',
    b',"kind":"ipv6"',
    b',"address":"',
    b',"exploded":"',
    b',"prefixlen":null',
    b',"network":null',
    b',"zone":null',
    b',"port":null',
    b',"types":',
    b',"scope":"',
    b',"registry":',
    b',"embedded_ipv4":[',
    b'{"role":"ipv4-mapped","ipv4":"',
    b'{"role":"ipv4-compatible","ipv4":"',
    b'{"role":"6to4","ipv4":"',
    b'{"role":"teredo-server","ipv4":"',
    b'{"role":"teredo-client","ipv4":"',
    b'{"role":"nat64","ipv4":"',
    b'{"role":"isatap","ipv4":"',
    b'"}',
    b'","prefix":"',
    b"]",
    b',"teredo":',
    b"null",
    b'{"server":"',
    b'","client":"',
    b'","port":',
    b',"cone":true,"flags":"0x',
    b',"cone":false,"flags":"0x',
    b'"}',
    b',"iid":',
    b'{"type":"',
    b'","subtype":',
    b',"value":"',
    b'","mac":',
    b',"vendor":',
    b',"ipv4":',
    b',"port":',
    b"}",
    b',"multicast":null',
    b',"reverse_pointer":"',
    b',"uri":"',
    b',"integer":"',
    b',"hex":"0x',
    b',"anonymized":"',
    b'"',
    b"}\n",
    b"ip6.arpa.",
    b"in-addr.arpa.",
)
(
    F_OPEN,
    F_INPUT,
    F_KIND4,
    F_KIND6,
    F_ADDRESS,
    F_EXPLODED,
    F_PREFIXLEN,
    F_NETWORK,
    F_ZONE,
    F_PORT,
    F_TYPES,
    F_SCOPE,
    F_REGISTRY,
    F_EMBEDDED,
    F_MAPPED,
    F_COMPATIBLE,
    F_6TO4,
    F_SERVER,
    F_CLIENT,
    F_NAT64,
    F_ISATAP,
    F_CLOSE,
    F_PREFIX,
    F_BRACKET,
    F_TEREDO,
    F_NULL,
    F_T_SERVER,
    F_T_CLIENT,
    F_T_PORT,
    F_CONE,
    F_NOCONE,
    F_T_CLOSE,
    F_IID,
    F_I_TYPE,
    F_I_SUBTYPE,
    F_I_VALUE,
    F_I_MAC,
    F_I_VENDOR,
    F_I_IPV4,
    F_I_PORT,
    F_I_CLOSE,
    F_MULTICAST,
    F_REVERSE,
    F_URI,
    F_INTEGER,
    F_HEX,
    F_ANON,
    F_QUOTE,
    F_END,
    F_IP6ARPA,
    F_INADDR,
) = range(len(FRAGMENTS))


def pool(tables: list[list[bytes]]) -> tuple[U8, I64, I64]:
    """FRAGMENTS then each table's strings in one byte array: (bytes, offsets, table starts)."""
    strings = list(FRAGMENTS)
    starts = []
    for table in tables:
        starts.append(len(strings))
        strings += table
    offsets = np.zeros(len(strings) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in strings], out=offsets[1:])
    data = np.frombuffer(b"".join(strings), dtype=np.uint8).copy()
    return data, offsets, np.array(starts, dtype=np.int64)

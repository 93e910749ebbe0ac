"""MAC vendors for whole columns: the answer of :func:`dualstack.addr.vendor.lookup` (longest
IEEE block first), asked once per distinct block instead of once per row."""

from __future__ import annotations

from functools import lru_cache

from dualstack.addr.mac import Mac
from dualstack.addr.vendor import Vendor, lookup, subdivided

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:  # numpy loads only for the column functions (bulk stats names vendors without)
    import numpy as np
    import numpy.typing as npt


def eui64_macs(lo: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """The MACs inside modified EUI-64 interface identifiers (``ff:fe`` dropped, U/L restored)."""
    import numpy as np

    _U = np.uint64
    return (((lo >> _U(40)) ^ _U(0x020000)) << _U(24)) | (lo & _U(0xFFFFFF))


def block_keys(macs: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """One 36-bit key per vendor answer: the MAC's first 36 bits where IEEE split its /24 into
    MA-M or MA-S blocks, else its /24 followed by zeros (so one MA-L vendor is one key, and
    the few distinct /24s are all that is looked up)."""
    import numpy as np

    _U = np.uint64
    oui = macs >> _U(24)
    ouis, inverse = np.unique(oui, return_inverse=True)
    split = np.array([subdivided(o) for o in ouis.tolist()], dtype=np.bool_)
    return np.where(split[inverse.reshape(-1)], macs >> _U(12), oui << _U(12))


@lru_cache(maxsize=1 << 14)
def vendor_of(key: int) -> Vendor | None:
    """The vendor for a :func:`block_keys` key."""
    return lookup(Mac(key << 12))

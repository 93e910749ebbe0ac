"""DNS from a plan: forward and reverse zones as values, serials, and (later) audit and push.

Named ``zones`` so it is never confused with dnspython's own ``dns`` package.
"""

from dualstack.zones.build import build_zones
from dualstack.zones.model import Record, Zone

__all__ = ["Record", "Zone", "build_zones"]

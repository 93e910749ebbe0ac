"""Start from the network that exists: read the IPv4 inventory the site already has written
down (zones, DHCP leases, neighbour tables) and turn it into a site file (:func:`build`)."""

from dualstack.inventory.build import Inventory, build
from dualstack.inventory.observe import Observation, read_source
from dualstack.inventory.render import site_toml

__all__ = ["Inventory", "Observation", "build", "read_source", "site_toml"]

"""``python -m dualstack``: the same as the ``dualstack`` command."""

from dualstack.cli import main

main()

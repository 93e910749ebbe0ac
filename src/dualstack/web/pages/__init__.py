"""One module per page, each with a blueprint ``page``, a ``TITLE`` and a menu ``ORDER``."""

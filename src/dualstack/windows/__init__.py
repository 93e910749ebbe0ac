"""Windows' own IPv6 settings, read and written as Windows admins meet them: the
``DisabledComponents`` registry value (:mod:`.components`)."""

from dualstack.windows.components import Components, decode, parse_value, want

__all__ = ["Components", "decode", "parse_value", "want"]

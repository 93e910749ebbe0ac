"""The address core: parsing, text forms, classification, transition decoders, SLAAC.

Pure functions over the stdlib ``ipaddress`` values and the small frozen ``Mac``/``Eui64``.
"""

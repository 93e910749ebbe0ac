"""The bulk engine: millions of addresses as numpy arrays (two uint64 columns per address).

Text -> ``source`` (chunks of candidates from lists, logs, CSV) -> ``parse`` (columns) ->
``classify`` (types, scope, IID class, tunnel roles, registry) -> ``stats`` / ``anonymize`` /
``annotate`` / ``select`` / ``audit`` -> ``render`` + ``assemble`` (text). Every step is held to
the address core (tests/test_bulk_*.py); see docs/bulk.md.

numpy is an optional extra (``pip install dualstack[bulk]``); nothing outside ``bulk`` imports
it, so the everyday commands never pay for it.
"""

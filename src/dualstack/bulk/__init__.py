"""The bulk engine: millions of addresses as numpy arrays (two uint64 columns per address).

numpy is an optional extra (``pip install dualstack[bulk]``); nothing outside ``bulk`` imports
it, so the everyday commands never pay for it.

Status (issue 7, in progress): ``parse.parse_many`` works (about 7.7x the stdlib on 1M mixed
lines, exactly the core's answers: tests/test_bulk_parse.py); classification, output and the
commands are still to come.
"""

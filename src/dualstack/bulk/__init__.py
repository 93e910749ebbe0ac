"""The bulk engine: millions of addresses as numpy arrays (two uint64 columns per address).

numpy is an optional extra (``pip install dualstack[bulk]``); nothing outside ``bulk`` imports
it, so the everyday commands never pay for it.

Status (issue 7, in progress): ``parse.parse_many`` gives the core's answer for every line
(tests/test_bulk_parse.py is the oracle any faster path must keep passing) but runs at about
0.6x the stdlib ``ipaddress`` on 200k lines, far from the 10x the issue asks; the byte-matrix
approach needs replacing (see the closing note of stop 9).
"""

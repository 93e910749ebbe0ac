"""Fixtures shared across test modules: the web server and browser of tests/weblab.py."""

pytest_plugins = ["tests.weblab"]

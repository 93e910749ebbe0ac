"""The compiled parts of the bulk engine; each is optional: where it cannot be built, the
numpy path that gives the same results runs instead."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("dualstack.bulk._agg", ["src/dualstack/bulk/_agg.c"], optional=True),
    ]
)

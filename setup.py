"""Build the compiled bulk kernels; pyproject.toml holds everything else about the package.

Each extension is optional: without a C compiler (or Python's headers) the install still
succeeds and the bulk engine runs on numpy alone, writing the same bytes.
"""

from setuptools import Extension, setup

# One entry per C kernel under src/dualstack/bulk/ (module name, sources).
KERNELS = [
    ("dualstack.bulk._scan", ["src/dualstack/bulk/_scan.c"]),
    ("dualstack.bulk._agg", ["src/dualstack/bulk/_agg.c"]),
    ("dualstack.bulk._classify", ["src/dualstack/bulk/_classify.c"]),
    ("dualstack.bulk._jsonl", ["src/dualstack/bulk/_jsonl.c"]),
]

HEADERS = ["src/dualstack/bulk/_buffers.h", "src/dualstack/bulk/_scanner.h"]  # shared by the kernels: a change rebuilds them all

setup(
    ext_modules=[
        Extension(name, sources, depends=HEADERS, optional=True) for name, sources in KERNELS
    ]
)

#!/usr/bin/env bash
# The fuzz tests (pytest -m fuzz) against a debug build of every C kernel in setup.py, compiled
# with AddressSanitizer into a temporary copy of the source tree: an out-of-bounds read or write
# on any fuzzed input stops the run with ASan's report. Used by .ci/run and `make asan`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
case $PYTHON in  # absolute, for the steps run elsewhere (a venv's python: no symlinks resolved)
    */*) PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")" ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/tree"
cp -r setup.py pyproject.toml README.md src "$tmp/tree/"
find "$tmp/tree/src" -name '*.so' -delete
(
    cd "$tmp/tree"
    CFLAGS="-fsanitize=address -fno-omit-frame-pointer -O1 -g" LDFLAGS="-fsanitize=address" \
        "$PYTHON" setup.py --quiet build_ext --inplace --build-temp "$tmp/build" 2>&1 |
        { grep -v -e '_BetaConfiguration' -e 'warnings.warn(msg' || true; }
)

export LD_PRELOAD
LD_PRELOAD=$(gcc -print-file-name=libasan.so)
export ASAN_OPTIONS=detect_leaks=0
export PYTHONMALLOC=malloc  # every object its own malloc block: ASan sees past its end
export PYTHONPATH="$tmp/tree/src${PYTHONPATH:+:$PYTHONPATH}"
export DUALSTACK_REQUIRE_EXT=1

# every kernel imported must be the instrumented copy
"$PYTHON" - "$tmp/tree/src" <<'PY'
import importlib, sys
from pathlib import Path

root = Path(sys.argv[1])
for path in sorted(root.glob("dualstack/bulk/_*.so")):
    name = "dualstack.bulk." + path.name.split(".")[0]
    module = importlib.import_module(name)
    assert Path(module.__file__).is_relative_to(root), (name, module.__file__)
    print(f"asan: {name} from {module.__file__}")
PY

mapfile -t files < <(grep -l 'pytest.mark.fuzz' tests/test_*.py)
# --capture=sys: pytest leaves fd 2 alone, so ASan's report reaches the log
"$PYTHON" -m pytest -q -p no:cacheprovider --capture=sys -m fuzz "${files[@]}"

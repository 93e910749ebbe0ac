"""The examples in the package docstrings are part of the suite: a reader copies them."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

import dualstack
import dualstack.net
import dualstack.selection
import dualstack.tunnel

MODULES = [dualstack, dualstack.net, dualstack.selection, dualstack.tunnel]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{module.__name__} has no examples left"
    assert result.failed == 0

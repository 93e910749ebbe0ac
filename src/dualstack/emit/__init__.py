"""Renderers: one pure module per output format, each registered by name (duplicates refused)."""

from __future__ import annotations

from collections.abc import Callable

from dualstack.plan.model import Plan

Renderer = Callable[[Plan], str]
_REGISTRY: dict[str, Renderer] = {}


def register(name: str) -> Callable[[Renderer], Renderer]:
    """Register a plan renderer under ``name``; a second one with that name is a bug."""

    def add(func: Renderer) -> Renderer:
        if name in _REGISTRY:
            raise ValueError(f"renderer {name!r} is already registered")
        _REGISTRY[name] = func
        return func

    return add


def renderers() -> dict[str, Renderer]:
    """Every renderer, by name (importing the modules registers them)."""
    from dualstack.emit import plan_files  # noqa: F401  (registration side effect)

    return dict(_REGISTRY)

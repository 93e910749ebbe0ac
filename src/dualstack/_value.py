"""Frozen value classes for the address core, without importing ``dataclasses``.

``dualstack inspect ADDR`` is meant to start within 1.5x of a bare interpreter. Importing
``dataclasses`` pulls in ``inspect``, ``ast`` and ``dis`` and alone costs more than that whole
budget here (``make bench`` shows it), and ``typing`` costs as much again. The values the
address core returns are therefore declared with :func:`value`: the same annotated-class
syntax, read by mypy as a frozen dataclass (PEP 681), built at import time without ``exec``.

A value is immutable (``__slots__``; assignment raises), runs its ``__post_init__`` after
``__init__`` as a dataclass does (which may normalise fields with ``object.__setattr__``),
compares and hashes by its fields in order, orders like a tuple of them when declared with
:func:`ordered_value`, has a readable ``repr`` and pickles.
Packages off the start-up path keep using ``dataclasses``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")
else:

    def dataclass_transform(**_: object) -> object:
        return lambda decorator: decorator


_set = object.__setattr__


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a value (as ``dataclasses.FrozenInstanceError``)."""


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], object]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], T]) -> T:
    """A field whose default is made fresh for each value (``field(default_factory=tuple)``)."""
    return _Factory(default_factory)  # type: ignore[return-value]


def _methods(
    name: str, names: tuple[str, ...], defaults: dict[str, object], check: Any
) -> dict[str, Any]:
    """``__init__`` (then ``check``, the class's ``__post_init__``, if any), equality, hashing,
    ``repr`` and pickling over the fields ``names``."""

    def __init__(self: object, *args: object, **kwargs: object) -> None:
        if len(args) > len(names):
            raise TypeError(f"{name}() takes {len(names)} arguments, {len(args)} were given")
        for field_name, arg in zip(names, args, strict=False):
            if field_name in kwargs:
                raise TypeError(f"{name}() got {field_name!r} twice")
            _set(self, field_name, arg)
        for field_name in names[len(args) :]:
            if field_name in kwargs:
                given = kwargs.pop(field_name)
            elif field_name in defaults:
                default = defaults[field_name]
                given = default.make() if isinstance(default, _Factory) else default
            else:
                raise TypeError(f"{name}() is missing {field_name!r}")
            _set(self, field_name, given)
        if kwargs:
            raise TypeError(f"{name}() has no field {next(iter(kwargs))!r}")
        if check is not None:
            check(self)

    def fields_of(self: object) -> tuple[object, ...]:
        return tuple(getattr(self, n) for n in names)

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return fields_of(self) == fields_of(other)

    def __hash__(self: object) -> int:
        return hash(fields_of(self))

    def __repr__(self: object) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self: object, attr: str, _: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {attr!r} of a {name}")

    def __delattr__(self: object, attr: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {attr!r} of a {name}")

    def __reduce__(self: object) -> tuple[object, tuple[object, ...]]:
        return self.__class__, fields_of(self)

    return {
        "__init__": __init__,
        "__eq__": __eq__,
        "__hash__": __hash__,
        "__repr__": __repr__,
        "__setattr__": __setattr__,
        "__delattr__": __delattr__,
        "__reduce__": __reduce__,
        "_fields": fields_of,
    }


def _ordering() -> dict[str, Any]:
    """Comparisons as tuples of the fields, for values of one class."""

    def compare(op: Callable[[tuple[object, ...], tuple[object, ...]], bool]) -> Any:
        def method(self: Any, other: Any) -> bool:
            if other.__class__ is not self.__class__:
                return NotImplemented  # type: ignore[no-any-return]
            return op(self._fields(), other._fields())

        return method

    return {
        "__lt__": compare(lambda a, b: a < b),
        "__le__": compare(lambda a, b: a <= b),
        "__gt__": compare(lambda a, b: a > b),
        "__ge__": compare(lambda a, b: a >= b),
    }


def _make(cls: type[T], order: bool) -> type[T]:
    own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 (inspect is what we avoid)
    names = tuple(own)
    if any(getattr(base, "__slots__", ()) for base in cls.__mro__[1:-1]):
        raise TypeError(f"{cls.__name__}: values do not inherit fields")
    defaults = {n: cls.__dict__[n] for n in names if n in cls.__dict__}
    body = {k: v for k, v in cls.__dict__.items() if k not in defaults}
    body.pop("__dict__", None)
    body.pop("__weakref__", None)
    body |= {"__slots__": names, "__match_args__": names}
    body |= _methods(cls.__name__, names, defaults, cls.__dict__.get("__post_init__"))
    if order:
        body |= _ordering()
    metaclass: Any = type(cls)
    made: type[T] = metaclass(cls.__name__, cls.__bases__, body)
    made.__qualname__ = cls.__qualname__
    return made


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def value(cls: type[T]) -> type[T]:
    """Class decorator: a frozen value (see the module docstring)."""
    return _make(cls, order=False)


@dataclass_transform(frozen_default=True, order_default=True, field_specifiers=(field,))
def ordered_value(cls: type[T]) -> type[T]:
    """Class decorator: a frozen value that also orders like the tuple of its fields."""
    return _make(cls, order=True)

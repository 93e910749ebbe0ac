"""The address core's frozen values behave as frozen dataclasses do, at a fraction of the
import cost (see dualstack/_value.py)."""

from __future__ import annotations

import pickle

import pytest

from dualstack._value import FrozenInstanceError, field, ordered_value, value


@ordered_value
class Pair:
    """A small value."""

    first: int
    second: str = "b"
    extra: tuple[int, ...] = field(default_factory=tuple)

    def both(self) -> str:
        return f"{self.first}{self.second}"


@value
class Other:
    first: int


def test_construction_defaults_and_methods() -> None:
    assert Pair(1).second == "b"
    assert Pair(1, second="c").both() == "1c"
    assert Pair(first=2, second="x", extra=(1,)).extra == (1,)
    assert Pair.__doc__ == "A small value."
    assert Pair.__match_args__ == ("first", "second", "extra")


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((1, "a", (), 4), {}, r"Pair\(\) takes 3 arguments, 4 were given"),
        ((1,), {"first": 2}, r"Pair\(\) got 'first' twice"),
        ((), {}, r"Pair\(\) is missing 'first'"),
        ((1,), {"third": 3}, r"Pair\(\) has no field 'third'"),
    ],
)
def test_bad_construction_is_a_type_error(
    args: tuple[object, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        Pair(*args, **kwargs)  # type: ignore[arg-type]


def test_frozen_equal_hashable_ordered_and_pickled() -> None:
    a, b = Pair(1, "a"), Pair(1, "a")
    assert a == b
    assert hash(a) == hash(b)
    assert a is not b
    assert a != Pair(1, "z")
    assert a < Pair(1, "z") < Pair(2, "a")
    assert Other(1) != Pair(1)  # type: ignore[comparison-overlap]
    assert Other(1) == Other(1)
    with pytest.raises(TypeError):
        assert Other(1) < Other(2)  # type: ignore[operator]
    with pytest.raises(FrozenInstanceError):
        a.first = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        a.anything = 3  # type: ignore[attr-defined]
    assert repr(a) == "Pair(first=1, second='a', extra=())"
    assert pickle.loads(pickle.dumps(a)) == a
    assert sorted([Pair(3), Pair(1), Pair(2)]) == [Pair(1), Pair(2), Pair(3)]


def test_default_factory_makes_a_fresh_default() -> None:
    @value
    class Holder:
        items: list[int] = field(default_factory=list)

    one, two = Holder(), Holder()
    one.items.append(1)
    assert two.items == []


def test_post_init_checks_and_normalises() -> None:
    @value
    class Positive:
        number: int

        def __post_init__(self) -> None:
            if self.number < 0:
                raise ValueError(f"{self.number} is negative")
            object.__setattr__(self, "number", int(self.number))

    assert Positive(True).number == 1
    assert type(Positive(True).number) is int
    with pytest.raises(ValueError, match="-1 is negative"):
        Positive(-1)

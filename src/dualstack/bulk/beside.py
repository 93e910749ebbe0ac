"""Work on a second thread while this one goes on: the kernels release the GIL, so two calls
run on the machine's two cores at once.

A thread per call, not a pool: ``concurrent.futures`` imports ``logging`` and costs more
start-up time than the few calls per block spend starting threads. Not generic, because
``typing`` costs start-up time too: :meth:`Beside.result` gives whatever the call returned."""

from __future__ import annotations

import threading

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class Beside:
    """``func(*args)`` running on its own thread; :meth:`result` waits for it and returns its
    value or raises its exception."""

    def __init__(self, func: Callable[..., Any], *args: object) -> None:
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(func, args), daemon=True)
        self._thread.start()

    def _run(self, func: Callable[..., Any], args: tuple[object, ...]) -> None:
        try:
            self._value = func(*args)
        except BaseException as exc:  # handed to the caller in result()
            self._error = exc

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value

"""The input loop of the bulk commands, without Click: a plain ``dualstack bulk stats`` runs
from here straight from :func:`dualstack.cli.main` (importing Click costs more than starting
Python), and the Click commands in :mod:`.bulk_cmd` use the same code."""

from __future__ import annotations

import os
import sys

from dualstack.cli._common import emit_error, emit_json
from dualstack.errors import InputError

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, BinaryIO, NoReturn, Protocol

    from dualstack.addr.inspect import Options

    class Tallying(Protocol):
        def add(self, batch: Any) -> None: ...
        def result(self) -> Any: ...


ERRORS_SHOWN = 10
DISTINCT_MEMORY_MIB = 64


class InputFile:
    """The input stream of ``file`` (stdin for None or ``-``), closed on leaving (not stdin);
    a plain class, as ``contextlib`` costs start-up time."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.handle: BinaryIO | None = None

    def __enter__(self) -> BinaryIO:
        if self.file is None or self.file == "-":
            return sys.stdin.buffer
        try:
            self.handle = open(self.file, "rb")
        except OSError as exc:
            raise InputError(f"cannot read {self.file}: {exc.strerror or exc}") from None
        return self.handle

    def __exit__(self, *_: object) -> None:
        if self.handle is not None:
            self.handle.close()


class Progress:
    """A one-line progress display on stderr when it is a terminal; silent otherwise."""

    def __init__(self, stream: BinaryIO, enabled: bool) -> None:
        self.stream = stream
        self.total = 0
        self.shown = False
        try:
            self.total = os.fstat(stream.fileno()).st_size if stream.seekable() else 0
        except (OSError, ValueError):
            self.total = 0
        self.enabled = enabled and sys.stderr.isatty()

    def update(self, addresses: int) -> None:
        if not self.enabled:
            return
        try:
            done = self.stream.tell()
        except (OSError, ValueError):
            done = 0
        share = f" {100 * done / self.total:5.1f}%" if self.total else ""
        sys.stderr.write(f"\r  {addresses:,} addresses{share}")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def report(
    tally: Tallying,
    reading: Reading,
    render: Callable[[Any], str],
    as_json: Callable[[Any], dict[str, Any]] | None,
) -> NoReturn:
    """Feed every batch to ``tally``, print its result (``render``ed, or as the JSON the
    presenter ``as_json`` gives), exit."""
    for batch in reading.batches(progress=True):
        tally.add(batch)
    _print(tally.result(), render, as_json)
    sys.exit(reading.status)


def _print(
    result: Any, render: Callable[[Any], str], as_json: Callable[[Any], dict[str, Any]] | None
) -> None:
    if as_json is not None:
        emit_json(as_json(result))
    else:
        sys.stdout.write(render(result))


class Reading:
    """The input as batches, with a progress line on a terminal and list-mode errors reported
    on stderr (the first few by line, then a count); ``status`` is the exit code."""

    def __init__(
        self,
        file: str | None,
        extract: str,
        csv_column: str | None,
        options: Options | None,
        counting: bool = False,
        scanned: bool = False,
    ) -> None:
        """``options`` None: the defaults (the well-known NAT64 prefix, no 6rd). ``counting``:
        the batches are only counted (``bulk stats``), so they may come from the compiled
        kernels (:attr:`compiled`). ``scanned``: the batches may come through the scanner
        (:func:`dualstack.bulk.pipeline.scanned_batches`) where it is there. A CSV column is
        read by the kernels too, once its header is read
        (:func:`~dualstack.bulk.source.csv_head`)."""
        self.file, self.extract, self.csv_column, self.options = file, extract, csv_column, options
        self.counting, self.scanned = counting, scanned
        self.invalid = 0
        self.reported = 0

    @property
    def compiled(self) -> bool:
        """Whether the batches come from the compiled kernels end to end
        (:mod:`dualstack.bulk.compiled_tally`: counting only, kernels built)."""
        if not self.counting:
            return False
        from dualstack.bulk import compiled_tally

        return compiled_tally.available()

    def batches(self, progress: bool) -> Iterator[Any]:
        name = self.file if self.file not in (None, "-") else "stdin"
        with InputFile(self.file) as stream:
            display = Progress(stream, enabled=progress)
            seen = 0
            source = self._source(stream)
            try:
                for batch in source:
                    seen += batch.addresses
                    for line, _text, message in batch.errors(ERRORS_SHOWN - self.reported):
                        emit_error(f"{name}:{line}: {message}")
                        self.reported += 1
                    self.invalid += batch.invalid
                    display.update(seen)
                    yield batch
            finally:
                display.close()
        if self.invalid > self.reported:
            more = self.invalid - self.reported
            emit_error(f"{name}: {more:,} more lines are not addresses")

    def _source(self, stream: BinaryIO) -> Iterator[Any]:
        """The batches: from the kernels (stats), through the scanner, or by Python."""
        compiled, scanned = self.compiled, not self.compiled and self.scanned and _scanner()
        mode, head = self.extract, b""
        if (compiled or scanned) and self.csv_column is not None:
            from dualstack.bulk.source import csv_head

            found = csv_head(stream, self.csv_column)
            mode, head, stream = found.mode, found.header, found.rest
        if compiled:
            from dualstack.bulk.compiled_tally import blocks

            return blocks(stream, mode, shown=ERRORS_SHOWN, options=self.options, head=head)
        from dualstack.bulk.pipeline import batches, scanned_batches
        from dualstack.bulk.source import extractor

        if self.options is None:
            from dualstack.addr.inspect import DEFAULT_OPTIONS

            self.options = DEFAULT_OPTIONS
        if scanned:
            return scanned_batches(stream, mode, self.options, shown=ERRORS_SHOWN, head=head)
        return batches(stream, extractor(self.extract, self.csv_column), self.options)

    @property
    def status(self) -> int:
        return 1 if self.invalid else 0


def run_stats(
    file: str | None,
    extract: str,
    csv_column: str | None,
    options: Options | None,
    as_json: bool,
    distinct_memory: int = DISTINCT_MEMORY_MIB,
) -> NoReturn:
    """``bulk stats`` (``options`` None: the default NAT64 prefix, no 6rd): through the
    compiled kernels where they serve, else numpy. A file of no bytes gets its report without
    loading either, so the command's start-up is what an empty input costs."""
    from dualstack.bulk import present
    from dualstack.cli.bulk_view import render_stats

    if csv_column is None and _empty_file(file):  # a CSV needs its header: empty is an error
        from dualstack.bulk.stats import empty

        _print(empty(), render_stats, present.stats if as_json else None)
        sys.exit(0)
    reading = Reading(file, extract, csv_column, options, counting=True)
    tally: Tallying
    if reading.compiled:
        from dualstack.bulk.compiled_tally import CompiledTally

        tally = CompiledTally(distinct_memory << 20)
    else:  # the numpy path
        from dualstack.bulk.numpy_tally import Tally

        tally = Tally(distinct_memory=distinct_memory << 20)
    report(tally, reading, render_stats, present.stats if as_json else None)


def _scanner() -> bool:
    from dualstack.bulk import fast

    return fast.extension() is not None


def _empty_file(file: str | None) -> bool:
    """Whether ``file`` names a regular file of no bytes (stdin and pipes are read)."""
    if file is None or file == "-":
        return False
    try:
        found = os.stat(file)
    except (OSError, ValueError):
        return False  # reading it says why
    return found.st_size == 0 and (found.st_mode & 0o170000) == 0o100000

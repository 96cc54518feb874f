"""How much of a file the importer will read: rows, columns, characters a cell, problems listed.

Any signed-in person can upload a file (viewers too, for the preview), so the importer refuses a
file as soon as it passes a limit, while streaming, before memory grows with it: a million tiny
rows, a sheet claiming fifty million rows or a header of two million cells are refused within
seconds. The limits come from the settings (``EFFEKT_IMPORT_MAX_*``) so a national bulk load on
the command line can raise them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from data.settings import get_settings
from metrics.errors import EffektError

if TYPE_CHECKING:
    from data.importing.problems import ImportProblem


@dataclass(frozen=True)
class ImportLimits:
    max_rows: int = 200_000
    max_columns: int = 50
    max_cell_chars: int = 10_000
    # Problems listed one by one; the rest are only counted.
    max_problems: int = 1_000


def limits_from_settings() -> ImportLimits:
    settings = get_settings()
    return ImportLimits(settings.import_max_rows, settings.import_max_columns,
                        settings.import_max_cell_chars, settings.import_max_problems)


class LimitExceeded(EffektError, ValueError):
    """The file passes a limit: reading stops here; ``key`` and ``params`` say which, where."""

    def __init__(self, key: str, row: int | None = None, column: str | None = None, **params: object) -> None:
        super().__init__(key, **params)
        self.row = row
        self.column = column


def too_many_rows(limits: ImportLimits, row: int) -> LimitExceeded:
    return LimitExceeded("limits.too_many_rows", row, None, limit=limits.max_rows)


def too_many_columns(limits: ImportLimits, row: int | None, columns: int | None = None) -> LimitExceeded:
    return LimitExceeded("limits.too_many_columns", row, None, limit=limits.max_columns,
                         columns=columns if columns is not None else limits.max_columns + 1)


def cell_too_long(limits: ImportLimits, row: int | None, column: str, length: int | None = None) -> LimitExceeded:
    return LimitExceeded("limits.cell_too_long", row, column, limit=limits.max_cell_chars,
                         length=length if length is not None else limits.max_cell_chars + 1)


class ProblemList(list["ImportProblem"]):
    """The problems found: the first ``listed`` are kept, the rest only counted, so a file of a
    million bad rows holds a thousand problems, not a million."""

    def __init__(self, listed: int) -> None:
        super().__init__()
        self.listed = listed
        self.unlisted = 0

    def append(self, problem: ImportProblem) -> None:
        if len(self) < self.listed:
            super().append(problem)
        else:
            self.unlisted += 1

    @property
    def found(self) -> int:
        """Every problem found, listed or not."""
        return len(self) + self.unlisted


def found(problems: list[ImportProblem]) -> int:
    """How many problems were found in ``problems`` (a :class:`ProblemList` counts the unlisted)."""
    return problems.found if isinstance(problems, ProblemList) else len(problems)

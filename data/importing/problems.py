"""What the importer says about a file: one problem with its row, column, value and message key,
and the refusal of a whole file before any row is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One thing wrong with the file: where (row, column), what (value) and why (key, params)."""

    row: int | None
    column: str | None
    value: str
    key: str
    params: dict[str, object] = field(default_factory=dict)


class UnreadableFile(ValueError):
    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

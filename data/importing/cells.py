"""Naming a cell as the person sees it (the header's name or the column letter), and refusing
control characters in a row with their row and column; shared by the CSV and XLSX readers.
"""

from __future__ import annotations

from collections.abc import Sequence

from data.importing.problems import ImportProblem
from data.text_rules import control_character, describe


def check_controls(row: Sequence[str], number: int, header: Sequence[str], problems: list[ImportProblem]) -> None:
    """A control character anywhere in the file is refused with its row and column."""
    for index, cell in enumerate(row):
        character = control_character(cell)
        if character is not None:
            problems.append(ImportProblem(number, column_name(header, index), cell[:40],
                                          "safety.control_character", {"character": describe(character)}))


def column_name(header: Sequence[str], index: int) -> str:
    return header[index] if index < len(header) and header[index].strip() else column_letter(index)


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))

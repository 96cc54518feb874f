"""Which characters a stored text may hold: the one rule for files and forms.

Control characters are invisible, and most of them cannot be written into an XLSX file at all
(openpyxl raises ``IllegalCharacterError``), so one stored comment with ``\\x0b`` would break every
workbook export for everyone. They are refused wherever text comes in: each cell of an imported
file (the whole file, not a sample), each form field before it is written. Multi-line texts
(comments, notes) keep the ordinary tab and line breaks; one-line texts (names, titles) do not.
"""

from __future__ import annotations

import re

from metrics.errors import EffektError

# C0 controls, DEL and C1 controls; a multi-line text may keep tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
# The same set as bytes, for a fast scan of a whole file before any cell is looked at (UTF-8
# encodes C1 controls as two bytes starting with \xc2; a Windows-1252 file has none).
CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")


TEXT_KEY = "safety.control_character_text"


class ControlCharacterError(EffektError, ValueError):
    """A form's text holds a control character; ``params`` name it (``U+000B``) and the field."""

    def __init__(self, field: str, character: str) -> None:
        super().__init__(TEXT_KEY, character=describe(character))
        self.field = field


def control_character(text: str, *, multiline: bool = True) -> str | None:
    """The first control character in ``text``, or None when there is none."""
    found = (_CONTROL if multiline else _CONTROL_ONE_LINE).search(text)
    return found.group() if found else None


def describe(character: str) -> str:
    """How a person can find the character: its code point (``U+000B``)."""
    return f"U+{ord(character):04X}"


def refuse_control_characters(field: str, text: object, *, multiline: bool = True) -> None:
    """Raise :class:`ControlCharacterError` when a form's ``text`` holds a control character."""
    if isinstance(text, str) and text:
        character = control_character(text, multiline=multiline)
        if character is not None:
            raise ControlCharacterError(field, character)

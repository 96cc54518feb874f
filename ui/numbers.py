"""Number fields on the pages: what a person typed, read by the one number reader.

Kvartalsdata's form and grid and Mål use text fields rather than ``st.number_input``: a number
input shows and expects a decimal point, while a Swede types ``87,5`` and ``1 234``. The field
shows :func:`presentation.formatting.input_text` and is read back by :func:`metrics.numbers.read_number` in
the reader's language; an unreadable entry is named in the message and nothing is saved.
"""

from __future__ import annotations

from metrics.numbers import NumberProblem, read_number
from presentation.i18n import translate


class EntryProblem(ValueError):
    """A field that does not hold a number; ``message`` names the field and the text, translated."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def read_entry(text: object, language: str, field: str) -> float | None:
    """The number in a field, None when it is empty; raises :class:`EntryProblem` otherwise."""
    if text is None:
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        text = str(text)  # a value put there by code rather than typed: read the same way
    shown = str(text).strip()
    if not shown:
        return None
    try:
        return read_number(shown, language)
    except NumberProblem as problem:
        raise EntryProblem(problem_text(problem, shown, field, language)) from None


def problem_text(problem: NumberProblem, text: str, field: str, language: str) -> str:
    """``Kundnöjdhet: 'abc' är inget tal.``, or the field, the text and the reason it cannot be saved."""
    if problem.key == "import.bad_value":
        return translate("invalid.not_a_number", language, field=field, text=text)
    reason = translate(problem.key, language, **problem.params)
    return translate("invalid.number_field", language, field=field, text=text, reason=reason)

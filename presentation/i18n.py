"""Translation: every text a person sees, in Swedish (default) and English.

The catalogues are TOML files in ``presentation/locales/``, one per area of the app, each key with both
languages side by side, so a missing translation is visible in review and fails a test.
This module is pure (no Streamlit) so the CLI and reports use the same words as the app.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any, Protocol

from presentation.formatting import format_number

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


class MissingTranslation(KeyError):
    pass


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every key with its texts: ``{"nav.overview": {"sv": "Översikt", "en": "Overview"}}``."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            for key, texts in tomllib.load(handle).items():
                if key in merged:
                    raise ValueError(f"translation key {key!r} is defined twice ({path.name})")
                merged[key] = texts
    return merged


def translate(key: str, language: str, **params: Any) -> str:
    """The text for a key in a language, with ``{name}`` placeholders filled in locale style."""
    texts = catalogue().get(key)
    if texts is None or language not in texts:
        raise MissingTranslation(f"{key} ({language})")
    if not params:
        return texts[language]
    shown = {name: _localise(value, language) for name, value in params.items()}
    return texts[language].format(**shown)


def _localise(value: Any, language: str) -> Any:
    if isinstance(value, float):
        return format_number(value, language, decimals=None)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1000:
        return format_number(value, language, decimals=0)
    return value


class Problem(Protocol):
    row: int | None
    column: str | None
    value: str
    key: str
    params: dict[str, object]


def describe_problem(problem: Problem, language: str) -> str:
    """One line a person can act on: where the problem is, the value, and why."""
    parts = []
    if problem.row is not None:
        parts.append(translate("problem.row", language, row=problem.row))
    if problem.column:
        parts.append(translate("problem.column", language, column=problem.column))
    if problem.value:
        parts.append(f"«{problem.value}»")
    reason = translate(problem.key, language, **problem.params)
    return (", ".join(parts) + ": " if parts else "") + reason

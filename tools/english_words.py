"""Which words on a Swedish page are English: the check behind "Swedish everywhere a Swedish user looks".

A word counts as English when Effekt's English texts, Streamlit's English strings
(ui/streamlit_words.py) or a short list of common English words hold it and no Swedish text of
Effekt's does. So the check knows every English word the app itself could leak (a key shown in
the wrong language, a Streamlit string left untranslated, "None" or "NaN" from a table) without a
dictionary, and a Swedish word that happens to be spelt like an English one ("per", "data",
"status") is never flagged. Codes (``customer_satisfaction``, ``demo-ekbacka``) and numbers are
not words. Used in Chromium on every page and tab (tests/e2e/test_accessibility.py) and by
``make screenshots``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from metrics.catalogue import load_builtin_catalogue
from presentation.i18n import catalogue
from ui.streamlit_words import PAIRS

# Words English software puts on pages that the catalogues may not hold: Streamlit's and plotly's
# chrome, pandas' empty values, and the commonest function words.
COMMON_ENGLISH = frozenset((
    "the", "and", "for", "with", "this", "that", "from", "here", "your", "you", "file", "files", "drag", "drop",
    "upload", "browse", "help", "choose", "option", "options", "press", "enter", "apply", "show", "hide", "close",
    "search", "download", "page", "not", "found", "running", "stop", "clear", "date", "select", "loading", "error",
    "value", "none", "nan", "null", "undefined", "true", "false", "zoom", "pan", "reset", "axes", "autoscale",
    "plot", "png", "made", "of", "to", "in", "on", "is", "are", "was", "be", "by", "or", "an", "at", "as", "it",
    "its", "no", "yes", "back", "next", "previous", "open", "save", "cancel", "submit", "edit", "delete", "add",
    "remove",
))
# Values from code that a Swedish message may quote for a person to type (``true eller false``) but no
# page shows as text: flagged even so, as they are how an empty cell leaks (``None``, ``NaN``).
CODE_VALUES = frozenset({"none", "nan", "null", "undefined", "true", "false"})
# Words that stay in their own language on a Swedish page, each for a reason.
ALLOWED = {
    "english": "the language switch names each language in itself, as people look for it (WCAG 3.1.2)",
    "editor": "the demo accounts' user names (demo-editor, demo-viewer), which the sign-in screen shows to be typed",
    "viewer": "the demo accounts' user names, as above",
    "yyyy": "an empty date field's format (yyyy-mm-dd), drawn by Streamlit inside the field's editable parts, "
            "which a rewrite would break; the field's name and its help text are Swedish",
}
# The text a person sees and the names a screen reader announces: visible text nodes and the
# aria-label, title, placeholder, alt and data-title (plotly's tooltips) attributes, outside what is
# hidden from both (aria-hidden: Material icons are drawn from words such as "history" in a ligature
# font, marked aria-hidden and translate="no"), scripts and styles, and the content of text fields:
# that is the person's own data (the administrator writes a metric's English wording there).
PAGE_TEXT_JS = """() => {
  const hidden = '[aria-hidden="true"], [translate="no"], script, style, noscript, template, textarea, [contenteditable]';
  const texts = [document.title];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const parent = node.parentElement;
    if (parent && !parent.closest(hidden) && parent.checkVisibility()) texts.push(node.data);
  }
  const names = ['aria-label', 'title', 'placeholder', 'alt', 'data-title'];
  for (const element of document.querySelectorAll(names.map(n => `[${n}]`).join(', '))) {
    if (element.closest('[aria-hidden="true"]')) continue;
    for (const name of names) if (element.getAttribute(name)) texts.push(element.getAttribute(name));
  }
  return texts;
}"""
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
# Names quoted in a Swedish text (the API's field "figures", a `code`) are not Swedish words.
_QUOTED = re.compile(r'"[^"]*"|«[^»]*»|`[^`]*`')
APOSTROPHES = "'\u2019"
_TOKEN = re.compile(rf"[\w{APOSTROPHES}-]+")


def words(text: str) -> list[str]:
    """The words of a text, lower case: no codes (with ``_`` or a digit), hyphenated words in parts."""
    found = []
    for token in _TOKEN.findall(_PLACEHOLDER.sub(" ", text)):
        if "_" in token or any(ch.isdigit() for ch in token):
            continue
        found += [part.strip(APOSTROPHES).lower() for part in token.split("-") if part.strip(APOSTROPHES)]
    return found


@functools.cache
def english_only() -> frozenset[str]:
    """Every word Effekt, Streamlit or common English could put on a page that no Swedish text uses."""
    english: set[str] = set(COMMON_ENGLISH)
    swedish: set[str] = set()
    for texts in catalogue().values():
        english.update(words(texts.get("en", "")))
        swedish.update(words(_QUOTED.sub(" ", texts.get("sv", ""))))
    for metric in load_builtin_catalogue():
        english.update(words(" ".join((metric.name_en, metric.unit_en, metric.description_en, metric.definition_en))))
        swedish.update(words(" ".join((metric.name_sv, metric.unit_sv, metric.description_sv, metric.definition_sv,
                                       metric.passage))))
    for in_english, in_swedish in PAIRS:
        english.update(words(in_english))
        swedish.update(words(in_swedish))
    return frozenset(english - (swedish - CODE_VALUES) - set(ALLOWED))


def english_words_in(texts: Iterable[str]) -> list[str]:
    """The English words in these texts (each once, sorted): what a Swedish page must not show."""
    vocabulary = english_only()
    return sorted({word for text in texts for word in words(text) if word in vocabulary})


def english_words_on(page: Any) -> list[str]:
    """The English words a person sees or hears on this Playwright page."""
    return english_words_in(page.evaluate(PAGE_TEXT_JS))

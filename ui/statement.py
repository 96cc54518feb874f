"""Tillgänglighetsredogörelse: the accessibility statement the DOS law asks for, after DIGG's model.

Lagen (2018:1937) om tillgänglighet till digital offentlig service requires a statement that
says how accessible the service is, what is not and why, how to report a problem, who supervises
(DIGG) and when the service was last assessed. The same sections, as one escaped HTML body, are
shown on the page under Om (app_pages/accessibility_statement.py) and on the plain route
``/tillganglighet`` (web/statement.py), which a person reaches without signing in.

The contact is the administrator's (settings ``EFFEKT_ACCESSIBILITY_CONTACT_EMAIL`` and
``_PHONE``); the date is :data:`LAST_ASSESSMENT`, updated when the checks in tests/e2e
(axe-core, HTML_CodeSniffer through pa11y, keyboard journeys) are run for a release, unless
``EFFEKT_ACCESSIBILITY_ASSESSED`` names a later assessment of this deployment.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from data.settings import Settings, get_settings
from presentation.formatting import format_date
from presentation.i18n import translate

# The last time the automatic and keyboard checks were run on every page in both languages.
LAST_ASSESSMENT = dt.date(2026, 12, 1)
DIGG_FORM = "https://www.digg.se/tdosanmalan"
DIGG_EMAIL = "info@digg.se"  # as on digg.se/tdosanmalan (read 2026-12-01), with the phone number
DIGG_PHONE = "0771-11 44 00"
# Known shortcomings, each with its reason (statement.shortcoming.<name> in statement.toml).
SHORTCOMINGS = ("navigation", "grids", "pack")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]
    items: tuple[str, ...] = ()


def assessed_on(settings: Settings) -> dt.date:
    """The date of the last assessment: the setting when given (YYYY-MM-DD), else the release's."""
    return dt.date.fromisoformat(settings.accessibility_assessed) if settings.accessibility_assessed else LAST_ASSESSMENT


def contact_lines(language: str, settings: Settings) -> tuple[str, ...]:
    """How to reach the people who run this deployment, or what to do when none is set."""
    lines = []
    if settings.accessibility_contact_email:
        lines.append(translate("statement.contact.email", language, email=settings.accessibility_contact_email))
    if settings.accessibility_contact_phone:
        lines.append(translate("statement.contact.phone", language, phone=settings.accessibility_contact_phone))
    return tuple(lines) or (translate("statement.contact.none", language),)


def statement_sections(language: str, settings: Settings | None = None) -> list[Section]:
    """The statement's sections in DIGG's order, in one language."""
    settings = settings or get_settings()

    def t(key: str, **params: object) -> str:
        return translate(key, language, **params)

    day = format_date(assessed_on(settings), language)
    return [
        Section(t("statement.how.heading"), (t("statement.intro"), t("statement.how.body"))),
        Section(t("statement.contact.heading"), (t("statement.contact.body"),), contact_lines(language, settings)),
        Section(t("statement.report.heading"), (t("statement.report.body"),), contact_lines(language, settings)),
        Section(t("statement.supervision.heading"), (t("statement.supervision.body"),),
                (t("statement.supervision.form", url=DIGG_FORM), t("statement.supervision.contact", email=DIGG_EMAIL,
                                                                    phone=DIGG_PHONE))),
        Section(t("statement.technical.heading"), (t("statement.technical.body"),)),
        Section(t("statement.shortcomings.heading"), (t("statement.shortcomings.body"),),
                tuple(t(f"statement.shortcoming.{name}") for name in SHORTCOMINGS)),
        Section(t("statement.method.heading"), (t("statement.method.body"), t("statement.method.date", date=day))),
    ]


def _linked(text: str) -> str:
    """Escaped text with DIGG's form and e-mail addresses as links (nothing else becomes markup)."""
    shown = html.escape(text)
    shown = shown.replace(DIGG_FORM, f'<a href="{DIGG_FORM}">{DIGG_FORM}</a>')
    words = []
    for word in shown.split(" "):
        bare = word.rstrip(".,;")
        if "@" in bare and "<" not in bare and "/" not in bare:
            word = word.replace(bare, f'<a href="mailto:{bare}">{bare}</a>', 1)
        words.append(word)
    return " ".join(words)


def statement_html(language: str, settings: Settings | None = None, level: int = 2) -> str:
    """The sections as HTML (headings at ``level``), every text escaped."""
    parts = []
    for section in statement_sections(language, settings):
        parts.append(f"<h{level}>{html.escape(section.heading)}</h{level}>")
        parts += [f"<p>{_linked(paragraph)}</p>" for paragraph in section.paragraphs]
        if section.items:
            parts.append("<ul>" + "".join(f"<li>{_linked(item)}</li>" for item in section.items) + "</ul>")
    return "\n".join(parts)

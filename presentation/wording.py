"""The words every output shares for a change and a target status (text package: no Streamlit).

One change description — the value with its unit, and "better"/"worse" by the metric's direction —
and one set of status icons and words, used by Översikt, Mätetal i detalj, Jämför, Mål and the board
pack, so no two outputs word the same fact differently.
"""

from __future__ import annotations

import datetime as dt
import math

from metrics.catalogue import MetricDefinition
from presentation.formatting import DASH, format_change, format_date
from presentation.i18n import translate

# Icons beside the words: a status never rests on colour alone.
STATUS_ICONS = {"on_track": "✓", "at_risk": "!", "off_track": "✗", "no_data": "–"}


def verdict(improved: object, language: str) -> str:
    """`` (bättre)`` / `` (sämre)`` for a known change, nothing otherwise (None or NaN)."""
    if improved is None or (isinstance(improved, float) and math.isnan(improved)):
        return ""
    return f" ({translate('change.better' if bool(improved) else 'change.worse', language)})"


def change_text(change: float | None, improved: object, metric: MetricDefinition, language: str,
                broken: object = False) -> str:
    """A change with its unit and its verdict in words: ``+2,5 p.e. (bättre)``; across a method
    change (``broken``, from :mod:`metrics.breaks`) ``inte jämförbart (ny mätmetod)`` instead."""
    if not (broken is None or (isinstance(broken, float) and math.isnan(broken))) and bool(broken):
        return translate("change.not_comparable", language)
    return format_change(change, metric.unit_kind, metric.decimals, language) + verdict(improved, language)


def comment_line(comment: str, who: str, day: dt.date | None, language: str) -> str:
    """``«Ny enkät i maj» — demo-editor, 2025-11-02``: a figure's comment with who wrote it and when
    (its latest revision); the same words on Översikt's cards, the detail table and the board pack."""
    if not comment or not who:
        return comment or ""
    when = format_date(day, language) if day else DASH
    return translate("event.comment_by", language, comment=comment, who=who, when=when)


def status_text(status: str | None, language: str) -> str:
    """``✓ i fas``: the icon and the word; a missing status is a dash."""
    if not status:
        return DASH
    return f"{STATUS_ICONS.get(status, '')} {translate(f'target.status.{status}', language)}".strip()

"""Small tables as real HTML tables: a caption, column headers and row headers, every text escaped.

``st.dataframe`` draws a canvas grid: right for sorting and scrolling through many rows, but a
screen reader gets only a fallback table of the rows in view, and two grids on one page share
their cell ids (``glide-cell-0-0`` …, WCAG 4.1.1 F77 in HTML_CodeSniffer). Tables of up to a few
hundred cells (chart alternatives, summaries, Inrapportering, Mål) are drawn here as ``<table>``
with a ``<caption>``, ``<th scope="col">`` and the first column as ``<th scope="row">``. Numbers
not already formatted are written in the reader's locale (``1 234,5``).
"""

from __future__ import annotations

import html
import math
import numbers

import pandas as pd
import streamlit as st

from presentation.formatting import DASH, format_number

# Above this many cells a table is a grid (sorting and scrolling matter more than a caption).
MAX_CELLS = 600
_STYLE = """<style>
.effekt-table-wrap{overflow-x:auto;max-width:100%}
.effekt-table{border-collapse:collapse;font-size:0.875rem;margin:0.25rem 0 1rem}
.effekt-table caption{caption-side:top;text-align:left;font-weight:600;padding:0 0 0.25rem}
.effekt-table th,.effekt-table td{border-bottom:1px solid #d5d5d5;padding:0.3rem 0.6rem;text-align:left;
vertical-align:top}
.effekt-table thead th{border-bottom:2px solid #8a8a8a}
.effekt-table td.number{text-align:right;white-space:nowrap}
</style>"""


def cell_text(value: object, language: str) -> str:
    """A cell as the reader sees it: numbers in the locale, a gap as ``–``, text unchanged."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return DASH
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return format_number(int(value), language, decimals=0)
    if isinstance(value, numbers.Real):
        return format_number(float(value), language, decimals=None)
    return str(value)


def table_html(frame: pd.DataFrame, caption: str, language: str) -> str:
    """The frame as an HTML table; the first column heads its row (a quarter, a metric, an organisation)."""
    head = "".join(f'<th scope="col">{html.escape(str(name))}</th>' for name in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for position, value in enumerate(values):
            text = html.escape(cell_text(value, language))
            if position == 0:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                kind = ' class="number"' if isinstance(value, numbers.Real) and not isinstance(value, bool) else ""
                cells.append(f"<td{kind}>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    # A table wider than the page scrolls: its box takes the keyboard focus (WCAG 2.1.1) and is named.
    return (f'<div class="effekt-table-wrap" tabindex="0" role="region" aria-label="{html.escape(caption)}">'
            f'<table class="effekt-table"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def show_table(frame: pd.DataFrame, *, caption: str, key: str, language: str, grid_when_large: bool = False) -> None:
    """Draw a table for people: HTML with a caption; a grid only when asked for and the table is large.

    At most one table on a page may pass ``grid_when_large`` (two grids would clash in their ids)."""
    with st.container(key=key):
        if grid_when_large and frame.size > MAX_CELLS:
            st.caption(caption)
            st.dataframe(frame, hide_index=True, key=f"{key}_grid")
        else:
            st.html(_STYLE + table_html(frame, caption, language))

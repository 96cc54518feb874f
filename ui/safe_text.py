"""User text shown as text, whatever renders it: the one escaping for Streamlit Markdown and the
one for plotly's pseudo-HTML.

Comments, organisation names, decision titles and target notes are data. Streamlit renders
captions, headers, alerts and ``st.markdown`` as Markdown (with KaTeX for ``$…$``, ``~~`` for
strikethrough, bare ``http://`` autolinks and ``:red[…]`` colours); plotly renders ``<a>``,
``<b>``, ``<span style>`` and ``<br>`` in names, labels and hover text. Without escaping, a
comment ``<a href=…>`` became a live link in the detail chart's hover.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

# CommonMark shows a backslash-escaped ASCII punctuation character literally. Escaped: what starts
# markup (emphasis, code, links, raw HTML and entities, headings, tables), KaTeX ($), strikethrough
# (~), e-mail autolinks (@), the : of http:// and the . of www. (bare autolinks), and a list marker
# at the start; the rest (commas, colons in prose, hyphens in codes) is left as typed so the
# Markdown source still reads as the text.
_MARKUP = re.compile(r"([\\`*_\[\]<>$~|#&@])")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=www)(\.)")
_LIST_START = re.compile(r"^([-+=]|\d+[.)])")
_SPACE = re.compile(r"[\t\r\n\f\v]+")  # line breaks (a no-break space stays)

# Trace attributes that carry data (names, categories, hover text), never the app's own templates.
_DATA_ATTRIBUTES = ("name", "text", "hovertext", "customdata", "x", "y", "labels", "ids")


def markdown_literal(text: object) -> str:
    """``text`` as Markdown that shows exactly these characters, on one line."""
    escaped = _MARKUP.sub(r"\\\1", _SPACE.sub(" ", str(text)).strip())
    escaped = _AUTOLINK.sub(lambda found: "\\" + found.group(), escaped)
    return _LIST_START.sub(lambda found: found.group()[:-1] + "\\" + found.group()[-1], escaped)


def plotly_literal(text: object) -> str:
    """``text`` for a plotly label or hover: its ``<``, ``>`` and ``&`` shown, not read as markup."""
    return html.escape(str(text), quote=False)


def literal_figure(figure: go.Figure) -> go.Figure:
    """Every text in the figure's traces (names, categories, hover text, custom data) escaped for
    plotly, in place; the app's own hover templates and annotations are left as written."""
    for trace in figure.data:
        for attribute in _DATA_ATTRIBUTES:
            value = getattr(trace, attribute, None) if attribute in trace else None
            if value is not None:
                escaped = _escaped(value)
                if escaped is not value:
                    trace[attribute] = escaped
    return figure


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return plotly_literal(value)
    if isinstance(value, Sequence) or getattr(getattr(value, "dtype", None), "kind", "") == "O":
        items = list(value)
        if any(isinstance(item, str | list | tuple) for item in items):
            return [_escaped(item) for item in items]
    return value

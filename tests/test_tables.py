"""Small tables for people (ui.tables) and the cards' sparkline: real HTML, escaped, in the locale."""

from __future__ import annotations

import base64

import pandas as pd

from data.actors import SYSTEM
from metrics.catalogue import load_builtin_catalogue
from metrics.periods import Quarter
from ui.cards import sparkline_svg
from ui.page import PageContext
from ui.tables import cell_text, table_html


def test_a_table_has_its_caption_column_headers_and_row_headers_and_numbers_in_the_locale():
    frame = pd.DataFrame({"Kvartal": ["2025 K1", "2025 K2"], "Värde": [1234.5, None], "Antal": [1200, 3]})
    shown = table_html(frame, "Levererade idéer per kvartal", "sv")
    assert "<caption>Levererade idéer per kvartal</caption>" in shown
    assert '<thead><tr><th scope="col">Kvartal</th><th scope="col">Värde</th><th scope="col">Antal</th></tr></thead>' in shown
    assert ('<tr><th scope="row">2025 K1</th><td class="number">1\u00a0234,5</td><td class="number">1\u00a0200</td></tr>'
            in shown)
    assert '<tr><th scope="row">2025 K2</th><td class="number">–</td><td class="number">3</td></tr>' in shown
    assert table_html(frame, "x", "en").count("1,234.5") == 1


def test_every_text_in_a_table_is_escaped():
    frame = pd.DataFrame({"<b>Namn</b>": ["<script>alert(1)</script>"], "Kommentar": ['"&<img src=x onerror=1>']})
    shown = table_html(frame, "<i>rubrik</i>", "sv")
    assert "<script>" not in shown
    assert "<img" not in shown
    assert "<b>" not in shown
    assert "<i>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "&lt;i&gt;rubrik&lt;/i&gt;" in shown


def test_a_cell_reads_as_the_reader_writes_it():
    assert [cell_text(v, "sv") for v in (None, float("nan"), 2.0, 0.25, 7, "87,5 %")] == ["–", "–", "2", "0,25", "7", "87,5 %"]


def test_the_card_sparkline_is_a_named_picture_without_a_form():
    metric = next(m for m in load_builtin_catalogue() if m.code == "vision_alignment")  # per cent, one decimal
    context = PageContext(url="", version=0, language="sv", actor=SYSTEM, organisation=None,
                          quarter=Quarter(2025, 3), metrics=[], organisations=[])
    shown = sparkline_svg([50.0, 62.5, 75.0], metric, context)
    assert shown.startswith('<img src="data:image/svg+xml;base64,')
    assert shown.endswith('alt="Utvecklingen de senaste perioderna: 50,0\u00a0%; 62,5\u00a0%; 75,0\u00a0%" width="100%" '
                          'height="36" style="display:block">')
    picture = base64.b64decode(shown.split("base64,")[1].split('"')[0]).decode()
    assert "<form" not in picture
    assert 'points="0.0,28.0 50.0,15.0 100.0,2.0"' in picture

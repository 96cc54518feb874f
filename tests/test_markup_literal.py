"""User text is shown as text by every renderer (issue 11, finding 10): comments, organisation
names and decision titles holding ``<a href>``, ``<span style>``, ``$x$``, ``~~s~~`` or a bare
``http://`` link come out literally in Streamlit Markdown (captions, headers, slide bullets and
tables), in plotly's hover and labels, and in the board pack's PDF and PPTX."""

from __future__ import annotations

import html
import io
import json

import pypdf
import pytest
from markdown_it import MarkdownIt
from pptx import Presentation
from sqlalchemy import update

from data.actors import SYSTEM
from data.bootstrap import prepare_database
from data.db import reading, writing
from data.decisions import NewDecision, add_decision
from data.models import Measurement, Organisation
from data.organisations import list_organisations
from metrics.periods import Quarter
from reports.export import render_pack
from reports.gather import read_board_pack
from tests.apptest_support import open_app
from ui.charts import trend_figure
from ui.safe_text import literal_figure, markdown_literal, plotly_literal

LINK = '<a href="http://evil.example/x">klicka</a>'
SPAN = '<span style="color:red;font-size:40px">röd</span>'
ATTACKS = [LINK, SPAN, "$x$", "~~s~~", "http://x.example", "www.x.example", ":red[röd]", "**fet** _k_ `c`",
           "&amp; &lt;b&gt;", "[länk](http://x.example)", "# rubrik", "1. lista"]
COMMENT = f"{LINK} {SPAN} $x$ ~~s~~ http://x.example"
NAME = f"Ekbacka {SPAN} $x$ ~~s~~"
MARKDOWN_KINDS = ("title", "header", "subheader", "caption", "markdown", "info", "success", "warning", "error")


@pytest.mark.parametrize("text", ATTACKS)
def test_markdown_literal_renders_as_exactly_the_text(text):
    """CommonMark (with strikethrough and linkify, as GitHub-flavoured Markdown) shows the characters."""
    renderer = MarkdownIt("commonmark").enable("strikethrough")
    rendered = renderer.renderInline(markdown_literal(text))
    assert rendered == html.escape(text, quote=True).replace("&#x27;", "'")


def test_plotly_literal_and_the_figure_walk_escape_names_categories_and_hover():
    figure = trend_figure(series=[], language="sv")
    figure.add_scatter(x=[NAME, "2025 K1"], y=[1, 2], name=NAME, text=[COMMENT, "ok"], customdata=[[NAME, 1]])
    spec = json.loads(literal_figure(figure).to_json())["data"][0]
    assert spec["name"] == plotly_literal(NAME)
    assert "&lt;span style" in spec["name"]
    assert spec["x"][0] == plotly_literal(NAME)
    assert spec["text"][0] == plotly_literal(COMMENT)
    assert spec["customdata"][0][0] == plotly_literal(NAME)
    assert "<a href" not in json.dumps(spec)
    assert "<span" not in json.dumps(spec)


@pytest.fixture(scope="module")
def markup_db(tmp_path_factory):
    """The demo, where the first organisation's name, every comment and a decision hold markup."""
    url = f"sqlite:///{tmp_path_factory.mktemp('markup') / 'markup.db'}"
    prepare_database(url, demo_if_empty=True)
    with reading(url) as session:
        first = list_organisations(session=session)[0]
    with writing(url) as session:
        session.execute(update(Organisation).where(Organisation.id == first.id).values(name=NAME))
        session.execute(update(Measurement).where(Measurement.organisation_id == first.id).values(comment=COMMENT))
        add_decision(session=session, actor=SYSTEM, decision=NewDecision(
            first.id, Quarter.last_completed() - 1, what=COMMENT, owner=SPAN))
    return url


def markdown_bodies(at) -> list[str]:
    return [str(element.value) for kind in MARKDOWN_KINDS for element in getattr(at, kind)]


def assert_literal(bodies: list[str]) -> None:
    """No body has KaTeX, strikethrough or a bare link left, and none renders a tag of the text."""
    renderer = MarkdownIt("commonmark").enable("strikethrough")
    for body in bodies:
        assert [raw for raw in ("$x$", "~~s~~", "http://x.example") if raw in body] == [], body
        rendered = renderer.render(body)
        assert [tag for tag in ("<a ", "<span", "<s>") if tag in rendered] == [], body


def test_metric_detail_caption_and_chart_hover_show_the_markup_as_text(markup_db, monkeypatch):
    at = open_app(markup_db, monkeypatch, page="metric_detail")
    bodies = markdown_bodies(at)
    assert_literal(bodies)
    assert any(markdown_literal(NAME) in body for body in bodies)
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    dumped = json.dumps(chart["data"], ensure_ascii=False)
    assert "<a href" not in dumped
    assert "<span" not in dumped
    hovers = [text for trace in chart["data"] for text in (trace.get("text") or [])]
    assert any(text.endswith(" · " + plotly_literal(COMMENT)) for text in hovers)


def test_board_slides_show_the_markup_as_text(markup_db, monkeypatch):
    at = open_app(markup_db, monkeypatch, page="board")
    with reading(markup_db) as session:
        organisation = list_organisations(session=session)[0]
        count = len(read_board_pack(session=session, organisation=organisation, quarter=Quarter.last_completed(),
                                    language="sv").slides)
    seen = []
    for index in range(count):
        at.session_state["board_slide"] = index
        at.run()
        assert not at.exception
        bodies = markdown_bodies(at) + [str(v) for table in at.table for v in table.value.to_numpy().ravel()]
        assert_literal(bodies)
        seen += bodies
    assert any(markdown_literal(COMMENT) in body for body in seen)  # the decision followed up
    assert any(markdown_literal(NAME) in body for body in seen)  # the title


def test_the_pack_pdf_and_pptx_keep_the_markup_as_literal_text(markup_db):
    with reading(markup_db) as session:
        organisation = list_organisations(session=session)[0]
        pack = read_board_pack(session=session, organisation=organisation, quarter=Quarter.last_completed(),
                               language="sv")
    pdf_text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pack(pack, "pdf"))).pages)
    assert "$x$" in pdf_text
    assert "~~s~~" in pdf_text
    assert "<span style=" in pdf_text
    assert "<a href=" in pdf_text
    presentation = Presentation(io.BytesIO(render_pack(pack, "pptx")))
    texts = " ".join(shape.text_frame.text for slide in presentation.slides for shape in slide.shapes
                     if shape.has_text_frame)
    assert COMMENT in texts
    assert NAME in texts

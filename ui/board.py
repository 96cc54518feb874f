"""Styrelserapport glue: the cached board pack, drawing a slide for a projector, the decisions
register's table, and the downloads (made only when a person clicks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data.as_of import end_of_day
from data.db import reading, writing
from data.decisions import NewDecision, add_decision, list_decisions, update_decision
from data.organisations import OrganisationInfo
from metrics import clock
from metrics.periods import Quarter
from reports.charts import slide_figure
from reports.export import FORMATS, render_pack
from reports.gather import board_inputs, read_board_pack
from reports.model import BoardPack, Slide, build_board_pack
from reports.sheets import organisation_csv, organisation_workbook
from ui.charts import show_figure
from ui.formatting import DASH
from ui.page import PageContext
from ui.safe_text import markdown_literal

SLIDE_KEY = "board_slide"
# Large type for a 1280×720 projector: headings, bullets and tables a room can read.
PROJECTOR_CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.5rem;}
[data-testid="stMainBlockContainer"] h1 {font-size: 1.8rem !important;}
[data-testid="stMainBlockContainer"] h2 {font-size: 2.1rem !important; line-height: 1.2;}
[data-testid="stMainBlockContainer"] h3 {font-size: 1.6rem !important; color: #444;}
[data-testid="stMainBlockContainer"] li {font-size: 1.35rem; line-height: 1.4;}
[data-testid="stTable"] td, [data-testid="stTable"] th {font-size: 1.15rem;}
</style>
"""
DECISION_COLUMNS = ("id", "decided", "what", "owner", "due", "done", "note")


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def board_pack(url: str, version: int, organisation: OrganisationInfo, quarter: str, language: str,
               as_of: dt.date | None, today: dt.date) -> BoardPack:
    """The pack for the sidebar's organisation and quarter, current or as of a date."""
    with reading(url) as session:
        return read_board_pack(
            session=session, organisation=organisation, quarter=Quarter.parse(quarter), language=language,
            as_of=end_of_day(as_of) if as_of else None, today=today,
        )


def context_pack(context: PageContext, as_of: dt.date | None) -> BoardPack:
    assert context.organisation is not None
    return board_pack(context.url, context.version, context.organisation, str(context.quarter),
                      context.language, as_of, clock.today())


@dataclass(frozen=True)
class Download:
    label: str
    file_name: str
    mime: str
    make: Callable[[], bytes]


def downloads(context: PageContext, as_of: dt.date | None) -> dict[str, Download]:
    """The board pack and the figures, each made only when someone clicks its button."""
    assert context.organisation is not None
    organisation, quarter, language = context.organisation, context.quarter, context.language
    moment = end_of_day(as_of) if as_of else None
    stem = f"{organisation.code}-{quarter}" + (f"-{as_of.isoformat()}" if as_of else "")

    def make(kind: str) -> Callable[[], bytes]:
        def build() -> bytes:
            with reading(context.url) as session:
                inputs = board_inputs(session=session, organisation=organisation, quarter=quarter,
                                      language=language, as_of=moment)
            if kind in FORMATS:
                return render_pack(build_board_pack(inputs), kind)
            return organisation_workbook(inputs, organisation.code) if kind == "xlsx" else \
                organisation_csv(inputs, organisation.code)
        return build

    mimes = {**FORMATS, "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv"}
    prefixes = {"pdf": "styrelseunderlag", "pptx": "styrelseunderlag", "xlsx": "varden", "csv": "varden"}
    return {kind: Download(context.t(f"board.download.{kind}"), f"{prefixes[kind]}-{stem}.{kind}", mime, make(kind))
            for kind, mime in mimes.items()}


def current_slide(count: int) -> int:
    """The slide shown, kept within the pack (a new organisation may have fewer slides).

    A link may open a given slide: ``/styrelserapport?bild=2`` starts on the second.
    """
    if SLIDE_KEY not in st.session_state:
        asked = str(st.query_params.get("bild", "1"))
        st.session_state[SLIDE_KEY] = int(asked) - 1 if asked.isdigit() else 0
    index = min(max(int(st.session_state.get(SLIDE_KEY, 0)), 0), count - 1)
    st.session_state[SLIDE_KEY] = index
    return index


def step(delta: int, count: int) -> Callable[[], None]:
    def move() -> None:
        st.session_state[SLIDE_KEY] = min(max(int(st.session_state.get(SLIDE_KEY, 0)) + delta, 0), count - 1)
    return move


def render_slide(slide: Slide, pack: BoardPack, context: PageContext, key: str) -> None:
    """One slide, large: title, subtitle, bullets, then its table or chart. No editing widgets."""
    with st.container(border=True):
        st.header(markdown_literal(slide.title), anchor=False)
        if slide.subtitle:
            st.subheader(markdown_literal(slide.subtitle), anchor=False)
        # A chart goes beside the text, so a slide fits a 1280×720 projector without scrolling.
        text, chart = st.columns([1, 1.4]) if slide.chart is not None else (st.container(), None)
        if slide.bullets:
            text.markdown("\n".join(f"- {markdown_literal(line)}" for line in slide.bullets))
        if slide.table is not None:
            # st.table renders Markdown in its cells: each text cell is escaped like the bullets.
            rows = [[markdown_literal(v) if isinstance(v, str) else v for v in row] for row in slide.table.rows]
            columns = [markdown_literal(c) for c in slide.table.columns]
            text.table(pd.DataFrame(rows, columns=columns).set_index(columns[0]))
        if chart is not None and slide.chart is not None:
            with chart:
                show_figure(slide_figure(slide.chart, context.language, height=350, font_size=14), key=f"{key}_chart",
                            alt=slide.chart.alt, theme=None)
        if slide.kind != "title":  # the title slide states it among its bullets
            st.caption(markdown_literal(pack.as_of_text))


def decisions_frame(context: PageContext) -> pd.DataFrame:
    """The organisation's decisions as an editable table (quarters as text a person can type)."""
    assert context.organisation is not None
    with reading(context.url) as session:
        decisions = list_decisions(session=session, organisation_id=context.organisation.id)
    rows = [(d.id, d.decided.label(context.language), d.what, d.owner,
             d.due.label(context.language) if d.due else "", d.done, d.note) for d in reversed(decisions)]
    return pd.DataFrame(rows, columns=list(DECISION_COLUMNS))


def add_context_decision(context: PageContext, what: str, owner: str, due: str | None) -> int:
    """Record a decision taken at the meeting about the sidebar's quarter."""
    assert context.organisation is not None
    with writing(context.url) as session:
        return add_decision(session=session, actor=context.actor, decision=NewDecision(
            organisation_id=context.organisation.id, decided=context.quarter, what=what, owner=owner,
            due=Quarter.parse(due) if due else None,
        ))


def save_decision_edits(context: PageContext, before: pd.DataFrame, edits: dict[str, object]) -> int:
    """Apply the table's edited rows (all in one transaction); returns how many changed."""
    edited = edits.get("edited_rows", {})
    assert isinstance(edited, dict)
    with writing(context.url) as session:
        for position, changes in edited.items():
            row = {**before.iloc[int(position)].to_dict(), **changes}
            due = str(row["due"] or "").strip()
            update_decision(
                session=session, actor=context.actor, decision_id=int(row["id"]), what=str(row["what"] or ""),
                owner=str(row["owner"] or ""), due=Quarter.parse(due) if due and due != DASH else None,
                done=bool(row["done"]), note=str(row["note"] or ""),
            )
    return len(edited)


def due_options(quarter: Quarter) -> list[str]:
    return [str(quarter + offset) for offset in range(1, 5)]


def decision_column_labels(context: PageContext) -> dict[str, object]:
    """Column headings of the decisions table in the reader's language."""
    return {
        "decided": st.column_config.TextColumn(context.t("board.decisions.decided")),
        "what": st.column_config.TextColumn(context.t("board.follow_up.what"), width="large", required=True),
        "owner": st.column_config.TextColumn(context.t("board.follow_up.owner")),
        "due": st.column_config.TextColumn(context.t("board.follow_up.due")),
        "done": st.column_config.CheckboxColumn(context.t("board.follow_up.done")),
        "note": st.column_config.TextColumn(context.t("board.decisions.note")),
    }

"""Styrelserapport glue: the cached board pack, drawing a slide for a projector, the decisions
register's table, and the downloads (made only when a person clicks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import pandas as pd
import streamlit as st

from data.as_of import end_of_day
from data.customer_voice import (
    EXTENSIONS,
    MAX_CLIP_BYTES,
    CustomerClip,
    CustomerVoiceInfo,
    customer_clip,
    customer_voice,
    remove_customer_clip,
    save_customer_clip,
    save_customer_quotes,
)
from data.db import reading, writing
from data.decisions import NewDecision, add_decision, list_decisions, update_decision
from data.organisations import OrganisationInfo
from metrics import clock
from metrics.disclosure import Rule
from metrics.errors import EffektError
from metrics.periods import Quarter
from presentation.formatting import DASH
from reports.charts import slide_figure
from reports.export import FORMATS, render_pack
from reports.gather import board_inputs, read_board_pack
from reports.model import BoardPack, Slide, build_board_pack
from reports.sheets import organisation_csv, organisation_workbook
from ui.charts import show_figure
from ui.downloads import guarded
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
/* A presenter's clicker sends PageUp/PageDown: buttons that only carry those shortcuts stay out of sight. */
.st-key-board_clicker, .st-key-presenter_clicker {display: none;}
</style>
"""
PRESENTER_KEY = "board_presenter"
# The presenter view: no sidebar or header, and the slide fills the screen (1920×1080 on a projector):
# type in viewport units, so a three-bullet slide reads from the back of the room instead of using the top third.
PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] {display: none;}
[data-testid="stMainBlockContainer"] {max-width: 100%; padding: 1.5vh 2.5vw 0 2.5vw;}
.st-key-presenter_slide {min-height: 86vh;}
.st-key-presenter_slide h2 {font-size: 3.3vw !important; line-height: 1.15;}
.st-key-presenter_slide h3 {font-size: 2.2vw !important; color: #444;}
.st-key-presenter_slide li {font-size: 2vw; line-height: 1.45;}
.st-key-presenter_slide [data-testid="stTable"] td, .st-key-presenter_slide [data-testid="stTable"] th {font-size: 1.35vw;}
.st-key-presenter_slide [data-testid="stCaptionContainer"] {font-size: 1.1vw;}
</style>
"""
PRESENTER_CHART_HEIGHT = 640  # px: most of a 1080-pixel screen beside the bullets
CHART_TEXT_PX = 18  # the smallest chart text on screen, on the page and in the presenter view
DECISION_COLUMNS = ("id", "decided", "what", "owner", "due", "done", "note")


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def board_pack(url: str, version: int, organisation: OrganisationInfo, quarter: str, language: str,  # noqa: ARG001 - the cache key: a new data version is a new read
               as_of: dt.date | None, today: dt.date, rule: Rule) -> BoardPack:
    """The pack for the sidebar's organisation and quarter, current or as of a date."""
    with reading(url) as session:
        return read_board_pack(
            session=session, organisation=organisation, quarter=Quarter.parse(quarter), language=language,
            as_of=end_of_day(as_of) if as_of else None, today=today, rule=rule,
        )


def context_pack(context: PageContext, as_of: dt.date | None) -> BoardPack:
    assert context.organisation is not None
    return board_pack(context.url, context.version, context.organisation, str(context.quarter),
                      context.language, as_of, clock.today(), context.rule)


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
                                      language=language, as_of=moment, rule=context.rule)
                clip = customer_clip(session=session, organisation_id=organisation.id, quarter=quarter)
            if kind in FORMATS:
                return render_pack(build_board_pack(inputs), kind, clip.content if clip else None)
            return organisation_workbook(inputs, organisation.code) if kind == "xlsx" else \
                organisation_csv(inputs, organisation.code)
        return guarded(context, build)

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


def slide_navigation(context: PageContext, index: int, count: int, *, prefix: str = "board") -> None:
    """Previous / counter / next, with → and ← on the buttons and a clicker's PageDown/PageUp beside them."""
    previous, counter, following = st.columns([1, 2, 1], vertical_alignment="center")
    previous.button(context.t("board.previous"), key=f"{prefix}_previous", icon=":material/arrow_back:",
                    on_click=step(-1, count), disabled=index == 0, use_container_width=True, shortcut="Left")
    counter.markdown(f"**{context.t('board.counter', number=index + 1, count=count)}**")
    following.button(context.t("board.next"), key=f"{prefix}_next", icon=":material/arrow_forward:",
                     on_click=step(1, count), disabled=index == count - 1, use_container_width=True, shortcut="Right")
    with st.container(key=f"{prefix}_clicker"):  # hidden (CSS): one shortcut per button, so a second pair
        st.button(context.t("pack.clicker.previous"), key=f"{prefix}_page_up", on_click=step(-1, count),
                  shortcut="PageUp")
        st.button(context.t("pack.clicker.next"), key=f"{prefix}_page_down", on_click=step(1, count),
                  shortcut="PageDown")


def presenting() -> bool:
    return PRESENTER_KEY in st.session_state


def start_presenting() -> None:
    """Keep the as-of date: the page's date field is not drawn in the presenter view, so Streamlit drops it."""
    st.session_state[PRESENTER_KEY] = {"as_of": st.session_state.get("board_as_of")}


def stop_presenting() -> None:
    saved = st.session_state.pop(PRESENTER_KEY, None) or {}
    if saved.get("as_of") is not None:
        st.session_state["board_as_of"] = saved["as_of"]


def presenter_as_of() -> dt.date | None:
    return (st.session_state.get(PRESENTER_KEY) or {}).get("as_of")


def render_presenter(context: PageContext, pack: BoardPack) -> None:
    """The slide alone on the screen, the navigation below it, Esc (or the button) back to the page."""
    st.markdown(PROJECTOR_CSS + PRESENTER_CSS, unsafe_allow_html=True)
    index = current_slide(len(pack.slides))
    render_slide(pack.slides[index], pack, context, key=f"presenter_slide_{index}", presenter=True)
    slide_navigation(context, index, len(pack.slides), prefix="presenter")
    st.button(context.t("pack.presenter.exit"), key="presenter_exit", icon=":material/close_fullscreen:",
              on_click=stop_presenting, shortcut="Esc", type="tertiary")


def render_slide(slide: Slide, pack: BoardPack, context: PageContext, key: str, *, presenter: bool = False) -> None:
    """One slide, large: title, subtitle, bullets, then its table or chart. No editing widgets."""
    with st.container(border=True, key="presenter_slide" if presenter else None):
        st.header(markdown_literal(slide.title), anchor=False)
        if slide.subtitle:
            st.subheader(markdown_literal(slide.subtitle), anchor=False)
        # A chart goes beside the text, so a slide fits a 1280×720 projector without scrolling.
        text, chart = st.columns([1, 1.4]) if slide.chart is not None else (st.container(), None)
        if slide.bullets:
            text.markdown("\n".join(f"- {markdown_literal(line)}" for line in slide.bullets))
        if slide.clip is not None:
            with text:
                play_clip(context)
        if slide.table is not None:
            # st.table renders Markdown in its cells: each text cell is escaped like the bullets.
            rows = [[markdown_literal(v) if isinstance(v, str) else v for v in row] for row in slide.table.rows]
            columns = [markdown_literal(c) for c in slide.table.columns]
            text.table(pd.DataFrame(rows, columns=columns).set_index(columns[0]))
        if chart is not None and slide.chart is not None:
            with chart:
                height = PRESENTER_CHART_HEIGHT if presenter else 380
                show_figure(slide_figure(slide.chart, context.language, height=height, font_size=CHART_TEXT_PX),
                            key=f"{key}_chart", alt=slide.chart.alt, theme=None)
        if slide.kind != "title":  # the title slide states it among its bullets
            st.caption(markdown_literal(pack.as_of_text))


@st.cache_data(max_entries=4, ttl=600, show_spinner=False)
def _clip(url: str, version: int, organisation_id: int, quarter: str) -> CustomerClip | None:  # noqa: ARG001 - the cache key: a new data version is a new read
    with reading(url) as session:
        return customer_clip(session=session, organisation_id=organisation_id, quarter=Quarter.parse(quarter))


def play_clip(context: PageContext) -> None:
    """The quarter's customer clip, played where the customer slide is shown."""
    assert context.organisation is not None
    clip = _clip(context.url, context.version, context.organisation.id, str(context.quarter))
    if clip is not None:
        player = st.video if clip.mime.startswith("video/") else st.audio
        player(clip.content, format=clip.mime)


def render_voice_editor(context: PageContext) -> None:
    """Quotes and a clip for the quarter's customer slide; saving is checked in the data layer."""
    assert context.organisation is not None
    with reading(context.url) as session:
        voice = customer_voice(session=session, organisation_id=context.organisation.id, quarter=context.quarter)
    st.header(context.t("pack.voice.title"), anchor=False)
    st.caption(context.t("pack.voice.caption", quarter=context.quarter.label(context.language),
                         limit_mb=MAX_CLIP_BYTES // (1024 * 1024)))
    editable = context.actor.can_edit(context.organisation.id)
    with st.form("board_voice_form", clear_on_submit=True):
        quotes = st.text_area(context.t("pack.voice.quotes"), value="\n".join(voice.quotes), key="board_voice_quotes",
                              help=context.t("pack.voice.quotes_help"))
        upload = st.file_uploader(context.t("pack.voice.clip"), type=list(EXTENSIONS), key="board_voice_clip")
        saved = st.form_submit_button(context.t("pack.voice.save"), disabled=not editable)
    if saved:
        _voice_result(context, lambda: save_context_voice(context, quotes, upload), "pack.voice.saved")
    if voice.clip_name:
        st.caption(context.t("pack.voice.current", name=voice.clip_name))
        if st.button(context.t("pack.voice.remove"), key="board_voice_remove", disabled=not editable):
            _voice_result(context, lambda: remove_context_clip(context), "pack.voice.removed")


def _voice_result(context: PageContext, change: Callable[[], object], success: str) -> None:
    try:
        change()
    except EffektError as error:
        st.error(context.t(error.key, **error.params))
    else:
        st.success(context.t(success))


class Upload(Protocol):
    """What the clip upload offers (Streamlit's ``UploadedFile``, or a test's stand-in)."""

    name: str
    type: str

    def getvalue(self) -> bytes: ...


def save_context_voice(context: PageContext, quotes: str, upload: Upload | None) -> CustomerVoiceInfo:
    """Store the quotes, and the clip when one was chosen, in one transaction."""
    assert context.organisation is not None
    with writing(context.url) as session:
        organisation_id, quarter = context.organisation.id, context.quarter
        save_customer_quotes(session=session, actor=context.actor, organisation_id=organisation_id, quarter=quarter,
                             quotes=quotes.splitlines())
        if upload is not None:
            save_customer_clip(session=session, actor=context.actor, organisation_id=organisation_id, quarter=quarter,
                               name=upload.name, mime=upload.type, content=bytes(upload.getvalue()))
        return customer_voice(session=session, organisation_id=context.organisation.id, quarter=context.quarter)


def remove_context_clip(context: PageContext) -> None:
    assert context.organisation is not None
    with writing(context.url) as session:
        remove_customer_clip(session=session, actor=context.actor, organisation_id=context.organisation.id,
                             quarter=context.quarter)


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

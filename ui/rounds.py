"""The reporting round on Inrapportering: deadline, sign-off per organisation, national completion,
and the controls (editors sign off; administrators reopen, set the deadline and send reminders)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy.orm import Session

from data.db import reading, writing
from data.deadlines import Deadline, deadline_for, set_deadline
from data.figures import figures_frame
from data.mail import MailNotSetUp, mail_settings
from data.signoff import (
    SignOffInfo,
    quarter_params,
    reopen,
    sign_off,
    signed_off_quarters,
    signoff_history,
    signoffs_for_quarter,
)
from metrics import clock
from metrics.errors import EffektError
from metrics.periods import Quarter
from metrics.rounds import national_completion
from presentation.formatting import format_date, format_value
from presentation.palette import base_layout
from reports.rounds import describe_run, send_reminders, signoff_text, when_text
from ui.charts import show_figure
from ui.page import PageContext
from ui.tables import show_table

HISTORY_QUARTERS = 8


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def round_state(url: str, version: int, period: int) -> tuple[Deadline, dict[int, SignOffInfo]]:  # noqa: ARG001 - the cache key: a new data version is a new read
    quarter = Quarter.from_index(period)
    with reading(url) as session:
        return deadline_for(session=session, quarter=quarter), signoffs_for_quarter(session=session, quarter=quarter)


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def completion(url: str, version: int, period: int, organisation_ids: tuple[int, ...],  # noqa: ARG001 - the cache key: a new data version is a new read
               metric_ids: tuple[int, ...]) -> pd.DataFrame:
    """National completion over the last quarters up to the chosen one."""
    last = Quarter.from_index(period)
    first = last - (HISTORY_QUARTERS - 1)
    with reading(url) as session:
        figures = figures_frame(session=session, first=first, last=last)
        signed = signed_off_quarters(session=session)
    return national_completion(figures, organisation_ids, metric_ids, range(first.index, last.index + 1), signed)


def deadline_caption(context: PageContext, deadline: Deadline) -> str:
    return context.t("rounds.deadline_caption", quarter=context.quarter.label(context.language),
                     date=format_date(deadline.due, context.language),
                     when=when_text(deadline, clock.today(), context.language))


def round_columns(context: PageContext, organisation_ids: pd.Series) -> dict[str, list[str]]:
    """Extra Inrapportering columns per organisation: sign-off (by whom, when) and days left or late."""
    deadline, signoffs = round_state(context.url, context.version, context.quarter.index)
    when = when_text(deadline, clock.today(), context.language)
    ids = [int(i) for i in organisation_ids]
    return {
        context.t("rounds.column.signoff"): [signoff_text(signoffs.get(i), context.language) for i in ids],
        context.t("rounds.column.deadline"): ["–" if i in signoffs else when for i in ids],
    }


def completion_table(context: PageContext, frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        context.t("rounds.column.quarter"): [Quarter.from_index(int(p)).label(context.language) for p in frame["period"]],
        context.t("rounds.column.completion"): [format_value(float(s), "percent", 1, context.language)
                                                for s in frame["share"]],
        context.t("rounds.column.signed_off"): [context.t("reporting.of", reported=int(s), expected=int(n))
                                                for s, n in zip(frame["signed_off"], frame["organisations"], strict=True)],
    })


def completion_figure(context: PageContext, frame: pd.DataFrame) -> go.Figure:
    """A bar per quarter: the share of the expected figures reported nationally."""
    labels = [Quarter.from_index(int(p)).label(context.language) for p in frame["period"]]
    figure = go.Figure(go.Bar(x=labels, y=list(frame["share"]), marker_color="#0072B2",
                              name=context.t("rounds.national_chart_y")))
    figure.update_yaxes(range=[0, 100])
    return base_layout(figure, context.language, y_title=context.t("rounds.national_chart_y"), height=300)


def show_completion(context: PageContext) -> None:
    """The chart with its table beside it (the table is the accessible form of the chart)."""
    frame = completion(context.url, context.version, context.quarter.index,
                       tuple(o.id for o in context.organisations), tuple(m.id or 0 for m in context.metrics))
    st.subheader(context.t("rounds.national_title"))
    left, right = st.columns([3, 2])
    with left:
        show_figure(completion_figure(context, frame), key="rounds_completion_chart",
                    alt=context.t("rounds.national_title"))
    with right:
        show_table(completion_table(context, frame), caption=context.t("rounds.national_title"),
                   key="rounds_completion_table", language=context.language)


def _act(context: PageContext, action: Callable[[Session], object], done_key: str | None = None, **params: object) -> bool:
    """Run one write in its own unit of work; show a refusal as a translated message."""
    try:
        with writing(context.url) as session:
            action(session)
    except EffektError as error:
        st.error(context.t(error.key, **error.params))
        return False
    if done_key:
        st.success(context.t(done_key, **params))
    return True


def signoff_controls(context: PageContext) -> None:
    """Editors (and administrators) sign off the chosen organisation's quarter."""
    organisation = context.organisation
    if organisation is None or not context.actor.can_edit(organisation.id):
        return
    _, signoffs = round_state(context.url, context.version, context.quarter.index)
    info = signoffs.get(organisation.id)
    with st.expander(context.t("rounds.signoff_title"), expanded=info is None):
        if info is not None:
            st.write(signoff_text(info, context.language))
            if info.note:
                st.caption(info.note)
            if context.actor.is_admin:
                _reopen_form(context, organisation.id, organisation.name)
            return
        st.caption(context.t("rounds.signoff_help"))
        with st.form("rounds_signoff_form"):
            note = st.text_area(context.t("rounds.signoff_note"), key="rounds_signoff_note")
            if st.form_submit_button(context.t("rounds.signoff_button")):
                _act(context, lambda s: sign_off(session=s, actor=context.actor, organisation_id=organisation.id,
                                                 quarter=context.quarter, note=note),
                     "rounds.signed_off_done", **quarter_params(context.quarter), organisation=organisation.name)


def _reopen_form(context: PageContext, organisation_id: int, name: str) -> None:
    with st.form("rounds_reopen_form"):
        reason = st.text_input(context.t("rounds.reopen_reason"), key="rounds_reopen_reason")
        if st.form_submit_button(context.t("rounds.reopen_button")):
            _act(context, lambda s: reopen(session=s, actor=context.actor, organisation_id=organisation_id,
                                           quarter=context.quarter, reason=reason),
                 "rounds.reopened_done", **quarter_params(context.quarter), organisation=name)


def admin_controls(context: PageContext) -> None:
    """Administrators: the quarter's deadline, and reminders to editors who have not signed off."""
    if not context.actor.is_admin:
        return
    deadline, _ = round_state(context.url, context.version, context.quarter.index)
    with st.expander(context.t("rounds.deadline_title")), st.form("rounds_deadline_form"):
        due = st.date_input(context.t("rounds.deadline_input", quarter=context.quarter.label(context.language)),
                            value=deadline.due, key="rounds_deadline_date")
        if st.form_submit_button(context.t("rounds.deadline_save")) and isinstance(due, dt.date):
            _act(context, lambda s: set_deadline(session=s, actor=context.actor, quarter=context.quarter, due=due),
                 "rounds.deadline_saved", quarter=context.quarter.label(context.language),
                 date=format_date(due, context.language))
    with st.expander(context.t("rounds.remind_title")):
        _remind_controls(context)


def _remind_controls(context: PageContext) -> None:
    try:
        mail = mail_settings()
    except MailNotSetUp as error:
        st.info(context.t(error.key, **error.params))
        mail = None
    preview, send = st.columns(2)
    dry = preview.button(context.t("rounds.remind_preview"), key="rounds_remind_preview")
    real = send.button(context.t("rounds.remind_button"), key="rounds_remind_send", disabled=mail is None)
    if not (dry or real):
        return
    lines: list[str] = []

    def run(session: Session) -> None:
        result = send_reminders(session=session, actor=context.actor, quarter=context.quarter, mail=mail, dry_run=dry)
        lines.extend(describe_run(result, context.language))

    if _act(context, run):
        st.text("\n".join(lines))


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _signoff_history(url: str, version: int, organisation_id: int) -> list[SignOffInfo]:  # noqa: ARG001 - the cache key: a new data version is a new read
    with reading(url) as session:
        return signoff_history(session=session, organisation_id=organisation_id)


def show_signoff_history(context: PageContext) -> None:
    """Historik: every sign-off of the organisation, reopened ones too, so it shows what was vouched for when."""
    if context.organisation is None:
        return
    history = _signoff_history(context.url, context.version, context.organisation.id)
    if not history:
        return
    st.subheader(context.t("rounds.history_title"))
    st.dataframe(pd.DataFrame({
        context.t("rounds.column.quarter"): [h.quarter.label(context.language) for h in history],
        context.t("rounds.column.signoff"): [signoff_text(h, context.language) for h in history],
        context.t("rounds.column.note"): [h.note for h in history],
        context.t("rounds.column.reopened"): [
            context.t("rounds.reopened_by", who=h.reopened_by, reason=h.reopen_reason or "",
                      date=format_date(h.reopened_at.date(), context.language)) if h.reopened_at else "–"
            for h in history],
    }), hide_index=True, key="rounds_signoff_history")

"""Kvartalsdata: enter one quarter's figures for the organisation, all in one form."""

import streamlit as st

from data.actors import PermissionDenied
from data.figures import FigureConflict, FigureRejected
from ui import reads
from ui.entry import entry_figures, save_entry
from ui.page import page_context
from ui.views import no_organisation

context = page_context()
st.title(context.t("entry.title"))
if context.organisation is None:
    no_organisation(context)
st.caption(context.t("entry.caption", organisation=context.organisation.name,
                     quarter=context.quarter.label(context.language)))
figures = reads.organisation_figures(context.url, context.version, context.organisation.id)
current, previous = entry_figures(figures, context.quarter)

with st.form("entry_form"):
    for metric in context.metrics:
        now = current.get(metric.id)
        before = previous.get(metric.id)
        st.number_input(
            f"{metric.name(context.language)} ({metric.unit(context.language)})",
            min_value=metric.min_value, max_value=metric.max_value,
            value=now.value if now else None, step=1.0 if metric.whole_number else 0.1,
            format="%.0f" if metric.whole_number else f"%.{max(metric.decimals, 1)}f",
            help=metric.definition(context.language), key=f"entry_value_{metric.code}",
            placeholder=context.t("entry.previous", value="–" if before is None else before.value),
        )
    submitted = st.form_submit_button(context.t("entry.save"), type="primary")

if submitted:
    values = {m.code: st.session_state[f"entry_value_{m.code}"] for m in context.metrics}
    try:
        result = save_entry(context, values, current)
    except (FigureRejected, PermissionDenied) as error:
        st.error(context.t(error.key, **error.params))
    except FigureConflict:
        st.error(context.t("entry.conflict"))
    else:
        st.success(context.t("entry.saved", count=result.written))

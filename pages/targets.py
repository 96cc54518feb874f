"""Mål: each metric's baseline and the workshop's 10x proposal ("sikta tio gånger högre")."""

import streamlit as st

from ui import reads
from ui.page import page_context
from ui.views import no_organisation, target_proposals

context = page_context()
st.title(context.t("targets.title"))
if context.organisation is None:
    no_organisation(context)
st.markdown(context.t("targets.intro"))
figures = reads.organisation_figures(context.url, context.version, context.organisation.id)
st.dataframe(target_proposals(figures, context), hide_index=True, key="targets_table")

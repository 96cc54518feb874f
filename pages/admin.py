"""Administration: organisations, demo data and the audit log."""

import streamlit as st

from ui import reads
from ui.admin import audit_table, organisations_table, remove_demo_data
from ui.page import page_context

context = page_context()
st.title(context.t("admin.title"))

st.subheader(context.t("admin.organisations"))
organisations = reads.organisations(context.url, context.version, include_inactive=True)
st.dataframe(organisations_table(organisations, context), hide_index=True, key="admin_organisations")

if any(o.is_demo for o in organisations):
    st.subheader(context.t("admin.demo"))
    st.markdown(context.t("admin.demo_explained"))
    if st.button(context.t("admin.remove_demo"), key="admin_remove_demo"):
        removed = remove_demo_data(context)
        st.success(context.t("admin.demo_removed", count=removed))

st.subheader(context.t("admin.audit"))
st.dataframe(audit_table(context), hide_index=True, key="admin_audit")

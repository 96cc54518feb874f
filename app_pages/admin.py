"""Administration: organisations, metrics, accounts, demo data and the audit log (administrators);
editors may set their own organisations' named-comparison opt-in here."""

import streamlit as st

from ui import reads
from ui.admin import (
    account_forms,
    audit_section,
    metric_forms,
    named_comparison_form,
    organisation_forms,
    organisations_table,
    remove_demo_data,
)
from ui.api_tokens_admin import account_names, token_section
from ui.open_data_admin import open_data_form
from ui.page import page_context
from ui.register import register_section

context = page_context()
st.title(context.t("admin.title"))
organisations = reads.organisations(context.url, context.version, include_inactive=True)

if not context.actor.is_admin:
    st.info(context.t("permission.admin_only"))
    if context.actor.role == "editor":
        st.subheader(context.t("admin.named_comparison"))
        st.caption(context.t("admin.named_comparison_help"))
        named_comparison_form(context, organisations)
        open_data_form(context, organisations)
        st.subheader(context.t("api.admin_title"))
        token_section(context, [context.actor.username])
    st.stop()

tab_organisations, tab_metrics, tab_accounts, tab_tokens, tab_audit = st.tabs([
    context.t("admin.organisations"), context.t("admin.metrics"), context.t("admin.accounts"),
    context.t("api.admin_title"), context.t("admin.audit"),
])
with tab_organisations:
    st.dataframe(organisations_table(organisations, context), hide_index=True, key="admin_organisations")
    organisation_forms(context, organisations)
    register_section(context)
    open_data_form(context, organisations)
    if any(o.is_demo for o in organisations):
        st.subheader(context.t("admin.demo"))
        st.markdown(context.t("admin.demo_explained"))
        if st.button(context.t("admin.remove_demo"), key="admin_remove_demo"):
            removed = remove_demo_data(context)
            if removed is not None:
                st.success(context.t("admin.demo_removed", count=removed))
with tab_metrics:
    metric_forms(context)
with tab_accounts:
    account_forms(context, organisations)
with tab_tokens:
    token_section(context, account_names(context))
with tab_audit:
    audit_section(context, organisations)

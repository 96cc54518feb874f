"""Administration: an organisation's choice to publish its figures as open data.

Separate from named comparison and off by default; its editors or an administrator decide, and
data/open_data.py checks and audits it.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.orm import Session

from data.db import reading
from data.open_data import licence, publications, set_open_data
from data.organisations import OrganisationInfo
from data.settings import get_settings
from ui.admin import run_action
from ui.page import PageContext


def open_data_form(context: PageContext, organisations: list[OrganisationInfo]) -> None:
    """A toggle per organisation the person may edit, and whether uncertain figures go too."""
    st.subheader(context.t("http.open_data_title"))
    _iri, name = licence(get_settings().open_data_licence)
    st.caption(context.t("http.open_data_help", licence=name))
    with reading(context.url) as session:
        chosen = {p.organisation_id: p for p in publications(session=session)}
    for organisation in organisations:
        if not context.actor.can_edit(organisation.id):
            continue
        current = chosen.get(organisation.id)
        label = context.t("http.open_data_publish", name=organisation.name)
        published = st.toggle(label, value=current is not None, key=f"admin_open_{organisation.id}")
        uncertain = st.checkbox(context.t("http.open_data_uncertain"), value=bool(current and current.include_uncertain),
                                key=f"admin_open_uncertain_{organisation.id}", disabled=not published)
        if published != (current is not None) or (published and uncertain != bool(current and current.include_uncertain)):
            def save(session: Session, organisation_id: int = organisation.id, published: bool = published,
                     uncertain: bool = uncertain) -> None:
                set_open_data(session=session, actor=context.actor, organisation_id=organisation_id, published=published,
                              include_uncertain=uncertain)
            run_action(context, save, "admin.saved")

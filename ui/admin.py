"""The administration page's tables, forms and actions.

Every action goes through a data-layer function that checks the acting person itself; the forms
here only collect input. Errors come back as message keys and are shown plainly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from data.accounts import AccountInfo, add_account, change_role, list_accounts, reset_password, set_active, set_sso_identity
from data.actors import ROLES
from data.audit import ACTION_GROUPS, audit_frame
from data.catalogue_store import (
    UNIT_KINDS,
    add_metric,
    set_metric_active,
    update_metric_wording,
)
from data.db import reading, writing
from data.demo import remove_demo
from data.models import ORGANISATION_KINDS
from data.organisations import (
    NewOrganisation,
    OrganisationInfo,
    add_organisations,
    set_named_comparison,
    set_organisation_active,
    update_organisation,
)
from data.spreadsheet import neutralise
from metrics import clock
from metrics.catalogue import WORDING_FIELDS, MetricDefinition
from metrics.errors import EffektError
from presentation.formatting import format_number
from ui import reads
from ui.page import PageContext
from ui.register import county_name, group_label, population_source


def organisations_table(organisations: list[OrganisationInfo], context: PageContext) -> pd.DataFrame:
    def number(value: int | None) -> str:
        return format_number(value, context.language, 0) if value is not None else "–"

    return pd.DataFrame([
        {
            context.t("column.code"): o.code,
            context.t("column.organisation"): o.name,
            context.t("column.kind"): context.t(f"kind.{o.kind}"),
            context.t("column.peer_group"): group_label(o.peer_group, context) if o.peer_group else "–",
            context.t("column.employees"): number(o.employees),
            context.t("column.population"): number(o.population),
            context.t("sweden.column_population_source"): population_source(o, context),
            context.t("sweden.column_county"): county_name(o.county_code),
            context.t("column.named"): context.t("yes" if o.named_comparison else "no"),
            context.t("column.active"): context.t("yes" if o.active else "no"),
        }
        for o in organisations
    ])


def run_action(context: PageContext, action: Callable[[Session], Any], success_key: str, **params: Any) -> bool:
    """Do one change in its own unit of work; show success or the refusal in the person's language."""
    try:
        with writing(context.url) as session:
            action(session)
    except EffektError as error:
        st.error(context.t(error.key, **error.params))
        return False
    st.success(context.t(success_key, **params))
    return True


# --- organisations -----------------------------------------------------------------------------

def organisation_forms(context: PageContext, organisations: list[OrganisationInfo]) -> None:
    _organisation_add_form(context)
    if organisations:
        _organisation_edit_form(context, organisations)


def _organisation_add_form(context: PageContext) -> None:
    with st.form("admin_org_add_form", clear_on_submit=True):
        st.markdown(f"**{context.t('admin.org_add')}**")
        code = st.text_input(context.t("column.code"), key="admin_org_code")
        name = st.text_input(context.t("column.organisation"), key="admin_org_name")
        kind = st.selectbox(context.t("column.kind"), ORGANISATION_KINDS, key="admin_org_kind",
                            format_func=lambda k: context.t(f"kind.{k}"))
        peer_group = st.text_input(context.t("column.peer_group"), key="admin_org_peer_group")
        named = st.checkbox(context.t("admin.named_comparison"), key="admin_org_named")
        added = st.form_submit_button(context.t("admin.org_add"))
    if added:  # the data layer trims and checks (required, unique code, lengths) and names what is wrong
        new = NewOrganisation(code, name, kind, peer_group or None, named_comparison=named)
        run_action(context, lambda s: add_organisations(session=s, actor=context.actor, organisations=[new]),
                   "admin.org_added", name=name.strip())


def _organisation_edit_form(context: PageContext, organisations: list[OrganisationInfo]) -> None:
    by_id = {o.id: o for o in organisations}
    chosen = by_id[st.selectbox(context.t("admin.org_edit"), list(by_id), key="admin_org_pick",
                                format_func=lambda i: f"{by_id[i].name} ({by_id[i].code})")]
    with st.form("admin_org_edit_form"):
        name = st.text_input(context.t("column.organisation"), value=chosen.name, key=f"admin_org_edit_name_{chosen.id}")
        kind = st.selectbox(context.t("column.kind"), ORGANISATION_KINDS, index=ORGANISATION_KINDS.index(chosen.kind),
                            key=f"admin_org_edit_kind_{chosen.id}", format_func=lambda k: context.t(f"kind.{k}"))
        peer_group = st.text_input(context.t("column.peer_group"), value=chosen.peer_group or "",
                                   key=f"admin_org_edit_peer_{chosen.id}")
        named = st.checkbox(context.t("admin.named_comparison"), value=chosen.named_comparison,
                            key=f"admin_org_edit_named_{chosen.id}")
        active = st.checkbox(context.t("column.active"), value=chosen.active, key=f"admin_org_edit_active_{chosen.id}",
                             help=context.t("admin.org_deactivate_help"))
        saved = st.form_submit_button(context.t("admin.save"))
    if saved:
        def change(session: Session) -> None:
            wanted = {"name": name.strip(), "kind": kind, "peer_group": peer_group.strip() or None}
            changes = {k: v for k, v in wanted.items() if getattr(chosen, k) != v}
            if changes:
                update_organisation(session=session, actor=context.actor, organisation_id=chosen.id, **changes)
            if named != chosen.named_comparison:
                set_named_comparison(session=session, actor=context.actor, organisation_id=chosen.id, named=named)
            if active != chosen.active:
                set_organisation_active(session=session, actor=context.actor, organisation_id=chosen.id, active=active)
        run_action(context, change, "admin.saved")


def named_comparison_form(context: PageContext, organisations: list[OrganisationInfo]) -> None:
    """For editors: their own organisations' opt-in to appear by name in comparisons."""
    for organisation in organisations:
        if not context.actor.can_edit(organisation.id):
            continue
        key = f"admin_named_{organisation.id}"
        named = st.toggle(organisation.name, value=organisation.named_comparison, key=key)
        if named != organisation.named_comparison:
            def save(session: Session, organisation_id: int = organisation.id, named: bool = named) -> None:
                set_named_comparison(session=session, actor=context.actor, organisation_id=organisation_id, named=named)
            run_action(context, save, "admin.saved")


# --- metrics -----------------------------------------------------------------------------------

def metric_forms(context: PageContext) -> None:
    metrics = reads.metrics(context.url, context.version, include_inactive=True)
    by_code = {m.code: m for m in metrics}
    code = st.selectbox(context.t("admin.metric_edit"), list(by_code), key="admin_metric_pick",
                        format_func=lambda c: f"{by_code[c].name(context.language)} · {c}"
                        + ("" if by_code[c].active else f" ({context.t('admin.inactive')})"))
    metric = by_code[code]
    with st.form("admin_metric_edit_form"):
        wording = {
            field: (st.text_area if field.startswith(("description", "definition")) else st.text_input)(
                context.t(f"admin.field_{field}"), value=getattr(metric, field), key=f"admin_metric_{field}_{code}")
            for field in WORDING_FIELDS
        }
        active = st.checkbox(context.t("column.active"), value=metric.active, key=f"admin_metric_active_{code}")
        saved = st.form_submit_button(context.t("admin.save"))
    if saved:
        def change(session: Session) -> None:
            changed = {k: v for k, v in wording.items() if getattr(metric, k) != v}
            if changed:
                update_metric_wording(session=session, actor=context.actor, code=code, wording=changed)
            if active != metric.active:
                set_metric_active(session=session, actor=context.actor, code=code, active=active)
        run_action(context, change, "admin.saved")
    with st.form("admin_metric_add_form", clear_on_submit=True):
        st.markdown(f"**{context.t('admin.metric_add')}**")
        new_code = st.text_input(context.t("column.code"), key="admin_new_metric_code")
        name_sv = st.text_input(context.t("admin.field_name_sv"), key="admin_new_metric_name_sv")
        name_en = st.text_input(context.t("admin.field_name_en"), key="admin_new_metric_name_en")
        unit_kind = st.selectbox(context.t("admin.unit_kind"), UNIT_KINDS, key="admin_new_metric_unit_kind",
                                 format_func=lambda k: context.t(f"admin.unit_kind_{k}"))
        direction = st.selectbox(context.t("catalogue.direction"), ("higher", "lower"), key="admin_new_metric_direction",
                                 format_func=lambda d: context.t(f"direction.{d}"))
        added = st.form_submit_button(context.t("admin.metric_add"))
    if added:
        definition = custom_metric(new_code, name_sv, name_en, unit_kind, direction)
        run_action(context, lambda s: add_metric(session=s, actor=context.actor, definition=definition),
                   "admin.metric_added", code=definition.code)


def custom_metric(code: str, name_sv: str, name_en: str, unit_kind: str, direction: str) -> MetricDefinition:
    """A custom metric with the unit, range and yearly aggregation that fit its unit kind."""
    units = {"percent": ("%", "%", 0.0, 100.0, False, 1, "mean"), "index": ("index", "index", 0.0, 100.0, False, 1, "mean"),
             "count": ("st", "count", 0.0, None, True, 0, "sum"), "days": ("dagar", "days", 0.0, None, False, 1, "median")}
    unit_sv, unit_en, low, high, whole, decimals, aggregation = units[unit_kind]
    return MetricDefinition(
        code=code.strip().lower().replace(" ", "_"), name_sv=name_sv.strip(), name_en=name_en.strip(),
        unit_sv=unit_sv, unit_en=unit_en, unit_kind=unit_kind, description_sv="", description_en="",
        definition_sv="", definition_en="", direction=direction, min_value=low, max_value=high,
        whole_number=whole, decimals=decimals, aggregation=aggregation, source="custom", built_in=False,
    )


# --- accounts ----------------------------------------------------------------------------------

def accounts_table(context: PageContext, accounts: list[AccountInfo], organisations: list[OrganisationInfo]) -> pd.DataFrame:
    names = {o.id: o.name for o in organisations}
    return pd.DataFrame([
        {
            context.t("admin.username"): a.username,
            context.t("admin.role"): context.t(f"role.{a.role}"),
            context.t("admin.account_organisations"): ", ".join(names.get(i, "?") for i in a.organisation_ids) or "–",
            context.t("admin.email"): a.email or "–",
            context.t("column.active"): context.t("yes" if a.active else "no"),
        }
        for a in accounts
    ], columns=[context.t(k) for k in ("admin.username", "admin.role", "admin.account_organisations",
                                        "admin.email", "column.active")])


def account_forms(context: PageContext, organisations: list[OrganisationInfo]) -> None:
    with reading(context.url) as session:
        accounts = list_accounts(session=session, actor=context.actor)
    st.dataframe(accounts_table(context, accounts, organisations), hide_index=True, key="admin_accounts")
    names = {o.id: o.name for o in organisations}
    role_label = {r: context.t(f"role.{r}") for r in ROLES}
    _account_add_form(context, names, role_label)
    if accounts:
        _account_edit_form(context, accounts, names, role_label)


def _account_add_form(context: PageContext, names: dict[int, str], role_label: dict[str, str]) -> None:
    with st.form("admin_account_add_form", clear_on_submit=True):
        st.markdown(f"**{context.t('admin.account_add')}**")
        username = st.text_input(context.t("admin.username"), key="admin_account_username")
        role = st.selectbox(context.t("admin.role"), ROLES, key="admin_account_role", format_func=role_label.__getitem__)
        chosen = st.multiselect(context.t("admin.account_organisations"), list(names), key="admin_account_orgs",
                                format_func=names.__getitem__, help=context.t("admin.account_organisations_help"))
        password = st.text_input(context.t("signin.password"), type="password", key="admin_account_password",
                                 autocomplete="new-password")
        email = st.text_input(context.t("admin.email"), key="admin_account_email", help=context.t("admin.email_help"))
        added = st.form_submit_button(context.t("admin.account_add"))
    if added:
        run_action(context, lambda s: add_account(
            session=s, actor=context.actor, username=username, role=role, organisation_ids=chosen,
            password=password or None, email=email or None), "admin.account_added", username=username.strip().lower())


def _account_edit_form(context: PageContext, accounts: list[AccountInfo], names: dict[int, str],
                       role_label: dict[str, str]) -> None:
    by_name = {a.username: a for a in accounts}
    account = by_name[st.selectbox(context.t("admin.account_edit"), list(by_name), key="admin_account_pick")]
    with st.form("admin_account_edit_form"):
        role = st.selectbox(context.t("admin.role"), ROLES, index=ROLES.index(account.role), format_func=role_label.__getitem__,
                            key=f"admin_account_edit_role_{account.id}")
        chosen = st.multiselect(context.t("admin.account_organisations"), list(names), format_func=names.__getitem__,
                                default=[i for i in account.organisation_ids if i in names],
                                key=f"admin_account_edit_orgs_{account.id}", help=context.t("admin.account_organisations_help"))
        email = st.text_input(context.t("admin.email"), value=account.email or "", key=f"admin_account_edit_email_{account.id}")
        password = st.text_input(context.t("admin.new_password"), type="password", autocomplete="new-password",
                                 key=f"admin_account_edit_password_{account.id}")
        active = st.checkbox(context.t("column.active"), value=account.active, key=f"admin_account_edit_active_{account.id}")
        saved = st.form_submit_button(context.t("admin.save"))
    if saved:
        def change(session: Session) -> None:
            if role != account.role or tuple(sorted(chosen)) != account.organisation_ids:
                change_role(session=session, actor=context.actor, username=account.username, role=role,
                            organisation_ids=chosen)
            if (email or None) != account.email:
                set_sso_identity(session=session, actor=context.actor, username=account.username, email=email or None)
            if password:
                reset_password(session=session, actor=context.actor, username=account.username, password=password)
            if active != account.active:
                set_active(session=session, actor=context.actor, username=account.username, active=active)
        run_action(context, change, "admin.saved")


# --- audit log ---------------------------------------------------------------------------------

def audit_section(context: PageContext, organisations: list[OrganisationInfo]) -> None:
    names = {o.id: o.name for o in organisations}
    columns = st.columns(4)
    groups = columns[0].multiselect(context.t("admin.audit_kinds"), list(ACTION_GROUPS), key="admin_audit_groups",
                                    format_func=lambda g: context.t(f"admin.audit_group_{g}"))
    who = columns[1].text_input(context.t("column.who"), key="admin_audit_actor")
    organisation = columns[2].selectbox(context.t("column.organisation"), [None, *names], key="admin_audit_org",
                                        format_func=lambda i: context.t("admin.all") if i is None else names[i])
    today = clock.today()
    period = columns[3].date_input(context.t("admin.audit_period"), value=(today - dt.timedelta(days=90), today),
                                   key="admin_audit_period")
    since, until = _period(period)
    with reading(context.url) as session:
        frame = audit_frame(session=session, limit=None, actor=who.strip() or None, groups=groups,
                            organisation_id=organisation, since=since, until=until)
    table = audit_table(frame, context, names)
    st.caption(context.t("admin.audit_count", count=len(table)))
    st.dataframe(table.head(500), hide_index=True, key="admin_audit")
    st.download_button(context.t("admin.audit_export"), data=audit_csv(table), file_name="effekt-audit.csv",
                       mime="text/csv", key="admin_audit_export")


def _period(value: Any) -> tuple[dt.datetime | None, dt.datetime | None]:
    dates = list(value) if isinstance(value, list | tuple) else [value]
    first = dates[0] if dates else None
    last = dates[1] if len(dates) > 1 else first
    since = dt.datetime.combine(first, dt.time()) if first else None
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time()) if last else None
    return since, until


def audit_table(frame: pd.DataFrame, context: PageContext, names: dict[int, str]) -> pd.DataFrame:
    """The audit rows as a person reads them: when, who, what, which organisation, detail, from where."""
    table = frame.copy()
    table["organisation_id"] = [names.get(int(i), str(int(i))) if pd.notna(i) else "" for i in table["organisation_id"]]
    return table.rename(columns={
        "at": context.t("column.when"), "actor": context.t("column.who"),
        "action": context.t("column.action"), "organisation_id": context.t("column.organisation"),
        "detail": context.t("column.detail"), "origin": context.t("column.origin"),
    })


def audit_csv(table: pd.DataFrame) -> bytes:
    """CSV for a spreadsheet: text that would run as a formula (a typed user name, say) is neutralised."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return safe.to_csv(index=False).encode("utf-8-sig")


def remove_demo_data(context: PageContext) -> int | None:
    """Remove the demo data; None (with the reason shown) when it is refused."""
    try:
        with writing(context.url) as session:
            return remove_demo(session=session, actor=context.actor)
    except EffektError as error:
        st.error(context.t(error.key, **error.params))
        return None

"""The administration page in AppTest: accounts, organisations, metrics and the audit log."""

from __future__ import annotations

from data.accounts import get_account
from data.actors import Actor
from data.db import reading
from data.models import utcnow
from data.organisations import list_organisations
from tests.apptest_support import open_app, shown_text


def test_an_administrator_adds_an_editor_and_the_audit_log_shows_it(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="admin")
    with reading(app_db) as session:
        ekbacka = next(o for o in list_organisations(session=session) if o.code == "demo-ekbacka")
    at.text_input(key="admin_account_username").set_value("Greta")
    at.selectbox(key="admin_account_role").set_value("editor")
    at.multiselect(key="admin_account_orgs").set_value([ekbacka.id])
    at.text_input(key="admin_account_password").set_value("a-long-enough-password")
    at.button(key="FormSubmitter:admin_account_add_form-Lägg till konto").click().run()
    assert not at.exception
    assert "Kontot greta är skapat." in shown_text(at)
    with reading(app_db) as session:
        greta = get_account(session=session, username="greta")
    assert greta.role == "editor"
    assert greta.organisation_ids == (ekbacka.id,)
    at.multiselect(key="admin_audit_groups").set_value(["account"])
    # The page's "today" is the demo's day; the audit records when things really happened.
    recorded = utcnow().date()
    at.date_input(key="admin_audit_period").set_value((recorded, recorded)).run()
    audit = at.dataframe[-1].value  # the audit log is the last table
    assert "account.add" in audit["Händelse"].tolist()
    assert set(audit["Händelse"]) <= {"account.add", "account.role", "account.password", "account.deactivate",
                                    "account.activate", "account.sso", "account.first_admin", "account.mail_preferences"}
    assert '"username": "greta"' in " ".join(audit["Detaljer"])


def test_the_audit_export_is_csv_with_the_filtered_rows(app_db, monkeypatch):
    import pandas as pd

    from ui.admin import audit_csv

    csv = audit_csv(pd.DataFrame({"Vem": ["=cmd|' /C calc'!A0", "anna"], "Åtgärd": ["signin.failed", "signin.ok"]}))
    assert csv.decode("utf-8-sig").splitlines() == ["Vem,Åtgärd", "'=cmd|' /C calc'!A0,signin.failed", "anna,signin.ok"]
    at = open_app(app_db, monkeypatch, page="admin")
    assert at.get("download_button")


def test_an_administrator_renames_and_deactivates_an_organisation(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="admin")
    organisation = at.selectbox(key="admin_org_pick").value
    at.text_input(key=f"admin_org_edit_name_{organisation}").set_value("Nytt namn kommun")
    at.checkbox(key=f"admin_org_edit_active_{organisation}").uncheck()
    at.button(key="FormSubmitter:admin_org_edit_form-Spara").click().run()
    assert "Ändringen är sparad." in shown_text(at)
    with reading(app_db) as session:
        row = next(o for o in list_organisations(session=session, include_inactive=True) if o.id == organisation)
    assert row.name == "Nytt namn kommun"
    assert not row.active


def test_viewers_and_editors_do_not_get_the_administration(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="admin", actor=Actor("vic", "viewer"))
    assert "Bara en administratör får göra detta." in shown_text(at)
    assert not at.dataframe
    assert not at.text_input
    with reading(app_db) as session:
        first = list_organisations(session=session)[0]
    editor = open_app(app_db, monkeypatch, page="admin", actor=Actor("eda", "editor", frozenset({first.id})))
    assert [t.label for t in editor.toggle] == [first.name, f"Publicera {first.name} som öppna data"]
    assert not editor.exception


def test_an_administrator_chooses_organisations_for_a_viewer_with_help_for_each_role(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="admin")
    with reading(app_db) as session:
        codes = {o.code: o.id for o in list_organisations(session=session)}
    chooser = at.multiselect(key="admin_account_orgs")
    assert chooser.label == "Organisationer (redaktörer och läsare)"
    assert "Redaktör: får ändra värden och mål" in chooser.help
    assert "Läsare: tillhör dessa organisationer" in chooser.help
    at.text_input(key="admin_account_username").set_value("Vera")
    at.selectbox(key="admin_account_role").set_value("viewer")
    chooser.set_value([codes["demo-granlunda"]])
    at.text_input(key="admin_account_password").set_value("a-long-enough-password")
    at.button(key="FormSubmitter:admin_account_add_form-Lägg till konto").click().run()
    assert not at.exception
    assert "Kontot vera är skapat." in shown_text(at)
    with reading(app_db) as session:
        vera = get_account(session=session, username="vera")
    assert vera.role == "viewer"
    assert vera.organisation_ids == (codes["demo-granlunda"],)

    at.run()  # the accounts list was read before the form saved
    at.selectbox(key="admin_account_pick").set_value("vera").run()
    edit = at.multiselect(key=f"admin_account_edit_orgs_{vera.id}")
    assert edit.value == [codes["demo-granlunda"]]
    assert "Läsare:" in edit.help
    edit.set_value([codes["demo-ekbacka"], codes["demo-granlunda"]])
    at.button(key="FormSubmitter:admin_account_edit_form-Spara").click().run()
    assert not at.exception
    assert "Ändringen är sparad." in shown_text(at)
    with reading(app_db) as session:
        vera = get_account(session=session, username="vera")
    assert vera.role == "viewer"
    assert set(vera.organisation_ids) == {codes["demo-ekbacka"], codes["demo-granlunda"]}

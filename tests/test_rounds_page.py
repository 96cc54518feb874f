"""Inrapportering's reporting round through AppTest: deadline, sign-off column, national completion,
an editor's sign-off (refused without a note when figures are missing), an administrator's reopen,
deadline and reminder preview."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from data.actors import SYSTEM, Actor
from data.db import reading, writing
from data.models import MeasurementRevision, Organisation
from data.signoff import sign_off
from metrics.periods import Quarter
from tests.apptest_support import html_tables, open_app, shown_text


@pytest.fixture
def sqlite_demo(app_db):
    """The demo database and Ekbacka kommun's id (the organisation these tests open)."""
    with reading(app_db) as session:
        ekbacka = session.scalar(select(Organisation.id).where(Organisation.code == "demo-ekbacka"))
    return app_db, ekbacka


def _open(url, monkeypatch, actor, ekbacka):
    at = open_app(url, monkeypatch, page="submissions", actor=actor)
    at.session_state["context_organisation"] = ekbacka
    return at.run()


def _row(at, name="Ekbacka kommun"):
    return html_tables(at)[0].set_index("Organisation").loc[name]


def test_an_editor_sees_the_deadline_and_signs_off_with_a_note(sqlite_demo, monkeypatch):
    url, ekbacka = sqlite_demo
    at = _open(url, monkeypatch, Actor("eda", "editor", frozenset({ekbacka})), ekbacka)
    assert "Sista dag för inrapportering av 2025 K3: 2025-10-30 (16 dagar för sent)." in shown_text(at)
    assert (_row(at)["Klarmarkering"], _row(at)["Sista dag"]) == ("Inte klarmarkerad", "16 dagar för sent")
    at.form_submit_button[0].click().run()
    assert "1 mätetal saknar värde. Skriv en kommentar om vad som saknas och varför för att klarmarkera ändå." in \
        [e.value for e in at.error]
    at.text_area(key="rounds_signoff_note").set_value("Mentorskap mäts från 2026")
    at.form_submit_button[0].click().run()
    assert "2025 K3 är klarmarkerad för Ekbacka kommun." in [s.value for s in at.success]
    at.run()
    assert _row(at)["Klarmarkering"].startswith("Klarmarkerad av eda ")
    assert _row(at)["Sista dag"] == "–"
    assert "rounds_reopen_reason" not in [w.key for w in at.text_input]  # editors cannot reopen
    assert not at.exception


def test_an_administrator_reopens_previews_reminders_and_sees_national_completion(sqlite_demo, monkeypatch):
    url, ekbacka = sqlite_demo
    monkeypatch.delenv("EFFEKT_SMTP_HOST", raising=False)
    at = _open(url, monkeypatch, Actor("ada", "admin"), ekbacka)
    completion = html_tables(at)[-1]
    assert list(completion.columns) == ["Kvartal", "Andel inrapporterat", "Klarmarkerade"]
    assert completion["Kvartal"].tolist()[-1] == "2025 K3"
    assert completion["Klarmarkerade"].tolist()[-1] == "0 av 12"
    assert completion["Andel inrapporterat"].tolist()[-1] == "96,3\u00a0%"  # 208 of 12 × 18 figures
    assert "E-post är inte inställd (EFFEKT_SMTP_HOST och EFFEKT_MAIL_FROM saknas); inget skickades." in \
        [i.value for i in at.info]
    at.button(key="rounds_remind_preview").click().run()
    assert "Skulle skicka till demo-editor <demo-editor@ekbacka.example>: Ekbacka kommun (1 av 18 mätetal saknas)" in \
        next(t.value for t in at.text)
    at.text_area(key="rounds_signoff_note").set_value("Saknas: mentorskap")
    at.form_submit_button[0].click().run()
    at.run()
    at.text_input(key="rounds_reopen_reason").set_value("Rättelse av enkäten")
    reopen_form = next(b for b in at.form_submit_button if b.label == "Öppna igen")
    reopen_form.click().run()
    assert "2025 K3 är öppnad igen för Ekbacka kommun." in [s.value for s in at.success]
    assert not at.exception


def test_the_quarterly_data_form_refuses_a_change_in_a_signed_off_quarter_and_writes_nothing(sqlite_demo, monkeypatch):
    url, ekbacka = sqlite_demo
    with writing(url) as session:
        sign_off(session=session, actor=SYSTEM, organisation_id=ekbacka, quarter=Quarter(2025, 3), note="Klart")
        before = session.scalar(select(func.count(MeasurementRevision.id)))
    at = open_app(url, monkeypatch, page="entry", actor=Actor("eda", "editor", frozenset({ekbacka})))
    at.session_state["context_organisation"] = ekbacka
    at.run()
    value = float(at.text_input(key="entry_value_ideas_delivered").value.replace(",", "."))
    at.text_input(key="entry_value_ideas_delivered").set_value(f"{value + 5:g}".replace(".", ","))
    at.button(key="FormSubmitter:entry_form-Spara").click().run()
    assert [e.value for e in at.error] == [
        "Levererade idéer: 2025 K3 är klarmarkerad för Ekbacka kommun — be en administratör att öppna kvartalet igen."]
    with reading(url) as session:
        assert session.scalar(select(func.count(MeasurementRevision.id))) == before
    assert not at.exception


def test_historik_keeps_a_reopened_sign_off(sqlite_demo, monkeypatch):
    from data.signoff import reopen

    url, ekbacka = sqlite_demo
    with writing(url) as session:
        sign_off(session=session, actor=Actor("eda", "editor", frozenset({ekbacka})), organisation_id=ekbacka,
                 quarter=Quarter(2025, 3), note="Mentorskap saknas")
    with writing(url) as session:
        reopen(session=session, actor=SYSTEM, organisation_id=ekbacka, quarter=Quarter(2025, 3), reason="Rättelse")
    at = open_app(url, monkeypatch, page="history", actor=Actor("ada", "admin"))
    at.session_state["context_organisation"] = ekbacka
    at.run()
    table = at.dataframe[-1].value
    assert list(table.columns) == ["Kvartal", "Klarmarkering", "Kommentar", "Öppnad igen"]
    assert table["Kvartal"].tolist() == ["2025 K3"]
    assert table["Klarmarkering"].iloc[0].startswith("Klarmarkerad av eda ")
    assert table["Kommentar"].iloc[0] == "Mentorskap saknas"
    reopened = table["Öppnad igen"].iloc[0]
    assert reopened.startswith("Öppnad igen av system ")
    assert reopened.endswith(": Rättelse")
    assert not at.exception

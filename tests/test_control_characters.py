"""Control characters are refused everywhere text comes in (issue 11, finding 11): in any row of
an imported file (not only its first 64 KiB), and in every form's text before it is written.
Multi-line texts (comments, notes, a decision's wording) keep ordinary line breaks and tabs."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from data.actors import SYSTEM
from data.catalogue_store import list_metrics
from data.db import reading, writing
from data.decisions import DecisionRejected, NewDecision, add_decision
from data.figures import Figure, FigureRejected, save_figures
from data.importing.committing import import_file
from data.models import Decision, Measurement, MeasurementRevision, Organisation, Target
from data.organisations import NewOrganisation, add_organisations, list_organisations, update_organisation
from data.targets import TargetInput, save_target
from data.text_rules import ControlCharacterError
from metrics.periods import Quarter
from metrics.targets import TargetError
from presentation.i18n import describe_problem, translate
from tests.apptest_support import open_app, shown_text
from tests.conftest import TODAY

HEADER = b"organisation,metric,period,value,status,comment\n"
REFUSAL = "The text holds an invisible control character (U+000B) that cannot be stored. Remove it and retry."


def counts(url):
    with reading(url) as session:
        return tuple(session.scalar(select(func.count(model.id))) for model in
                     (Measurement, MeasurementRevision, Target, Decision, Organisation))


def ekbacka(url):
    with reading(url) as session:
        organisation = next(o for o in list_organisations(session=session) if o.code == "demo-ekbacka")
        metric = next(m for m in list_metrics(session=session) if m.code == "customer_satisfaction")
    return organisation.id, metric.id


def test_a_control_character_after_the_first_64_kib_is_refused_with_row_and_column(demo_url):
    quarters = [str(Quarter(2015, 1) + i) for i in range(40)]
    lines = [f"demo-ekbacka,customer_satisfaction,{q},70,,{'x' * 60}\n".encode() for q in quarters]
    body = b"".join(lines)
    filler = b"".join(f"demo-granlunda,customer_satisfaction,{q},70,,{'y' * 1600}\n".encode() for q in quarters)
    late = b"demo-ekbacka,customer_satisfaction,2025-Q1,70,,late\x0bcomment\n"
    content = HEADER + body + filler + late
    assert content.index(b"\x0b") > 65536
    before = counts(demo_url)
    with writing(demo_url) as session:
        plan, result = import_file(session=session, actor=SYSTEM, content=content, file_name="late.csv", today=TODAY)
    assert result is None
    shown = [describe_problem(p, "en") for p in plan.problems]
    assert shown == ["Row 82, column comment, «late\x0bcomment»: The cell holds an invisible control character "
                     "(U+000B) that cannot be stored. Remove it and retry."]
    assert counts(demo_url) == before


def test_a_form_save_with_a_control_character_is_refused_and_a_line_break_is_kept(demo_url):
    organisation_id, metric_id = ekbacka(demo_url)
    before = counts(demo_url)
    with pytest.raises(FigureRejected) as refused, writing(demo_url) as session:
        save_figures(session=session, actor=SYSTEM, today=TODAY, via="form",
                     figures=[Figure(organisation_id, metric_id, Quarter(2025, 1), 70.0, "measured", "a\x0bb")])
    assert translate(refused.value.key, "en", **refused.value.params) == REFUSAL
    assert counts(demo_url) == before
    with writing(demo_url) as session:
        saved = save_figures(session=session, actor=SYSTEM, today=TODAY, via="form", figures=[
            Figure(organisation_id, metric_id, Quarter(2025, 1), 70.0, "measured", "rad ett\nrad två\tflik")])
    assert saved.written == 1


def test_a_large_save_with_one_control_character_is_refused(demo_url):
    organisation_id, _ = ekbacka(demo_url)
    with reading(demo_url) as session:
        metrics = list_metrics(session=session)
    figures = [Figure(organisation_id, m.id, Quarter(2000, 1) + i, float(m.min_value or 0), "measured", "ok")
               for m in metrics for i in range(60)]
    assert len(figures) > 1000  # the fast path of a large save
    figures[700] = dataclasses.replace(figures[700], comment="nul\x00")
    before = counts(demo_url)
    with pytest.raises(FigureRejected) as refused, writing(demo_url) as session:
        save_figures(session=session, actor=SYSTEM, figures=figures, today=TODAY, via="form")
    assert refused.value.params == {"character": "U+0000"}
    assert counts(demo_url) == before


@pytest.mark.parametrize(("field", "text"), [("owner", "Anna\tB"), ("note", "anteckning\x1b[31m")])
def test_a_target_with_a_control_character_is_refused(demo_url, field, text):
    organisation_id, metric_id = ekbacka(demo_url)
    target = TargetInput(organisation_id, metric_id, "planned", Quarter(2024, 4), 60.0, Quarter(2026, 4), 80.0,
                         **{field: text})
    before = counts(demo_url)
    with pytest.raises(TargetError) as refused, writing(demo_url) as session:
        save_target(session=session, actor=SYSTEM, target=target)
    assert refused.value.key == "safety.control_character_text"
    assert counts(demo_url) == before


@pytest.mark.parametrize(("field", "text"), [("what", "Beslut\x0b"), ("owner", "Anna\nB"), ("note", "\x7f")])
def test_a_decision_with_a_control_character_is_refused(demo_url, field, text):
    organisation_id, _ = ekbacka(demo_url)
    fields = {"what": "Ett beslut", field: text}
    before = counts(demo_url)
    with pytest.raises(DecisionRejected) as refused, writing(demo_url) as session:
        add_decision(session=session, actor=SYSTEM, decision=NewDecision(organisation_id, Quarter(2025, 1), **fields))
    assert refused.value.key == "safety.control_character_text"
    assert counts(demo_url) == before


def test_an_organisation_name_with_a_control_character_is_refused(demo_url):
    organisation_id, _ = ekbacka(demo_url)
    before = counts(demo_url)
    with pytest.raises(ControlCharacterError), writing(demo_url) as session:
        add_organisations(session=session, actor=SYSTEM, organisations=[NewOrganisation("ny", "Ny\x0bkommun", "kommun")])
    with pytest.raises(ControlCharacterError) as refused, writing(demo_url) as session:
        update_organisation(session=session, actor=SYSTEM, organisation_id=organisation_id, name="Ek\nbacka")
    assert translate(refused.value.key, "en", **refused.value.params) == REFUSAL.replace("U+000B", "U+000A")
    assert counts(demo_url) == before


def test_the_kvartalsdata_form_shows_the_refusal(tmp_path, monkeypatch):
    from data.bootstrap import prepare_database

    url = f"sqlite:///{tmp_path / 'entry.db'}"
    prepare_database(url, demo_if_empty=True)
    before = counts(url)
    at = open_app(url, monkeypatch, page="entry")
    at.text_input(key="entry_value_customer_satisfaction").set_value("88,5")
    at.text_input(key="entry_comment_customer_satisfaction").set_value("Enkäten\x0bär inte klar")
    at.button(key="FormSubmitter:entry_form-Spara").click().run()
    assert not at.exception
    assert "Texten innehåller ett osynligt styrtecken (U+000B) som inte kan sparas." in shown_text(at)
    assert counts(url) == before

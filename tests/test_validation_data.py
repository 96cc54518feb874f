"""Bad input at the data layer, as a table: every write refuses it with a translated message that
names the field, in Swedish and English, and every data table is unchanged — on SQLite and PostgreSQL.

Like the importer's tests: each case is what a person (or a script, or a future API) might send.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from data.actors import SYSTEM
from data.catalogue_store import MetricChangeRejected, add_metric, list_metrics, update_metric_wording
from data.db import reading, writing
from data.decisions import DecisionRejected, NewDecision, add_decision, list_decisions, update_decision
from data.models import Base, Organisation
from data.organisations import (
    NewOrganisation,
    OrganisationRejected,
    add_organisations,
    list_organisations,
    update_organisation,
)
from data.targets import TargetInput, save_target
from metrics.catalogue import load_builtin_catalogue
from metrics.periods import Quarter
from metrics.targets import TargetError
from presentation.i18n import translate

Q = Quarter.parse


# Sign-in records change on every click (last seen); they are the session's bookkeeping, not data.
SESSION_TABLES = ("sign_in", "failed_sign_in")


def snapshot(url: str) -> dict[str, list[str]]:
    """Every row of every data table (audit log and data version included), as text: compared
    before and after a refused write."""
    with reading(url) as session:
        return {table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)))
                for table in Base.metadata.sorted_tables if table.name not in SESSION_TABLES}


def refused(url: str, error_type: type[Exception], write) -> tuple[str, str]:
    """Run ``write`` in its own unit of work; it must be refused and write nothing. Returns (sv, en)."""
    before = snapshot(url)
    with pytest.raises(error_type) as caught, writing(url) as session:
        write(session)
    assert snapshot(url) == before
    error = caught.value
    return translate(error.key, "sv", **error.params), translate(error.key, "en", **error.params)


@pytest.fixture
def ekbacka(ready_url):
    with writing(ready_url) as session:
        (organisation_id,) = add_organisations(session=session, actor=SYSTEM, organisations=[
            NewOrganisation("demo-ekbacka", "Ekbacka kommun", "kommun", employees=4200, population=52000)])
        metrics = {m.code: m for m in list_metrics(session=session)}
    return ready_url, organisation_id, metrics


# --- organisations ---------------------------------------------------------------------------------

ORGANISATION_CASES = [
    (NewOrganisation("", "Ny kommun", "kommun"), "Ange organisationens kod.", "Enter the organisation's code."),
    (NewOrganisation("   ", "Ny kommun", "kommun"), "Ange organisationens kod.", "Enter the organisation's code."),
    (NewOrganisation("ny", " \t ", "kommun"), "Ange organisationens namn.", "Enter the organisation's name."),
    (NewOrganisation("demo-ekbacka", "Ekbacka igen", "kommun"),
     "Koden demo-ekbacka används redan av Ekbacka kommun.", "The code demo-ekbacka is already used by Ekbacka kommun."),
    (NewOrganisation("DEMO-Ekbacka", "Ekbacka igen", "kommun"),
     "Koden DEMO-Ekbacka används redan av Ekbacka kommun.", "The code DEMO-Ekbacka is already used by Ekbacka kommun."),
    (NewOrganisation("  demo-ekbacka ", "Ekbacka igen", "kommun"),
     "Koden demo-ekbacka används redan av Ekbacka kommun.", "The code demo-ekbacka is already used by Ekbacka kommun."),
    (NewOrganisation("ny", "Ny stad", "stad"),
     "Okänd sorts organisation: stad. Välj myndighet, kommun, region, bolag eller övrig.",
     "Unknown kind of organisation: stad. Choose agency, municipality, region, company or other."),
    (NewOrganisation("ny", "Ny kommun", "kommun", employees=-1),
     "Antal anställda måste vara ett heltal, 0 eller mer (inte -1).",
     "The number of employees must be a whole number, 0 or more (not -1)."),
    (NewOrganisation("ny", "Ny kommun", "kommun", employees=2.5),  # type: ignore[arg-type]  # the wrong type on purpose
     "Antal anställda måste vara ett heltal, 0 eller mer (inte 2.5).",
     "The number of employees must be a whole number, 0 or more (not 2.5)."),
    (NewOrganisation("ny", "Ny kommun", "kommun", employees="12"),  # type: ignore[arg-type]  # the wrong type on purpose
     "Antal anställda måste vara ett heltal, 0 eller mer (inte 12).",
     "The number of employees must be a whole number, 0 or more (not 12)."),
    (NewOrganisation("ny", "Ny kommun", "kommun", population=True),  # type: ignore[arg-type]  # the wrong type on purpose
     "Antal invånare måste vara ett heltal, 0 eller mer (inte True).",
     "The population must be a whole number, 0 or more (not True)."),
    (NewOrganisation("ny", "Ny kommun", "kommun", population=2**31),
     "Antal invånare måste vara ett heltal, 0 eller mer (inte 2147483648).",
     "The population must be a whole number, 0 or more (not 2147483648)."),
    (NewOrganisation("x" * 41, "Ny kommun", "kommun"), "Koden får vara högst 40 tecken.",
     "The code may be at most 40 characters."),
    (NewOrganisation("ny", "x" * 201, "kommun"), "Namnet får vara högst 200 tecken.",
     "The name may be at most 200 characters."),
    (NewOrganisation("ny", "Ny kommun", "kommun", peer_group="x" * 101),
     "Jämförelsegruppen får vara högst 100 tecken.", "The peer group may be at most 100 characters."),
]


@pytest.mark.parametrize(("new", "sv", "en"), ORGANISATION_CASES)
def test_a_bad_new_organisation_is_refused_by_field_and_nothing_is_written(ekbacka, new, sv, en):
    url, _, _ = ekbacka
    assert refused(url, OrganisationRejected, lambda s: add_organisations(
        session=s, actor=SYSTEM, organisations=[new])) == (sv, en)


def test_two_new_organisations_with_one_code_in_different_case_are_refused_together(ekbacka):
    url, _, _ = ekbacka
    assert refused(url, OrganisationRejected, lambda s: add_organisations(session=s, actor=SYSTEM, organisations=[
        NewOrganisation("ny", "Ny kommun", "kommun"), NewOrganisation("NY", "Nyare kommun", "kommun"),
    ])) == ("Koden NY används redan av Ny kommun.", "The code NY is already used by Ny kommun.")


@pytest.mark.parametrize(("changes", "sv", "en"), [
    ({"name": "  "}, "Ange organisationens namn.", "Enter the organisation's name."),
    ({"kind": "stad"}, "Okänd sorts organisation: stad. Välj myndighet, kommun, region, bolag eller övrig.",
     "Unknown kind of organisation: stad. Choose agency, municipality, region, company or other."),
    ({"employees": -3}, "Antal anställda måste vara ett heltal, 0 eller mer (inte -3).",
     "The number of employees must be a whole number, 0 or more (not -3)."),
    ({"population": 1.5}, "Antal invånare måste vara ett heltal, 0 eller mer (inte 1.5).",
     "The population must be a whole number, 0 or more (not 1.5)."),
])
def test_a_bad_change_to_an_organisation_is_refused_and_nothing_is_written(ekbacka, changes, sv, en):
    url, organisation_id, _ = ekbacka
    assert refused(url, OrganisationRejected, lambda s: update_organisation(
        session=s, actor=SYSTEM, organisation_id=organisation_id, **changes)) == (sv, en)


def test_code_and_name_are_stored_trimmed_and_counts_of_zero_are_kept(ekbacka):
    url, organisation_id, _ = ekbacka
    with writing(url) as session:
        add_organisations(session=session, actor=SYSTEM, organisations=[
            NewOrganisation("  ny-kod ", "  Ny kommun\t", "kommun", peer_group="  ", employees=0, population=0)])
        update_organisation(session=session, actor=SYSTEM, organisation_id=organisation_id, name=" Ekbacka ")
    with reading(url) as session:
        rows = {o.code: o for o in list_organisations(session=session)}
    assert (rows["ny-kod"].name, rows["ny-kod"].peer_group, rows["ny-kod"].employees) == ("Ny kommun", None, 0)
    assert rows["demo-ekbacka"].name == "Ekbacka"


def test_the_database_itself_refuses_a_code_that_differs_only_in_case(ekbacka):
    """The backstop for two administrators adding the same code at once (migration 0011)."""
    url, _, _ = ekbacka
    with pytest.raises(IntegrityError), writing(url) as session:  # noqa: PT012 - the unit of work must fail as a whole
        session.add(Organisation(code="Demo-Ekbacka", name="Tvilling", kind="kommun"))
        session.flush()


# --- custom metrics --------------------------------------------------------------------------------

def custom(**changes):
    template = next(m for m in load_builtin_catalogue() if m.code == "customer_satisfaction")
    return replace(template, **{"id": None, "code": "own", "name_sv": "Eget", "name_en": "Own", "built_in": False,
                                **changes})


CODE_SV = ("Koden «{}» går inte att använda. Skriv 2–60 tecken: små bokstäver a–z, siffror och understreck, "
           "först en bokstav.")
CODE_EN = ("The code «{}» cannot be used. Write 2–60 characters: lower-case letters a–z, digits and underscores, "
           "a letter first.")


@pytest.mark.parametrize(("definition", "sv", "en"), [
    *[(custom(code=code), CODE_SV.format(code), CODE_EN.format(code))
      for code in ("Kund nöjd", "kundnöjd", "1abc", "o", "\u043ewn", "own\u200b", "x" * 61, "")],
    (custom(name_sv=" "), None, None),
    (custom(unit_sv=""), "Ange enheten på svenska och engelska.", "Enter the unit in Swedish and English."),
    (custom(unit_en="u" * 41), "Den engelska enheten får vara högst 40 tecken.",
     "The English unit may be at most 40 characters."),
    (custom(unit_kind="money"), "Okänd sorts enhet: money. Välj procent, index, antal eller dagar.",
     "Unknown kind of unit: money. Choose percent, index, count or days."),
    (custom(min_value=10.0, max_value=5.0), "Lägsta värde (10) måste vara mindre än högsta värde (5).",
     "The lowest value (10) must be less than the highest value (5)."),
    (custom(min_value=5.0, max_value=5.0), "Lägsta värde (5) måste vara mindre än högsta värde (5).",
     "The lowest value (5) must be less than the highest value (5)."),
    (custom(min_value=0.0, max_value=math.nan), "Lägsta och högsta värde måste vara ändliga tal.",
     "The lowest and highest values must be finite numbers."),
    (custom(decimals=5), "Antal decimaler måste vara ett heltal från 0 till 4 (inte 5).",
     "The number of decimals must be a whole number from 0 to 4 (not 5)."),
    (custom(decimals=-1), "Antal decimaler måste vara ett heltal från 0 till 4 (inte -1).",
     "The number of decimals must be a whole number from 0 to 4 (not -1)."),
    (custom(decimals=1.5), "Antal decimaler måste vara ett heltal från 0 till 4 (inte 1.5).",
     "The number of decimals must be a whole number from 0 to 4 (not 1.5)."),
])
def test_a_bad_custom_metric_is_refused_by_field_and_nothing_is_written(ready_url, definition, sv, en):
    if sv is None:  # the existing message for a missing name
        sv, en = translate("metric.name_missing", "sv"), translate("metric.name_missing", "en")
    assert refused(ready_url, MetricChangeRejected, lambda s: add_metric(
        session=s, actor=SYSTEM, definition=definition)) == (sv, en)


def test_a_good_custom_metric_is_stored_trimmed(ready_url):
    with writing(ready_url) as session:
        add_metric(session=session, actor=SYSTEM, definition=custom(code=" own_2 ", name_sv=" Eget ", decimals=4))
    with reading(ready_url) as session:
        own = next(m for m in list_metrics(session=session) if m.code == "own_2")
    assert (own.name_sv, own.decimals) == ("Eget", 4)


def test_rewording_a_metric_to_an_empty_unit_is_refused(ready_url):
    assert refused(ready_url, MetricChangeRejected, lambda s: update_metric_wording(
        session=s, actor=SYSTEM, code="customer_satisfaction", wording={"unit_en": "  "})) == (
        "Ange enheten på svenska och engelska.", "Enter the unit in Swedish and English.")


# --- targets ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "sv", "en"), [
    ({"target_quarter": Q("2024-Q1")}, "Målkvartalet (2024-Q1) måste ligga efter utgångsläget (2024-Q1).",
     "The target quarter (2024-Q1) must come after the baseline (2024-Q1)."),
    ({"target_quarter": Q("2023-Q4")}, "Målkvartalet (2023-Q4) måste ligga efter utgångsläget (2024-Q1).",
     "The target quarter (2023-Q4) must come after the baseline (2024-Q1)."),
    ({"baseline_value": -5.0}, "Utgångsläget (-5) är lägre än det minsta tillåtna, 0.",
     "The baseline (-5) is below the lowest allowed, 0."),
    ({"baseline_value": 101.0}, "Utgångsläget (101) är högre än det högsta tillåtna, 100.",
     "The baseline (101) is above the highest allowed, 100."),
    ({"target_value": 120.5}, "Målvärdet (120,5) är högre än det högsta tillåtna, 100.",
     "The target value (120.5) is above the highest allowed, 100."),
    ({"target_value": math.inf}, "Målvärdet måste vara ett ändligt tal.", "The target value must be a finite number."),
])
def test_a_bad_target_is_refused_by_field_and_nothing_is_written(ekbacka, change, sv, en):
    url, organisation_id, metrics = ekbacka
    fields = {"organisation_id": organisation_id, "metric_id": metrics["customer_satisfaction"].id, "kind": "planned",
              "baseline_quarter": Q("2024-Q1"), "baseline_value": 70.0, "target_quarter": Q("2026-Q4"),
              "target_value": 90.0, **change}
    assert refused(url, TargetError, lambda s: save_target(session=s, actor=SYSTEM, target=TargetInput(**fields))) == (
        sv, en)


def test_a_count_target_with_decimals_is_refused_naming_the_target_value(ekbacka):
    url, organisation_id, metrics = ekbacka
    target = TargetInput(organisation_id, metrics["ideas_delivered"].id, "planned", Q("2024-Q1"), 3.0, Q("2026-Q4"), 7.5)
    assert refused(url, TargetError, lambda s: save_target(session=s, actor=SYSTEM, target=target)) == (
        "Målvärdet (7,5) måste vara ett heltal för det här mätetalet.",
        "The target value (7.5) must be a whole number for this metric.")


# --- decisions -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("decision", "sv", "en"), [
    ({"what": ""}, "Skriv vad som beslutades.", "Write what was decided."),
    ({"what": " \n "}, "Skriv vad som beslutades.", "Write what was decided."),
    ({"what": "x" * 301}, "Beskrivningen får vara högst 300 tecken.", "The description may be at most 300 characters."),
    ({"due": Q("2025-Q2")}, "Klart-senast-kvartalet 2025-Q2 ligger före mötets kvartal 2025-Q3.",
     "The due quarter 2025-Q2 is before the meeting's quarter 2025-Q3."),
    ({"owner": "o" * 201}, "Ansvarig får vara högst 200 tecken.", "The owner may be at most 200 characters."),
    ({"note": "n" * 2001}, "Anteckningen får vara högst 2\u00a0000 tecken.", "The note may be at most 2,000 characters."),
])
def test_a_bad_decision_is_refused_by_field_and_nothing_is_written(ekbacka, decision, sv, en):
    url, organisation_id, _ = ekbacka
    new = NewDecision(**{"organisation_id": organisation_id, "decided": Q("2025-Q3"), "what": "Pröva chatt",
                         **decision})
    assert refused(url, DecisionRejected, lambda s: add_decision(session=s, actor=SYSTEM, decision=new)) == (sv, en)


def test_a_bad_change_to_a_decision_is_refused_and_the_decision_kept(ekbacka):
    url, organisation_id, _ = ekbacka
    with writing(url) as session:
        decision_id = add_decision(session=session, actor=SYSTEM, decision=NewDecision(
            organisation_id, Q("2025-Q3"), "x" * 300, due=Q("2025-Q3")))  # exactly at the limit, due the same quarter
    assert refused(url, DecisionRejected, lambda s: update_decision(
        session=s, actor=SYSTEM, decision_id=decision_id, what="y" * 301, owner="", due=None, done=False)) == (
        "Beskrivningen får vara högst 300 tecken.", "The description may be at most 300 characters.")
    with reading(url) as session:
        assert [d.what for d in list_decisions(session=session, organisation_id=organisation_id)] == ["x" * 300]

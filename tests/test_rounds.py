"""Reporting rounds in the data layer, on SQLite and PostgreSQL: deadlines, sign-off locking every
write path, reopening, history, and the board pack's title slide."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from data.actors import SYSTEM, Actor, PermissionDenied
from data.db import reading, writing
from data.deadlines import DeadlineError, deadline_for, set_deadline
from data.figures import Figure, FigureRejected, restore_revision, save_figures
from data.importing.committing import commit_import
from data.importing.planning import plan_import
from data.models import AuditEvent, Measurement, MeasurementRevision, Metric, Organisation
from data.signoff import SignOffError, reopen, sign_off, signed_off_quarters, signoff_history, signoff_of
from metrics.clock import fixed_today
from metrics.periods import Quarter
from presentation.i18n import translate
from reports.gather import find_organisation, read_board_pack
from tests.conftest import TODAY

Q3 = Quarter(2025, 3)
LOCKED_SV = "2025 K3 är klarmarkerad för Ekbacka kommun — be en administratör att öppna kvartalet igen."
LOCKED_EN = "2025 Q3 is signed off for Ekbacka kommun — ask an administrator to reopen the quarter."


def _ids(url: str) -> tuple[int, int, int, str]:
    """Ekbacka's and Granlunda's ids, and a metric Ekbacka reported for 2025 Q3 with its value."""
    with reading(url) as session:
        ekbacka = session.scalar(select(Organisation.id).where(Organisation.code == "demo-ekbacka"))
        granlunda = session.scalar(select(Organisation.id).where(Organisation.code == "demo-granlunda"))
        metric = session.scalar(select(Metric.code).where(Metric.code == "ideas_delivered"))
    return ekbacka, granlunda, _metric_id(url, metric), metric


def _metric_id(url: str, code: str) -> int:
    with reading(url) as session:
        return int(session.scalar(select(Metric.id).where(Metric.code == code)))


def _state(url: str) -> tuple[int, int, list[tuple[object, ...]]]:
    with reading(url) as session:
        return (session.scalar(select(func.count()).select_from(MeasurementRevision)),
                session.scalar(select(func.count()).select_from(Measurement)),
                sorted(map(tuple, session.execute(select(Measurement.organisation_id, Measurement.metric_id,
                                                         Measurement.period, Measurement.value)))))


def _sign_off_ekbacka(url: str, ekbacka: int) -> None:
    editor = Actor("demo-editor", "editor", frozenset({ekbacka}))
    with writing(url) as session:
        sign_off(session=session, actor=editor, organisation_id=ekbacka, quarter=Q3,
                 note="Omvänt mentorskap mäts från 2026.", today=TODAY)


def test_the_default_deadline_is_30_days_after_the_quarter_and_an_administrator_may_set_another(ready_url):
    with reading(ready_url) as session:
        assert deadline_for(session=session, quarter=Q3).due == dt.date(2025, 10, 30)
    with writing(ready_url) as session:
        deadline = set_deadline(session=session, actor=SYSTEM, quarter=Q3, due=dt.date(2025, 11, 20))
    assert (deadline.due, deadline.set_by, deadline.days_left(TODAY)) == (dt.date(2025, 11, 20), "system", 5)
    with pytest.raises(DeadlineError) as refused, writing(ready_url) as session:
        set_deadline(session=session, actor=SYSTEM, quarter=Q3, due=dt.date(2025, 9, 30))
    assert translate(refused.value.key, "sv", **refused.value.params) == \
        "Sista dag för inrapportering måste ligga efter kvartalets slut (2025-09-30)."
    with writing(ready_url) as session:
        assert set_deadline(session=session, actor=SYSTEM, quarter=Q3, due=None).due == dt.date(2025, 10, 30)


def test_signing_off_with_figures_missing_needs_a_note(demo_url):
    ekbacka, *_ = _ids(demo_url)
    editor = Actor("demo-editor", "editor", frozenset({ekbacka}))
    with pytest.raises(SignOffError) as refused, writing(demo_url) as session:
        sign_off(session=session, actor=editor, organisation_id=ekbacka, quarter=Q3, note="  ", today=TODAY)
    assert translate(refused.value.key, "sv", **refused.value.params) == (
        "1 mätetal saknar värde. Skriv en kommentar om vad som saknas och varför för att klarmarkera ändå.")
    _sign_off_ekbacka(demo_url, ekbacka)
    with reading(demo_url) as session:
        info = signoff_of(session=session, organisation_id=ekbacka, quarter=Q3)
        assert (info.signed_by, info.missing, info.note) == ("demo-editor", 1, "Omvänt mentorskap mäts från 2026.")
        assert signed_off_quarters(session=session) == frozenset({(ekbacka, Q3.index)})
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)))
    assert actions == ["rounds.signoff"]


def test_a_quarter_that_has_not_ended_cannot_be_signed_off(demo_url):
    ekbacka, *_ = _ids(demo_url)
    with pytest.raises(SignOffError) as refused, writing(demo_url) as session:
        sign_off(session=session, actor=SYSTEM, organisation_id=ekbacka, quarter=Quarter(2025, 4), today=TODAY)
    assert translate(refused.value.key, "sv", **refused.value.params) == "2025 K4 har inte tagit slut än."


def test_an_editor_cannot_sign_off_another_organisations_quarter(demo_url):
    ekbacka, granlunda, *_ = _ids(demo_url)
    editor = Actor("demo-editor", "editor", frozenset({ekbacka}))
    with pytest.raises(PermissionDenied), writing(demo_url) as session:
        sign_off(session=session, actor=editor, organisation_id=granlunda, quarter=Q3, note="x", today=TODAY)
    with reading(demo_url) as session:
        assert signoff_of(session=session, organisation_id=granlunda, quarter=Q3) is None
        last = session.execute(select(AuditEvent.actor, AuditEvent.action).order_by(AuditEvent.id.desc())).first()
    assert tuple(last) == ("demo-editor", "permission.denied")


def _form(url, ekbacka, metric, value, via="form"):
    with writing(url) as session:
        return save_figures(session=session, actor=SYSTEM, via=via, today=TODAY,
                            figures=[Figure(ekbacka, metric, Q3, value)])


def _import(url, ekbacka_code, metric_code, value):
    content = f"organisation,metric,period,value\n{ekbacka_code},{metric_code},2025-Q3,{value}\n".encode()
    with writing(url) as session:
        plan = plan_import(session=session, content=content, file_name="q3.csv", today=TODAY)
        assert plan.ok, plan.problems
        return commit_import(session=session, actor=SYSTEM, plan=plan)


def _restore(url, ekbacka, metric):
    with writing(url) as session:
        first = session.scalar(select(MeasurementRevision.id).where(
            MeasurementRevision.organisation_id == ekbacka, MeasurementRevision.metric_id == metric,
            MeasurementRevision.period == Q3.index).order_by(MeasurementRevision.id))
        return restore_revision(session=session, actor=SYSTEM, revision_id=first, today=TODAY)


WRITE_PATHS = {
    "form": lambda url, o, m, _code: _form(url, o, m, 99.0),
    "grid": lambda url, o, m, _code: _form(url, o, m, 98.0, via="grid"),
    "retract": lambda url, o, m, _code: _form(url, o, m, None),
    "import": lambda url, _o, _m, code: _import(url, "demo-ekbacka", code, 97),
    "restore": lambda url, o, m, _code: _restore(url, o, m),
}


@pytest.mark.parametrize("path", list(WRITE_PATHS))
def test_a_signed_off_quarter_refuses_a_changed_figure_on_every_write_path_and_writes_nothing(demo_url, path):
    ekbacka, _, metric, code = _ids(demo_url)
    if path == "restore":
        _form(demo_url, ekbacka, metric, 55.0)  # a second revision, so restoring the first changes something
    _sign_off_ekbacka(demo_url, ekbacka)
    before = _state(demo_url)
    with pytest.raises(FigureRejected) as refused:
        WRITE_PATHS[path](demo_url, ekbacka, metric, code)
    assert translate(refused.value.key, "sv", **refused.value.params) == LOCKED_SV
    assert translate(refused.value.key, "en", **refused.value.params) == LOCKED_EN
    assert _state(demo_url) == before


def test_an_unchanged_figure_in_a_locked_quarter_passes_and_other_quarters_stay_open(demo_url):
    ekbacka, _, metric, code = _ids(demo_url)
    _sign_off_ekbacka(demo_url, ekbacka)
    with reading(demo_url) as session:
        stored = session.execute(select(Measurement.value, Measurement.status, Measurement.comment).where(
            Measurement.organisation_id == ekbacka, Measurement.metric_id == metric, Measurement.period == Q3.index)).one()
    content = ("organisation,metric,period,value,status,comment\n"
               f"demo-ekbacka,{code},2025-Q3,{stored.value},{stored.status},\"{stored.comment or ''}\"\n").encode()
    with writing(demo_url) as session:  # the figure exactly as stored (an export imported again)
        plan = plan_import(session=session, content=content, file_name="q3.csv", today=TODAY)
        assert plan.ok, plan.problems
        assert commit_import(session=session, actor=SYSTEM, plan=plan).written == 0
    with writing(demo_url) as session:
        result = save_figures(session=session, actor=SYSTEM, via="form", today=TODAY,
                              figures=[Figure(ekbacka, metric, Quarter(2025, 2), 1234.0)])
    assert result.changed == 1


def test_reopening_needs_an_administrator_and_a_reason_then_the_figures_change_and_history_remains(demo_url):
    ekbacka, _, metric, _code = _ids(demo_url)
    _sign_off_ekbacka(demo_url, ekbacka)
    with pytest.raises(SignOffError) as refused, writing(demo_url) as session:
        reopen(session=session, actor=SYSTEM, organisation_id=ekbacka, quarter=Q3, reason=" ")
    assert translate(refused.value.key, "en") == "Give the reason for reopening the quarter."
    editor = Actor("demo-editor", "editor", frozenset({ekbacka}))
    with pytest.raises(PermissionDenied), writing(demo_url) as session:
        reopen(session=session, actor=editor, organisation_id=ekbacka, quarter=Q3, reason="Fel i enkäten")
    with reading(demo_url) as session:
        signed_at = signoff_of(session=session, organisation_id=ekbacka, quarter=Q3).signed_at
    with writing(demo_url) as session:
        reopen(session=session, actor=Actor("ada", "admin"), organisation_id=ekbacka, quarter=Q3, reason="Fel i enkäten")
    assert _form(demo_url, ekbacka, metric, 99.0).changed == 1
    with reading(demo_url) as session:
        assert signoff_of(session=session, organisation_id=ekbacka, quarter=Q3) is None
        then = signoff_of(session=session, organisation_id=ekbacka, quarter=Q3, as_of=signed_at)
        history = signoff_history(session=session, organisation_id=ekbacka)
    assert then is not None
    assert then.signed_by == "demo-editor"
    assert [(h.signed_by, h.reopened_by, h.reopen_reason) for h in history] == [("demo-editor", "ada", "Fel i enkäten")]


def test_the_board_pack_title_slide_says_who_signed_off_and_what_is_missing(demo_url):
    ekbacka, *_ = _ids(demo_url)
    with fixed_today(TODAY), reading(demo_url) as session:
        organisation = find_organisation(session=session, code="demo-ekbacka")
        before = read_board_pack(session=session, organisation=organisation, quarter=Q3, language="sv", today=TODAY)
    assert "Kvartalet är inte klarmarkerat; värdena kan ändras." in before.slides[0].bullets
    assert "Saknas: Omvänt mentorskap." in before.slides[0].bullets
    _sign_off_ekbacka(demo_url, ekbacka)
    with fixed_today(TODAY), reading(demo_url) as session:
        pack = read_board_pack(session=session, organisation=organisation, quarter=Q3, language="en", today=TODAY)
    bullets = pack.slides[0].bullets
    assert any(b.startswith("Signed off by demo-editor on ") for b in bullets), bullets
    assert "Missing: Reverse mentoring." in bullets
    assert "Note at sign-off: Omvänt mentorskap mäts från 2026." in bullets

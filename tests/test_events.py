"""Events on the timeline: stored with history, validated, permission-checked and audited, on
SQLite and PostgreSQL; the CLI's event commands and the export's events with the usual exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from data.actors import SYSTEM, Actor, PermissionDenied
from data.db import reading, writing
from data.events import EventRejected, NewEvent, add_event, change_event, event_history, list_events, remove_event
from data.models import AuditEvent, Organisation
from metrics import clock
from metrics.periods import Quarter
from presentation.i18n import translate
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]
Q = Quarter(2025, 2)


def _ids(url: str) -> tuple[int, int]:
    with reading(url) as session:
        codes = dict(session.execute(select(Organisation.code, Organisation.id)).all())
    return codes["demo-ekbacka"], codes["demo-granlunda"]


def _add(url: str, actor: Actor, **fields: object) -> int:
    with clock.fixed_today(TODAY), writing(url) as session:
        return add_event(session=session, actor=actor, event=NewEvent(**fields))  # type: ignore[arg-type]


def test_add_change_remove_keeps_history_and_audit(demo_url):
    ekbacka, _ = _ids(demo_url)
    editor = Actor("demo-editor", "editor", frozenset({ekbacka}))
    event_id = _add(demo_url, editor, organisation_id=ekbacka, quarter=Q, title="Ny e-tjänst för bygglov",
                    kind="launch", metric_code="ideas_delivered")
    with clock.fixed_today(TODAY), writing(demo_url) as session:
        change_event(session=session, actor=editor, event_id=event_id, event=NewEvent(
            ekbacka, Q + 1, "Ny e-tjänst för bygglov i drift", "launch", "Bara webben"))
        removed = remove_event(session=session, actor=editor, event_id=event_id)
    assert (removed.title, str(removed.quarter)) == ("Ny e-tjänst för bygglov i drift", "2025-Q3")
    with reading(demo_url) as session:
        history = event_history(session=session, event_id=event_id)
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("event.%"),
                                                                  AuditEvent.actor == "demo-editor")).all()
        left = [e.id for e in list_events(session=session) if e.id == event_id]
    assert [(h["action"], h["version"], h["quarter"], h["title"], h["by"]) for h in history] == [
        ("add", 1, "2025-Q2", "Ny e-tjänst för bygglov", "demo-editor"),
        ("change", 2, "2025-Q3", "Ny e-tjänst för bygglov i drift", "demo-editor"),
        ("remove", 3, "2025-Q3", "Ny e-tjänst för bygglov i drift", "demo-editor"),
    ]
    assert list(actions) == ["event.add", "event.change", "event.remove"]
    assert left == []


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": "  "}, "Händelsen behöver en rubrik."),
    ({"title": "x" * 201}, "Rubriken får vara högst 200 tecken."),
    ({"quarter": Quarter(2026, 1)}, "Kvartalet 2026-Q1 har inte börjat än (nu är det 2025-Q4)."),
    ({"metric_code": "no_such_metric"}, "Okänt mätetal: no_such_metric."),
    ({"kind": "party"}, "Okänd typ av händelse: party. Välj en av: launch, reorganisation, method_change, "
                        "campaign, other."),
    ({"title": "Ny\x1b[31m enkät"}, "Rubriken eller anteckningen innehåller styrtecken. Ta bort dem och försök igen."),
])
def test_bad_events_are_refused_with_a_message(demo_url, fields, message):
    ekbacka, _ = _ids(demo_url)
    event = {"organisation_id": ekbacka, "quarter": Q, "title": "Ny enkät", **fields}
    with reading(demo_url) as session:
        before = [e.id for e in list_events(session=session)]
    with pytest.raises(EventRejected) as caught:
        _add(demo_url, SYSTEM, **event)
    assert translate(caught.value.key, "sv", **caught.value.params) == message
    with reading(demo_url) as session:
        assert [e.id for e in list_events(session=session)] == before
        assert len(before) == 6


def test_200_characters_and_the_current_quarter_are_accepted(demo_url):
    ekbacka, _ = _ids(demo_url)
    event_id = _add(demo_url, SYSTEM, organisation_id=ekbacka, quarter=Quarter(2025, 4), title="y" * 200)
    with reading(demo_url) as session:
        assert [e.title for e in list_events(session=session) if e.id == event_id] == ["y" * 200]


def test_another_organisations_event_is_refused_and_audited(demo_url):
    ekbacka, granlunda = _ids(demo_url)
    theirs = _add(demo_url, SYSTEM, organisation_id=granlunda, quarter=Q, title="Granlundas kampanj", kind="campaign")
    editor = Actor("demo-editor", "editor", frozenset({ekbacka}))
    with pytest.raises(PermissionDenied):
        _add(demo_url, editor, organisation_id=granlunda, quarter=Q, title="Intrång")
    with pytest.raises(PermissionDenied), writing(demo_url) as session:
        remove_event(session=session, actor=editor, event_id=theirs)
    with reading(demo_url) as session:
        titles = [e.title for e in list_events(session=session, organisation_ids={granlunda})]
        denied = session.scalars(select(AuditEvent.organisation_id).where(
            AuditEvent.action == "permission.denied", AuditEvent.actor == "demo-editor")).all()
    assert "Granlundas kampanj" in titles
    assert "Intrång" not in titles
    assert list(denied) == [granlunda, granlunda]


def cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "EFFEKT_TODAY": "2025-11-15"}
    return subprocess.run([sys.executable, "cli.py", "--database", url, *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=300)


def test_the_event_commands_and_the_export(demo_url, tmp_path):
    added = cli("event", "add", "--organisation", "demo-granlunda", "--quarter", "2025-Q3", "--title",
                "<script>alert(1)</script> Ny enkät", "--kind", "method_change", "--metric", "customer_satisfaction",
                url=demo_url)
    assert added.returncode == 0, added.stderr
    event_id = int(added.stdout.split()[1])
    assert added.stdout.strip() == f"Händelse {event_id} tillagd: 2025-Q3 <script>alert(1)</script> Ny enkät"
    listed = cli("event", "list", "--organisation", "demo-granlunda", url=demo_url)
    assert f"{event_id}\tdemo-granlunda\t2025-Q3\tmethod_change\tcustomer_satisfaction\t<script>alert(1)</script> Ny enkät" \
        in listed.stdout.splitlines()
    assert cli("event", "add", "--organisation", "demo-granlunda", "--quarter", "2026-Q1", "--title", "Sen",
               url=demo_url).returncode == 1
    assert cli("event", "add", "--organisation", "demo-nowhere", "--quarter", "2025-Q1", "--title", "X",
               url=demo_url).returncode == 2
    assert cli("event", "add", "--organisation", "demo-granlunda", "--quarter", "2025-Q9", "--title", "X",
               url=demo_url).returncode == 2
    refused = cli("event", "remove", str(event_id), "--as", "demo-editor", url=demo_url)
    assert refused.returncode == 1
    assert refused.stderr.strip()

    exported = cli("export", str(tmp_path / "all.csv"), "--organisation", "demo-granlunda", url=demo_url)
    assert exported.returncode == 0, exported.stderr
    events_csv = (tmp_path / "all.events.csv").read_text(encoding="utf-8")
    assert f"{event_id},demo-granlunda,2025-Q3,method_change,customer_satisfaction,<script>alert(1)</script> Ny enkät," \
        in events_csv.splitlines()
    assert cli("export", str(tmp_path / "all.xlsx"), url=demo_url).returncode == 0
    sheet = load_workbook(tmp_path / "all.xlsx")["events"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows[0] == ("id", "organisation", "period", "kind", "metric", "title", "note")
    assert (event_id, "demo-granlunda", "2025-Q3", "method_change", "customer_satisfaction",
            "<script>alert(1)</script> Ny enkät", None) in rows

    removed = cli("event", "remove", str(event_id), url=demo_url)
    assert (removed.returncode, removed.stdout.strip()) == (
        0, f"Händelse {event_id} borttagen: 2025-Q3 <script>alert(1)</script> Ny enkät")


def test_a_method_change_restarts_the_forecast_and_breaks_the_changes():
    from metrics.breaks import crosses_break, latest_break
    from metrics.targets import TargetPlan, assess_target

    rising = {Quarter(2024, q).index: 50.0 + 5 * q for q in range(1, 5)}  # 55, 60, 65, 70
    after = {Quarter(2025, 1).index: 40.0, Quarter(2025, 2).index: 41.0, Quarter(2025, 3).index: 42.0,
             Quarter(2025, 4).index: 43.0}
    plan = TargetPlan(baseline_quarter=Quarter(2024, 1), baseline_value=55.0,
                      target_quarter=Quarter(2026, 4), target_value=80.0)
    cut = Quarter(2025, 1).index
    with_break = assess_target(plan, {**rising, **after}, Quarter(2025, 4), breaks=[cut])
    assert round(with_break.forecast, 1) == 47.0  # 43 + 1 a quarter for four quarters: the new method's pace
    assert crosses_break(Quarter(2024, 4).index, cut, [cut])
    assert not crosses_break(cut, cut + 1, [cut])
    assert crosses_break(Quarter(2024, 3).index, Quarter(2025, 3).index, [cut])
    assert latest_break([cut], cut - 1) is None
    assert latest_break([cut], cut + 3) == cut


def test_an_experiments_outcome_feeds_lessons_shared_only_when_chosen(demo_url):
    from data.decisions import DecisionRejected, Experiment, NewDecision, add_decision, list_decisions, record_outcome
    from data.figures import figures_frame
    from data.models import Metric

    ekbacka, _ = _ids(demo_url)
    with reading(demo_url) as session:
        lessons = session.scalar(select(Metric.id).where(Metric.code == "lessons_shared"))
        before = figures_frame(session=session, organisation_ids=[ekbacka])
    stored = before[(before["metric_id"] == lessons) & (before["period"] == Q.index)]["value"].tolist()
    editor = Actor("demo-editor", "editor", frozenset({ekbacka}))
    with clock.fixed_today(TODAY), writing(demo_url) as session:
        first = add_decision(session=session, actor=editor, decision=NewDecision(
            ekbacka, Q - 2, "Testa sms-påminnelser", experiment=Experiment(("right_first_time",), Q - 1, Q, "up", 3.0)))
        second = add_decision(session=session, actor=editor, decision=NewDecision(
            ekbacka, Q - 2, "Testa videomöten", experiment=Experiment(("right_first_time",), Q - 1, Q, "up", 3.0)))
        record_outcome(session=session, actor=editor, decision_id=first, outcome="did_not_work",
                       lesson="Påminnelser utan länk hjälper inte", feed_lessons=False)
    with reading(demo_url) as session:
        unchanged = figures_frame(session=session, organisation_ids=[ekbacka])
    assert unchanged[(unchanged["metric_id"] == lessons) & (unchanged["period"] == Q.index)]["value"].tolist() == stored
    with clock.fixed_today(TODAY), writing(demo_url) as session:
        record_outcome(session=session, actor=editor, decision_id=first, outcome="did_not_work",
                       lesson="Påminnelser utan länk hjälper inte", feed_lessons=True)
        record_outcome(session=session, actor=editor, decision_id=second, outcome="worked",
                       lesson="Video sparar resor", feed_lessons=True)
    with reading(demo_url) as session:
        after = figures_frame(session=session, organisation_ids=[ekbacka])
        infos = {d.id: d for d in list_decisions(session=session, organisation_id=ekbacka)}
    cell = after[(after["metric_id"] == lessons) & (after["period"] == Q.index)]
    assert (cell["value"].tolist(), cell["comment"].tolist()) == ([2.0], ["2 lärdomar från försök (beslutsregistret)"])
    assert (infos[first].outcome, infos[first].lesson, infos[first].experiment.start) == (
        "did_not_work", "Påminnelser utan länk hjälper inte", Q - 1)
    with pytest.raises(DecisionRejected) as caught, writing(demo_url) as session:
        add_decision(session=session, actor=editor, decision=NewDecision(
            ekbacka, Q, "Fel", experiment=Experiment(("no_such_metric",), Q, Q)))
    assert translate(caught.value.key, "sv", **caught.value.params) == "Okänt mätetal för försöket: no_such_metric."

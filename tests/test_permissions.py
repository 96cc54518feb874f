"""The permission matrix: every write path × every kind of actor, checked in the data layer.

Each :class:`WritePath` names who may take it. For each actor the test runs the path in a fresh
copy of one small world (organisations A and B with a figure each, four accounts): the allowed
actors succeed and leave an audit row in their name; every other actor gets ``PermissionDenied``,
the database is exactly as before (all tables except the audit log and sign-in records), and a
``permission.denied`` audit row names them (written in its own transaction by ``data.db.writing``).

To add a write path, append a ``WritePath`` to
``WRITE_PATHS``: ``act(session, actor, world)`` does the write as ``actor``; ``allowed`` lists the
actor names from ``ACTORS`` that may do it; ``prepare`` (optional) sets up data as the system first.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from data.accounts import add_account, change_role, reset_password, set_active
from data.actors import SIGNED_OUT, SYSTEM, Actor, PermissionDenied
from data.bootstrap import prepare_database
from data.catalogue_store import add_metric, list_metrics, set_metric_active, sync_builtin_catalogue, update_metric_wording
from data.customer_voice import remove_customer_clip, save_customer_clip, save_customer_quotes
from data.db import dispose_engine, get_engine, reading, writing
from data.deadlines import set_deadline
from data.decisions import (
    NewDecision,
    add_decision,
    delete_decision,
    record_outcome,
    set_decision_done,
    update_decision,
)
from data.demo import load_demo, remove_demo
from data.events import NewEvent, add_event, change_event, remove_event
from data.figures import Figure, restore_revision, save_figures
from data.importing.committing import commit_import
from data.importing.planning import plan_import
from data.kolada import set_population
from data.mail import MailSettings, mail_settings
from data.models import AuditEvent, Decision, MeasurementRevision, Metric, TimelineEvent
from data.organisations import (
    NewOrganisation,
    add_organisations,
    set_named_comparison,
    set_organisation_active,
    update_organisation,
)
from data.register import load_register, set_peer_groups
from data.reminders import set_mail_preferences
from data.signoff import reopen, sign_off
from data.targets import TargetInput, remove_target, save_target
from metrics.periods import Quarter
from reports.rounds import send_digest, send_reminders
from tests.conftest import TODAY
from tests.smtp_support import free_port

Q = Quarter(2025, 1)
# Tables whose rows only record that something happened; everything else must stay unchanged on a refusal.
LOG_TABLES = {"audit_event", "sign_in", "failed_sign_in", "alembic_version"}


@dataclass(frozen=True)
class World:
    a: int
    b: int
    metric: int
    metric_code: str


@dataclass(frozen=True)
class WritePath:
    name: str
    allowed: frozenset[str]
    act: Callable[[Session, Actor, World], object]
    prepare: Callable[[Session, World], None] | None = None


def _actors(world: World) -> dict[str, Actor]:
    return {
        "admin": Actor("ada", "admin"),
        "editor_a": Actor("eda", "editor", frozenset({world.a})),
        "editor_b": Actor("edb", "editor", frozenset({world.b})),
        "viewer": Actor("vic", "viewer"),
        "signed_out": SIGNED_OUT,
    }


ACTORS = ("admin", "editor_a", "editor_b", "viewer", "signed_out")
ADMIN = frozenset({"admin"})
EDITORS_OF_A = frozenset({"admin", "editor_a"})


def _save(figures: Callable[[World], list[Figure]], via: str) -> Callable[[Session, Actor, World], object]:
    def act(session: Session, actor: Actor, world: World) -> object:
        return save_figures(session=session, actor=actor, figures=figures(world), via=via, today=TODAY)
    return act


def _import(rows: str) -> Callable[[Session, Actor, World], object]:
    def act(session: Session, actor: Actor, world: World) -> object:
        content = ("organisation,metric,period,value\n" + rows.format(metric=world.metric_code)).encode()
        plan = plan_import(session=session, content=content, file_name="f.csv", today=TODAY)
        assert plan.ok, plan.problems
        return commit_import(session=session, actor=actor, plan=plan)
    return act


def _custom_metric(session: Session, actor: Actor, _world: World) -> object:
    template = list_metrics(session=session)[0]
    return add_metric(session=session, actor=actor, definition=replace(template, code="own_metric", id=None))


def _unsync_catalogue(session: Session, world: World) -> None:
    session.execute(text("UPDATE metric SET decimals = decimals + 1 WHERE code = :code"), {"code": world.metric_code})


def _add_demo_account(session: Session, _world: World) -> None:
    add_account(session=session, actor=SYSTEM, username="other", role="viewer", password="a-long-enough-password")


def _load_demo_first(session: Session, _world: World) -> None:
    """The demo beside real organisations, and a real administrator (else demo removal is refused)."""
    load_demo(session=session, actor=SYSTEM, today=TODAY)
    add_account(session=session, actor=SYSTEM, username="ada", role="admin", password="a-long-enough-password")


def _target(organisation: Callable[[World], int]) -> Callable[[World], TargetInput]:
    def make(world: World) -> TargetInput:
        return TargetInput(organisation(world), world.metric, "planned", Q, 3.0, Q + 4, 10.0, owner="Anna")
    return make


def _save_target(target: Callable[[World], TargetInput]) -> Callable[[Session, Actor, World], object]:
    def act(session: Session, actor: Actor, world: World) -> object:
        return save_target(session=session, actor=actor, target=target(world))
    return act


def _target_of_a_first(session: Session, world: World) -> None:
    save_target(session=session, actor=SYSTEM, target=_target(lambda w: w.a)(world))


def _decision_of_a_first(session: Session, world: World) -> None:
    add_decision(session=session, actor=SYSTEM, decision=NewDecision(world.a, Q, "Testa en chattbot", "Anna", Q + 1))


def _event_of_a_first(session: Session, world: World) -> None:
    add_event(session=session, actor=SYSTEM, event=NewEvent(world.a, Q, "Ny e-tjänst", "launch"))


def _event(session: Session) -> int:
    return int(session.scalars(select(TimelineEvent.id)).one())


def _register_first(session: Session, _world: World) -> None:
    load_register(session=session, actor=SYSTEM, kinds=("kommun",))


def _decision(session: Session) -> int:
    return int(session.scalars(select(Decision.id)).one())


def _clip_of_a_first(session: Session, world: World) -> None:
    save_customer_clip(session=session, actor=SYSTEM, organisation_id=world.a, quarter=Q, name="samtal.mp3",
                       mime="audio/mpeg", content=b"ID3" + bytes(64))


def _correction_of_a_first(session: Session, world: World) -> None:
    """A later figure for A, so restoring A's first revision (value 3) changes something."""
    save_figures(session=session, actor=SYSTEM, via="form", today=TODAY, figures=[Figure(world.a, world.metric, Q, 7)])


def _restore_first_revision_of_a(session: Session, actor: Actor, world: World) -> object:
    first = session.scalars(select(MeasurementRevision.id).where(MeasurementRevision.organisation_id == world.a)
                            .order_by(MeasurementRevision.id)).first()
    assert first is not None
    return restore_revision(session=session, actor=actor, revision_id=first, today=TODAY)


def _signed_off_a_first(session: Session, world: World) -> None:
    sign_off(session=session, actor=SYSTEM, organisation_id=world.a, quarter=Q, note="x", today=TODAY)


def _mail_accounts_first(session: Session, world: World) -> None:
    """An editor of A to remind and a digest subscriber of A, both with an address."""
    add_account(session=session, actor=SYSTEM, username="rut", role="editor", password="a-long-enough-password",
                organisation_ids=[world.a], email="rut@a.example")
    set_mail_preferences(session=session, actor=SYSTEM, username="rut", digest=True)


def _mail_down() -> MailSettings:
    """A server nobody listens on: every message fails at once, and the failure is recorded."""
    return mail_settings({"EFFEKT_SMTP_HOST": "127.0.0.1", "EFFEKT_SMTP_PORT": str(free_port()),
                          "EFFEKT_SMTP_SECURITY": "none", "EFFEKT_MAIL_FROM": "effekt@effekt.example"}, {})


WRITE_PATHS: list[WritePath] = [
    WritePath("figure create (form)", EDITORS_OF_A, _save(lambda w: [Figure(w.a, w.metric, Q + 1, 4)], "form")),
    WritePath("figure update (form)", EDITORS_OF_A, _save(lambda w: [Figure(w.a, w.metric, Q, 7)], "form")),
    WritePath("figure update (grid)", EDITORS_OF_A, _save(lambda w: [Figure(w.a, w.metric, Q, 8)], "grid")),
    WritePath("figure retract", EDITORS_OF_A, _save(lambda w: [Figure(w.a, w.metric, Q, None)], "form")),
    WritePath("figure restore", EDITORS_OF_A, _save(lambda w: [Figure(w.a, w.metric, Q, 2)], "restore")),
    WritePath("figure of B", frozenset({"admin", "editor_b"}), _save(lambda w: [Figure(w.b, w.metric, Q, 9)], "form")),
    WritePath("figures of A and B together", ADMIN,
              _save(lambda w: [Figure(w.a, w.metric, Q, 9), Figure(w.b, w.metric, Q, 9)], "form")),
    WritePath("import for A", EDITORS_OF_A, _import("org-a,{metric},2025-Q2,6\n")),
    WritePath("import for A and B", ADMIN, _import("org-a,{metric},2025-Q2,6\norg-b,{metric},2025-Q2,6\n")),
    WritePath("organisation add", ADMIN, lambda s, a, _w: add_organisations(
        session=s, actor=a, organisations=[NewOrganisation("org-c", "C", "region")])),
    WritePath("organisation edit", ADMIN, lambda s, a, w: update_organisation(
        session=s, actor=a, organisation_id=w.a, name="A renamed")),
    WritePath("organisation deactivate", ADMIN, lambda s, a, w: set_organisation_active(
        session=s, actor=a, organisation_id=w.a, active=False)),
    WritePath("named comparison opt-in", EDITORS_OF_A, lambda s, a, w: set_named_comparison(
        session=s, actor=a, organisation_id=w.a, named=True)),
    WritePath("metric add", ADMIN, _custom_metric),
    WritePath("metric wording", ADMIN, lambda s, a, w: update_metric_wording(
        session=s, actor=a, code=w.metric_code, wording={"name_en": "Ideas shipped"})),
    WritePath("metric deactivate", ADMIN, lambda s, a, w: set_metric_active(
        session=s, actor=a, code=w.metric_code, active=False)),
    WritePath("catalogue sync", ADMIN, lambda s, a, _w: sync_builtin_catalogue(session=s, actor=a),
              prepare=_unsync_catalogue),
    WritePath("demo load", ADMIN, lambda s, a, _w: load_demo(session=s, actor=a, today=TODAY)),
    WritePath("demo remove", ADMIN, lambda s, a, _w: remove_demo(session=s, actor=a), prepare=_load_demo_first),
    WritePath("account add", ADMIN, lambda s, a, _w: add_account(
        session=s, actor=a, username="newbie", role="viewer", password="a-long-enough-password")),
    WritePath("account role", ADMIN, lambda s, a, w: change_role(
        session=s, actor=a, username="other", role="editor", organisation_ids=[w.a]), prepare=_add_demo_account),
    WritePath("account password reset", ADMIN, lambda s, a, _w: reset_password(
        session=s, actor=a, username="other", password="a-new-long-password"), prepare=_add_demo_account),
    WritePath("account deactivate", ADMIN, lambda s, a, _w: set_active(
        session=s, actor=a, username="other", active=False), prepare=_add_demo_account),
    # Targets (data/targets.py): the organisation's editors and administrators.
    WritePath("target save for A", EDITORS_OF_A, _save_target(_target(lambda w: w.a))),
    WritePath("target change for A", EDITORS_OF_A, _save_target(
        lambda w: replace(_target(lambda x: x.a)(w), target_value=12.0, owner="Bo")), prepare=_target_of_a_first),
    WritePath("target save for B", frozenset({"admin", "editor_b"}), _save_target(_target(lambda w: w.b))),
    WritePath("target remove for A", EDITORS_OF_A, lambda s, a, w: remove_target(
        session=s, actor=a, organisation_id=w.a, metric_id=w.metric, kind="planned"), prepare=_target_of_a_first),
    # The decisions register (data/decisions.py).
    WritePath("decision add for A", EDITORS_OF_A, lambda s, a, w: add_decision(
        session=s, actor=a, decision=NewDecision(w.a, Q, "Pröva e-tjänst", "Bo", Q + 2))),
    WritePath("decision change", EDITORS_OF_A, lambda s, a, _w: update_decision(
        session=s, actor=a, decision_id=_decision(s), what="Testa två chattbottar", owner="Bo", due=Q + 2, done=False),
        prepare=_decision_of_a_first),
    WritePath("decision done", EDITORS_OF_A, lambda s, a, _w: set_decision_done(
        session=s, actor=a, decision_id=_decision(s), done=True), prepare=_decision_of_a_first),
    WritePath("decision delete", EDITORS_OF_A, lambda s, a, _w: delete_decision(
        session=s, actor=a, decision_id=_decision(s)), prepare=_decision_of_a_first),
    WritePath("experiment outcome", EDITORS_OF_A, lambda s, a, _w: record_outcome(
        session=s, actor=a, decision_id=_decision(s), outcome="worked", lesson="Små steg", feed_lessons=True),
        prepare=_decision_of_a_first),
    # Events on the timeline (data/events.py): the organisation's editors and administrators.
    WritePath("event add for A", EDITORS_OF_A, lambda s, a, w: add_event(
        session=s, actor=a, event=NewEvent(w.a, Q, "Ny enkät", "method_change"))),
    WritePath("event change", EDITORS_OF_A, lambda s, a, w: change_event(
        session=s, actor=a, event_id=_event(s), event=NewEvent(w.a, Q, "Ny e-tjänst i drift", "launch")),
        prepare=_event_of_a_first),
    WritePath("event remove", EDITORS_OF_A, lambda s, a, _w: remove_event(
        session=s, actor=a, event_id=_event(s)), prepare=_event_of_a_first),
    # The customer's voice on the board's customer slide (data/customer_voice.py).
    WritePath("customer clip for A", EDITORS_OF_A, lambda s, a, w: save_customer_clip(
        session=s, actor=a, organisation_id=w.a, quarter=Q, name="samtal.mp3", mime="audio/mpeg",
        content=b"ID3" + bytes(64))),
    WritePath("customer quotes for A", EDITORS_OF_A, lambda s, a, w: save_customer_quotes(
        session=s, actor=a, organisation_id=w.a, quarter=Q, quotes=["Snabbt svar"])),
    WritePath("customer clip remove for A", EDITORS_OF_A, lambda s, a, w: remove_customer_clip(
        session=s, actor=a, organisation_id=w.a, quarter=Q), prepare=_clip_of_a_first),
    # Restoring an earlier revision overrides what editors stored since: administrators only.
    WritePath("figure revision restore", ADMIN, _restore_first_revision_of_a, prepare=_correction_of_a_first),
    # The grid's save path has no function of its own: it is save_figures(via="grid"), above.
    # Sweden's register, SKR's groups and Kolada's population (data/register.py, data/kolada.py).
    WritePath("register load", ADMIN, lambda s, a, _w: load_register(session=s, actor=a)),
    WritePath("peer groups from SKR's file", ADMIN, lambda s, a, _w: set_peer_groups(
        session=s, actor=a, content=b"Kommunkod,Kommungrupp\n0180,A1\n", file_name="skr.csv"), prepare=_register_first),
    WritePath("population from Kolada", ADMIN, lambda s, a, _w: set_population(
        session=s, actor=a, year=2024, population={"0180": 988_943}), prepare=_register_first),
    # Reporting rounds (issue 16): sign-off by the organisation's editors; reopening, deadlines,
    # reminders and the digest by administrators.
    WritePath("sign-off of A", EDITORS_OF_A, lambda s, a, w: sign_off(
        session=s, actor=a, organisation_id=w.a, quarter=Q, note="Resten mäts från 2026", today=TODAY)),
    WritePath("reopen A", ADMIN, lambda s, a, w: reopen(
        session=s, actor=a, organisation_id=w.a, quarter=Q, reason="Rättelse"), prepare=_signed_off_a_first),
    WritePath("deadline set", ADMIN, lambda s, a, _w: set_deadline(
        session=s, actor=a, quarter=Q, due=Q.last_day + dt.timedelta(days=45))),
    WritePath("remind", ADMIN, lambda s, a, _w: send_reminders(
        session=s, actor=a, quarter=Q, mail=_mail_down(), today=TODAY), prepare=_mail_accounts_first),
    WritePath("digest", ADMIN, lambda s, a, _w: send_digest(
        session=s, actor=a, quarter=Q, mail=_mail_down(), today=TODAY), prepare=_mail_accounts_first),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, World]:
    path = tmp_path_factory.mktemp("matrix") / "template.db"
    url = f"sqlite:///{path}"
    prepare_database(url)
    with writing(url) as session:
        a, b = add_organisations(session=session, actor=SYSTEM, organisations=[
            NewOrganisation("org-a", "A", "kommun"), NewOrganisation("org-b", "B", "kommun"),
        ])
        metric = session.scalar(select(Metric).where(Metric.code == "ideas_delivered"))
        world = World(a, b, metric.id, metric.code)
        save_figures(session=session, actor=SYSTEM, via="form", today=TODAY, figures=[
            Figure(a, world.metric, Q, 3), Figure(b, world.metric, Q, 5),
        ])
    dispose_engine(url)
    return path, world


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table that holds data (not the logs), in a comparable form."""
    engine = get_engine(url)
    tables = sorted(set(inspect(engine).get_table_names()) - LOG_TABLES)
    with engine.connect() as connection:
        return {table: sorted(map(tuple, connection.execute(text(f"SELECT * FROM {table}"))), key=repr)
                for table in tables}


def audit_rows(url: str) -> list[tuple[str, str]]:
    with reading(url) as session:
        return [tuple(r) for r in session.execute(select(AuditEvent.actor, AuditEvent.action).order_by(AuditEvent.id))]


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("path", WRITE_PATHS, ids=lambda p: p.name)
def test_permission_matrix(path: WritePath, actor_name: str, template, tmp_path):
    source, world = template
    copy = tmp_path / "world.db"
    shutil.copy(source, copy)
    url = f"sqlite:///{copy}"
    try:
        if path.prepare:
            with writing(url) as session:
                path.prepare(session, world)
        actor = _actors(world)[actor_name]
        before, audit_before = snapshot(url), audit_rows(url)
        if actor_name in path.allowed:
            with writing(url) as session:
                path.act(session, actor, world)
            assert snapshot(url) != before, "an allowed write changed nothing"
            new = audit_rows(url)[len(audit_before):]
            assert any(who == actor.username for who, _ in new), new
        else:
            with pytest.raises(PermissionDenied), writing(url) as session:
                path.act(session, actor, world)
            assert snapshot(url) == before
            assert audit_rows(url)[len(audit_before):] == [(actor.username, "permission.denied")]
    finally:
        dispose_engine(url)


def test_every_kind_of_actor_is_in_the_matrix():
    assert set(ACTORS) == {"admin", "editor_a", "editor_b", "viewer", "signed_out"}
    assert all(path.allowed <= set(ACTORS) for path in WRITE_PATHS)


def test_a_refusal_is_audited_on_postgresql_too(ready_url):
    """The refusal's own transaction works on both databases (the matrix itself runs on SQLite copies)."""
    with writing(ready_url) as session:
        a, = add_organisations(session=session, actor=SYSTEM, organisations=[NewOrganisation("x", "X", "kommun")])
    viewer = Actor("vic", "viewer")
    with pytest.raises(PermissionDenied), writing(ready_url) as session:
        save_figures(session=session, actor=viewer, via="form", today=TODAY,
                     figures=[Figure(a, 1, Q, 3)])
    assert audit_rows(ready_url)[-1] == ("vic", "permission.denied")
    with reading(ready_url) as session:
        assert session.scalar(select(AuditEvent.organisation_id).order_by(AuditEvent.id.desc())) == a

"""Deterministic demo data: twelve fictitious organisations, twelve quarters, every metric.

Seeded, so two loads on the same day give identical figures; made through the ordinary write
path (with revisions), so the demo behaves exactly like real data. No real agency or municipality
names: every organisation here is invented.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.catalogue_store import list_metrics
from data.decisions import Experiment, NewDecision, add_decision, record_outcome
from data.demo_accounts import create_demo_accounts, remove_demo_accounts
from data.events import NewEvent, add_event
from data.figures import Figure, save_figures
from data.models import (
    AuditEvent,
    CustomerVoice,
    Decision,
    Measurement,
    MeasurementRevision,
    Organisation,
    Target,
    TargetRevision,
    TimelineEvent,
    TimelineEventRevision,
)
from data.organisations import NewOrganisation, add_organisations
from data.reminders import set_mail_preferences
from data.targets import TargetInput, save_target
from data.versioning import bump_data_version
from metrics.catalogue import MetricDefinition
from metrics.forecast import recent_trend
from metrics.periods import Quarter
from metrics.targets import TargetError, propose_10x_target

SEED = 20180705  # the day of the Almedalen workshop
QUARTERS = 12

DEMO_ORGANISATIONS = (
    NewOrganisation("demo-ekbacka", "Ekbacka kommun", "kommun", "Kommuner", 4200, 61000, True),
    NewOrganisation("demo-granlunda", "Granlunda kommun", "kommun", "Kommuner", 2900, 38000, True),
    NewOrganisation("demo-sjovik", "Sjöviks kommun", "kommun", "Kommuner", 1500, 19500, False),
    NewOrganisation("demo-bjorkhamn", "Björkhamns kommun", "kommun", "Kommuner", 9800, 142000, True),
    NewOrganisation("demo-tallmo", "Tallmo kommun", "kommun", "Kommuner", 650, 7400, False),
    NewOrganisation("demo-norrang", "Norrängs kommun", "kommun", "Kommuner", 2100, 27000, False),
    NewOrganisation("demo-tillstand", "Tillståndsverket", "myndighet", "Statliga myndigheter", 1800, None, True),
    NewOrganisation("demo-register", "Registerverket", "myndighet", "Statliga myndigheter", 3400, None, False),
    NewOrganisation("demo-arende", "Ärendemyndigheten", "myndighet", "Statliga myndigheter", 850, None, True),
    NewOrganisation("demo-dataverket", "Öppna dataverket", "myndighet", "Statliga myndigheter", 240, None, False),
    NewOrganisation("demo-mellanland", "Region Mellanland", "region", "Regioner och bolag", 21000, 410000, True),
    NewOrganisation("demo-kustnat", "Kustnät AB", "bolag", "Regioner och bolag", 320, None, False),
)

# Where a metric starts and how big its quarterly steps are, by unit kind: (low, high, step).
_PERCENT = (30.0, 80.0, 1.6)
_INDEX = (35.0, 70.0, 1.4)
_DAYS = {"api_opening_time": (40.0, 220.0, 6.0), "priority_lead_time": (6.0, 60.0, 1.5)}
_COUNTS = {
    "ideas_delivered": 14, "value_for_others": 4, "lessons_shared": 5, "media_stories": 3,
    "reverse_mentoring": 6, "ecosystem_collaborations": 7, "datasets_published": 8,
}
_COMMENTS = (
    "Ny mätmetod från och med detta kvartal.",
    "Uppskattning i väntan på enkätresultat.",
    "Påverkat av omorganisationen under kvartalet.",
    "Två stora leveranser flyttades till nästa kvartal.",
    "Siffran bygger på urval från ärendesystemet.",
)
# Decisions and experiments from the last board meeting: (what, owner, quarters after it due, done).
_DECISIONS = (
    ("Testa en chattbot för bygglovsfrågor med tio sökande (MVP)", "Digitaliseringschef", 1, True),
    ("Spela in ett kundsamtal till varje ledningsgruppsmöte", "Kundtjänstchef", 1, False),
    ("Öppna API för ärendestatus, första version", "IT-chef", 2, False),
)
_DECISION_ORGANISATIONS = ("demo-ekbacka", "demo-bjorkhamn", "demo-tillstand")


@dataclass(frozen=True)
class DemoSummary:
    organisations: int
    figures: int
    first: Quarter
    last: Quarter


def demo_quarters(today: dt.date | None = None) -> tuple[Quarter, Quarter]:
    """The twelve quarters ending with the last completed one."""
    last = Quarter.last_completed(today)
    return last - (QUARTERS - 1), last


def has_demo_data(*, session: Session) -> bool:
    return session.scalar(select(Organisation.id).where(Organisation.is_demo.is_(True)).limit(1)) is not None


def load_demo(*, session: Session, actor: Actor, today: dt.date | None = None) -> DemoSummary:
    """Create the demo organisations, their figures and the demo accounts; does nothing if they are already there."""
    actor.require_admin()
    first, last = demo_quarters(today)
    if has_demo_data(session=session):
        return DemoSummary(0, 0, first, last)
    ids = add_organisations(
        session=session, actor=actor, organisations=list(DEMO_ORGANISATIONS), is_demo=True
    )
    metrics = list_metrics(session=session)
    figures = [
        figure
        for organisation_id, organisation in zip(ids, DEMO_ORGANISATIONS, strict=True)
        for metric in metrics
        for figure in _series(organisation, metric, organisation_id, first)
    ]
    save_figures(session=session, actor=actor, figures=figures, via="demo", today=today)
    create_demo_accounts(session=session, actor=actor)
    set_mail_preferences(session=session, actor=actor, username="demo-viewer", digest=True)  # the digest's demo reader
    targets = _demo_targets(session, actor, figures, metrics, last)
    _add_decisions(session, actor, ids, last)
    _add_events(session, actor, ids, last)
    _add_experiments(session, actor, ids, last)
    _add_commentary(session, ids, figures, last, today)
    record_event(session=session, actor=actor, action="demo.load", detail={"figures": len(figures), "targets": targets})
    return DemoSummary(len(ids), len(figures), first, last)


def remove_demo(*, session: Session, actor: Actor) -> int:
    """Delete the demo organisations with their figures, history and demo accounts; returns how many."""
    actor.require_admin()
    ids = list(session.scalars(select(Organisation.id).where(Organisation.is_demo.is_(True))))
    if not ids:
        return 0
    remove_demo_accounts(session=session, organisation_ids=ids)
    for table in (CustomerVoice, Decision, TargetRevision, Target, MeasurementRevision, Measurement,
                  TimelineEventRevision, TimelineEvent):
        session.execute(delete(table).where(table.organisation_id.in_(ids)))
    # The audit trail stays; it just no longer points at organisations that are gone.
    session.execute(update(AuditEvent).where(AuditEvent.organisation_id.in_(ids)).values(organisation_id=None))
    session.execute(delete(Organisation).where(Organisation.id.in_(ids)))
    record_event(session=session, actor=actor, action="demo.remove", detail={"organisations": len(ids)})
    bump_data_version(session)
    return len(ids)


# The demo's targets, a year ahead: how far each reaches compared with where the trend is heading,
# so the pages show every status. 0.9 of the forecast gain: on track; 1.2: at risk (83 %); 2.0: off track.
_TARGET_REACH = (("on_track", 0.9), ("at_risk", 1.2), ("off_track", 2.0))
_OWNERS = ("Digitaliseringschef", "Verksamhetsutvecklare", "Kommundirektör", "CIO", "Kundtjänstchef")


def _demo_targets(
    session: Session, actor: Actor, figures: list[Figure], metrics: list[MetricDefinition], last: Quarter
) -> int:
    """A few targets per demo organisation: one on track (with a 10x target beside it), one at risk,
    one off track, chosen among metrics whose trend improves so every status is honest."""
    series: dict[tuple[int, int], dict[int, float]] = {}
    for figure in figures:
        if figure.value is not None:
            series.setdefault((figure.organisation_id, figure.metric_id), {})[figure.quarter.index] = figure.value
    saved = 0
    for organisation_id in sorted({f.organisation_id for f in figures}):
        rng = random.Random(f"{SEED}:targets:{organisation_id}")
        wanted = list(_TARGET_REACH)
        for metric in rng.sample(metrics, len(metrics)):
            if not wanted:
                break
            target = _demo_target(series.get((organisation_id, metric.id or 0), {}), metric, last, wanted[0][1])
            if target is None:
                continue
            baseline_quarter, baseline, value = target
            status = wanted.pop(0)[0]
            planned = TargetInput(
                organisation_id=organisation_id, metric_id=metric.id or 0, kind="planned",
                baseline_quarter=baseline_quarter, baseline_value=baseline, target_quarter=last + 4,
                target_value=value, owner=rng.choice(_OWNERS),
            )
            try:
                save_target(session=session, actor=actor, target=planned)
                saved += 1
                if status == "on_track":
                    tenfold = replace(planned, kind="10x", target_value=propose_10x_target(metric, baseline),
                                      note="Sikta tio gånger högre.")
                    save_target(session=session, actor=actor, target=tenfold)
                    saved += 1
            except TargetError:
                continue  # a proposal outside the metric's range: this metric gets no demo target
    return saved


def _demo_target(
    values: dict[int, float], metric: MetricDefinition, last: Quarter, reach: float
) -> tuple[Quarter, float, float] | None:
    """(baseline quarter, baseline, target value) reaching ``reach`` × the forecast gain; None if the
    trend does not improve clearly or the target would fall outside the metric's range."""
    trend = recent_trend(values, until=last.index)
    if trend is None or len(values) < 6:
        return None
    baseline_period = min(values)
    baseline = values[baseline_period]
    gain = trend.at((last + 4).index) - baseline
    sign = 1.0 if metric.higher_is_better else -1.0
    if gain * sign < max(abs(baseline) * 0.1, 3.0):
        return None
    value = _clip(metric, baseline + gain * reach)
    at_bound = value in (metric.min_value, metric.max_value)
    if at_bound or metric.range_problem(value) or (value - baseline) * sign <= 0:
        return None
    return Quarter.from_index(baseline_period), baseline, value


def _add_decisions(session: Session, actor: Actor, ids: list[int], last: Quarter) -> None:
    """A few decisions taken at the previous quarter's meeting, so the board pack has a follow-up."""
    codes = {o.code: organisation_id for organisation_id, o in zip(ids, DEMO_ORGANISATIONS, strict=True)}
    meeting = last.previous
    for code in _DECISION_ORGANISATIONS:
        for what, owner, due_after, done in _DECISIONS:
            add_decision(session=session, actor=actor, decision=NewDecision(
                organisation_id=codes[code], decided=meeting, what=what, owner=owner,
                due=meeting + due_after, done=done,
            ))


# The demo's timeline: (quarters before the last, kind, metric code or None for all, title, note).
# The method change two quarters back makes the year-on-year change of customer satisfaction
# read "inte jämförbart (ny mätmetod)" on the first start.
DEMO_EVENTS = (
    (6, "launch", "ideas_delivered", "Ny e-tjänst för bygglov", "Ansökan och komplettering på webben"),
    (4, "campaign", None, "Kampanj: Säg vad du tycker", ""),
    (2, "method_change", "customer_satisfaction", "Ny enkätmetod för kundnöjdhet",
     "Sms-enkät direkt efter ärendet i stället för årlig pappersenkät"),
)
_EVENT_ORGANISATIONS = ("demo-ekbacka", "demo-bjorkhamn")


def _add_events(session: Session, actor: Actor, ids: list[int], last: Quarter) -> None:
    """A few events on the timeline, one of them a method change (a break in the series)."""
    codes = {o.code: organisation_id for organisation_id, o in zip(ids, DEMO_ORGANISATIONS, strict=True)}
    for code in _EVENT_ORGANISATIONS:
        for back, kind, metric_code, title, note in DEMO_EVENTS:
            add_event(session=session, actor=actor, event=NewEvent(
                organisation_id=codes[code], quarter=last - back, title=title, kind=kind, note=note,
                metric_code=metric_code))


# Two experiments at Ekbacka, decided a year before the last quarter and followed up in it:
# (what, owner, metric code, direction, size, outcome, lesson).
DEMO_EXPERIMENTS = (
    ("Idéverkstad varannan vecka med medarbetare och invånare", "Digitaliseringschef", "ideas_delivered", "up", 2.0,
     "worked", "Korta, återkommande verkstäder ger fler idéer än en årlig tävling."),
    ("Chattbot för bygglovsfrågor (MVP med tio sökande)", "Kundtjänstchef", "customer_satisfaction", "up", 5.0,
     "too_early", ""),
)


def _add_experiments(session: Session, actor: Actor, ids: list[int], last: Quarter) -> None:
    """Two experiments with a follow-up, one across the method change (so the view cautions)."""
    ekbacka = dict(zip((o.code for o in DEMO_ORGANISATIONS), ids, strict=True))["demo-ekbacka"]
    for what, owner, code, direction, size, outcome, lesson in DEMO_EXPERIMENTS:
        decision_id = add_decision(session=session, actor=actor, decision=NewDecision(
            organisation_id=ekbacka, decided=last - 4, what=what, owner=owner, due=last,
            experiment=Experiment((code,), last - 3, last, direction, size)))
        record_outcome(session=session, actor=actor, decision_id=decision_id, outcome=outcome, lesson=lesson)


# Comments the demo editor wrote on Ekbacka's latest figures: shown under the cards, in the detail
# table and in the board pack with who wrote them and when.
DEMO_COMMENTS = (
    ("customer_satisfaction", "Andra kvartalet med sms-enkäten: fler svar, och fler missnöjda hörs nu."),
    ("ideas_delivered", "Bygglovstjänsten frigjorde tid för två nya idéer."),
)


def _add_commentary(session: Session, ids: list[int], figures: list[Figure], last: Quarter,
                    today: dt.date | None) -> None:
    """The demo editor's comments on two of Ekbacka's figures for the last quarter (a revision each)."""
    ekbacka = dict(zip((o.code for o in DEMO_ORGANISATIONS), ids, strict=True))["demo-ekbacka"]
    editor = Actor(username="demo-editor", role="editor", organisation_ids=frozenset({ekbacka}), origin="demo")
    by_code = {m.code: m.id for m in list_metrics(session=session)}
    stored = {(f.organisation_id, f.metric_id, f.quarter): f for f in figures}
    commented = [replace(stored[key], comment=comment) for code, comment in DEMO_COMMENTS
                 if (key := (ekbacka, by_code.get(code), last)) in stored]
    save_figures(session=session, actor=editor, figures=commented, via="demo", today=today)


def _series(
    organisation: NewOrganisation, metric: MetricDefinition, organisation_id: int, first: Quarter
) -> list[Figure]:
    """One organisation's figures for one metric: a trend (up, flat or down), noise and gaps."""
    rng = random.Random(f"{SEED}:{organisation.code}:{metric.code}")
    start, step = _start_and_step(organisation, metric, rng)
    trend = rng.choice((1.0, 1.0, 0.6, 0.0, -0.5))  # more improve than worsen, as in real life
    sign = 1.0 if metric.higher_is_better else -1.0
    figures = []
    for offset in range(QUARTERS):
        if rng.random() < 0.04:
            continue  # a gap: not reported that quarter
        value = start + sign * trend * step * offset + rng.gauss(0, step * 0.8)
        value = _clip(metric, value)
        quarter = first + offset
        status = "measured"
        if offset == QUARTERS - 1 and rng.random() < 0.25:
            status = "preliminary"
        elif rng.random() < 0.05:
            status = "estimated"
        comment = rng.choice(_COMMENTS) if rng.random() < 0.04 or status == "estimated" else ""
        figures.append(Figure(organisation_id, metric.id or 0, quarter, value, status, comment))
    return figures


def _start_and_step(
    organisation: NewOrganisation, metric: MetricDefinition, rng: random.Random
) -> tuple[float, float]:
    if metric.unit_kind == "count":
        size = ((organisation.employees or 1000) / 3000) ** 0.5
        typical = _COUNTS.get(metric.code, 5) * size
        return rng.uniform(0.5, 1.2) * typical, max(typical * 0.06, 0.15)
    if metric.unit_kind == "days":
        low, high, step = _DAYS.get(metric.code, (10.0, 90.0, 2.0))
        return rng.uniform(low, high), step
    low, high, step = _INDEX if metric.unit_kind == "index" else _PERCENT
    return rng.uniform(low, high), step


def _clip(metric: MetricDefinition, value: float) -> float:
    low = metric.min_value if metric.min_value is not None else float("-inf")
    high = metric.max_value if metric.max_value is not None else float("inf")
    value = min(max(value, low), high)
    if metric.unit_kind == "days":
        value = max(value, 1.0)
    return float(round(value)) if metric.whole_number else round(value, metric.decimals)

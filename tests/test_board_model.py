"""The board pack's slide model, the decisions register and figures as of a moment."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select

from data.actors import SYSTEM, Actor, PermissionDenied
from data.as_of import figures_as_of
from data.db import reading, writing
from data.decisions import (
    DecisionRejected,
    NewDecision,
    add_decision,
    last_meeting_decisions,
    list_decisions,
    set_decision_done,
    update_decision,
)
from data.demo import remove_demo
from data.figures import Figure, figures_frame, save_figures
from data.models import AuditEvent, Decision
from data.versioning import read_data_version
from metrics.catalogue import load_builtin_catalogue
from metrics.periods import Quarter
from reports.gather import find_organisation, read_board_pack
from reports.model import SLIDE_KINDS, BoardInputs, DecisionLine, TargetInfo, build_board_pack, hardest_first, metric_lines
from tests.conftest import TODAY

QUARTER = Quarter(2025, 3)
METRICS = [
    m.__class__(**{**m.as_dict(), "id": i}) for i, m in enumerate(load_builtin_catalogue(), start=1)
]
BY_CODE = {m.code: m for m in METRICS}


def frame(rows: list[tuple[str, Quarter, float, str]], organisation_id: int = 1) -> pd.DataFrame:
    return pd.DataFrame([
        {"organisation_id": organisation_id, "metric_id": BY_CODE[code].id, "period": q.index, "value": v,
         "status": status, "comment": "", "version": 1, "updated_at": None, "updated_by": "t"}
        for code, q, v, status in rows
    ])


def inputs(figures: pd.DataFrame, language: str = "sv", **extra) -> BoardInputs:
    return BoardInputs(
        organisation_id=1, organisation_name="Ekbacka kommun", quarter=QUARTER, language=language,
        metrics=METRICS, figures=figures, peer_figures=extra.pop("peer_figures", figures.iloc[0:0]),
        generated=dt.date(2025, 10, 20), **extra,
    )


FIGURES = frame([
    ("customer_satisfaction", QUARTER.previous, 70.0, "measured"), ("customer_satisfaction", QUARTER, 72.5, "measured"),
    ("customer_smiles", QUARTER, 40.0, "preliminary"),
    ("vision_alignment", QUARTER.previous, 50.0, "measured"), ("vision_alignment", QUARTER, 45.0, "measured"),
    ("api_opening_time", QUARTER.previous, 100.0, "measured"), ("api_opening_time", QUARTER, 150.0, "estimated"),
    ("ideas_delivered", QUARTER.previous, 10.0, "measured"), ("ideas_delivered", QUARTER, 12.0, "measured"),
])


def test_slides_follow_the_workshop_agenda_with_the_customer_first_and_the_hardest_next():
    pack = build_board_pack(inputs(FIGURES))
    kinds = [slide.kind for slide in pack.slides]
    assert kinds == ["title", "customer_voice", "changes", "hardest", "hardest", "rest", "follow_up", "summary"]
    assert set(kinds) == set(SLIDE_KINDS)
    title = pack.slides[0]
    assert title.title == "Styrelserapport: Ekbacka kommun, 2025 K3"
    assert "2 värden är uppskattade eller preliminära" in title.bullets
    assert "5 av 18 mätetal rapporterade" in title.bullets
    assert pack.as_of_text == "Aktuella värden per 2025-10-20."
    voice = pack.slides[1]
    assert voice.bullets[0] == "Kundnöjdhet: 72,5\u00a0% (uppmätt), +2,5\u00a0p.e. (bättre) mot föregående kvartal."
    assert [s.name for s in voice.chart.series] == ["Kundnöjdhet", "Leende kunder"]
    assert voice.chart.series[0].y[-2:] == (70.0, 72.5)


def test_without_targets_the_hardest_are_the_metrics_that_worsened_most_relatively():
    # API time +50 % (lower is better) is worse than vision −10 %.
    hardest = [slide for slide in build_board_pack(inputs(FIGURES)).slides if slide.kind == "hardest"]
    assert [s.metric_code for s in hardest] == ["api_opening_time", "vision_alignment"]
    assert hardest[0].title == "Det svåraste först (1/2): Tid att öppna ett API"
    assert "Mål: inget mål satt" in hardest[0].bullets
    assert "Ansvarig: ingen ansvarig angiven" in hardest[0].bullets


def test_with_targets_off_track_comes_before_at_risk_and_least_progress_first():
    targets = {
        "ideas_delivered": TargetInfo(status="off_track", owner="Anna", progress=0.1, target_value=40,
                                      target_quarter=Quarter(2026, 4)),
        "vision_alignment": TargetInfo(status="at_risk", owner="Bo", progress=0.05),
        "customer_smiles": TargetInfo(status="off_track", owner="Cia", progress=0.02),
        "api_opening_time": TargetInfo(status="on_track"),
    }
    lines = metric_lines(inputs(FIGURES, targets=targets))
    assert [line.metric.code for line in hardest_first(lines)] == ["customer_smiles", "ideas_delivered", "vision_alignment"]
    pack = build_board_pack(inputs(FIGURES, targets=targets, language="en"))
    ideas = next(s for s in pack.slides if s.metric_code == "ideas_delivered")
    assert ideas.subtitle == "✗ off track"
    assert "Owner: Anna" in ideas.bullets
    assert "Target: 40 by 2026 Q4" in ideas.bullets
    summary = pack.slides[-1].table
    row = next(r for r in summary.rows if r[0] == "Ideas delivered")
    assert row == ("Ideas delivered", "12", "+2 (better)", "40 by 2026 Q4", "✗ off track")


def test_status_flips_and_movers_and_missing_figures_are_on_the_changes_slide():
    targets = {"vision_alignment": TargetInfo(status="at_risk", previous_status="on_track")}
    changes = build_board_pack(inputs(FIGURES, targets=targets, language="en")).slides[2]
    assert changes.bullets[0] == "Vision alignment: from ✓ on track to ! at risk"
    assert changes.bullets[1].startswith("Biggest improvements: Ideas delivered +2 (better)")
    assert changes.bullets[2].startswith("Biggest setbacks: Time to open an API +50\u00a0days (worse)")
    assert changes.bullets[3].startswith("Figures still missing: Digital maturity, ")


def test_peer_median_is_shown_only_when_enough_measured_peers_reported():
    peers = pd.concat([frame([("vision_alignment", QUARTER, float(v), "measured")], organisation_id=i)
                       for i, v in enumerate((40, 50, 60, 70), start=2)])
    hardest = next(s for s in build_board_pack(inputs(FIGURES, peer_figures=peers)).slides if s.metric_code == "vision_alignment")
    assert "Median i jämförelsegruppen: visas inte (för få uppmätta värden)" in hardest.bullets
    peers = pd.concat([peers, frame([("vision_alignment", QUARTER, 80.0, "measured")], organisation_id=9)])
    hardest = next(s for s in build_board_pack(inputs(FIGURES, peer_figures=peers)).slides if s.metric_code == "vision_alignment")
    assert "Median i jämförelsegruppen: 60,0\u00a0%" in hardest.bullets
    assert hardest.chart.series[-1].y == (60.0,)


def test_follow_up_lists_the_decisions_with_owner_due_quarter_and_done():
    decisions = [DecisionLine("Testa chattbot", "Anna", Quarter(2025, 4), True), DecisionLine("Öppna API", "", None, False)]
    follow_up = next(s for s in build_board_pack(inputs(FIGURES, decisions=decisions)).slides if s.kind == "follow_up")
    assert follow_up.table.rows == (("Testa chattbot", "Anna", "2025 K4", "✓ klart"), ("Öppna API", "–", "–", "✗ ej klart"))
    assert follow_up.subtitle == "1 av 2 klara"
    empty = next(s for s in build_board_pack(inputs(FIGURES)).slides if s.kind == "follow_up")
    assert empty.bullets == ("Inga beslut eller försök registrerades vid förra mötet.",)


def test_speaker_notes_spell_out_the_numbers():
    voice = build_board_pack(inputs(FIGURES, language="en")).slides[1]
    assert "Customer satisfaction: 72.5% (measured), +2.5\u00a0pp (better) from the previous quarter." in voice.notes


# --- the data layer ---------------------------------------------------------------------------


def test_demo_organisations_have_decisions_from_the_last_meeting_and_removal_cleans_them(demo_url):
    last = Quarter.last_completed(TODAY)
    with reading(demo_url) as session:
        organisation = find_organisation(session=session, code="demo-ekbacka")
        decisions = last_meeting_decisions(session=session, organisation_id=organisation.id, quarter=last)
    assert len(decisions) == 3
    assert {d.decided for d in decisions} == {last.previous}
    assert [d.done for d in decisions] == [True, False, False]
    with writing(demo_url) as session:
        remove_demo(session=session, actor=SYSTEM)
    with reading(demo_url) as session:
        assert session.scalar(select(func.count(Decision.id))) == 0


def test_decisions_are_permission_checked_audited_and_bump_the_data_version(demo_url):
    with reading(demo_url) as session:
        organisation = find_organisation(session=session, code="demo-granlunda")
        before = read_data_version(session)
    viewer = Actor("vera", "viewer")
    new = NewDecision(organisation.id, Quarter(2025, 3), "Pröva omvänt mentorskap", "Ledningen", Quarter(2025, 4))
    with pytest.raises(PermissionDenied), writing(demo_url) as session:
        add_decision(session=session, actor=viewer, decision=new)
    early = NewDecision(organisation.id, Quarter(2025, 3), "x", due=Quarter(2025, 1))
    with pytest.raises(DecisionRejected) as rejected, writing(demo_url) as session:
        add_decision(session=session, actor=SYSTEM, decision=early)
    assert rejected.value.key == "decision.due_before_decided"
    editor = Actor("eva", "editor", frozenset({organisation.id}))
    with writing(demo_url) as session:
        decision_id = add_decision(session=session, actor=editor, decision=new)
    with writing(demo_url) as session:
        set_decision_done(session=session, actor=editor, decision_id=decision_id, done=True)
        update_decision(session=session, actor=editor, decision_id=decision_id, what="Pröva omvänt mentorskap i två team",
                        owner="HR", due=Quarter(2026, 1), done=True)
    with reading(demo_url) as session:
        [stored] = list_decisions(session=session, organisation_id=organisation.id)
        query = select(AuditEvent.action).where(AuditEvent.action.like("decision.%")).order_by(AuditEvent.id)
        actions = list(session.scalars(query))
        assert read_data_version(session) == before + 3
    assert (stored.what, stored.owner, stored.due, stored.done) == (
        "Pröva omvänt mentorskap i två team", "HR", Quarter(2026, 1), True)
    assert actions[-3:] == ["decision.add", "decision.done", "decision.update"]


def test_figures_as_of_a_moment_show_the_value_before_a_later_correction(demo_url):
    with reading(demo_url) as session:
        organisation = find_organisation(session=session, code="demo-ekbacka")
        current = figures_frame(session=session, organisation_ids=[organisation.id])
    moment = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    metric_id = BY_CODE["customer_satisfaction"].id
    cell = current[(current["metric_id"] == metric_id) & (current["period"] == QUARTER.index)].iloc[0]
    with writing(demo_url) as session:
        save_figures(session=session, actor=SYSTEM, today=TODAY, via="form", figures=[
            Figure(organisation.id, metric_id, QUARTER, 99.0, "measured", "rättad")])
    with reading(demo_url) as session:
        then = figures_as_of(session=session, moment=moment, organisation_ids=[organisation.id])
        now = figures_as_of(session=session, moment=dt.datetime(2999, 1, 1), organisation_ids=[organisation.id])
        old_pack = read_board_pack(session=session, organisation=organisation, quarter=QUARTER, language="sv", as_of=moment)
        new_pack = read_board_pack(session=session, organisation=organisation, quarter=QUARTER, language="sv")
    columns = ["metric_id", "period", "value", "status"]
    pd.testing.assert_frame_equal(then[columns].sort_values(columns[:2]).reset_index(drop=True),
                                  current[columns].sort_values(columns[:2]).reset_index(drop=True))
    assert now[(now["metric_id"] == metric_id) & (now["period"] == QUARTER.index)]["value"].iloc[0] == 99.0
    assert old_pack.slides[1].bullets[0].startswith(f"Kundnöjdhet: {cell['value']:.1f}".replace(".", ","))
    assert new_pack.slides[1].bullets[0].startswith("Kundnöjdhet: 99,0\u00a0%")
    assert old_pack.as_of_text.startswith("Värden som de stod ")


def test_every_board_key_the_reports_use_is_translated_in_both_languages():
    import re
    from pathlib import Path

    from presentation.i18n import catalogue

    root = Path(__file__).resolve().parents[1]
    used = set()
    for path in [*(root / "reports").glob("*.py"), root / "ui" / "board.py", root / "app_pages" / "board.py"]:
        used |= set(re.findall(r"""["'](board\.[a-z_.]+[a-z_])["']""", path.read_text(encoding="utf-8")))
    used |= {f"board.follow_up.{n}" for n in ("what", "owner", "due", "done")}
    used |= {f"board.download.{k}" for k in ("pdf", "pptx", "xlsx", "csv")}
    assert len(used) > 60
    missing = sorted(key for key in used if key not in catalogue() or set(catalogue()[key]) < {"sv", "en"})
    assert missing == []

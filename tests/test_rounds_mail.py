"""Reminders and the digest against a real SMTP server on 127.0.0.1 (aiosmtpd), on both databases:
recipients, subjects and bodies in Swedish and English, no second reminder, and every failure
(refused recipient, server down, wrong password, silent server) recorded without a crash or a hang."""

from __future__ import annotations

import socket
import time

import pytest
from sqlalchemy import select

from data.accounts import add_account
from data.actors import SYSTEM
from data.db import reading, writing
from data.mail import MailNotSetUp, mail_settings
from data.models import AuditEvent, MailDelivery, Organisation
from data.reminders import set_mail_preferences
from data.signoff import SignOffError, sign_off
from metrics.clock import fixed_today
from metrics.periods import Quarter
from presentation.i18n import translate
from reports.rounds import describe_run, send_digest, send_reminders
from tests.conftest import TODAY
from tests.smtp_support import PASSWORD, USER, free_port, mail_environment, smtp_server

Q3 = Quarter(2025, 3)
REMINDER_SV = """Hej demo-editor!

Sista dag för inrapportering av 2025 K3 är 2025-10-30 (16 dagar för sent).

Ekbacka kommun: 1 av 18 mätetal saknar värde:
  - Omvänt mentorskap

Klarmarkera kvartalet när värdena är klara (eller med en kommentar om vad som saknas).
Registrera värdena under Kvartalsdata: https://effekt.example.se/kvartalsdata

Det här meddelandet skickades automatiskt av Effekt.
"""
DIGEST_SV = """Sammanfattning av 2025 K3 för Granlunda kommun.
Inte klarmarkerad

Mål som bytt status sedan förra kvartalet:
  - Digital mognad: risk → i fas

Mätetal som inte är i fas, det svåraste först:
  - Samverkan i ekosystemet: ej i fas
  - Lyckade projekt: risk

Alla värden är inrapporterade.

Hela underlaget finns under Styrelserapport: https://effekt.example.se/styrelserapport

Det här meddelandet skickades automatiskt av Effekt.
"""


@pytest.fixture(autouse=True)
def _links(monkeypatch):
    monkeypatch.setenv("EFFEKT_BASE_URL", "https://effekt.example.se")


def _remind(url, mail, dry_run=False):
    with fixed_today(TODAY), writing(url) as session:
        return send_reminders(session=session, actor=SYSTEM, quarter=Q3, mail=mail, dry_run=dry_run, today=TODAY)


def _deliveries(url):
    with reading(url) as session:
        return [tuple(r) for r in session.execute(select(MailDelivery.username, MailDelivery.outcome, MailDelivery.error)
                                                  .order_by(MailDelivery.id))]


def _org(url, code):
    with reading(url) as session:
        return session.scalar(select(Organisation.id).where(Organisation.code == code))


def _normalised(body: str) -> str:
    return body.replace("\r\n", "\n")


def test_the_demo_editor_gets_one_reminder_in_swedish_and_a_second_run_sends_none(demo_url):
    with smtp_server() as (port, sink):
        mail = mail_settings(mail_environment(port), {})
        dry = _remind(demo_url, mail, dry_run=True)
        assert describe_run(dry, "sv")[0] == \
            "Skulle skicka till demo-editor <demo-editor@ekbacka.example>: Ekbacka kommun (1 av 18 mätetal saknas)"
        assert sink.received == []
        assert _deliveries(demo_url) == []
        first = _remind(demo_url, mail)
        assert (first.sent, first.failed) == (1, 0)
        assert [(m.sender, m.recipients) for m in sink.received] == [("effekt@effekt.example", ["demo-editor@ekbacka.example"])]
        assert sink.received[0].message["Subject"] == "Effekt: påminnelse om inrapportering för 2025 K3"
        assert _normalised(sink.received[0].body) == REMINDER_SV
        second = _remind(demo_url, mail)
        assert (second.sent, len(sink.received)) == (0, 1)
        assert describe_run(second, "en")[-3:] == [
            "Already reminded recently, skipped: demo-editor", "Nobody to send to.",
            "0 sent, 0 failed, 0 without an e-mail address, 1 already sent."]
    assert _deliveries(demo_url) == [("demo-editor", "sent", "")]


def test_an_english_speaking_editor_gets_the_reminder_in_english(demo_url):
    with writing(demo_url) as session:
        set_mail_preferences(session=session, actor=SYSTEM, username="demo-editor", language="en")
    with smtp_server() as (port, sink):
        _remind(demo_url, mail_settings(mail_environment(port), {}))
    assert sink.received[0].message["Subject"] == "Effekt: reminder to report figures for 2025 Q3"
    body = _normalised(sink.received[0].body)
    assert "The reporting deadline for 2025 Q3 is 30 Oct 2025 (16 days late).\n" in body
    assert "Ekbacka kommun: 1 of 18 metrics have no figure:\n  - Reverse mentoring\n" in body
    assert "Enter the figures under Quarterly data: https://effekt.example.se/kvartalsdata\n" in body


def test_signed_off_organisations_get_no_reminder_and_accounts_without_address_are_listed(demo_url):
    ekbacka, granlunda = _org(demo_url, "demo-ekbacka"), _org(demo_url, "demo-granlunda")
    with writing(demo_url) as session:
        sign_off(session=session, actor=SYSTEM, organisation_id=ekbacka, quarter=Q3, note="Mäts från 2026", today=TODAY)
        add_account(session=session, actor=SYSTEM, username="gun", role="editor", organisation_ids=[granlunda],
                    password="a-long-enough-password")
    with smtp_server() as (port, sink):
        run = _remind(demo_url, mail_settings(mail_environment(port), {}))
    assert sink.received == []
    assert describe_run(run, "sv") == ["Ingen e-postadress, hoppas över: gun", "Ingen att skicka till.",
                                       "0 skickade, 0 misslyckade, 1 utan e-postadress, 0 redan skickade."]
    with reading(demo_url) as session:
        skipped = session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "rounds.reminder_skipped"))
    assert skipped == '{"no_address": ["gun"], "quarter": "2025-Q3"}'


def _second_editor(url):
    with writing(url) as session:
        add_account(session=session, actor=SYSTEM, username="gun", role="editor", password="a-long-enough-password",
                    organisation_ids=[_org(url, "demo-granlunda")], email="gun@granlunda.example")


def test_a_refused_recipient_is_recorded_and_the_other_reminders_still_go(demo_url):
    _second_editor(demo_url)
    with smtp_server(refuse={"demo-editor@ekbacka.example"}) as (port, sink):
        run = _remind(demo_url, mail_settings(mail_environment(port), {}))
    assert [m.recipients for m in sink.received] == [["gun@granlunda.example"]]
    assert (run.sent, run.failed) == (1, 1)
    assert describe_run(run, "sv")[:2] == [
        "Kunde inte skicka till demo-editor <demo-editor@ekbacka.example>: e-postservern vägrade ta emot adressen "
        "(demo-editor@ekbacka.example: 550 5.1.1 No such mailbox here)",
        "Skickat till gun <gun@granlunda.example>"]
    assert _deliveries(demo_url) == [
        ("demo-editor", "failed", "mail.recipient_refused: demo-editor@ekbacka.example: 550 5.1.1 No such mailbox here"),
        ("gun", "sent", "")]
    with reading(demo_url) as session:
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.action.startswith("rounds.reminder"))))
    assert sorted(actions) == ["rounds.reminder_failed", "rounds.reminder_sent"]


def test_a_server_that_is_down_is_recorded_for_every_reminder_and_a_later_run_sends_them(demo_url):
    _second_editor(demo_url)
    port = free_port()
    run = _remind(demo_url, mail_settings(mail_environment(port), {}))
    assert (run.sent, run.failed) == (0, 2)
    assert describe_run(run, "en")[0].startswith(
        "Could not send to demo-editor <demo-editor@ekbacka.example>: the mail server cannot be reached (")
    assert [d[1] for d in _deliveries(demo_url)] == ["failed", "failed"]
    with smtp_server() as (port, sink):
        again = _remind(demo_url, mail_settings(mail_environment(port), {}))
    assert again.sent == 2
    assert len(sink.received) == 2


def test_wrong_credentials_are_a_clear_message_and_the_right_ones_send(demo_url):
    with smtp_server(with_login=True) as (port, sink):
        wrong = _remind(demo_url, mail_settings(mail_environment(port, EFFEKT_SMTP_USER=USER,
                                                                 EFFEKT_SMTP_PASSWORD="not-it"), {}))
        assert describe_run(wrong, "sv")[0] == (
            "Kunde inte skicka till demo-editor <demo-editor@ekbacka.example>: e-postservern godtog inte användarnamnet "
            "eller lösenordet (EFFEKT_SMTP_USER, EFFEKT_SMTP_PASSWORD) (535 5.7.8 Authentication credentials invalid)")
        right = _remind(demo_url, mail_settings(mail_environment(port, EFFEKT_SMTP_USER=USER,
                                                                 EFFEKT_SMTP_PASSWORD=PASSWORD), {}))
    assert (wrong.failed, right.sent, len(sink.received)) == (1, 1, 1)


def test_a_server_that_never_answers_times_out_instead_of_hanging(demo_url):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)  # accepts the connection in the kernel, never sends a greeting
        started = time.monotonic()
        run = _remind(demo_url, mail_settings(mail_environment(silent.getsockname()[1], EFFEKT_SMTP_TIMEOUT="1"), {}))
    assert time.monotonic() - started < 10
    assert describe_run(run, "en")[0].startswith(
        "Could not send to demo-editor <demo-editor@ekbacka.example>: the mail server did not answer in time")


def test_without_mail_settings_nothing_is_sent_and_the_message_says_so(demo_url):
    with pytest.raises(MailNotSetUp) as refused:
        mail_settings({}, {})
    assert translate(refused.value.key, "en") == \
        "Mail is not set up (EFFEKT_SMTP_HOST and EFFEKT_MAIL_FROM are missing); nothing was sent."
    with pytest.raises(MailNotSetUp):
        _remind(demo_url, None)
    assert _deliveries(demo_url) == []


def _digest(url, mail, dry_run=False, today=TODAY):
    with fixed_today(today), writing(url) as session:
        return send_digest(session=session, actor=SYSTEM, quarter=Q3, mail=mail, dry_run=dry_run, today=today)


def test_the_demo_digest_goes_to_the_subscriber_once_with_flips_hardest_first_and_what_is_missing(demo_url):
    with smtp_server() as (port, sink):
        mail = mail_settings(mail_environment(port), {})
        run = _digest(demo_url, mail)
        again = _digest(demo_url, mail)
    assert [m.recipients for m in sink.received] == [["demo-viewer@granlunda.example"]]
    assert sink.received[0].message["Subject"] == "Effekt: sammanfattning för Granlunda kommun, 2025 K3"
    assert _normalised(sink.received[0].body) == DIGEST_SV
    assert (run.sent, again.sent, len(again.plan.held)) == (1, 0, 1)


def test_the_digest_in_english_and_not_before_the_deadline(demo_url):
    with writing(demo_url) as session:
        set_mail_preferences(session=session, actor=SYSTEM, username="demo-viewer", language="en")
    run = _digest(demo_url, None, dry_run=True)
    body = run.messages[0][1].body
    assert run.messages[0][1].subject == "Effekt: digest for Granlunda kommun, 2025 Q3"
    assert "Targets whose status changed since the previous quarter:\n  - Digital maturity: at risk → on track\n" in body
    assert "Metrics not on track, the hardest first:\n  - Ecosystem collaborations: off track\n" in body
    import datetime as dt

    with pytest.raises(SignOffError) as refused:
        _digest(demo_url, None, dry_run=True, today=dt.date(2025, 10, 20))
    assert translate(refused.value.key, "en", **refused.value.params) == \
        "The digest for 2025 Q3 is sent only after the reporting deadline (2025-10-30)."

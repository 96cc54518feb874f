"""The words of a reporting round: reminder and digest e-mails, composed in each person's language,
and one run (plan, compose, send, record) that the CLI and the administrators' button share.

The digest uses the same rules as the board pack: targets assessed by ``reports.model.target_infos``
(through ``board_inputs``), "hardest first" from ``metrics.changes.hardest_first``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from data.actors import Actor
from data.catalogue_store import list_metrics
from data.deadlines import Deadline
from data.mail import Delivery, MailNotSetUp, MailSettings, Message, deliver
from data.reminders import MailPlan, Outcome, Recipient, plan_digest, plan_reminders, record_outcomes
from data.settings import get_settings
from data.signoff import SignOffInfo, signoff_of
from metrics import clock
from metrics.catalogue import MetricDefinition
from metrics.periods import Quarter
from presentation.formatting import format_date
from presentation.i18n import translate
from reports.model import BoardInputs, hardest_first, metric_lines

ENTRY_PATH = "kvartalsdata"
BOARD_PATH = "styrelserapport"


@dataclass(frozen=True)
class MailRun:
    plan: MailPlan
    messages: tuple[tuple[Recipient, Message], ...]
    outcomes: tuple[Outcome, ...]  # empty on a dry run
    dry_run: bool
    metric_count: int = 0

    @property
    def sent(self) -> int:
        return sum(1 for o in self.outcomes if o.sent)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if not o.sent)


def when_text(deadline: Deadline, today: dt.date, language: str) -> str:
    """"12 dagar kvar" / "3 dagar sen" / "sista dag i dag": one wording for the page and the e-mails."""
    days = deadline.days_left(today)
    if days == 0:
        return translate("rounds.due_today", language)
    return translate("rounds.days_left" if days > 0 else "rounds.days_late", language, days=abs(days))


def signoff_text(info: SignOffInfo | None, language: str) -> str:
    if info is None:
        return translate("rounds.not_signed_off_short", language)
    return translate("rounds.signed_off_by", language, who=info.signed_by, date=format_date(info.signed_at.date(), language))


def _link(path: str) -> str:
    base = get_settings().base_url
    return f"{base}/{path}" if base else ""


def _metric_names(ids: Sequence[int], metrics: dict[int, MetricDefinition], language: str) -> list[str]:
    return [metrics[i].name(language) for i in ids if i in metrics]


def reminder_message(recipient: Recipient, plan: MailPlan, metrics: dict[int, MetricDefinition],
                     today: dt.date) -> Message:
    """What is missing per organisation, the deadline, and a link to Kvartalsdata, in the person's language."""
    lang = recipient.language
    quarter = plan.quarter.label(lang)
    lines = [translate("mail.reminder.greeting", lang, username=recipient.username), "",
             translate("mail.reminder.deadline", lang, quarter=quarter, date=format_date(plan.deadline.due, lang),
                       when=when_text(plan.deadline, today, lang)), ""]
    for organisation in recipient.organisations:
        names = _metric_names(organisation.missing_metric_ids, metrics, lang)
        if names:
            lines.append(translate("mail.reminder.organisation_missing", lang, organisation=organisation.name,
                                   count=len(names), total=len(metrics)))
            lines += [f"  - {name}" for name in names]
        else:
            lines.append(translate("mail.reminder.organisation_complete", lang, organisation=organisation.name))
        lines.append("")
    link = _link(ENTRY_PATH)
    lines += [translate("mail.reminder.sign_off", lang),
              translate("mail.reminder.link", lang, link=link) if link else translate("mail.reminder.no_link", lang),
              "", translate("mail.footer", lang)]
    return Message(recipient.address or "", translate("mail.reminder.subject", lang, quarter=quarter), "\n".join(lines))


def run_mail(*, session: Session, actor: Actor, plan: MailPlan, messages: Sequence[tuple[Recipient, Message]],
             mail: MailSettings | None, dry_run: bool, metric_count: int) -> MailRun:
    """Send (unless a dry run) and record every outcome; without mail settings nothing is sent."""
    if dry_run:
        return MailRun(plan, tuple(messages), (), True, metric_count)
    if mail is None:
        raise MailNotSetUp()
    deliveries = deliver(mail, [m for _, m in messages])
    outcomes = tuple(Outcome(r, d.sent, _error(d)) for (r, _), d in zip(messages, deliveries, strict=True))
    record_outcomes(session=session, actor=actor, plan=plan, outcomes=outcomes)
    return MailRun(plan, tuple(messages), outcomes, False, metric_count)


def _error(delivery: Delivery) -> str:
    return "" if delivery.sent else f"{delivery.key}: {delivery.detail}".strip()


def send_reminders(*, session: Session, actor: Actor, quarter: Quarter, mail: MailSettings | None,
                   dry_run: bool = False, today: dt.date | None = None) -> MailRun:
    """Remind the editors of organisations that have not signed off (administrators only)."""
    day = today or clock.today()
    plan = plan_reminders(session=session, actor=actor, quarter=quarter, today=day)
    metrics = {m.id or 0: m for m in list_metrics(session=session)}
    messages = [(r, reminder_message(r, plan, metrics, day)) for r in plan.due]
    return run_mail(session=session, actor=actor, plan=plan, messages=messages, mail=mail, dry_run=dry_run,
                    metric_count=len(metrics))


def digest_message(*, session: Session, recipient: Recipient, plan: MailPlan, today: dt.date,
                   attach_pdf: bool) -> Message:
    """The quarter for management: target status flips, what is not on track (hardest first),
    what is missing, a link to Styrelserapport, optionally the board pack as a PDF."""
    from reports.gather import board_inputs, find_organisation
    from reports.model import build_board_pack

    lang, due = recipient.language, recipient.organisations[0]
    organisation = find_organisation(session=session, code=due.code)
    inputs = board_inputs(session=session, organisation=organisation, quarter=plan.quarter, language=lang, today=today)
    quarter = plan.quarter.label(lang)
    lines = [translate("mail.digest.intro", lang, quarter=quarter, organisation=organisation.name),
             signoff_text(signoff_of(session=session, organisation_id=organisation.id, quarter=plan.quarter), lang), ""]
    lines += _digest_targets(inputs, lang)
    names = _metric_names(due.missing_metric_ids, {m.id or 0: m for m in inputs.metrics}, lang)
    lines += [translate("mail.digest.missing" if names else "mail.digest.none_missing", lang),
              *(f"  - {n}" for n in names), ""]
    link = _link(BOARD_PATH)
    lines.append(translate("mail.digest.link", lang, link=link) if link else translate("mail.digest.no_link", lang))
    attachments: tuple[tuple[str, bytes, str], ...] = ()
    if attach_pdf:
        from reports.export import file_name, render_pack

        pack = build_board_pack(inputs)
        attachments = ((file_name(pack, organisation.code, "pdf"), render_pack(pack, "pdf"), "application/pdf"),)
        lines.append(translate("mail.digest.attached", lang))
    lines += ["", translate("mail.footer", lang)]
    subject = translate("mail.digest.subject", lang, organisation=organisation.name, quarter=quarter)
    return Message(recipient.address or "", subject, "\n".join(lines), attachments)


def _digest_targets(inputs: BoardInputs, lang: str) -> list[str]:
    """Status flips since the previous quarter, then the metrics at risk or off track, hardest first
    (the board pack's order: :func:`reports.model.hardest_first`)."""
    def status(code: str | None) -> str:
        return translate(f"target.status.{code or 'no_data'}", lang)
    targets = inputs.targets
    flips = [f"  - {m.name(lang)}: {status(t.previous_status)} → {status(t.status)}"
             for m in inputs.metrics if (t := targets.get(m.code)) and t.previous_status and t.status != t.previous_status]
    lines = [translate("mail.digest.changed" if flips else "mail.digest.no_changes", lang), *flips, ""]
    worst = [f"  - {line.metric.name(lang)}: {status(line.target.status)}" for line in hardest_first(metric_lines(inputs))
             if line.target.status in ("off_track", "at_risk")]
    return [*lines, translate("mail.digest.off_track" if worst else "mail.digest.none_off_track", lang), *worst, ""]


def send_digest(*, session: Session, actor: Actor, quarter: Quarter, mail: MailSettings | None,
                dry_run: bool = False, today: dt.date | None = None) -> MailRun:
    """The digest to every subscriber of every organisation, after the deadline (administrators only)."""
    day = today or clock.today()
    plan = plan_digest(session=session, actor=actor, quarter=quarter, today=day)
    attach = get_settings().digest_attach_pdf and not dry_run
    messages = [(r, digest_message(session=session, recipient=r, plan=plan, today=day, attach_pdf=attach))
                for r in plan.due]
    return run_mail(session=session, actor=actor, plan=plan, messages=messages, mail=mail, dry_run=dry_run,
                    metric_count=len(list_metrics(session=session)))


def describe_run(run: MailRun, language: str) -> list[str]:
    """The lines the CLI prints and the button shows: who would get / got what, who was skipped."""
    lines = []
    if run.dry_run:
        for recipient, _ in run.messages:
            what = ", ".join(f"{o.name} ({_missing_text(o.missing_metric_ids, run.metric_count, language)})"
                             for o in recipient.organisations)
            lines.append(translate("rounds.would_send", language, username=recipient.username,
                                   address=recipient.address, organisations=what))
    for outcome in run.outcomes:
        r = outcome.recipient
        lines.append(translate("rounds.sent_to", language, username=r.username, address=r.address) if outcome.sent else
                     translate("rounds.failed_to", language, username=r.username, address=r.address,
                               reason=_reason(outcome.error, language)))
    lines += [translate("rounds.no_address", language, username=r.username) for r in run.plan.without_address]
    held_key = "rounds.held" if run.plan.kind == "reminder" else "rounds.digest_held"
    lines += [translate(held_key, language, username=r.username, organisation=r.organisations[0].name)
              for r in run.plan.held]
    if not run.messages:
        lines.append(translate("rounds.nobody", language))
    lines.append(translate("rounds.mail_summary", language, sent=run.sent, failed=run.failed,
                           skipped=len(run.plan.without_address), held=len(run.plan.held)))
    return lines


def _missing_text(missing: Sequence[int], total: int, language: str) -> str:
    if not missing:
        return translate("rounds.complete", language)
    return translate("rounds.missing_count", language, count=len(missing), total=total)


def _reason(error: str, language: str) -> str:
    key, _, detail = error.partition(":")
    return f"{translate(key, language)} ({detail.strip()})" if detail.strip() else translate(key, language)

"""The reporting-round commands of cli.py: signoff, reopen, deadline, remind, digest, mail-preferences.

Exit codes as in cli.py: 0 success, 1 data errors (a refusal, a locked or future quarter, mail
failures), 2 usage errors (a malformed quarter or date, an unknown organisation).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.db import writing
from data.deadlines import deadline_for, set_deadline
from data.mail import MailNotSetUp, MailSettings, mail_settings
from data.migrate import upgrade
from data.models import Account
from data.organisations import list_organisations
from data.reminders import set_mail_preferences
from data.settings import get_settings
from data.signoff import quarter_params, reopen, sign_off
from metrics.errors import EffektError
from metrics.periods import Quarter, QuarterError
from presentation.i18n import translate

ActingActor = Callable[[argparse.Namespace], Actor]


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                 acting: argparse.ArgumentParser, actor_of: ActingActor) -> None:
    """Register the commands; ``acting`` is cli.py's ``--as`` parent parser, ``actor_of`` resolves it."""
    def add(name: str, help_text: str, handler: Callable[[argparse.Namespace, Actor], int]) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text, parents=[acting])
        parser.set_defaults(handler=lambda args: _guarded(args, handler, actor_of))
        return parser

    signoff = add("signoff", "sign off an organisation's quarter (locks its figures)", _signoff)
    signoff.add_argument("--organisation", required=True, help="organisation code")
    signoff.add_argument("--quarter", required=True)
    signoff.add_argument("--note", default="", help="required when figures are missing: what and why")
    again = add("reopen", "reopen a signed-off quarter (administrators)", _reopen)
    again.add_argument("--organisation", required=True, help="organisation code")
    again.add_argument("--quarter", required=True)
    again.add_argument("--reason", required=True)
    deadline = add("deadline", "show or set a quarter's reporting deadline", _deadline)
    deadline.add_argument("--quarter", required=True)
    deadline.add_argument("--date", help="the deadline (YYYY-MM-DD); 'default' goes back to the default")
    for name, help_text, handler in (("remind", "e-mail reminders to editors who have not signed off", _remind),
                                     ("digest", "e-mail the quarter's digest to the accounts that opted in", _digest)):
        mailer = add(name, help_text, handler)
        mailer.add_argument("--quarter", required=True)
        mailer.add_argument("--dry-run", action="store_true", help="list who would get what; send nothing")
    prefs = add("mail-preferences", "an account's e-mail language and digest opt-in", _preferences)
    prefs.add_argument("name")
    prefs.add_argument("--mail-language", dest="mail_language", choices=("sv", "en"),
                       help="the language of the person's reminders and digest")
    prefs.add_argument("--digest", choices=("on", "off"))


def _guarded(args: argparse.Namespace, handler: Callable[[argparse.Namespace, Actor], int],
             actor_of: ActingActor) -> int:
    """Usage errors exit 2, refused data exit 1, each with a translated message (no traceback)."""
    try:
        Quarter.parse(args.quarter) if getattr(args, "quarter", None) else None
    except QuarterError as error:
        print(translate("cli.bad_quarter", args.language, quarter=error.text), file=sys.stderr)
        return 2
    upgrade(args.database)
    try:
        return handler(args, actor_of(args))
    except EffektError as error:
        print(translate(error.key, args.language, **error.params), file=sys.stderr)
        return 1


def _organisation_id(args: argparse.Namespace, session: Session) -> int | None:
    for organisation in list_organisations(session=session, include_inactive=True):
        if organisation.code == args.organisation:
            return organisation.id
    print(translate("cli.unknown_organisation", args.language, organisation=args.organisation), file=sys.stderr)
    return None


def _signoff(args: argparse.Namespace, actor: Actor) -> int:
    return _on_organisation(args, "rounds.cli.signed_off", lambda session, organisation_id: sign_off(
        session=session, actor=actor, organisation_id=organisation_id, quarter=Quarter.parse(args.quarter),
        note=args.note).missing)


def _reopen(args: argparse.Namespace, actor: Actor) -> int:
    return _on_organisation(args, "rounds.reopened_done", lambda session, organisation_id: reopen(
        session=session, actor=actor, organisation_id=organisation_id, quarter=Quarter.parse(args.quarter),
        reason=args.reason).missing)


def _on_organisation(args: argparse.Namespace, done_key: str, action: Callable[[Session, int], int]) -> int:
    """Sign off or reopen one organisation's quarter in one unit of work, then say so."""
    with writing(args.database) as session:
        organisation_id = _organisation_id(args, session)
        if organisation_id is None:
            return 2
        missing = action(session, organisation_id)
    print(translate(done_key, args.language, **quarter_params(Quarter.parse(args.quarter)),
                    organisation=args.organisation, missing=missing))
    return 0


def _deadline(args: argparse.Namespace, actor: Actor) -> int:
    quarter = Quarter.parse(args.quarter)
    try:
        due = None if args.date in (None, "default") else dt.date.fromisoformat(args.date)
    except ValueError:
        print(translate("rounds.cli.bad_date", args.language, date=args.date), file=sys.stderr)
        return 2
    with writing(args.database) as session:
        deadline = set_deadline(session=session, actor=actor, quarter=quarter, due=due) if args.date \
            else deadline_for(session=session, quarter=quarter)
    source = translate("rounds.cli.deadline_set", args.language, who=deadline.set_by) if deadline.set_by else \
        translate("rounds.cli.deadline_default", args.language, days=get_settings().deadline_days)
    print(translate("rounds.cli.deadline", args.language, quarter=quarter.label(args.language),
                    date=deadline.due.isoformat(), source=source))
    return 0


def _mail_or_none(dry_run: bool) -> MailSettings | None:
    """A dry run needs no mail settings; a real run without them is refused with a message."""
    try:
        return mail_settings()
    except MailNotSetUp:
        if dry_run:
            return None
        raise


def _remind(args: argparse.Namespace, actor: Actor) -> int:
    return _send(args, actor, "reminders")


def _digest(args: argparse.Namespace, actor: Actor) -> int:
    return _send(args, actor, "digest")


def _send(args: argparse.Namespace, actor: Actor, what: str) -> int:
    from reports.rounds import describe_run, send_digest, send_reminders

    mail = _mail_or_none(args.dry_run)
    run_function = send_reminders if what == "reminders" else send_digest
    with writing(args.database) as session:
        run = run_function(session=session, actor=actor, quarter=Quarter.parse(args.quarter), mail=mail,
                           dry_run=args.dry_run)
    for line in describe_run(run, args.language):
        print(line)
    return 1 if run.failed else 0


def _preferences(args: argparse.Namespace, actor: Actor) -> int:
    with writing(args.database) as session:
        set_mail_preferences(session=session, actor=actor, username=args.name, language=args.mail_language,
                             digest=None if args.digest is None else args.digest == "on")
        row = session.scalars(select(Account).where(Account.username == args.name.strip().lower())).one()
        print(translate("rounds.cli.preferences", args.language, username=row.username, mail_language=row.language,
                        digest=translate("yes" if row.digest else "no", args.language)))
    return 0

"""The event commands of cli.py: ``event add``, ``event list``, ``event remove``.

Exit codes as in cli.py: 0 success, 1 data errors (a refusal, an invalid event), 2 usage errors
(a malformed quarter, an unknown organisation).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from sqlalchemy.orm import Session

from data.actors import Actor
from data.db import reading, writing
from data.events import EventRejected, NewEvent, add_event, list_events, remove_event
from data.migrate import upgrade
from data.models import EVENT_KINDS
from data.organisations import list_organisations
from metrics.periods import Quarter, QuarterError
from presentation.i18n import translate

ActingActor = Callable[[argparse.Namespace], Actor]


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                 acting: argparse.ArgumentParser, actor_of: ActingActor) -> None:
    """Register ``event``; ``acting`` is cli.py's ``--as`` parent parser, ``actor_of`` resolves it."""
    event = commands.add_parser("event", help="events on the timeline: add, list, remove")
    actions = event.add_subparsers(dest="event_command", required=True)
    add = actions.add_parser("add", help="add an event to an organisation's timeline", parents=[acting])
    add.add_argument("--organisation", required=True, help="organisation code")
    add.add_argument("--quarter", required=True, help="quarter, e.g. 2025-Q2")
    add.add_argument("--title", required=True)
    add.add_argument("--metric", help="metric code (default: all the organisation's metrics)")
    add.add_argument("--kind", default="other", help=f"one of {', '.join(EVENT_KINDS)}")
    add.add_argument("--note", default="")
    add.set_defaults(handler=lambda args: _guarded(args, _add, actor_of))
    listing = actions.add_parser("list", help="list events (of one organisation)")
    listing.add_argument("--organisation", help="organisation code")
    listing.set_defaults(handler=_list)
    remove = actions.add_parser("remove", help="remove event ID", parents=[acting])
    remove.add_argument("id", type=int)
    remove.set_defaults(handler=lambda args: _guarded(args, _remove, actor_of))


def _guarded(args: argparse.Namespace, handler: Callable[[argparse.Namespace, Actor], int],
             actor_of: ActingActor) -> int:
    """An invalid event exits 1 with its translated message; refusals are cli.py's (exit 1, audited)."""
    upgrade(args.database)
    try:
        return handler(args, actor_of(args))
    except EventRejected as error:
        print(translate(error.key, args.language, **error.params), file=sys.stderr)
        return 1


def _organisation_id(args: argparse.Namespace, session: Session) -> int | None:
    wanted = args.organisation.strip().lower()
    for organisation in list_organisations(session=session, include_inactive=True):
        if organisation.code.lower() == wanted:
            return organisation.id
    print(translate("cli.unknown_organisation", args.language, organisation=args.organisation), file=sys.stderr)
    return None


def _add(args: argparse.Namespace, actor: Actor) -> int:
    try:
        quarter = Quarter.parse(args.quarter)
    except QuarterError as error:
        print(translate("cli.bad_quarter", args.language, quarter=error.text), file=sys.stderr)
        return 2
    with writing(args.database) as session:
        organisation_id = _organisation_id(args, session)
        if organisation_id is None:
            return 2
        event_id = add_event(session=session, actor=actor, event=NewEvent(
            organisation_id=organisation_id, quarter=quarter, title=args.title, kind=args.kind,
            note=args.note, metric_code=args.metric or None))
    print(translate("event.cli.added", args.language, id=event_id, quarter=str(quarter), title=args.title.strip()))
    return 0


def _list(args: argparse.Namespace) -> int:
    upgrade(args.database)
    with reading(args.database) as session:
        codes = {o.id: o.code for o in list_organisations(session=session, include_inactive=True)}
        wanted = None
        if args.organisation:
            organisation_id = _organisation_id(args, session)
            if organisation_id is None:
                return 2
            wanted = {organisation_id}
        events = list_events(session=session, organisation_ids=wanted)
    for e in events:
        print(f"{e.id}\t{codes.get(e.organisation_id, '')}\t{e.quarter}\t{e.kind}\t{e.metric_code or '-'}\t{e.title}")
    return 0


def _remove(args: argparse.Namespace, actor: Actor) -> int:
    with writing(args.database) as session:
        removed = remove_event(session=session, actor=actor, event_id=args.id)
    print(translate("event.cli.removed", args.language, id=removed.id, quarter=str(removed.quarter),
                    title=removed.title))
    return 0

"""The command line's Sweden commands: ``register load``, ``register peer-groups FILE`` and
``kolada population``. Kept beside cli.py, which adds them with :func:`add_sweden_commands`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from data.actors import Actor
from data.db import writing
from data.kolada import KoladaClient, KoladaError, refresh_population
from data.migrate import upgrade
from data.register import REGISTER_KINDS, load_register, set_peer_groups
from data.settings import get_settings
from metrics import clock
from presentation.i18n import describe_problem, translate

ActorOf = Callable[[argparse.Namespace], Actor]


def add_sweden_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], acting: argparse.ArgumentParser, actor_of: ActorOf
) -> None:
    register = commands.add_parser("register", help="Sweden's municipalities and regions; SKR's municipality groups")
    actions = register.add_subparsers(dest="register_command", required=True)
    load = actions.add_parser("load", help="add the missing municipalities and regions", parents=[acting])
    load.add_argument("--kind", choices=REGISTER_KINDS, help="only municipalities or only regions (default: both)")
    load.set_defaults(handler=lambda args: _register_load(args, actor_of))
    groups = actions.add_parser("peer-groups", help="set peer groups from SKR's spreadsheet (XLSX or CSV)",
                                parents=[acting])
    groups.add_argument("path", type=Path)
    groups.add_argument("--sheet", help="the XLSX sheet to read (default: the first)")
    groups.set_defaults(handler=lambda args: _peer_groups(args, actor_of))
    kolada = commands.add_parser("kolada", help="figures from Kolada's open API")
    fetches = kolada.add_subparsers(dest="kolada_command", required=True)
    population = fetches.add_parser("population", help="fetch population (N01951) for the register's organisations",
                                    parents=[acting])
    population.add_argument("--year", type=int, help="the year (default: last year)")
    population.set_defaults(handler=lambda args: _population(args, actor_of))


def _register_load(args: argparse.Namespace, actor_of: ActorOf) -> int:
    upgrade(args.database)
    actor = actor_of(args)
    with writing(args.database) as session:
        result = load_register(session=session, actor=actor, kinds=(args.kind,) if args.kind else REGISTER_KINDS)
    print(translate("sweden.register_loaded", args.language, added=result.added, changed=result.changed,
                    unchanged=result.unchanged))
    return 0


def _peer_groups(args: argparse.Namespace, actor_of: ActorOf) -> int:
    if not args.path.is_file():
        print(translate("cli.no_such_file", args.language, path=str(args.path)), file=sys.stderr)
        return 2
    upgrade(args.database)
    actor = actor_of(args)
    with writing(args.database) as session:
        result = set_peer_groups(session=session, actor=actor, content=args.path.read_bytes(),
                                 file_name=args.path.name, sheet=args.sheet)
    for problem in result.problems:
        print(describe_problem(problem, args.language), file=sys.stderr)
    if not result.ok:
        return 1
    print(translate("sweden.peer_groups_set", args.language, rows=result.rows, changed=result.changed))
    return 0


def _population(args: argparse.Namespace, actor_of: ActorOf) -> int:
    year = args.year if args.year is not None else clock.today().year - 1
    if not 1000 <= year <= 9999:
        print(translate("sweden.bad_year", args.language), file=sys.stderr)
        return 2
    upgrade(args.database)
    actor = actor_of(args)
    try:
        result = refresh_population(args.database, actor=actor, year=year,
                                    client=KoladaClient(get_settings().kolada_url))
    except KoladaError as error:
        print(translate(error.key, args.language, **error.params), file=sys.stderr)
        return 1
    print(translate("sweden.population_set", args.language, year=str(year), changed=result.changed,
                    unchanged=result.unchanged))
    if result.missing:
        print(translate("sweden.population_missing", args.language, year=str(year), codes=", ".join(result.missing)),
              file=sys.stderr)
    return 0

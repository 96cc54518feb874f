"""Effekt on the command line: init, demo, import, export, backup, restore, user, token, report, serve,
register, kolada, and the reporting rounds (deadline, signoff, reopen, remind, digest).

Exit codes: 0 success, 1 data errors (reported on stderr, nothing written), 2 usage errors.
Messages use the same translations as the app (``--language``, default Swedish).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

import cli_events
import cli_rounds
from cli_sweden import add_sweden_commands
from data.accounts import actor_for, add_account, list_accounts, reset_password, set_active
from data.actors import ROLES, SYSTEM, AccountError, Actor
from data.api_tokens import create_token, list_tokens, revoke_token
from data.backup import BackupError, backup_database, describe_backup, restore_database, sqlite_path
from data.bootstrap import prepare_database
from data.db import reading, writing
from data.demo import load_demo, remove_demo
from data.exporter import events_frame, long_format_frame, to_csv_bytes, to_xlsx_bytes
from data.figures import FigureRejected
from data.importing.committing import import_file
from data.importing.planning import plan_import
from data.migrate import UnknownSchemaError, upgrade
from data.organisations import list_organisations
from data.settings import get_settings
from metrics import clock
from metrics.errors import EffektError
from metrics.periods import Quarter, QuarterError
from presentation.i18n import describe_problem, translate


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except UnknownSchemaError as error:
        print(str(error), file=sys.stderr)
        return 2
    except EffektError as error:
        print(translate(error.key, args.language, **error.params), file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cli.py", description="Effekt: effect metrics for digitalisation.")
    parser.add_argument("--database", help="database URL (default: DATABASE_URL or effekt.db)")
    parser.add_argument("--language", choices=("sv", "en"), default="sv")
    commands = parser.add_subparsers(dest="command", required=True)
    _add_data_commands(commands)
    _add_user_commands(commands)
    add_sweden_commands(commands, acting_parser(), acting_actor)
    _add_serve_command(commands)
    _add_token_commands(commands)
    _add_file_commands(commands)
    cli_rounds.add_commands(commands, acting_parser(), acting_actor)
    return parser


def _add_data_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The database and its figures: init, demo, import, export."""
    init = commands.add_parser("init", help="create or upgrade the database and the metric catalogue")
    init.set_defaults(handler=_init)

    demo = commands.add_parser("demo", help="load the demo data (or remove it with --remove)", parents=[acting_parser()])
    demo.add_argument("--remove", action="store_true")
    demo.set_defaults(handler=_demo)

    imp = commands.add_parser("import", help="import figures from a CSV or XLSX file in the long format",
                              parents=[acting_parser()])
    imp.add_argument("path", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="validate and show the plan; write nothing")
    imp.add_argument("--sheet", help="the XLSX sheet to read (default: the first)")
    imp.set_defaults(handler=_import)

    exp = commands.add_parser("export", help="export figures in the long format (.csv or .xlsx)")
    exp.add_argument("path", type=Path)
    exp.add_argument("--organisation", help="only this organisation (code or exact name)")
    exp.add_argument("--from", dest="first", help="first quarter, e.g. 2024-Q1")
    exp.add_argument("--to", dest="last", help="last quarter, e.g. 2025-Q2")
    exp.set_defaults(handler=_export)


def _add_file_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Whole files: the SQLite backup and restore, and a board pack written to disk."""
    backup = commands.add_parser("backup", help="copy the SQLite database to PATH while the app runs")
    backup.add_argument("path", type=Path)
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser("restore", help="replace the SQLite database with the backup at PATH")
    restore.add_argument("path", type=Path)
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation (for scripts)")
    restore.set_defaults(handler=_restore)

    report = commands.add_parser("report", help="write an organisation's board pack (PDF or PPTX) for a quarter")
    report.add_argument("--organisation", required=True, help="organisation code")
    report.add_argument("--quarter", required=True, help="quarter, e.g. 2025-Q4")
    report.add_argument("--format", choices=("pdf", "pptx"), required=True, dest="file_format")
    report.add_argument("--out", type=Path, required=True)
    report.add_argument("--as-of", dest="as_of", help="figures as they stood at the end of this day (YYYY-MM-DD)")
    report.set_defaults(handler=_report)
    cli_events.add_commands(commands, acting_parser(), acting_actor)


def _add_serve_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="run the app (dashboard, sign-in page, API, open data) under uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8501)
    serve.set_defaults(handler=_serve)


def _add_token_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    token = commands.add_parser("token", help="API tokens: add, list, revoke")
    actions = token.add_subparsers(dest="token_command", required=True)
    add = actions.add_parser("add", help="make a token for ACCOUNT (printed once, as the last line)",
                             parents=[acting_parser()])
    add.add_argument("account")
    add.add_argument("--name", required=True, help="what uses it, e.g. the survey tool")
    add.add_argument("--expires", type=_iso_date, metavar="YYYY-MM-DD", help="the last day the token works")
    add.set_defaults(handler=_token_add)
    listing = actions.add_parser("list", help="list tokens (of ACCOUNT)", parents=[acting_parser()])
    listing.add_argument("account", nargs="?")
    listing.set_defaults(handler=_token_list)
    revoke = actions.add_parser("revoke", help="revoke token ID at once", parents=[acting_parser()])
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=_token_revoke)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from error


def _token_add(args: argparse.Namespace) -> int:
    upgrade(args.database)
    actor = acting_actor(args)
    with writing(args.database) as session:
        info, secret = create_token(session=session, actor=actor, username=args.account, name=args.name,
                                    expires_on=args.expires)
    print(translate("api.cli_token_added", args.language, id=info.id, username=info.username, name=info.name))
    print(secret)
    return 0


def _token_list(args: argparse.Namespace) -> int:
    upgrade(args.database)
    actor = acting_actor(args)
    with writing(args.database) as session:  # writing: a refusal is audited
        tokens = list_tokens(session=session, actor=actor, username=args.account)
    today = clock.today()
    for info in tokens:
        used = info.last_used_at.isoformat(timespec="minutes") if info.last_used_at else "-"
        expires = info.expires_on.isoformat() if info.expires_on else "-"
        print(f"{info.id}\t{info.username}\t{info.name}\t{info.state(today)}\t{expires}\t{used}")
    return 0


def _token_revoke(args: argparse.Namespace) -> int:
    upgrade(args.database)
    actor = acting_actor(args)
    with writing(args.database) as session:
        info = revoke_token(session=session, actor=actor, token_id=args.id)
    print(translate("api.cli_token_revoked", args.language, id=info.id, username=info.username, name=info.name))
    return 0


def _serve(args: argparse.Namespace) -> int:
    """The one ASGI app (web/app.py) in this process. The database is prepared first, as the
    dashboard's first run would (migrated; the demo loaded when empty), so the API and the token
    commands work before anyone has opened a browser."""
    import os

    import uvicorn

    if args.database:
        os.environ["DATABASE_URL"] = args.database
    prepare_database(args.database, demo_if_empty=get_settings().demo_on_empty)
    os.chdir(Path(__file__).resolve().parent)  # .streamlit/config.toml and dashboard.py sit here
    uvicorn.run("web.app:app", host=args.host, port=args.port, log_level="warning",
                proxy_headers=True, timeout_graceful_shutdown=10)
    return 0


def _init(args: argparse.Namespace) -> int:
    result = prepare_database(args.database).catalogue
    print(translate("cli.init_done", args.language, added=len(result.added), updated=len(result.updated)))
    for code in result.kept_admin_wording:
        print(translate("cli.kept_wording", args.language, code=code))
    return 0


def _demo(args: argparse.Namespace) -> int:
    prepare_database(args.database)
    with writing(args.database) as session:
        if args.remove:
            removed = remove_demo(session=session, actor=acting_actor(args))
            print(translate("cli.demo_removed", args.language, count=removed))
            return 0
        summary = load_demo(session=session, actor=acting_actor(args))
    print(translate("cli.demo_loaded", args.language, organisations=summary.organisations, figures=summary.figures))
    return 0


def _import(args: argparse.Namespace) -> int:
    if not args.path.is_file():
        print(translate("cli.no_such_file", args.language, path=str(args.path)), file=sys.stderr)
        return 2
    upgrade(args.database)
    content = args.path.read_bytes()
    with writing(args.database) as session:
        try:
            # A dry run only plans; a real one plans and stores in one go (import_file: no second read).
            if args.dry_run:
                plan = plan_import(session=session, actor=acting_actor(args), content=content, file_name=args.path.name,
                                   sheet=args.sheet)
            else:
                plan, _ = import_file(session=session, actor=acting_actor(args), content=content,
                                      file_name=args.path.name, sheet=args.sheet)
        except FigureRejected as error:
            print(translate(error.key, args.language, **error.params), file=sys.stderr)
            return 1
        if not plan.ok:
            for problem in plan.problems:
                print(describe_problem(problem, args.language), file=sys.stderr)
            return 1
        summary = translate(
            "cli.import_summary", args.language, rows=plan.rows, new=plan.count("new"),
            changed=plan.count("changed"), unchanged=plan.count("unchanged"),
        )
        if args.dry_run:
            print(translate("cli.dry_run", args.language) + " " + summary)
            return 0
    print(summary)
    return 0


def _export(args: argparse.Namespace) -> int:
    suffix = args.path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        print(translate("cli.export_suffix", args.language), file=sys.stderr)
        return 2
    try:
        first = Quarter.parse(args.first) if args.first else None
        last = Quarter.parse(args.last) if args.last else None
    except QuarterError as error:
        print(translate("cli.bad_quarter", args.language, quarter=error.text), file=sys.stderr)
        return 2
    upgrade(args.database)
    with reading(args.database) as session:
        organisation_ids = None
        if args.organisation:
            wanted = args.organisation.strip().lower()
            organisation_ids = [o.id for o in list_organisations(session=session, include_inactive=True)
                                if wanted in (o.code.lower(), o.name.lower())]
            if not organisation_ids:
                print(translate("cli.unknown_organisation", args.language, organisation=args.organisation),
                      file=sys.stderr)
                return 2
        frame = long_format_frame(session=session, organisation_ids=organisation_ids, first=first, last=last)
        events = events_frame(session=session, organisation_ids=organisation_ids, first=first, last=last)
    if suffix == ".csv":
        args.path.write_bytes(to_csv_bytes(frame))
        args.path.with_suffix(".events.csv").write_bytes(to_csv_bytes(events))
    else:
        args.path.write_bytes(to_xlsx_bytes(frame, extra_sheets={"events": events}))
    print(translate("cli.exported", args.language, rows=len(frame), path=str(args.path)))
    return 0


# --- acting as an account, and the user commands ----------------------------------------------

def acting_parser() -> argparse.ArgumentParser:
    """The shared ``--as USERNAME`` option: add it (``parents=[acting_parser()]``) to every write command."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--as", dest="acting_as", metavar="USERNAME",
                        help="act with this account's permissions (default: the local operator, full rights)")
    return parent


def acting_actor(args: argparse.Namespace) -> Actor:
    """The local operator, or the ``--as`` account with exactly its permissions (refused if inactive)."""
    name = getattr(args, "acting_as", None)
    if not name:
        return SYSTEM
    upgrade(args.database)
    with reading(args.database) as session:
        return actor_for(session=session, username=name, origin="cli")


def _add_user_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = commands.add_parser("user", help="accounts: add, passwd, deactivate, list")
    actions = user.add_subparsers(dest="user_command", required=True)
    add = actions.add_parser("add", help="create an account", parents=[acting_parser()])
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--organisation", action="append", default=[], metavar="CODE",
                     help="an organisation an editor may change (repeat for several)")
    add.add_argument("--email", help="the e-mail single sign-on maps to this account")
    add.add_argument("--password-stdin", action="store_true", help="read the password as one line from standard input")
    add.set_defaults(handler=_user_add)
    passwd = actions.add_parser("passwd", help="set a new password", parents=[acting_parser()])
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true")
    passwd.set_defaults(handler=_user_passwd)
    deactivate = actions.add_parser("deactivate", help="end an account's access at once", parents=[acting_parser()])
    deactivate.add_argument("name")
    deactivate.set_defaults(handler=_user_deactivate)
    listing = actions.add_parser("list", help="list the accounts", parents=[acting_parser()])
    listing.set_defaults(handler=_user_list)


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(translate("cli.password", args.language))
    if first != getpass.getpass(translate("cli.password_again", args.language)):
        raise AccountError("account.passwords_differ")
    return first


def _user_add(args: argparse.Namespace) -> int:
    upgrade(args.database)
    actor = acting_actor(args)
    password = None if args.email and not args.password_stdin else _read_password(args)
    with writing(args.database) as session:
        codes = {o.code: o.id for o in list_organisations(session=session, include_inactive=True)}
        unknown = [c for c in args.organisation if c not in codes]
        if unknown:
            print(translate("cli.unknown_organisation", args.language, organisation=", ".join(unknown)), file=sys.stderr)
            return 1
        info = add_account(session=session, actor=actor, username=args.name, role=args.role, password=password,
                           organisation_ids=[codes[c] for c in args.organisation], email=args.email)
    print(translate("cli.user_added", args.language, username=info.username, role=translate(f"role.{info.role}", args.language)))
    return 0


def _user_passwd(args: argparse.Namespace) -> int:
    upgrade(args.database)
    actor = acting_actor(args)
    password = _read_password(args)
    with writing(args.database) as session:
        reset_password(session=session, actor=actor, username=args.name, password=password)
    print(translate("cli.user_password", args.language, username=args.name))
    return 0


def _user_deactivate(args: argparse.Namespace) -> int:
    upgrade(args.database)
    actor = acting_actor(args)
    with writing(args.database) as session:
        set_active(session=session, actor=actor, username=args.name, active=False)
    print(translate("cli.user_deactivated", args.language, username=args.name))
    return 0


def _user_list(args: argparse.Namespace) -> int:
    upgrade(args.database)
    actor = acting_actor(args)
    with reading(args.database) as session:
        codes = {o.id: o.code for o in list_organisations(session=session, include_inactive=True)}
        accounts = list_accounts(session=session, actor=actor)
    for account in accounts:
        state = translate("yes" if account.active else "no", args.language)
        organisations = ",".join(codes.get(o, "?") for o in account.organisation_ids) or "-"
        print(f"{account.username}\t{account.role}\t{organisations}\t{state}\t{account.email or '-'}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    url = args.database or get_settings().database_url
    try:
        info = backup_database(url, args.path)
    except BackupError as error:
        print(translate(error.key, args.language, **error.params), file=sys.stderr)
        return 2
    print(translate("cli.backup_done", args.language, path=str(info.path), figures=info.figures,
                    revisions=info.revisions))
    return 0


def _restore(args: argparse.Namespace) -> int:
    url = args.database or get_settings().database_url
    try:
        info = describe_backup(args.path)
        target = sqlite_path(url)
    except BackupError as error:
        print(translate(error.key, args.language, **error.params), file=sys.stderr)
        return 2
    if not args.yes:
        question = translate("cli.restore_confirm", args.language, target=str(target), path=str(args.path),
                             figures=info.figures)
        answer = input(question + " ") if sys.stdin.isatty() else ""
        if answer.strip().lower() not in ("ja", "yes", "j", "y"):
            print(translate("cli.restore_cancelled", args.language), file=sys.stderr)
            return 2
    try:
        restore_database(url, args.path)  # checks its private copy again: the file may have changed since
    except BackupError as error:
        print(translate(error.key, args.language, **error.params), file=sys.stderr)
        return 2
    print(translate("cli.restore_done", args.language, path=str(args.path), figures=info.figures))
    return 0


def _report(args: argparse.Namespace) -> int:
    """Write the board pack; the as-of date reproduces an earlier pack after later corrections."""
    import datetime as dt

    from data.as_of import end_of_day
    from data.customer_voice import customer_clip
    from metrics.periods import Quarter, QuarterError
    from reports.export import render_pack
    from reports.gather import UnknownOrganisation, find_organisation, read_board_pack

    try:
        quarter = Quarter.parse(args.quarter)
        as_of = end_of_day(dt.date.fromisoformat(args.as_of)) if args.as_of else None
    except (QuarterError, ValueError) as error:
        print(str(error), file=sys.stderr)
        return 2
    upgrade(args.database)
    with reading(args.database) as session:
        try:
            organisation = find_organisation(session=session, code=args.organisation)
        except UnknownOrganisation:
            print(translate("cli.unknown_organisation", args.language, organisation=args.organisation), file=sys.stderr)
            return 2
        pack = read_board_pack(session=session, organisation=organisation, quarter=quarter,
                               language=args.language, as_of=as_of)
        clip = customer_clip(session=session, organisation_id=organisation.id, quarter=quarter)
    args.out.write_bytes(render_pack(pack, args.file_format, clip.content if clip else None))
    print(translate("cli.report_written", args.language, slides=len(pack.slides), path=str(args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

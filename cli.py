"""Effekt on the command line: init, demo, import, export, report.

Exit codes: 0 success, 1 data errors (reported on stderr, nothing written), 2 usage errors.
Messages use the same translations as the app (``--language``, default Swedish).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from data.actors import SYSTEM
from data.bootstrap import prepare_database
from data.db import reading, writing
from data.demo import load_demo, remove_demo
from data.exporter import long_format_frame, to_csv_bytes, to_xlsx_bytes
from data.figures import FigureRejected
from data.importer import commit_import, plan_import
from data.migrate import UnknownSchemaError, upgrade
from ui.i18n import describe_problem, translate


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except UnknownSchemaError as error:
        print(str(error), file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cli.py", description="Effekt: effect metrics for digitalisation.")
    parser.add_argument("--database", help="database URL (default: DATABASE_URL or effekt.db)")
    parser.add_argument("--language", choices=("sv", "en"), default="sv")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create or upgrade the database and the metric catalogue")
    init.set_defaults(handler=_init)

    demo = commands.add_parser("demo", help="load the demo data (or remove it with --remove)")
    demo.add_argument("--remove", action="store_true")
    demo.set_defaults(handler=_demo)

    imp = commands.add_parser("import", help="import figures from a CSV or XLSX file in the long format")
    imp.add_argument("path", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="validate and show the plan; write nothing")
    imp.set_defaults(handler=_import)

    exp = commands.add_parser("export", help="export figures in the long format (.csv or .xlsx)")
    exp.add_argument("path", type=Path)
    exp.set_defaults(handler=_export)

    report = commands.add_parser("report", help="write an organisation's board pack (PDF or PPTX) for a quarter")
    report.add_argument("--organisation", required=True, help="organisation code")
    report.add_argument("--quarter", required=True, help="quarter, e.g. 2025-Q4")
    report.add_argument("--format", choices=("pdf", "pptx"), required=True, dest="file_format")
    report.add_argument("--out", type=Path, required=True)
    report.add_argument("--as-of", dest="as_of", help="figures as they stood at the end of this day (YYYY-MM-DD)")
    report.set_defaults(handler=_report)
    return parser


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
            removed = remove_demo(session=session, actor=SYSTEM)
            print(translate("cli.demo_removed", args.language, count=removed))
            return 0
        summary = load_demo(session=session, actor=SYSTEM)
    print(translate("cli.demo_loaded", args.language, organisations=summary.organisations, figures=summary.figures))
    return 0


def _import(args: argparse.Namespace) -> int:
    if not args.path.is_file():
        print(translate("cli.no_such_file", args.language, path=str(args.path)), file=sys.stderr)
        return 2
    upgrade(args.database)
    content = args.path.read_bytes()
    with writing(args.database) as session:
        plan = plan_import(session=session, content=content, file_name=args.path.name)
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
        try:
            commit_import(session=session, actor=SYSTEM, plan=plan)
        except FigureRejected as error:
            print(translate(error.key, args.language, **error.params), file=sys.stderr)
            return 1
    print(summary)
    return 0


def _export(args: argparse.Namespace) -> int:
    suffix = args.path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        print(translate("cli.export_suffix", args.language), file=sys.stderr)
        return 2
    upgrade(args.database)
    with reading(args.database) as session:
        frame = long_format_frame(session=session)
    args.path.write_bytes(to_csv_bytes(frame) if suffix == ".csv" else to_xlsx_bytes(frame))
    print(translate("cli.exported", args.language, rows=len(frame), path=str(args.path)))
    return 0


def _report(args: argparse.Namespace) -> int:
    """Write the board pack; the as-of date reproduces an earlier pack after later corrections."""
    import datetime as dt

    from data.as_of import end_of_day
    from metrics.periods import Quarter, QuarterError
    from reports.export import render_pack
    from reports.gather import UnknownOrganisation, find_organisation, read_board_pack
    from reports.images import warm_up

    try:
        quarter = Quarter.parse(args.quarter)
        as_of = end_of_day(dt.date.fromisoformat(args.as_of)) if args.as_of else None
    except (QuarterError, ValueError) as error:
        print(str(error), file=sys.stderr)
        return 2
    warm_up()  # the chart browser starts while the figures are read
    upgrade(args.database)
    with reading(args.database) as session:
        try:
            organisation = find_organisation(session=session, code=args.organisation)
        except UnknownOrganisation:
            print(translate("cli.unknown_organisation", args.language, code=args.organisation), file=sys.stderr)
            return 2
        pack = read_board_pack(session=session, organisation=organisation, quarter=quarter,
                               language=args.language, as_of=as_of)
    args.out.write_bytes(render_pack(pack, args.file_format))
    print(translate("cli.report_written", args.language, slides=len(pack.slides), path=str(args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

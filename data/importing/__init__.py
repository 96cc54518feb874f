"""Reading figures from spreadsheets, validated before anything is written.

``plan_import`` reads and checks the whole file and compares it with the database; nothing is
written until ``commit_import`` stores the plan in one transaction. Problems carry the row number
as the person sees it in their spreadsheet (the header is row 1), the column, the value and a
message key, so the UI and the CLI can say it in the person's language. Every problem in the file
is reported, not only the first.

Two layouts are read: the long format (``organisation, metric, period, value, status, comment``,
one figure per row) and the wide template (one organisation, one row per metric, one column per
quarter). The file is read as a stream of rows: a 520 000-row national file is held once as bytes
and once as the figures it yields, never as decoded text or a DataFrame besides; organisations and
metrics are looked up in dictionaries loaded once, and the database is asked once for the stored
figures the file touches.

Modules, in the order a file passes through them: :mod:`~data.importing.reading` (CSV by
:mod:`~data.importing.csv_reading`, XLSX by :mod:`~data.importing.xlsx_reading` and
:mod:`~data.importing.xlsx_stream`, within :mod:`~data.importing.limits`),
:mod:`~data.importing.layouts`, :mod:`~data.importing.validation`, :mod:`~data.importing.planning`
and :mod:`~data.importing.committing`; :mod:`~data.importing.problems` is what they report.
"""

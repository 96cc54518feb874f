"""Importera through AppTest: preview with counts and old → new, confirm, error report, limit."""

from __future__ import annotations

from streamlit import config as st_config

from data.db import reading
from data.exporter import long_format_frame, to_csv_bytes
from tests.apptest_support import open_app, shown_text


def exported(url):
    with reading(url) as session:
        return long_format_frame(session=session)


def upload(at, name, content):
    at.file_uploader(key="import_file").upload(name, content, "text/csv").run()
    assert not at.exception, at.exception
    return at


def metric_values(at):
    return {m.label: m.value for m in at.metric}


def test_preview_shows_counts_and_old_to_new_then_confirm_saves(app_db, monkeypatch):
    frame = exported(app_db)
    row = frame[(frame["metric"] == "customer_satisfaction") & (frame["organisation"] == "demo-ekbacka")].index[0]
    old = float(frame.loc[row, "value"])
    frame.loc[row, "value"] = "12,5"
    at = upload(open_app(app_db, monkeypatch, page="import_data"), "andrad.csv", to_csv_bytes(frame))
    assert metric_values(at) == {"Nya värden": "0", "Ändrade värden": "1", "Oförändrade värden": str(len(frame) - 1)}
    table = at.dataframe[0].value
    assert table.iloc[0]["Organisation"] == "Ekbacka kommun"
    assert table.iloc[0]["Mätetal"] == "Kundnöjdhet"
    assert table.iloc[0]["Före"].startswith(f"{old:.1f}".replace(".", ","))
    assert table.iloc[0]["Efter"].startswith("12,5\u00a0%")
    assert exported(app_db).loc[row, "value"] != "12.5"  # nothing written before confirming
    at.button(key="import_confirm").click().run()
    assert "Importen är sparad: 1 värden ändrades (0 nya, 1 ändrade)." in shown_text(at)
    assert exported(app_db).loc[row, "value"] == "12.5"
    again = upload(open_app(app_db, monkeypatch, page="import_data"), "andrad.csv", to_csv_bytes(frame))
    assert "0 ändrade: alla" in shown_text(again)
    assert "import_confirm" not in [b.key for b in again.button]


def test_problems_are_listed_with_row_column_value_and_offered_as_csv(app_db, monkeypatch):
    content = ("organisation;metric;period;value\n"
               "demo-ekbacka;customer_satisfaction;2024Q5;70\n"
               "demo-ekbacka;ideas_delivered;2024-Q1;ca 40\n").encode("cp1252")
    at = upload(open_app(app_db, monkeypatch, page="import_data"), "fel.csv", content)
    assert "Filen har 2 fel. Inget har sparats." in shown_text(at)
    table = at.dataframe[0].value
    assert table["Rad"].tolist() == [2, 3]
    assert table["Kolumn"].tolist() == ["period", "value"]
    assert table["Angivet värde"].tolist() == ["2024Q5", "ca 40"]
    assert table["Problem"].iloc[1].startswith("Inget tal.")
    assert at.get("download_button")  # the error report


def test_a_file_over_the_pages_limit_is_refused(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, page="import_data")
    previous = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 1)
    try:
        upload(at, "stor.csv", b"organisation,metric,period,value\n" + b"x,y,2024-Q1,1\n" * 100_000)
    finally:
        st_config.set_option("server.maxUploadSize", previous)
    assert "sidan tar emot högst 1 MB" in shown_text(at)
    assert not at.dataframe


def test_the_swedish_reading_of_a_comma_is_shown_before_saving(app_db, monkeypatch):
    content = b"organisation,metric,period,value\ndemo-ekbacka,api_opening_time,2019-Q1,\"1,234\"\n"
    at = upload(open_app(app_db, monkeypatch, page="import_data"), "komma.csv", content)
    assert "Kontrollera 1 tal som kan läsas på två sätt:" in shown_text(at)
    notice = at.dataframe[0].value["Problem"].iloc[0]
    assert notice.startswith("1,234 läses med decimalkomma som 1,234, inte som 1\u00a0234.")


def test_an_editor_sees_before_confirming_that_the_file_touches_other_organisations(app_db, monkeypatch):
    from data.actors import Actor
    from data.organisations import list_organisations

    with reading(app_db) as session:
        organisations = {o.code: o.id for o in list_organisations(session=session)}
    editor = Actor("eva", "editor", frozenset({organisations["demo-ekbacka"]}))
    content = (b"organisation,metric,period,value\n"
               b"demo-ekbacka,ideas_delivered,2019-Q1,3\n"
               b"demo-sjovik,ideas_delivered,2019-Q1,4\n")
    at = open_app(app_db, monkeypatch, page="import_data", actor=editor)
    upload(at, "tva.csv", content)
    # Sjöviks kommun has not opted in to named comparison: the refusal counts it, never names it.
    assert "Filen ändrar värden för organisationer som du inte får ändra: 1 annan organisation." in shown_text(at)
    assert "Sjöviks kommun" not in shown_text(at)
    assert "import_confirm" not in [b.key for b in at.button]
    upload(at, "tre.csv", content + b"demo-tallmo,ideas_delivered,2019-Q1,5\n")
    assert "Filen ändrar värden för organisationer som du inte får ändra: 2 andra organisationer." in shown_text(at)


def test_names_and_comments_with_script_tags_show_as_text_in_the_preview(app_db, monkeypatch):
    content = (b"organisation,metric,period,value,status,comment\n"
               b"demo-ekbacka,ideas_delivered,2019-Q1,3,,<script>alert(1)</script>\n"
               b"<script>x</script>,ideas_delivered,2019-Q1,3,,\n")
    at = upload(open_app(app_db, monkeypatch, page="import_data"), "script.csv", content)
    table = at.dataframe[0].value
    assert table["Angivet värde"].tolist() == ["<script>x</script>"]

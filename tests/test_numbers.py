"""One number reader and one writer: what the fields show, they read back; nothing is guessed."""

from __future__ import annotations

import pytest

from metrics.numbers import NumberProblem, read_number
from metrics.periods import Quarter, QuarterError
from presentation.formatting import input_text
from ui.numbers import EntryProblem, read_entry


@pytest.mark.parametrize(("text", "language", "number"), [
    ("87,5", "sv", 87.5), ("1 234", "sv", 1234.0), ("1\u00a0234", "sv", 1234.0), ("1\u202f234,5", "sv", 1234.5),
    ("87,5 %", "sv", 87.5), ("87,5%", "sv", 87.5), ("87.5", "sv", 87.5), ("\u22123,5", "sv", -3.5),
    ("1,234", "sv", 1.234),  # the Swedish reading: a decimal comma
    ("87.5", "en", 87.5), ("1,234", "en", 1234.0), ("1,234,567.8", "en", 1234567.8), ("87.5%", "en", 87.5),
    ("-0", "sv", 0.0), ("\u22120,0", "sv", 0.0), ("-0", "en", 0.0), ("1e-300", "sv", 1e-300),
])
def test_numbers_as_people_type_them(text, language, number):
    value = read_number(text, language)
    assert value == number
    assert str(value) != "-0.0"  # −0 is read as 0


@pytest.mark.parametrize(("text", "language", "key"), [
    ("abc", "sv", "import.bad_value"), ("87,5", "en", "import.bad_value"),  # English: a comma only groups
    ("\u0661\u0662", "sv", "import.bad_value"),  # Arabic-Indic digits, which float() reads as 12
    ("\uff11\uff12", "sv", "import.bad_value"),  # full-width digits
    ("1_000", "sv", "import.bad_value"), ("1e-400", "sv", "invalid.number_underflow"),
    ("0,0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
     "sv", "invalid.number_underflow"),
    ("nan", "en", "value.not_finite"), ("1e999", "sv", "value.not_finite"), ("1e15", "sv", "import.value_too_large"),
])
def test_what_is_not_a_figure_is_refused_with_the_reason(text, language, key):
    with pytest.raises(NumberProblem) as problem:
        read_number(text, language)
    assert problem.value.key == key


@pytest.mark.parametrize(("value", "sv", "en"), [
    (87.5, "87,5", "87.5"), (1234.0, "1\u00a0234", "1,234"), (1234567.25, "1\u00a0234\u00a0567,25", "1,234,567.25"),
    (0.0, "0", "0"), (64.25, "64,25", "64.25"), (None, "", ""),
])
def test_what_the_writer_shows_the_reader_reads_back(value, sv, en):
    assert (input_text(value, "sv"), input_text(value, "en")) == (sv, en)
    for language, text in (("sv", sv), ("en", en)):
        assert read_entry(text, language, "Fält") == value


def test_an_unreadable_entry_is_named_with_the_field_in_both_languages():
    with pytest.raises(EntryProblem) as sv:
        read_entry("abc", "sv", "Kundnöjdhet")
    with pytest.raises(EntryProblem) as en:
        read_entry("abc", "en", "Customer satisfaction")
    assert sv.value.message == "Kundnöjdhet: 'abc' är inget tal."
    assert en.value.message == "Customer satisfaction: 'abc' is not a number."
    with pytest.raises(EntryProblem) as tiny:
        read_entry("1e-400", "sv", "Kundnöjdhet")
    assert tiny.value.message == ("Kundnöjdhet: '1e-400' går inte att spara. Talet är så litet att det skulle "
                                  "sparas som 0. Skriv 0 om du menar noll.")


@pytest.mark.parametrize("text", ["\u0662\u0660\u0662\u0665-Q1", "\uff12\uff10\uff12\uff15-Q1", "2025-Q\u0661",
                                  "2025 K\uff11"])
def test_quarters_take_ascii_digits_only(text):
    with pytest.raises(QuarterError):
        Quarter.parse(text)


# --- the importer reads with the same reader ---------------------------------------------------------

@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from data.bootstrap import prepare_database
    from tests.conftest import TODAY

    url = f"sqlite:///{tmp_path_factory.mktemp('numbers') / 'numbers.db'}"
    prepare_database(url, demo_if_empty=True, today=TODAY)
    return url


def plan_rows(url, *rows):
    from data.db import reading
    from data.importing.planning import plan_import
    from tests.conftest import TODAY

    content = "organisation,metric,period,value\n" + "".join(f"demo-ekbacka,customer_satisfaction,{p},{v}\n"
                                                              for p, v in rows)
    with reading(url) as session:
        return plan_import(session=session, content=content.encode(), file_name="f.csv", today=TODAY)


@pytest.mark.parametrize(("period", "value", "column", "sv", "en"), [
    ("2025-Q1", "\u0667\u0660", "value", "Inget tal. Skriv ett tal med decimalkomma eller decimalpunkt, till exempel 87,5.",
     "Not a number. Write a number with a decimal point or comma, for example 87.5."),
    ("2025-Q1", "\uff17\uff10", "value", "Inget tal. Skriv ett tal med decimalkomma eller decimalpunkt, till exempel 87,5.",
     "Not a number. Write a number with a decimal point or comma, for example 87.5."),
    ("\u0662\u0660\u0662\u0665-Q1", "70", "period", "Inget kvartal. Skriv till exempel 2024-Q1, 2024Q1, 2024 K1 eller Q1 2024.",
     "Not a quarter. Write for example 2024-Q1, 2024Q1, 2024 K1 or Q1 2024."),
    ("2025-Q1", "1e-400", "value", "Talet är så litet att det skulle sparas som 0. Skriv 0 om du menar noll.",
     "The number is so small that it would be stored as 0. Write 0 if you mean zero."),
])
def test_the_importer_refuses_non_ascii_digits_and_underflow(demo_db, period, value, column, sv, en):
    from presentation.i18n import translate

    result = plan_rows(demo_db, (period, value))
    (problem,) = result.problems
    assert problem.column == column
    assert not result.figures
    assert (translate(problem.key, "sv", **problem.params), translate(problem.key, "en", **problem.params)) == (sv, en)


def test_the_importer_reads_minus_zero_as_zero_and_says_so(demo_db):
    from presentation.i18n import describe_problem

    result = plan_rows(demo_db, ("2025-Q1", "-0"), ("2025-Q2", "\u22120.0"))
    assert result.ok
    assert [str(f.value) for f in result.figures] == ["0.0", "0.0"]
    assert [describe_problem(n, "sv") for n in result.notices] == [
        "Rad 2, kolumn value, «-0»: −0 läses som 0.", "Rad 3, kolumn value, «\u22120.0»: −0 läses som 0."]
    assert describe_problem(result.notices[0], "en") == "Row 2, column value, «-0»: −0 is read as 0."

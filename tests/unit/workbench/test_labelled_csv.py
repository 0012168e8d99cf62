"""Reading labelled CSVs: every row kept with its line, every bad file named with file and row."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.nlu.intents import OUT_OF_SCOPE
from concierge.workbench.labelled_csv import (
    CsvDataError,
    LabelledText,
    intent_name,
    read_labelled_csv,
)


def write(tmp_path: Path, content: str | bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def test_rows_become_labelled_texts_with_their_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "text,intent\nwhere is my card?,Card Arrival\nI lost it,lost-card\n")
    assert read_labelled_csv(path) == [
        LabelledText("where is my card?", "card_arrival", 2),
        LabelledText("I lost it", "lost_card", 3),
    ]


def test_other_column_names_are_found_case_insensitively(tmp_path: Path) -> None:
    path = write(tmp_path, "Utterance,Category\nhello,greeting\n")
    rows = read_labelled_csv(path, text_column="utterance", intent_column="category")
    assert rows == [LabelledText("hello", "greeting", 2)]


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(CsvDataError, match=r"nope\.csv: no such file"):
        read_labelled_csv(missing)


def test_a_missing_column_lists_the_header_and_the_option(tmp_path: Path) -> None:
    path = write(tmp_path, "text,category\nhello,greeting\n")
    with pytest.raises(CsvDataError) as caught:
        read_labelled_csv(path)
    message = str(caught.value)
    assert "no column 'intent'" in message
    assert "'text', 'category'" in message
    assert "--intent-column" in message


def test_an_empty_text_names_its_row(tmp_path: Path) -> None:
    path = write(tmp_path, "text,intent\nhello,greeting\n  ,greeting\n")
    with pytest.raises(CsvDataError, match=rf"{path.name}:3: the text is empty"):
        read_labelled_csv(path)


def test_an_empty_label_names_its_row_and_text(tmp_path: Path) -> None:
    path = write(tmp_path, "text,intent\nhello,greeting\nwhere is it,\n")
    with pytest.raises(CsvDataError, match=r":3: the intent label is empty \(text 'where is it'\)"):
        read_labelled_csv(path)


def test_a_label_without_letters_or_digits_names_its_row(tmp_path: Path) -> None:
    path = write(tmp_path, "text,intent\nhello,???\n")
    with pytest.raises(CsvDataError, match=r":2: label '\?\?\?' has no letters or digits"):
        read_labelled_csv(path)


def test_a_short_row_names_its_row(tmp_path: Path) -> None:
    path = write(tmp_path, "text,intent\nhello\n")
    with pytest.raises(CsvDataError, match=r":2: the row has 1 column\(s\), fewer than the header"):
        read_labelled_csv(path)


def test_bytes_that_are_not_utf8_are_located_and_the_fix_suggested(tmp_path: Path) -> None:
    path = write(tmp_path, "text,intent\nhello,greeting\ncaf\xe9 please,order\n".encode("cp1252"))
    with pytest.raises(CsvDataError) as caught:
        read_labelled_csv(path)
    message = str(caught.value)
    assert f"{path}:3: not utf-8 text (byte 0xe9" in message
    assert "--encoding" in message


def test_the_right_encoding_reads_the_same_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "text,intent\ncaf\xe9 please,order\n".encode("cp1252"))
    assert read_labelled_csv(path, encoding="cp1252")[0].text == "caf\xe9 please"


@pytest.mark.parametrize("encoding", ["klingon", "base64"])
def test_an_unknown_or_non_text_encoding_is_refused(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "text,intent\nhello,greeting\n")
    with pytest.raises(CsvDataError, match=rf"'{encoding}'.*try utf-8 or cp1252"):
        read_labelled_csv(path, encoding=encoding)


def test_a_byte_order_mark_is_not_part_of_the_first_column_name(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufefftext,intent\nhello,greeting\n".encode())
    assert read_labelled_csv(path) == [LabelledText("hello", "greeting", 2)]


def test_quoted_multi_line_fields_keep_later_rows_on_their_own_lines(tmp_path: Path) -> None:
    content = 'text,intent\n"first line\nsecond line",greeting\n\nlater,greeting\n,greeting\n'
    path = write(tmp_path, content)
    with pytest.raises(CsvDataError, match=r":6: the text is empty"):
        read_labelled_csv(path)
    rows = read_labelled_csv(write(tmp_path, content.removesuffix(",greeting\n"), "ok.csv"))
    assert [(row.text, row.row) for row in rows] == [
        ("first line\nsecond line", 2),
        ("later", 5),
    ]


def test_windows_line_endings_read_the_same(tmp_path: Path) -> None:
    path = write(tmp_path, "text,intent\r\nhello,greeting\r\nhi,greeting\r\n")
    assert [(row.text, row.row) for row in read_labelled_csv(path)] == [("hello", 2), ("hi", 3)]


def test_an_empty_file_and_a_header_only_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CsvDataError, match="the file is empty"):
        read_labelled_csv(write(tmp_path, "\n\n"))
    with pytest.raises(CsvDataError, match="a header but no data rows"):
        read_labelled_csv(write(tmp_path, "text,intent\n", "header.csv"))


def test_an_unclosed_quote_names_the_line_it_opens_on(tmp_path: Path) -> None:
    path = write(tmp_path, 'text,intent\n"unclosed,greeting\nhello,greeting\n')
    with pytest.raises(CsvDataError, match=r":2: not valid CSV: .*a quoted field is never closed"):
        read_labelled_csv(path)


def test_text_after_a_closing_quote_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'text,intent\nhello,greeting\n"quoted"tail,greeting\n')
    with pytest.raises(CsvDataError, match=r":3: not valid CSV"):
        read_labelled_csv(path)


@pytest.mark.parametrize("label", ["oos", "OOS", "out_of_scope", "Out of Scope", " out-of-scope "])
def test_out_of_scope_labels_become_the_reserved_intent(tmp_path: Path, label: str) -> None:
    path = write(tmp_path, f"text,intent\ntell me a joke,{label}\n")
    assert read_labelled_csv(path)[0].intent == OUT_OF_SCOPE


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Card Arrival", "card_arrival"),
        ("card-arrival", "card_arrival"),
        ("  Top up: failed!  ", "top_up_failed"),
        ("Café résumé", "cafe_resume"),
        ("24h support", "intent_24h_support"),
    ],
)
def test_labels_become_snake_case_names(label: str, name: str) -> None:
    assert intent_name(label) == name


def test_long_labels_are_cut_to_a_valid_name() -> None:
    labels = ["word " * 40] + [f"1 {'x' * size} " * 30 for size in range(1, 9)]
    for label in labels:
        name = intent_name(label)
        assert len(name) <= 64
        assert not name.endswith("_")
        assert name[0].isalpha()

"""Labelled utterances in a CSV file: what teams export from years of tagged conversations.

One row per utterance, a header naming the columns. :func:`read_labelled_csv` reads the
text and intent columns (``text`` and ``intent`` unless told otherwise) and fails with a
:class:`CsvDataError` naming the file and row on anything it cannot use: a missing file, a
file that is not in the given encoding, an unknown encoding, a missing column, a row with an
empty text or an empty label. Nothing is skipped silently.

Labels become intent names with :func:`intent_name`: ``"Card Arrival"`` and
``"card-arrival"`` both become ``card_arrival``, and ``oos``/``out_of_scope`` (any case)
become the reserved :data:`~concierge.nlu.intents.OUT_OF_SCOPE` intent.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from concierge.nlu.intents import OUT_OF_SCOPE

OUT_OF_SCOPE_LABELS = frozenset({"oos", "out_of_scope", "out-of-scope", "out of scope"})
MAX_NAME = 64


class CsvDataError(Exception):
    """The CSV file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class LabelledText:
    """One utterance and the intent it was labelled with; ``row`` is its line in the file."""

    text: str
    intent: str
    row: int


def intent_name(label: str) -> str:
    """The snake_case intent name for a label (``"Card Arrival"`` → ``card_arrival``).

    Raises ValueError when nothing of the label is left (only punctuation, say).
    """
    stripped = label.strip()
    if stripped.casefold() in OUT_OF_SCOPE_LABELS:
        return OUT_OF_SCOPE
    ascii_text = unicodedata.normalize("NFKD", stripped).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.casefold())
    name = "_".join(words)[:MAX_NAME].strip("_")
    if not name:
        raise ValueError(f"label {label!r} has no letters or digits to make an intent name from")
    return name if name[0].isalpha() else f"intent_{name}"[:MAX_NAME].rstrip("_")


def _check_encoding(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise CsvDataError(f"unknown encoding {encoding!r} (try utf-8 or cp1252)") from None


def _read_text(path: Path, encoding: str) -> str:
    codec = _check_encoding(encoding)
    if codec == "utf-8":
        codec = "utf-8-sig"  # a spreadsheet's byte-order mark is not part of the header
    try:
        return path.read_text(encoding=codec)
    except LookupError:  # a known codec that is not a text encoding (base64, rot13, ...)
        raise CsvDataError(f"{encoding!r} is not a text encoding (try utf-8 or cp1252)") from None
    except FileNotFoundError:
        raise CsvDataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CsvDataError(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError as exc:
        line = bytes(exc.object[: exc.start]).count(b"\n") + 1
        raise CsvDataError(
            f"{path}:{line}: not {encoding} text (byte {exc.object[exc.start]:#04x} at offset "
            f"{exc.start}); save it as UTF-8 or pass its encoding with --encoding"
        ) from None
    except OSError as exc:
        raise CsvDataError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _column(header: list[str], wanted: str, option: str, path: Path) -> int:
    names = [name.strip() for name in header]
    if wanted in names:
        return names.index(wanted)
    folded = [name.casefold() for name in names]
    if wanted.casefold() in folded:
        return folded.index(wanted.casefold())
    shown = ", ".join(repr(name) for name in names) or "none"
    raise CsvDataError(
        f"{path}: no column {wanted!r} (the header has {shown}); name the right one with {option}"
    )


def read_labelled_csv(
    path: Path,
    *,
    text_column: str = "text",
    intent_column: str = "intent",
    encoding: str = "utf-8",
) -> list[LabelledText]:
    """Every row of a labelled CSV, with labels turned into intent names; CsvDataError if bad."""
    content = _read_text(path, encoding)
    rows = _rows(content, path)
    if not rows or not any(cell.strip() for cell in rows[0][1]):
        raise CsvDataError(f"{path}: the file is empty; it needs a header row and data rows")
    text_at = _column(rows[0][1], text_column, "--text-column", path)
    intent_at = _column(rows[0][1], intent_column, "--intent-column", path)
    found = [_labelled(row, number, text_at, intent_at, path) for number, row in rows[1:]]
    if not found:
        raise CsvDataError(f"{path}: the file has a header but no data rows")
    return found


def _rows(content: str, path: Path) -> list[tuple[int, list[str]]]:
    """Each non-blank row with the line it starts on (quoted fields may span lines)."""
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    rows = []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        hint = "; a quoted field is never closed" if "end of data" in str(exc) else ""
        raise CsvDataError(f"{path}:{start}: not valid CSV: {exc}{hint}") from None
    return rows


def _labelled(
    row: list[str], number: int, text_at: int, intent_at: int, path: Path
) -> LabelledText:
    where = f"{path}:{number}"
    if max(text_at, intent_at) >= len(row):
        raise CsvDataError(f"{where}: the row has {len(row)} column(s), fewer than the header")
    text, label = row[text_at].strip(), row[intent_at].strip()
    if not text:
        raise CsvDataError(f"{where}: the text is empty")
    if not label:
        raise CsvDataError(f"{where}: the intent label is empty (text {text[:40]!r})")
    try:
        return LabelledText(text=text, intent=intent_name(label), row=number)
    except ValueError as exc:
        raise CsvDataError(f"{where}: {exc}") from None

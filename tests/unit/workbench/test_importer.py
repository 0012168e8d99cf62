"""Importing labelled utterances: a playbook that validates and loads, and a clear account of
what was dropped or resolved on the way."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
import yaml

from concierge.nlu.intents import OUT_OF_SCOPE, load_intents
from concierge.playbook.brain import load_brain
from concierge.playbook.validation import validate_playbook
from concierge.workbench import importer
from concierge.workbench.importer import (
    ImportRefusedError,
    describe,
    import_labelled,
    plan_intents,
)
from concierge.workbench.labelled_csv import LabelledText

PLAYBOOK_FILES = {
    "playbook.yaml",
    "intents.yaml",
    "entities.yaml",
    "flows.yaml",
    "scoring.yaml",
    "routing.yaml",
}


def labelled(*pairs: tuple[str, str]) -> list[LabelledText]:
    """Rows as the CSV reader makes them, numbered from line 2 (after the header)."""
    return [LabelledText(text, intent, line) for line, (text, intent) in enumerate(pairs, 2)]


CARDS = labelled(
    ("where is my card", "card_arrival"),
    ("I lost my card", "lost_card"),
    ("my card has not arrived", "card_arrival"),
    ("someone stole my card", "lost_card"),
    ("tell me a joke", OUT_OF_SCOPE),
    ("when does my card come", "card_arrival"),
    ("what's the weather", OUT_OF_SCOPE),
)


def examples_by_intent(directory: Path) -> dict[str, tuple[str, ...]]:
    catalog = load_intents(directory / "intents.yaml")
    return {intent.name: intent.examples for intent in catalog.intents}


def test_the_imported_playbook_validates_and_keeps_label_and_file_order(tmp_path: Path) -> None:
    out = tmp_path / "playbook"
    summary = import_labelled(CARDS, out, source="cards.csv")
    assert {path.name for path in out.iterdir()} == PLAYBOOK_FILES
    report = validate_playbook(out)
    assert report.errors == []
    assert not [line for line in report.warnings if "flows.yaml" in line]  # the flow is used
    assert examples_by_intent(out) == {
        "card_arrival": ("where is my card", "my card has not arrived", "when does my card come"),
        "lost_card": ("I lost my card", "someone stole my card"),
        OUT_OF_SCOPE: ("tell me a joke", "what's the weather"),
    }
    assert (summary.rows, summary.intents, summary.examples) == (7, 3, 7)
    assert summary.has_out_of_scope
    assert "cards.csv" in (out / "intents.yaml").read_text(encoding="utf-8")


def test_descriptions_come_from_names_and_intents_start_the_starter_flow(tmp_path: Path) -> None:
    import_labelled(CARDS, tmp_path / "p")
    catalog = load_intents(tmp_path / "p" / "intents.yaml")
    described = {intent.name: (intent.description, intent.flow) for intent in catalog.intents}
    assert described == {
        "card_arrival": ("Card arrival", "contact_details"),
        "lost_card": ("Lost card", "contact_details"),
        OUT_OF_SCOPE: ("Something we do not handle", None),
    }
    assert describe("top_up_by_card_failed") == "Top up by card failed"


def test_the_bot_can_load_the_imported_playbook(tmp_path: Path) -> None:
    import_labelled(CARDS, tmp_path / "p")
    brain = load_brain(tmp_path / "p", tmp_path / "model")
    assert set(brain.classifier.intents) == {"card_arrival", "lost_card", OUT_OF_SCOPE}
    assert brain.routing.teams.keys() == {"support"}


def test_duplicates_within_an_intent_are_kept_once(tmp_path: Path) -> None:
    rows = labelled(
        ("where is my card", "card_arrival"),
        ("Where  is my CARD", "card_arrival"),
        ("card not here", "card_arrival"),
        ("where is my card", "card_arrival"),
        ("lost it", "lost_card"),
        ("stolen", "lost_card"),
    )
    summary = import_labelled(rows, tmp_path / "p")
    assert summary.duplicates == 2
    assert examples_by_intent(tmp_path / "p")["card_arrival"] == (
        "where is my card",
        "card not here",
    )


def test_an_example_with_two_labels_stays_under_the_more_frequent_one() -> None:
    plan = plan_intents(
        labelled(
            ("where is my card", "lost_card"),
            ("card not here", "card_arrival"),
            ("where is my card", "card_arrival"),
            ("stolen", "lost_card"),
            ("gone", "lost_card"),
            ("WHERE is my card", "card_arrival"),
        )
    )
    kept = {intent.name: intent.examples for intent in plan.intents}
    assert kept == {
        "lost_card": ("stolen", "gone"),
        "card_arrival": ("card not here", "where is my card"),
    }
    [conflict] = plan.conflicts
    assert conflict.kept == "card_arrival"
    assert conflict.labels == {"lost_card": 1, "card_arrival": 2}
    assert conflict.rows == (2, 4, 7)
    assert plan.duplicates == 1  # the second card_arrival copy


def test_a_tied_conflict_goes_to_the_label_seen_first() -> None:
    plan = plan_intents(
        labelled(
            ("help with my card", "lost_card"),
            ("help with my card", "card_arrival"),
            ("stolen", "lost_card"),
            ("card not here", "card_arrival"),
            ("card late", "card_arrival"),
        )
    )
    [conflict] = plan.conflicts
    assert conflict.kept == "lost_card"
    assert [intent.examples for intent in plan.intents] == [
        ("help with my card", "stolen"),
        ("card not here", "card late"),
    ]


def test_intents_with_fewer_than_two_examples_are_left_out_and_reported(tmp_path: Path) -> None:
    rows = [*CARDS, *labelled(("hello", "greeting"), ("hi", "greeting"), ("hi", "greeting"))]
    rows += [LabelledText("bye", "goodbye", 40)]
    rows += [LabelledText("where is my card", "refund", 41)]  # loses its only example
    summary = import_labelled(rows, tmp_path / "p")
    assert [(d.name, d.examples, d.rows) for d in summary.dropped] == [
        ("goodbye", 1, (40,)),
        ("refund", 0, ()),
    ]
    assert set(examples_by_intent(tmp_path / "p")) == {
        "card_arrival",
        "lost_card",
        OUT_OF_SCOPE,
        "greeting",
    }
    assert validate_playbook(tmp_path / "p").ok


def test_without_out_of_scope_rows_the_playbook_still_loads_and_says_what_to_add(
    tmp_path: Path,
) -> None:
    rows = [row for row in CARDS if row.intent != OUT_OF_SCOPE]
    summary = import_labelled(rows, tmp_path / "p")
    assert not summary.has_out_of_scope
    assert validate_playbook(tmp_path / "p").ok
    assert "There is no `out_of_scope` intent" in (tmp_path / "p" / "intents.yaml").read_text(
        "utf-8"
    )


def test_fewer_than_two_usable_intents_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    rows = labelled(("where is my card", "card_arrival"), ("late card", "card_arrival"))
    rows += [LabelledText("lost", "lost_card", 9)]
    with pytest.raises(ImportRefusedError, match=r"only 1 intent\(s\).*\(card_arrival\)"):
        import_labelled(rows, tmp_path / "p")
    assert not (tmp_path / "p").exists()


def test_an_existing_playbook_is_only_replaced_with_force(tmp_path: Path) -> None:
    out = tmp_path / "p"
    import_labelled(CARDS, out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ImportRefusedError, match=r"already has intents\.yaml; pass --force"):
        import_labelled(CARDS[:4], out)
    assert "tell me a joke" in (out / "intents.yaml").read_text(encoding="utf-8")
    import_labelled(CARDS[:4], out, force=True)
    assert set(examples_by_intent(out)) == {"card_arrival", "lost_card"}
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p").write_text("", encoding="utf-8")
    with pytest.raises(ImportRefusedError, match="is not a directory"):
        import_labelled(CARDS, tmp_path / "p")


@pytest.mark.parametrize("existing", [False, True])
def test_a_failure_while_writing_leaves_no_half_playbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    out = tmp_path / "deep" / "p"
    if existing:
        out.mkdir(parents=True)
        (out / "keep.txt").write_text("x", encoding="utf-8")

    def fail_half_way(files: dict[str, str], staging: Path) -> None:
        (staging / "playbook.yaml").write_text("name: half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer, "_stage", fail_half_way)
    with pytest.raises(OSError, match="No space left"):
        import_labelled(CARDS, out)
    left = sorted(path.name for path in out.parent.iterdir())
    assert left == (["p"] if existing else [])
    if existing:
        assert [path.name for path in out.iterdir()] == ["keep.txt"]


def test_the_new_directory_gets_ordinary_permissions(tmp_path: Path) -> None:
    import_labelled(CARDS, tmp_path / "p")
    mode = stat.S_IMODE((tmp_path / "p").stat().st_mode)
    assert mode & stat.S_IRGRP  # not mkdtemp's 0700 (with the usual umask)
    assert [path.name for path in tmp_path.iterdir()] == ["p"]


TRICKY = [
    "yes",
    "No",
    "null",
    "~",
    "123",
    "1e3",
    "0x1F",
    "2024-01-01",
    "- starts like a list",
    "# starts like a comment",
    "key: value",
    "ends with a colon:",
    "'single quoted'",
    '"double quoted"',
    "it's fine",
    "[not, a, list]",
    "{not: a map}",
    "&anchor and *alias",
    "!tag me",
    "| pipe",
    "> folded",
    "%percent",
    "@at sign",
    "`backtick`",
    "emoji 🎉 and ünïcödé",
    "tab\there",
    "two\nlines",
    "trailing backslash \\",
    "a very long example " * 20,
    "zero\u200bwidth",
    "bom\ufeffinside",
]


def test_every_example_reads_back_exactly_as_it_was(tmp_path: Path) -> None:
    rows = labelled(*((text, "tricky") for text in TRICKY), ("plain", "other"), ("more", "other"))
    import_labelled(rows, tmp_path / "p")
    assert examples_by_intent(tmp_path / "p")["tricky"] == tuple(TRICKY)
    text = (tmp_path / "p" / "intents.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["intents"][0]["examples"] == TRICKY


def test_every_file_names_a_schema_that_exists(tmp_path: Path) -> None:
    out = tmp_path / "p"
    import_labelled(CARDS, out)
    for name in PLAYBOOK_FILES - {"playbook.yaml"}:
        first = (out / name).read_text(encoding="utf-8").splitlines()[0]
        found = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert found, name
        assert (out / found.group(1)).resolve().name == name.replace(".yaml", ".schema.json")
        assert (out / found.group(1)).is_file()

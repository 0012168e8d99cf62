"""Scoring files: every problem is reported with file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from concierge.scoring import ScoringFileError, load_scoring

GOOD_TAIL = """\
caps: {fit: 60, engagement: 40}
labels: [{label: warm, at_least: 10}, {label: cold}]
"""
RULE_A = "  - {name: a, dimension: fit, points: 20, when: {slot: segment, equals: commercial}}\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scoring.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ScoringFileError) as caught:
        load_scoring(path)
    return [str(problem) for problem in caught.value.problems]


def test_valid_file_loads_with_default_reason(tmp_path: Path) -> None:
    model = load_scoring(write(tmp_path, "rules:\n" + RULE_A + GOOD_TAIL))
    assert model.rules[0].reason == "segment equals commercial"
    assert model.decay.half_life_days is None


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n  - name: a\n    points: [1\n")
    assert problems(path)[0].startswith(f"{path}:")


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot read" in problems(tmp_path / "nope.yaml")[0]


def test_schema_error_points_at_the_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rules:\n"
        + RULE_A
        + "  - name: b\n    dimension: fitness\n    points: 5\n    when: {intent: x}\n"
        + GOOD_TAIL,
    )
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:4:")
    assert "fitness" in problem


def test_unknown_key_points_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n" + RULE_A + "weights: 3\n" + GOOD_TAIL)
    assert problems(path)[0].startswith(f"{path}:3:")


def test_bad_condition_names_the_rule_and_line(tmp_path: Path) -> None:
    bad = "  - {name: b, dimension: fit, points: 5, when: {slot: size, bigger: 3}}\n"
    path = write(tmp_path, "rules:\n" + RULE_A + bad + GOOD_TAIL)
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:3: rule 'b'")


def test_duplicate_rule_names(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n" + RULE_A + RULE_A.replace("segment", "size") + GOOD_TAIL)
    (problem,) = problems(path)
    assert problem == f"{path}:3: rule name 'a' is already used (line 2)"


def test_per_event_needs_an_engagement_event_rule(tmp_path: Path) -> None:
    bad = "  - {name: b, dimension: fit, points: 5, when: {intent: x}, per_event: true}\n"
    path = write(tmp_path, "rules:\n" + RULE_A + bad + GOOD_TAIL)
    assert problems(path) == [
        f"{path}:3: rule 'b': per_event needs an engagement rule about an event"
    ]


def test_identical_condition_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n" + RULE_A + RULE_A.replace("name: a", "name: b") + GOOD_TAIL)
    (warning,) = load_scoring(path).warnings
    assert str(warning).startswith(f"{path}:3: rule 'b' has the same condition as 'a'")


def test_labels_out_of_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rules:\n"
        + RULE_A
        + "caps: {fit: 60, engagement: 40}\n"
        + "labels:\n  - {label: warm, at_least: 10}\n  - {label: hot, at_least: 15}\n"
        + "  - {label: cold}\n",
    )
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:6: labels go from the highest threshold to the lowest")


def test_unreachable_labels(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rules:\n"
        + RULE_A
        + "caps: {fit: 60, engagement: 40}\n"
        + "labels:\n  - {label: hot, at_least: 60}\n  - {label: warm, at_least: 60}\n"
        + "  - {label: cold}\n  - {label: frozen, at_least: -5}\n",
    )
    found = problems(path)
    assert found[0] == f"{path}:5: label 'hot' needs 60; the most is 20"
    assert found[1] == f"{path}:6: label 'warm' can never be given: 'hot' has the same threshold"
    assert found[2].startswith(f"{path}:8: label 'frozen' comes after 'cold'")


def test_last_label_must_catch_every_score(tmp_path: Path) -> None:
    negative = "  - {name: b, dimension: fit, points: -10, when: {contact: roles, contains: x}}\n"
    path = write(
        tmp_path,
        "rules:\n"
        + RULE_A
        + negative
        + "caps: {fit: 60, engagement: 40}\n"
        + "labels: [{label: warm, at_least: 10}, {label: cold, at_least: 0}]\n",
    )
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:5: the last label 'cold' must catch every score")
    assert "as low as -10" in problem


def test_event_window_must_be_a_number(tmp_path: Path) -> None:
    bad = "  - {name: b, dimension: engagement, points: 5, when: {event: x, within_days: soon}}\n"
    path = write(tmp_path, "rules:\n" + RULE_A + bad + GOOD_TAIL)
    (problem,) = problems(path)
    assert problem == f"{path}:3: rule 'b': within_days must be a number of days, got 'soon'"

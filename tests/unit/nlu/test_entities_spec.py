"""Entity files: loading, and every problem reported with file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from concierge.nlu.entities import (
    EntityExtractor,
    EntityFileError,
    EntityPattern,
    EntitySpec,
    LookupValue,
    load_entities,
)
from concierge.nlu.errors import NluError

ROOT = Path(__file__).resolve().parents[3]

GOOD = """\
# yaml-language-server: $schema=../src/concierge/nlu/entities.schema.json
lookups:
  product:
    - name: LED high-bay
      synonyms: [high bay, highbay, LED highbay, high-bays]
    - name: THHN wire
      synonyms: [thhn, building wire]
  branch:
    - name: Portland
      synonyms: [PDX, Portland branch]
patterns:
  - type: account_number
    regex: "\\\\bPES-\\\\d{6}\\\\b"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "entities.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(EntityFileError) as caught:
        load_entities(path)
    return [str(problem) for problem in caught.value.problems]


def test_good_file_loads(tmp_path: Path) -> None:
    spec = load_entities(write(tmp_path, GOOD))
    assert list(spec.lookups) == ["product", "branch"]
    assert spec.lookups["product"][0] == LookupValue(
        "LED high-bay", ("high bay", "highbay", "LED highbay", "high-bays"), line=4
    )
    assert spec.patterns == (EntityPattern("account_number", r"\bPES-\d{6}\b", line=12),)
    assert spec.types == ("product", "branch", "account_number")


def test_a_playbook_directory_means_its_entities_file(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    assert list(load_entities(tmp_path).lookups) == ["product", "branch"]


@pytest.mark.parametrize("text", ["", "# nothing yet\n"])
def test_missing_or_empty_file_is_an_empty_spec(tmp_path: Path, text: str) -> None:
    assert load_entities(tmp_path / "nope.yaml") == EntitySpec(path=tmp_path / "nope.yaml")
    assert load_entities(write(tmp_path, text)).lookups == {}


def test_the_error_is_an_nlu_error_and_a_value_error(tmp_path: Path) -> None:
    path = write(tmp_path, "lookups: [1]\n")
    with pytest.raises(NluError):
        load_entities(path)
    with pytest.raises(ValueError, match=f"{path}:1"):
        load_entities(path)


BAD_FILES = [
    pytest.param("lookups:\n  product: [\n", [":3: not valid YAML"], id="yaml-syntax"),
    pytest.param("- 1\n", [":1: the file must be a mapping"], id="not-a-mapping"),
    pytest.param(
        "lookups:\n  product:\n    - name: x\n  Product:\n    - name: y\n",
        [":4: lookups: 'Product' must be snake_case"],
        id="type-name",
    ),
    pytest.param(
        "lookups:\n  money:\n    - name: cash\n",
        [":2: lookups: 'money' is a built-in entity type; choose another name"],
        id="built-in-type",
    ),
    pytest.param(
        "lookups:\n  product:\n    - name: x\n    - name: '  '\n",
        [":4: lookups.product[1].name: must not be blank"],
        id="blank-name",
    ),
    pytest.param(
        "lookups:\n  product:\n    - name: x\n      synonyms: ['']\n",
        [":4: lookups.product[0].synonyms[0]: must not be blank"],
        id="empty-synonym",
    ),
    pytest.param(
        "lookups:\n  product:\n    - nme: x\n",
        [
            ":3: lookups.product[0]: unknown field 'nme' (known fields: name, synonyms)",
            ":3: lookups.product[0]: 'name' is a required property",
        ],
        id="misspelled-field",
    ),
    pytest.param(
        "lookups:\n  product:\n    - name: 12\n",
        [":3: lookups.product[0].name: 12 is read as a YAML int; quote it"],
        id="unquoted-number",
    ),
    pytest.param(
        "patterns:\n  - type: order\n    regex: x\n    flags: i\n",
        [":4: patterns[0]: unknown field 'flags' (known fields: type, regex, case_sensitive)"],
        id="unknown-pattern-field",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_schema_problems_name_file_and_line(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = write(tmp_path, text)
    found = problems(path)
    assert len(found) == len(expected)
    for problem, ending in zip(found, expected, strict=True):
        assert problem.startswith(str(path))
        assert ending in problem


def test_invalid_and_empty_matching_regexes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        patterns:
          - type: order_number
            regex: "\\\\bPES-(\\\\d{6}\\\\b"
          - type: anything
            regex: "a*"
        """,
    )
    assert problems(path) == [
        f"{path}:3: the regex '\\\\bPES-(\\\\d{{6}}\\\\b' is not valid: "
        "missing ), unterminated subpattern at position 6",
        f"{path}:5: the regex 'a*' matches the empty string; it would match everywhere",
    ]


def test_a_synonym_claimed_by_two_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        lookups:
          branch:
            - name: Portland
              synonyms:
                - PDX
            - name: Salem
              synonyms:
                - pdx
        """,
    )
    assert problems(path) == [
        f"{path}:8: branch: 'pdx' is claimed by both 'Portland' (line 5) and 'Salem'; "
        "keep it under one of them"
    ]


def test_hyphen_and_space_spellings_are_the_same_phrase(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        lookups:
          product:
            - name: LED high-bay
            - name: other
              synonyms: [led high bay]
        """,
    )
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:5: product: 'led high bay' is claimed by both")


def test_a_name_defined_twice(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "lookups:\n  branch:\n    - name: Portland\n    - name: portland\n",
    )
    assert problems(path) == [f"{path}:4: branch: 'portland' is defined twice (first on line 3)"]


def test_the_same_phrase_in_two_types_is_fine(tmp_path: Path) -> None:
    text = "lookups:\n  loan_type:\n    - name: business\n  segment:\n    - name: business\n"
    assert set(load_entities(write(tmp_path, text)).lookups) == {"loan_type", "segment"}


@pytest.mark.parametrize("playbook", ["intents", "examples/credit-union/intents"])
def test_shipped_playbooks_load_and_extract(playbook: str) -> None:
    spec = load_entities(ROOT / playbook)
    assert spec.lookups
    assert spec.patterns
    extractor = EntityExtractor(spec)
    assert extractor.extract("email me at a@b.co")[0].type == "email"

"""Turning labelled utterances (a CSV export) into a playbook directory the bot can load.

:func:`plan_intents` decides which examples go under which intent: one intent per label, in
the order labels first appear; examples in file order. Two examples are the same when they
read the same after case and whitespace normalisation (as the classifier and the intents
loader compare them):

- the same example twice under one intent is kept once (a *duplicate dropped*);
- an example labelled with two or more intents is kept under its most frequent label (on a
  tie, the label seen first) and reported as a :class:`Conflict`;
- an intent left with fewer than two different examples cannot be learnt: it is left out
  and reported as a :class:`DroppedIntent`.

:func:`import_labelled` writes ``intents.yaml`` and minimal ``playbook.yaml``,
``entities.yaml``, ``flows.yaml``, ``scoring.yaml`` and ``routing.yaml`` (with comments
saying what to edit next) into a temporary directory next to the target, validates it, and
only then moves the files into place, so a failure never leaves half a playbook.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import textwrap
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from concierge.nlu.intent_checks import MIN_EXAMPLES
from concierge.nlu.intents import INTENTS_FILE, OUT_OF_SCOPE
from concierge.nlu.text import normalise_text
from concierge.playbook.validation import validate_playbook
from concierge.workbench.labelled_csv import LabelledText

STARTER_FLOW = "contact_details"  # in FLOWS_BODY
STARTER_TEAM = "support"  # in ROUTING_BODY
COMMENT_WIDTH = 96
MIN_INTENTS = 2  # a classifier needs two classes to tell apart
OUT_OF_SCOPE_DESCRIPTION = "Something we do not handle"
YAML_WIDTH = 1_000_000  # never fold a long example over two lines
# libyaml's safe dumper and loader when PyYAML has them (ten times faster on 10,000 examples).
SAFE_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ImportRefusedError(Exception):
    """The rows or the target directory cannot make a playbook; the message says why."""


@dataclass(frozen=True)
class Conflict:
    """An example labelled with more than one intent, and the intent that kept it."""

    text: str
    kept: str
    labels: dict[str, int]
    rows: tuple[int, ...]


@dataclass(frozen=True)
class DroppedIntent:
    """An intent left out because it had too few different examples."""

    name: str
    examples: int
    rows: tuple[int, ...]


@dataclass(frozen=True)
class PlannedIntent:
    """An intent to write: its name, description and examples in file order."""

    name: str
    description: str
    examples: tuple[str, ...]


@dataclass
class IntentPlan:
    """What the rows become: intents to write, and what was dropped or resolved on the way."""

    rows: int
    intents: list[PlannedIntent] = field(default_factory=list)
    duplicates: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    dropped: list[DroppedIntent] = field(default_factory=list)

    @property
    def examples(self) -> int:
        """How many examples will be written."""
        return sum(len(intent.examples) for intent in self.intents)

    @property
    def has_out_of_scope(self) -> bool:
        """True when the rows gave the reserved out_of_scope intent enough examples."""
        return any(intent.name == OUT_OF_SCOPE for intent in self.intents)


@dataclass(frozen=True)
class ImportSummary:
    """What :func:`import_labelled` wrote and what it dropped, for the designer to read."""

    out_dir: Path
    files: tuple[Path, ...]
    rows: int
    intents: int
    examples: int
    duplicates: int
    conflicts: tuple[Conflict, ...]
    dropped: tuple[DroppedIntent, ...]
    has_out_of_scope: bool
    warnings: tuple[str, ...]


def describe(name: str) -> str:
    """Human words for an intent name: ``card_arrival`` → ``Card arrival``."""
    if name == OUT_OF_SCOPE:
        return OUT_OF_SCOPE_DESCRIPTION
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


@dataclass
class _Sightings:
    """Every row where one (normalised) example was seen, by intent, in file order."""

    rows: dict[str, list[LabelledText]] = field(default_factory=dict)

    def add(self, row: LabelledText) -> None:
        self.rows.setdefault(row.intent, []).append(row)

    def winner(self) -> str:
        """The most frequent label; on a tie, the one seen first (dicts keep insertion order)."""
        counts = Counter({intent: len(rows) for intent, rows in self.rows.items()})
        return counts.most_common(1)[0][0]


def plan_intents(rows: Iterable[LabelledText]) -> IntentPlan:
    """Decide which examples each intent gets (see the module docstring for the rules)."""
    labels: dict[str, None] = {}  # every label, in order of first appearance
    sightings: dict[str, _Sightings] = {}
    count = 0
    for row in rows:
        count += 1
        labels.setdefault(row.intent)
        sightings.setdefault(normalise_text(row.text), _Sightings()).add(row)
    plan = IntentPlan(rows=count)
    kept: dict[str, list[LabelledText]] = {label: [] for label in labels}
    for seen in sightings.values():
        winner = seen.winner()
        first = seen.rows[winner][0]
        kept[winner].append(first)
        plan.duplicates += len(seen.rows[winner]) - 1
        if len(seen.rows) > 1:
            plan.conflicts.append(_conflict(first.text, winner, seen))
    plan.conflicts.sort(key=lambda conflict: conflict.rows[0])
    for label, examples in kept.items():
        _place(plan, label, sorted(examples, key=lambda row: row.row))
    return plan


def _conflict(text: str, winner: str, seen: _Sightings) -> Conflict:
    every_row = sorted(row.row for rows in seen.rows.values() for row in rows)
    counts = {intent: len(rows) for intent, rows in seen.rows.items()}
    return Conflict(text=text, kept=winner, labels=counts, rows=tuple(every_row))


def _place(plan: IntentPlan, label: str, examples: list[LabelledText]) -> None:
    if len(examples) < MIN_EXAMPLES:
        rows = tuple(row.row for row in examples)
        plan.dropped.append(DroppedIntent(name=label, examples=len(examples), rows=rows))
        return
    texts = tuple(row.text for row in examples)
    plan.intents.append(PlannedIntent(name=label, description=describe(label), examples=texts))


def _schema_line(package: str, filename: str, out_dir: Path) -> str:
    """The editor hint naming the file's JSON Schema, relative to ``out_dir`` when possible."""
    schema = Path(str(resources.files(package).joinpath(filename))).resolve()
    try:
        location = os.path.relpath(schema, out_dir.resolve())
    except ValueError:  # another drive (Windows): an absolute URI still works
        location = schema.as_uri()
    return f"# yaml-language-server: $schema={Path(location).as_posix()}\n"


def _dump(data: Any) -> str:
    """YAML for ``data``: safe, every string quoted as it needs, nothing folded or re-sorted."""
    return yaml.dump(
        data, Dumper=SAFE_DUMPER, allow_unicode=True, width=YAML_WIDTH, sort_keys=False
    )


def _comment(text: str) -> str:
    """``text`` as YAML comment lines, each paragraph wrapped to fit the line length."""
    paragraphs = [" ".join(part.split()) for part in text.strip().split("\n\n")]
    lines = "\n\n".join(textwrap.fill(part, COMMENT_WIDTH) for part in paragraphs if part)
    return "".join(f"# {line}".rstrip() + "\n" for line in lines.splitlines())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def intents_yaml(plan: IntentPlan, out_dir: Path, source: str = "") -> str:
    """The text of ``intents.yaml`` for ``plan``: one block per intent, blank lines between."""
    origin = f" from {_one_line(source)}" if source else ""
    missing = (
        ""
        if plan.has_out_of_scope
        else "\nThere is no `out_of_scope` intent (too few rows labelled oos or out_of_scope): add "
        "one with examples of what the bot should not answer (weather, jokes, other companies) "
        "so it can say so instead of guessing.\n"
    )
    header = _comment(
        f"""
Made by `concierge intents import`{origin}.

What to edit next: every intent starts the `{STARTER_FLOW}` flow (flows.yaml), which asks
for an email address and hands the conversation to the `{STARTER_TEAM}` team (routing.yaml). Give
intents the bot can answer a `reply` (and drop their `flow`), start flows of your own, or hand
off straight away with `handoff: TEAM`. `description` is the label of the "did you mean"
button: keep it short. Keep examples varied (15-30 per intent); an example may appear under one
intent only.
{missing}"""
    )
    blocks = [_dump([_intent_entry(intent)]) for intent in plan.intents]
    schema = _schema_line("concierge.nlu", "intents.schema.json", out_dir)
    return f"{schema}#\n{header}intents:\n" + "\n".join(blocks)


def _intent_entry(intent: PlannedIntent) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": intent.name, "description": intent.description}
    if intent.name != OUT_OF_SCOPE:
        entry["flow"] = STARTER_FLOW
    entry["examples"] = list(intent.examples)
    return entry


def playbook_yaml(out_dir: Path, source: str = "") -> str:
    """A minimal ``playbook.yaml``: a name, placeholder business words and a greeting."""
    name = _one_line(out_dir.resolve().name) or "playbook"
    origin = f" from {_one_line(source)}" if source else ""
    header = _comment(
        f"""
What the bot says before it knows anything else. Made by `concierge intents import`{origin}.
Edit next: `business` (your business's name), `welcome` (the first words of the first reply)
and `greeting` (said when a customer only says hello).
"""
    )
    data = {
        "name": name,
        "business": name,
        "welcome": "Thanks for reaching out!",
        "greeting": "Hi! Tell us what you need and we will help or pass you to the right person.",
    }
    return header + _dump(data)


ENTITIES_BODY = """#
# The things customers name, and what we call them. Built-in entities (email, phone, money,
# quantity, date, postal_code) need no entry here. Add `lookups` that map what customers write
# to one canonical name, for example:
#   lookups:
#     product:
#       - name: debit card
#         synonyms: [bank card, card]
# and `patterns` that find values by regular expression.
lookups: {}
"""

FLOWS_BODY = """#
# The questions the bot asks before handing a conversation over. Every imported intent starts
# this starter flow (`flow: contact_details` in intents.yaml): it asks for an email address, then
# hands over. Write flows of your own (choice, text, email, phone, money, number, date and
# yes_no slots) and start them from the intents they suit.
# `why` is the honest answer when a customer asks "why do you need that?".
flows:
  contact_details:
    description: An email address so the team can reply after the chat closes.
    slots:
      - name: email
        label: Email
        type: email
        question: What email address should we reply to?
        why: So our team can get back to you even if this chat closes.
    on_complete:
      reply: Thanks! Someone from our team will get back to you at {email}.
      handoff: true
"""

SCORING_BODY = """#
# How warm a lead is, in rules a sales manager can read. `fit` is who the customer is and what
# they want; `engagement` is what they have done. Replace this starter rule with your own,
# e.g. {intent: [card_arrival, lost_card]} or {slot: amount, at_least: 10000} conditions,
# then add labels above `warm` (say {label: hot, at_least: 60}) that your rules can reach.
rules:
  - name: left_email
    dimension: fit
    points: 10
    when: {slot: email, present: true}
    reason: Left an email address

caps:
  fit: 100
  engagement: 50

labels:
  - {label: warm, at_least: 10}
  - {label: cold}
"""

ROUTING_BODY = """#
# Who gets the conversation when the bot hands it over. Edit next: your timezone, the team's
# Intercom id (quoted, e.g. intercom_team_id: "5000001"), its office hours, and more teams.
# Rules are checked top to bottom and the first whose `when` holds wins, e.g.
#   rules:
#     - name: card_problems
#       when: {intent: [card_arrival, lost_or_stolen_card]}
#       team: cards
#       sla: high
# `default` catches everything else. SLA tiers: critical 1 h, high 4 h, medium 24 h, low 48 h.
timezone: UTC

teams:
  support:
    name: Support
    expected_reply: within a few hours

rules: []

default:
  team: support
  sla: medium
"""


def playbook_files(plan: IntentPlan, out_dir: Path, source: str = "") -> dict[str, str]:
    """File name → text of every file of the imported playbook."""

    def with_schema(package: str, schema: str, body: str) -> str:
        return _schema_line(package, schema, out_dir) + body

    return {
        "playbook.yaml": playbook_yaml(out_dir, source),
        INTENTS_FILE: intents_yaml(plan, out_dir, source),
        "entities.yaml": with_schema("concierge.nlu", "entities.schema.json", ENTITIES_BODY),
        "flows.yaml": with_schema("concierge.flows", "flows.schema.json", FLOWS_BODY),
        "scoring.yaml": with_schema("concierge.scoring", "scoring.schema.json", SCORING_BODY),
        "routing.yaml": with_schema("concierge.routing", "routing.schema.json", ROUTING_BODY),
    }


def _check_target(out_dir: Path, *, force: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ImportRefusedError(f"{out_dir}: exists and is not a directory")
    if (out_dir / INTENTS_FILE).exists() and not force:
        raise ImportRefusedError(
            f"{out_dir} already has {INTENTS_FILE}; pass --force to replace its playbook files "
            "or choose another --out directory"
        )


def _check_plan(plan: IntentPlan) -> None:
    if len(plan.intents) < MIN_INTENTS:
        kept = ", ".join(intent.name for intent in plan.intents) or "none"
        raise ImportRefusedError(
            f"only {len(plan.intents)} intent(s) have at least {MIN_EXAMPLES} different examples "
            f"({kept}); a playbook needs at least two"
        )


def _check_round_trip(plan: IntentPlan, text: str) -> None:
    """Reading the written YAML back must give every example exactly as it was."""
    data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    written = [(item["name"], tuple(item["examples"])) for item in data["intents"]]
    expected = [(intent.name, intent.examples) for intent in plan.intents]
    if written != expected:
        raise RuntimeError("intents.yaml does not read back as written (a YAML quoting bug)")


def _stage(files: dict[str, str], staging: Path) -> None:
    for name, text in files.items():
        with (staging / name).open("w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())


def _validate_staged(staging: Path, out_dir: Path) -> tuple[str, ...]:
    report = validate_playbook(staging)
    if not report.ok:
        problems = "\n".join(report.errors).replace(str(staging), str(out_dir))
        raise RuntimeError(f"the imported playbook does not validate:\n{problems}")
    return tuple(line.replace(str(staging), str(out_dir)) for line in report.warnings)


def _move_into_place(staging: Path, out_dir: Path, names: Iterable[str]) -> None:
    """Rename the staged directory over a new or empty ``out_dir`` in one step.

    An ``out_dir`` holding other files keeps them: each staged file is renamed into it (a
    rename within one file system does not fail half-way through a file).
    """
    out_dir.mkdir(exist_ok=True)
    if not any(out_dir.iterdir()):
        # mkdtemp makes 0700 directories; give it the mode a new directory gets here
        staging.chmod(stat.S_IMODE(out_dir.stat().st_mode))
        staging.replace(out_dir)
        return
    for name in names:
        (staging / name).replace(out_dir / name)


def import_labelled(
    rows: list[LabelledText], out_dir: Path, *, force: bool = False, source: str = ""
) -> ImportSummary:
    """Write a playbook made from ``rows`` into ``out_dir``; ``source`` names the input.

    Raises ImportRefusedError when ``out_dir`` already has a playbook (and not ``force``) or
    fewer than two intents have enough examples; OSError when the files cannot be written.
    Nothing in ``out_dir`` changes unless every file was written and the playbook validates.
    """
    _check_target(out_dir, force=force)
    plan = plan_intents(rows)
    _check_plan(plan)
    files = playbook_files(plan, out_dir, source)
    _check_round_trip(plan, files[INTENTS_FILE])
    target = out_dir.resolve()  # "." has no name and no parent of its own
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.import-"))
    try:
        _stage(files, staging)
        warnings = _validate_staged(staging, out_dir)
        _move_into_place(staging, target, files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ImportSummary(
        out_dir=out_dir,
        files=tuple(out_dir / name for name in files),
        rows=plan.rows,
        intents=len(plan.intents),
        examples=plan.examples,
        duplicates=plan.duplicates,
        conflicts=tuple(plan.conflicts),
        dropped=tuple(plan.dropped),
        has_out_of_scope=plan.has_out_of_scope,
        warnings=warnings,
    )

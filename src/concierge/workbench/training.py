"""Training a playbook's intent model ahead of time, and saying what changed since the last one.

:func:`train_playbook` reads and checks ``intents.yaml``, trains with
:func:`~concierge.nlu.model_store.train_model` and saves with
:func:`~concierge.nlu.model_store.save_model` into the model directory ``concierge serve``
uses, so the server starts without training. When the saved model already fits the data (the
same check the server makes, :func:`~concierge.nlu.model_store.stale_reason`) nothing is
trained unless forced.

Next to the model it keeps ``training-data.json``: the fingerprint of the data the model was
trained on and, for each intent, the sorted SHA-256 hashes of its normalised examples (hashes,
not texts: examples may hold customers' words). The next training compares against it to
report intents added and removed and, per intent, how many examples came and went.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from concierge.nlu.errors import ModelFileError, NluError
from concierge.nlu.intents import INTENTS_FILE, IntentCatalog, load_intents
from concierge.nlu.model_store import (
    INFO_FILE,
    MODEL_FILE,
    load_model,
    read_info,
    save_model,
    stale_reason,
    train_model,
)
from concierge.nlu.pipeline import TFIDF, FeatureSet
from concierge.nlu.text import normalise_text

RECORD_FILE = "training-data.json"
RECORD_FORMAT = "concierge-training-data/1"
SEED = 0  # the seed concierge serve trains and checks with

Record = dict[str, frozenset[str]]
"""Intent name → hashes of its normalised examples."""


class PlaybookTrainingError(Exception):
    """The playbook cannot be trained or the model cannot be saved; the message says why."""


@dataclass(frozen=True)
class IntentChange:
    """How many (normalised) examples an intent gained and lost since the last model."""

    name: str
    added: int
    removed: int


@dataclass(frozen=True)
class TrainingChanges:
    """What changed since the previous model; ``known`` is False when there is nothing to
    compare with (``note`` says why)."""

    known: bool
    note: str = ""
    added_intents: tuple[str, ...] = ()
    removed_intents: tuple[str, ...] = ()
    changed: tuple[IntentChange, ...] = ()

    def describe(self) -> list[str]:
        """Lines for people: the note, or every intent added, removed and changed."""
        if not self.known:
            return [self.note]
        if not (self.added_intents or self.removed_intents or self.changed):
            return ["no changes since the previous model"]
        lines = [f"intent added: {name}" for name in self.added_intents]
        lines += [f"intent removed: {name}" for name in self.removed_intents]
        lines += [
            f"{change.name}: +{change.added} / -{change.removed} example(s)"
            for change in self.changed
        ]
        return lines


@dataclass(frozen=True)
class TrainingResult:
    """What :func:`train_playbook` did; ``skipped`` when the saved model was already up to date."""

    model_dir: Path
    skipped: bool
    reason: str
    intents: int
    examples: int
    timings: dict[str, float] = field(default_factory=dict)
    size_bytes: int = 0
    changes: TrainingChanges = field(default_factory=lambda: TrainingChanges(known=False))


def example_hash(text: str) -> str:
    """SHA-256 (hex) of an example as the classifier sees it (case and spacing normalised)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def record_of(catalog: IntentCatalog) -> Record:
    """Intent → hashes of its examples, for comparing one training's data with the next."""
    return {
        intent.name: frozenset(example_hash(text) for text in intent.examples)
        for intent in catalog.intents
    }


def compare(before: Record, after: Record) -> TrainingChanges:
    """Intents added and removed, and per kept intent the examples added and removed."""
    changed = tuple(
        IntentChange(name, len(after[name] - before[name]), len(before[name] - after[name]))
        for name in after
        if name in before and after[name] != before[name]
    )
    return TrainingChanges(
        known=True,
        added_intents=tuple(name for name in after if name not in before),
        removed_intents=tuple(name for name in before if name not in after),
        changed=changed,
    )


def write_record(record: Record, fingerprint: str, model_dir: Path) -> None:
    """Save ``training-data.json`` (atomically: a temporary file renamed over the old one)."""
    data = {
        "format": RECORD_FORMAT,
        "fingerprint": fingerprint,
        "intents": {name: sorted(hashes) for name, hashes in record.items()},
    }
    text = json.dumps(data, indent=1) + "\n"
    handle, temporary = tempfile.mkstemp(dir=model_dir, prefix=f".{RECORD_FILE}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        Path(temporary).replace(model_dir / RECORD_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_record(model_dir: Path, fingerprint: str) -> Record | None:
    """The saved record if it describes the data with ``fingerprint``; None otherwise."""
    try:
        data = json.loads((model_dir / RECORD_FILE).read_text(encoding="utf-8"))
        if data["format"] != RECORD_FORMAT or data["fingerprint"] != fingerprint:
            return None
        return {str(name): frozenset(map(str, hashes)) for name, hashes in data["intents"].items()}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _previous_changes(model_dir: Path) -> Callable[[Record], TrainingChanges]:
    """How to compare new data with the model saved now in ``model_dir`` (read before saving)."""
    if not (model_dir / INFO_FILE).exists():
        return lambda _record: TrainingChanges(known=False, note="no previous model")
    try:
        before = read_record(model_dir, read_info(model_dir).fingerprint)
    except ModelFileError:
        before = None
    if before is None:
        note = (
            "changes unknown: the previous model left no record of its training data "
            "(it was trained by concierge serve or is unreadable)"
        )
        return lambda _record: TrainingChanges(known=False, note=note)
    return lambda record: compare(before, record)


def _why_train(
    catalog: IntentCatalog, model_dir: Path, *, force: bool, features: FeatureSet
) -> str | None:
    """Why the model must be trained, or None when the saved one fits the data."""
    if not (model_dir / INFO_FILE).exists():
        return "no previous model"
    try:
        reason = stale_reason(read_info(model_dir), catalog, SEED, features=features)
        if reason is None:
            load_model(model_dir)  # the server would reject a damaged or mismatched pair too
    except ModelFileError as exc:
        return f"the saved model is unusable ({exc})"
    if reason is None and force:
        return "--force"
    return reason


def _read_catalog(directory: Path) -> IntentCatalog:
    try:
        return load_intents(directory / INTENTS_FILE)
    except NluError as exc:
        raise PlaybookTrainingError(
            f"{directory / INTENTS_FILE} has problems to fix before training:\n{exc}"
        ) from None


def _model_size(model_dir: Path) -> int:
    return sum((model_dir / name).stat().st_size for name in (MODEL_FILE, INFO_FILE))


@contextmanager
def _phase(
    name: str, timings: dict[str, float], progress: Callable[[str], None], label: str
) -> Iterator[None]:
    progress(label)
    started = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - started


def train_playbook(
    directory: Path,
    model_dir: Path,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    features: FeatureSet = TFIDF,
) -> TrainingResult:
    """Train the intent model of the playbook in ``directory`` and save it in ``model_dir``.

    ``progress`` is told each phase as it starts (reading, training, saving). Raises
    PlaybookTrainingError listing ``file:line`` problems when the intents are invalid, or
    when the model cannot be trained or saved.
    """
    report = progress or (lambda _phase: None)
    model_dir = model_dir.resolve()
    timings: dict[str, float] = {}
    with _phase("reading", timings, report, f"reading {directory / INTENTS_FILE}"):
        catalog = _read_catalog(directory)
        reason = _why_train(catalog, model_dir, force=force, features=features)
    examples = len(catalog.training_pairs())
    if reason is None:
        if read_record(model_dir, catalog.fingerprint()) is None:
            with suppress(OSError):  # only the next report's comparison needs it
                _save_record(catalog, model_dir)
        return TrainingResult(model_dir, True, "up to date", len(catalog.intents), examples)
    changes = _previous_changes(model_dir)
    label = f"training on {examples} examples of {len(catalog.intents)} intents"
    with _phase("training", timings, report, label):
        try:
            classifier, info = train_model(catalog, seed=SEED, features=features)
        except NluError as exc:
            raise PlaybookTrainingError(f"cannot train on {directory}: {exc}") from None
    with _phase("saving", timings, report, f"saving to {model_dir}"):
        try:
            save_model(classifier, info, model_dir)
            _save_record(catalog, model_dir)
        except OSError as exc:
            raise PlaybookTrainingError(f"cannot save the model in {model_dir}: {exc}") from None
    return TrainingResult(
        model_dir=model_dir,
        skipped=False,
        reason=reason,
        intents=len(catalog.intents),
        examples=examples,
        timings=timings,
        size_bytes=_model_size(model_dir),
        changes=changes(record_of(catalog)),
    )


def _save_record(catalog: IntentCatalog, model_dir: Path) -> None:
    write_record(record_of(catalog), catalog.fingerprint(), model_dir)

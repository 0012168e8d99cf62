"""Text normalisation shared by intent files and the classifier.

The same function runs on training examples, on the fingerprint of the training data, when
looking for duplicate examples, and on every message before it is classified, so the model
never sees text shaped differently from what it was trained on.
"""

from __future__ import annotations

import unicodedata


def normalise_text(text: str) -> str:
    """``text`` in NFKC form, case-folded, with runs of whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())

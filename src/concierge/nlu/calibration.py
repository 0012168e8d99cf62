"""Temperature scaling: turning a linear classifier's margins into confidences that mean something.

A softmax over margins divided by a temperature ``T``. ``T`` is fitted by minimising the
negative log-likelihood of the true intents on *out-of-fold* margins (each example scored by a
model that did not see it), so a confidence of 0.8 is right about 80 % of the time on messages
like the training data. The negative log-likelihood is convex in ``1 / T``, so a golden-section
search over ``log T`` finds the optimum reliably and deterministically.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MIN_TEMPERATURE = 0.01
MAX_TEMPERATURE = 10.0
SEARCH_STEPS = 40
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


def softmax(margins: FloatArray, temperature: float) -> FloatArray:
    """Row-wise softmax of ``margins / temperature`` (numerically stable)."""
    scaled = margins / temperature
    scaled = scaled - scaled.max(axis=-1, keepdims=True)
    weights = np.exp(scaled)
    result: FloatArray = weights / weights.sum(axis=-1, keepdims=True)
    return result


def negative_log_likelihood(margins: FloatArray, truth: IntArray, temperature: float) -> float:
    """Mean negative log-probability of the true class (index ``truth``) at ``temperature``."""
    scaled = margins / temperature
    top = scaled.max(axis=1, keepdims=True)
    log_norm = top[:, 0] + np.log(np.exp(scaled - top).sum(axis=1))
    picked = scaled[np.arange(len(truth)), truth]
    return float(np.mean(log_norm - picked))


def fit_temperature(margins: FloatArray, truth: IntArray) -> float:
    """The temperature that minimises the negative log-likelihood of ``truth`` given ``margins``.

    ``margins`` has one row per example and one column per class; ``truth`` holds the column
    of each example's true class. The result lies in [MIN_TEMPERATURE, MAX_TEMPERATURE].
    """
    low, high = math.log(MIN_TEMPERATURE), math.log(MAX_TEMPERATURE)

    def loss(log_t: float) -> float:
        return negative_log_likelihood(margins, truth, math.exp(log_t))

    for _ in range(SEARCH_STEPS):
        left = high - _GOLDEN * (high - low)
        right = low + _GOLDEN * (high - low)
        if loss(left) <= loss(right):
            high = right
        else:
            low = left
    return math.exp((low + high) / 2.0)

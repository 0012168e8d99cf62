"""Temperature scaling: softmax over margins, and the temperature that fits the data."""

from __future__ import annotations

import numpy as np
import pytest

from concierge.nlu.calibration import (
    MAX_TEMPERATURE,
    MIN_TEMPERATURE,
    fit_temperature,
    negative_log_likelihood,
    softmax,
)


def test_softmax_rows_sum_to_one_and_keep_the_order() -> None:
    margins = np.array([[1.0, 0.0, -1.0], [-3.0, 2.0, 2.5]])
    probabilities = softmax(margins, 0.5)
    np.testing.assert_allclose(probabilities.sum(axis=1), [1.0, 1.0])
    assert (np.argsort(probabilities, axis=1) == np.argsort(margins, axis=1)).all()


def test_softmax_is_stable_for_huge_margins() -> None:
    probabilities = softmax(np.array([1000.0, 0.0]), 0.01)
    np.testing.assert_allclose(probabilities, [1.0, 0.0])


def test_a_lower_temperature_is_more_confident() -> None:
    margins = np.array([0.5, 0.0, -0.5])
    assert softmax(margins, 0.1).max() > softmax(margins, 1.0).max()


@pytest.mark.parametrize("temperature", [0.1, 0.3, 1.0])
def test_fit_temperature_recovers_the_temperature_that_made_the_labels(
    temperature: float,
) -> None:
    random = np.random.default_rng(0)
    margins = random.normal(size=(4000, 5))
    probabilities = softmax(margins, temperature)
    truth = np.array([random.choice(5, p=row) for row in probabilities], dtype=np.int64)
    assert fit_temperature(margins, truth) == pytest.approx(temperature, rel=0.1)


def test_fit_temperature_minimises_the_negative_log_likelihood() -> None:
    random = np.random.default_rng(1)
    margins = random.normal(size=(500, 4))
    truth = random.integers(0, 4, size=500).astype(np.int64)
    truth[:250] = margins[:250].argmax(axis=1)  # half the labels follow the margins
    best = fit_temperature(margins, truth)
    for other in (best * 0.8, best * 1.25):
        assert negative_log_likelihood(margins, truth, best) < negative_log_likelihood(
            margins, truth, other
        )


def test_fit_temperature_stays_within_bounds_for_perfect_separation() -> None:
    margins = np.array([[5.0, -5.0], [-5.0, 5.0]])
    truth = np.array([0, 1], dtype=np.int64)
    assert MIN_TEMPERATURE <= fit_temperature(margins, truth) <= MIN_TEMPERATURE * 1.01
    assert fit_temperature(margins, 1 - truth) <= MAX_TEMPERATURE

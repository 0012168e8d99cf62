"""What a score writes to the contact in Intercom (custom data attributes)."""

from __future__ import annotations

from concierge.domain.decisions import FiredRule, Score

REASONS_LIMIT = 255  # Intercom's limit for a string attribute
REASON_COUNT = 3


def _reason_text(rule: FiredRule) -> str:
    return f"{rule.points:+g} {rule.reason}"


def reasons_text(score: Score, count: int = REASON_COUNT, limit: int = REASONS_LIMIT) -> str:
    """The rules that moved the score most, as one short line ("+25 large order; +20 ...")."""
    moving = [rule for rule in score.top_reasons(len(score.fired)) if rule.points != 0]
    text = "; ".join(_reason_text(rule) for rule in moving[:count])
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def contact_attributes(score: Score) -> dict[str, str | int | float]:
    """Custom attributes to set on the Intercom contact after scoring.

    ``concierge_score`` is the rounded total (an integer, easy to filter on in Intercom);
    fit and engagement keep one decimal and are always floats (an attribute's type is fixed by
    its first value in a workspace, so a whole-number 0 must not make it an integer);
    ``concierge_score_reasons`` is at most 255 characters.
    """
    return {
        "concierge_score": round(score.total),
        "concierge_score_label": score.label,
        "concierge_fit": float(round(score.fit, 1)),
        "concierge_engagement": float(round(score.engagement, 1)),
        "concierge_score_reasons": reasons_text(score),
    }

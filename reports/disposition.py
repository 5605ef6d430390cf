"""Final dispositions and response rates of a survey sample, after the AAPOR Standard Definitions.

A register sample (or a panel drawn from one) has known eligibility: everyone assigned lives in
the city and is old enough. So every case is one of I (complete), P (partial: started, not
finished), NC (non-contact: the questionnaire could not be delivered) or O (other
non-response: delivered, no answer), and there is no "unknown eligibility" term.

RR1 = I / (I + P + NC + O); RR2 = (I + P) / (I + P + NC + O); the contact rate
CON = (I + P + O) / (I + P + NC + O) is the share that could be reached.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Dispositions", "response_rates"]


@dataclass(frozen=True)
class Dispositions:
    """Counts of final dispositions (AAPOR codes 1.1, 1.2, 2.20 and 2.30)."""

    complete: int
    partial: int
    non_contact: int
    other: int

    @property
    def total(self) -> int:
        return self.complete + self.partial + self.non_contact + self.other


def response_rates(dispositions: Dispositions) -> dict[str, float | None]:
    """RR1, RR2 and the contact rate of ``dispositions`` (None when nobody was assigned).

    Parameters
    ----------
    dispositions : Dispositions
        Final dispositions; all cases are known to be eligible.

    Returns
    -------
    dict
        ``{"rr1": ..., "rr2": ..., "contact": ...}`` as proportions.

    References
    ----------
    .. [1] The American Association for Public Opinion Research (2023). *Standard Definitions:
       Final Dispositions of Case Codes and Outcome Rates for Surveys*, 10th ed., pp. 61-64
       (RR1, RR2, CON1).
    """
    counts = (dispositions.complete, dispositions.partial, dispositions.non_contact,
              dispositions.other)
    if any(count < 0 for count in counts):
        raise ValueError("Aantallen kunnen niet negatief zijn.")
    total = dispositions.total
    if total == 0:
        return {"rr1": None, "rr2": None, "contact": None}
    reached = dispositions.complete + dispositions.partial + dispositions.other
    return {"rr1": dispositions.complete / total,
            "rr2": (dispositions.complete + dispositions.partial) / total,
            "contact": reached / total}

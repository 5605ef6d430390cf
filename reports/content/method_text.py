"""What was done, in words: the one source of every method sentence in every report.

A :class:`MethodDescription` is built from the weight set that was actually used (or its
absence) and from the facts of the survey's population (minimum age, register reference date,
the strata of the draws). The PDF method page, the summary note under the findings, chart
descriptions, the slides (PDF and PowerPoint) and the workbook's overview sheet all take their
sentences from the functions below, so no renderer can claim a weighting that was not done.

Sentences about how the 95 % intervals are computed go in :data:`INTERVAL_NOTES` (general) or in
``MethodDescription.interval_notes`` (this report only); :func:`interval_sentences` returns
both, and every renderer prints them after the margin-of-error text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reports.content.text import format_number
from reports.errors import ReportsError
from reports.intervals import interval_rule_text

__all__ = ["INTERVAL_NOTES", "METHODS", "MethodDescription", "chart_caption", "estimate_words",
           "interval_sentences", "late_note", "percent_note", "population_phrase",
           "stored_weights_sentence", "weighting_line", "weighting_paragraph", "weighting_rows"]

METHODS = {"none": "niet gewogen", "poststratify": "poststratificatie (naar de volledige "
           "kruistabel)", "rake": "raking (naar elke marge apart)"}
#: Sentences on how the 95 % intervals are computed, printed in every report (in order).
INTERVAL_NOTES: list[str] = [
    interval_rule_text(),
    "Het 95 %-interval van een gemiddelde is een normaal interval.",
]


@dataclass(frozen=True)
class MethodDescription:
    """How the answers were (or were not) weighted, and to which population.

    ``method`` is ``"none"``, ``"poststratify"`` or ``"rake"``; ``variables`` are the Dutch
    labels of the margins or cells (e.g. ``("leeftijd", "geslacht")``); ``minimum_age`` the
    youngest age of the survey's population; ``register_date`` the reference date of the
    register whose counts were used; ``design_weights`` says whether unequal selection
    probabilities were taken into account; ``trim`` the bounds weights were cut to (× mean).
    """

    method: str = "none"
    variables: tuple[str, ...] = ()
    propensity: bool = False
    trim: tuple[float, float] | None = None
    minimum_age: int | None = None
    register_date: dt.date | None = None
    design_weights: bool = False
    interval_notes: tuple[str, ...] = ()
    late_responses_excluded: int = 0

    def __post_init__(self):
        if self.method not in METHODS:
            raise ReportsError(f"Onbekende wegingsmethode '{self.method}'.")
        if self.method != "none" and not self.variables:
            raise ReportsError("Een weging naar bevolkingscijfers heeft variabelen nodig.")

    @property
    def calibrated(self) -> bool:
        """Weighted to register counts (post-stratification or raking)."""
        return self.method != "none"

    @property
    def weighted(self) -> bool:
        """Respondents do not all count equally."""
        return self.calibrated or self.propensity or self.design_weights


def _join(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} en {words[-1]}"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def population_phrase(description: MethodDescription) -> str:
    """``"de inwoners van 16 jaar en ouder"`` (or ``"de inwoners"`` without a minimum age)."""
    if description.minimum_age is None:
        return "de inwoners"
    return f"de inwoners van {description.minimum_age} jaar en ouder"


def _register(description: MethodDescription) -> str:
    if description.register_date is None:
        return "het bevolkingsregister"
    return f"het bevolkingsregister op {description.register_date:%d-%m-%Y}"


def _steps(description: MethodDescription) -> list[str]:
    steps = []
    if description.design_weights:
        steps.append("de ongelijke kans om gekozen te worden (ontwerpgewichten)")
    if description.propensity:
        steps.append("de kans om te antwoorden, geschat uit de registergegevens van alle "
                     "uitgenodigden (responskans)")
    return steps


def weighting_line(description: MethodDescription) -> str:
    """One sentence: what was weighted to what (slides, workbook, captions)."""
    steps = _steps(description)
    if not description.calibrated:
        if not steps:
            return "Niet gewogen: elke respondent telt even zwaar mee."
        return (f"Niet gewogen naar bevolkingscijfers; wel gecorrigeerd voor {_join(steps)}.")
    correction = f", na correctie voor {_join(steps)}" if steps else ""
    trim = ""
    if description.trim:
        low, high = description.trim
        trim = (f"; gewichten afgekapt tussen {_number(low)} en {_number(high)} keer het "
                "gemiddelde")
    return (f"Gewogen naar {population_phrase(description)} volgens {_register(description)}"
            f" met {METHODS[description.method]} op {_join(description.variables)}"
            f"{correction}{trim}.")


def stored_weights_sentence(late: int) -> str:
    """What a report made with the stored weights says about the answers that came later."""
    answers = "1 antwoord dat" if late == 1 else f"{_count(late)} antwoorden die"
    counts = "telt" if late == 1 else "tellen"
    return (f"Dit rapport gebruikt de bewaarde gewichten: {answers} na de weging "
            f"binnenkwam{'' if late == 1 else 'en'}, {counts} niet mee.")


def late_note(description: MethodDescription) -> str:
    """The stored-weights sentence, or ``""`` when every respondent is in the weighting."""
    late = description.late_responses_excluded
    return stored_weights_sentence(late) if late else ""


def weighting_paragraph(description: MethodDescription, summary) -> str:
    """The PDF's plain-language weighting paragraph (``summary``: a ``WeightingSummary``)."""
    return " ".join(part for part in (_weighting_paragraph(description, summary),
                                      late_note(description)) if part)


def _weighting_paragraph(description: MethodDescription, summary) -> str:
    n = _count(summary.n)
    if not description.weighted:
        return (f"De resultaten zijn niet gewogen: elke respondent telt even zwaar mee. "
                f"Er antwoordden {n} mensen.")
    if description.calibrated:
        lead = (f"Sommige groepen antwoordden vaker dan andere. Daarom wegen we de antwoorden: "
                f"wie tot een groep behoort die minder antwoordde, telt iets zwaarder mee, zodat "
                f"de groep respondenten qua {_join(description.variables)} lijkt op "
                f"{population_phrase(description)}. {weighting_line(description)}")
    else:
        lead = weighting_line(description)
    return (f"{lead} De gewichten liggen tussen {_decimal(summary.weight_min)} en "
            f"{_decimal(summary.weight_max)}. Door het wegen worden de resultaten iets minder "
            f"nauwkeurig: het design-effect is {_decimal(summary.design_effect)}, zodat de {n} "
            f"antwoorden even nauwkeurig zijn als ongeveer {_count(summary.effective_n)} "
            f"antwoorden zonder weging (effectieve n).")


def percent_note(description: MethodDescription) -> str:
    """The note under the key findings: are the percentages weighted?"""
    if description.weighted:
        return "Percentages zijn gewogen"
    return "Percentages zijn niet gewogen"


def estimate_words(description: MethodDescription, *, percent: bool) -> str:
    """``"gewogen percentages"`` or ``"percentages"`` (chart descriptions and headers)."""
    what = "percentages" if percent else "gemiddelden"
    return f"gewogen {what}" if description.weighted else what


def chart_caption(description: MethodDescription, *, percent: bool) -> str:
    """The caption under a chart: what the bars show and whether they are weighted."""
    what = estimate_words(description, percent=percent)
    return f"{what[0].upper()}{what[1:]} met 95 %-interval (de lijn rond elk resultaat)."


def interval_sentences(description: MethodDescription) -> list[str]:
    """How the intervals are computed: the general notes, then this report's own."""
    return [*INTERVAL_NOTES, *description.interval_notes]


def weighting_rows(description: MethodDescription) -> list[list[str]]:
    """Label–value rows for the workbook's overview sheet."""
    return [
        ["Weging", " ".join(part for part in (weighting_line(description),
                                              late_note(description)) if part)],
        ["Wegingsmethode", METHODS[description.method]],
        ["Marges", ", ".join(description.variables) if description.calibrated
         else "niet gewogen"],
        ["Correctie voor de kans om te antwoorden", "ja" if description.propensity else "nee"],
        ["Bevolking", population_phrase(description)],
        ["Register", _register(description)],
    ]


def _decimal(value: float) -> str:
    return format_number(value, 2)


def _count(value: float) -> str:
    return format_number(value, 0)

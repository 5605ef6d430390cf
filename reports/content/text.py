"""Dutch number formats, question headlines and automatic key findings.

Formats (used by every renderer, and parsed back by the tests): a share is printed with one
decimal, a decimal comma, a space and ``%`` (``"43,2 %"``); an interval as ``"40,1–46,3 %"``;
a mean with one decimal (``"6,8"``); a suppressed cell as ``"–"`` (an en dash), never a number.
"""

from __future__ import annotations

import math

import pandas as pd

SUPPRESSED = "–"
MAX_FINDINGS = 6
MAX_DIFFERENCES = 4


def format_number(value: float, decimals: int = 1) -> str:
    """``1234.56`` → ``"1.234,6"`` (Dutch separators); NaN → ``"–"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return SUPPRESSED
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def format_percent(share: float) -> str:
    """A share (0–1) as ``"43,2 %"``; NaN → ``"–"``."""
    if share is None or math.isnan(share):
        return SUPPRESSED
    return f"{format_number(100 * share)} %"


def format_interval(low: float, high: float, *, percent: bool = True) -> str:
    """``"40,1–46,3 %"`` (or ``"6,1–7,0"`` for means); NaN → ``"–"``."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return SUPPRESSED
    scale = 100 if percent else 1
    suffix = " %" if percent else ""
    return f"{format_number(scale * low)}–{format_number(scale * high)}{suffix}"


def format_estimate(value: float, kind: str) -> str:
    """A share as a percentage, a mean as a number."""
    return format_number(value) if kind == "mean" else format_percent(value)


def _largest(table: pd.DataFrame) -> pd.Series | None:
    usable = table[~table["suppressed"].astype(bool)]
    if usable.empty:
        return None
    return usable.loc[usable["estimate"].astype(float).idxmax()]


def headline(result) -> str:
    """One sentence with the most striking number of a question (from its overall table)."""
    if result.kind == "text":
        if not result.themes:
            return f"{result.n_texts} open antwoorden; te weinig om thema's te vormen."
        return (f"{result.n_texts} open antwoorden; het vaakst genoemd: "
                f"{result.themes[0].label}.")
    if result.kind == "none":
        return ""
    row = _largest(result.table)
    if row is None:
        return "Te weinig antwoorden om een resultaat te tonen."
    if result.kind == "mean":
        return f"Gemiddeld antwoord: {format_number(row['estimate'])}."
    if result.kind == "choices":
        return f"Het vaakst gekozen: ‘{row['label']}’ ({format_percent(row['estimate'])})."
    prefix = f"{row['item']}: " if row["item"] else ""
    return f"{prefix}{format_percent(row['estimate'])} antwoordt ‘{row['label']}’."


def _difference_sentence(row: pd.Series, result, breakdown_label: str, kind: str) -> str:
    overall = result.table
    match = overall[(overall["variable"] == row["variable"])
                    & (overall["label"] == row["label"])]
    total = format_estimate(float(match["estimate"].iloc[0]), kind) if len(match) else ""
    word = "hoger" if row["mark"] > 0 else "lager"
    subject = f"‘{row['label']}’" if kind != "mean" else "het gemiddelde"
    item = f" ({row['item']})" if row["item"] else ""
    return (f"Vraag {result.question.number}{item}: {subject} ligt {word} bij "
            f"{breakdown_label.lower()} {row['group']} ({format_estimate(row['estimate'], kind)}"
            f", tegenover {total} in totaal).")


def key_findings(results, breakdowns) -> list[str]:
    """Headlines of the first questions, then the clearest significant group differences."""
    findings = [f"Vraag {result.question.number}. {result.headline}" for result in results
                if result.kind not in ("none", "text") and result.headline][:MAX_FINDINGS]
    labels = dict(breakdowns)
    candidates = []
    for result in results:
        for column, table in result.breakdowns.items():
            marked = table[table["mark"].to_numpy(int) != 0] if not table.empty else table
            candidates += [(float(row["p_value"]), position, result, column, row)
                           for position, (_, row) in enumerate(marked.iterrows())]
    candidates.sort(key=lambda candidate: candidate[:2])
    return findings + [_difference_sentence(row, result, labels[column], result.kind)
                       for _, _, result, column, row in candidates[:MAX_DIFFERENCES]]

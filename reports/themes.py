"""Themes in open answers: TF-IDF terms factorised with non-negative matrix factorisation.

Each answer is assigned to the theme with the largest weight in its NMF representation;
answers without any known term stay unassigned. Example quotes are masked with
:func:`reports.safe.mask_pii`. The result is deterministic for a given ``seed`` (NMF's
``nndsvda`` start is deterministic; ``seed`` fixes any remaining randomness).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer

from reports.safe import mask_pii

__all__ = ["DUTCH_STOP_WORDS", "MIN_TEXTS", "Theme", "extract_themes", "mask_pii"]

MIN_TEXTS = 5
EXAMPLE_LENGTH = 220
_STOP_WORD_TEXT = """
aan al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door
dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand
iets ik in is ja je jij kan kon kunnen maar me meer men met mij mijn moet moeten na naar niet
niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel
voor want waren was wat we wel werd wezen wie wij wil worden wordt zal ze zelf zich zij zijn
zo zonder zou zouden zeer echt graag ben wordt worden hadden waar waarom wanneer welke
gewoon soms vaak nooit beetje heel erg mag moet vind vinden denk mee minder
"""
DUTCH_STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())


@dataclass(frozen=True)
class Theme:
    """One theme: its label (top terms), how many answers it covers and masked examples."""

    label: str
    count: int
    share: float
    terms: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


def theme_count(n_texts: int) -> int:
    """Number of themes: ``round(sqrt(n / 5))`` kept between 3 and 8."""
    return min(8, max(3, round(math.sqrt(n_texts / 5))))


def _matrix(texts: list[str]):
    vectorizer = TfidfVectorizer(stop_words=sorted(DUTCH_STOP_WORDS), min_df=2 if len(
        texts) >= 20 else 1, token_pattern=r"(?u)\b[^\W\d_]{3,}\b", sublinear_tf=True)
    return vectorizer.fit_transform(texts), vectorizer.get_feature_names_out()


def _factorise(matrix, n_themes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    model = NMF(n_components=n_themes, init="nndsvda", random_state=seed, max_iter=400)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        loadings = model.fit_transform(matrix)
    return loadings, model.components_


def _examples(texts: list[str], loadings: np.ndarray, members: np.ndarray, limit: int):
    order = members[np.argsort(-loadings[members], kind="stable")][:limit]
    return [_shorten(mask_pii(texts[index])) for index in order]


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXAMPLE_LENGTH else text[: EXAMPLE_LENGTH - 1].rstrip() + "…"


def extract_themes(
    texts: Sequence[str],
    *,
    n_themes: int | None = None,
    seed: int = 0,
    language: str = "nl",
    max_examples: int = 3,
) -> list[Theme]:
    """Group open answers into a few themes labelled by their most typical words.

    Parameters
    ----------
    texts : sequence of str
        The open answers; empty ones are ignored.
    n_themes : int, optional
        Number of themes; by default ``round(sqrt(n / 5))`` between 3 and 8.
    seed : int
        Random state of the factorisation.
    language : str
        Only ``"nl"`` (Dutch stop words) is supported.
    max_examples : int
        Masked example answers per theme (the answers most typical of it).

    Returns
    -------
    list of Theme
        Themes ordered by their number of answers; empty when fewer than five answers or
        no usable words.

    References
    ----------
    Lee, D. D. and Seung, H. S. (1999). Learning the parts of objects by non-negative matrix
    factorization. Nature 401, 788-791. scikit-learn: ``TfidfVectorizer``, ``NMF``.
    """
    if language != "nl":
        raise ValueError(f"Alleen Nederlands wordt ondersteund, niet '{language}'.")
    cleaned = [" ".join(str(text).split()) for text in texts if str(text).strip()]
    if len(cleaned) < MIN_TEXTS:
        return []
    try:
        matrix, terms = _matrix(cleaned)
    except ValueError:
        return []
    count = min(n_themes or theme_count(len(cleaned)), matrix.shape[1], len(cleaned) - 1)
    loadings, components = _factorise(matrix, count, seed)
    return _themes(cleaned, loadings, components, terms, max_examples)


def _themes(texts, loadings, components, terms, max_examples) -> list[Theme]:
    assigned = np.where(loadings.max(axis=1) > 0, loadings.argmax(axis=1), -1)
    themes = []
    for topic, weights in enumerate(components):
        members = np.flatnonzero(assigned == topic)
        if members.size == 0:
            continue
        top = [str(terms[index]) for index in np.argsort(-weights, kind="stable")[:3]]
        themes.append(Theme(
            label=", ".join(top), count=int(members.size), share=members.size / len(texts),
            terms=top, examples=_examples(texts, loadings[:, topic], members, max_examples)))
    return sorted(themes, key=lambda theme: (-theme.count, theme.label))

"""Themes of open answers and PII masking."""

import numpy as np
import pytest

from reports.themes import extract_themes, mask_pii, theme_count
from tests.reports.synthetic import TOPICS, _text


def _texts(count: int, seed: int) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    topics = [str(topic) for topic in rng.choice(list(TOPICS), count)]
    return [_text(topic, rng) for topic in topics], topics


def test_same_seed_same_themes():
    texts, _ = _texts(120, 1)
    assert extract_themes(texts, seed=4) == extract_themes(texts, seed=4)


def test_themes_recover_the_planted_topics():
    texts, topics = _texts(200, 2)
    themes = extract_themes(texts, n_themes=5)
    assert sum(theme.count for theme in themes) == len(texts)
    for theme in themes:
        owners = {topic for topic, words in TOPICS.items() if set(theme.terms) <= set(
            words.split())}
        assert len(owners) == 1, theme.terms
    counts = {topic: topics.count(topic) for topic in TOPICS}
    assert sorted(theme.count for theme in themes) == sorted(counts.values())
    assert all(len(theme.examples) == 3 for theme in themes)


def test_theme_count_rule_and_few_texts():
    assert [theme_count(n) for n in (5, 45, 125, 10_000)] == [3, 3, 5, 8]
    assert extract_themes(["te weinig", "antwoorden", "hier", "maar vier"]) == []
    assert extract_themes(["", " ", "park"] * 2) == []


def test_examples_are_masked():
    texts, _ = _texts(60, 3)
    texts = [text + " Mail jan@example.be of bel 0470 12 34 56." for text in texts]
    examples = [example for theme in extract_themes(texts) for example in theme.examples]
    assert examples and all("@" not in example and "0470" not in example
                            for example in examples)


@pytest.mark.parametrize(("text", "expected"), [
    ("Mail naar an.peeters@stad.be aub", "Mail naar [e-mail] aub"),
    ("Bel 0470 12 34 56", "Bel [telefoon]"),
    ("Bel +32 470 12 34 56.", "Bel [telefoon]."),
    ("of 02/123.45.67", "of [telefoon]"),
    ("of 0032 9 234 56 78", "of [telefoon]"),
    ("rekening BE68 5390 0754 7034", "rekening [rekeningnummer]"),
    ("nr 85.07.30-033.28", "nr [rijksregisternummer]"),
    ("nr 85073003328!", "nr [rijksregisternummer]!"),
    ("Ik ben Jan Peeters en woon hier", "Ik ben [naam] en woon hier"),
    ("mijn naam is Els Van den Bossche.", "mijn naam is [naam]."),
    ("Meneer De Smet zei dat", "Meneer [naam] zei dat"),
    ("mevrouw Janssens", "mevrouw [naam]"),
    ("ik ben blij met het park", "ik ben blij met het park"),
    ("In 2023 kostte het 1.250 euro voor 12 bomen", "In 2023 kostte het 1.250 euro voor 12 bomen"),
])
def test_mask_pii(text, expected):
    assert mask_pii(text) == expected

"""Group nationalities as ``BE``, ``EU``, ``NON_EU`` or ``ONBEKEND`` (Dutch, French, English)."""

from __future__ import annotations

import pandas as pd

from sampling.register.headers import normalise_header

BELGIAN = ("België", "Belgie", "Belg", "Belgische", "Belgisch", "Belge", "Belgique", "Belgium",
           "Belgian", "BE", "BEL")
# One entry per EU member other than Belgium (26; EU of 27 since 2020): Dutch name and
# adjective(s), French name and adjective(s), English name and adjective, ISO alpha-2 and -3.
EU_MEMBERS = (
    ("Nederland", "Nederlands", "Nederlandse", "Nederlander", "Pays-Bas", "néerlandais",
     "néerlandaise", "Netherlands", "Dutch", "NL", "NLD"),
    ("Frankrijk", "Frans", "Franse", "France", "français", "française", "French", "FR", "FRA"),
    ("Duitsland", "Duits", "Duitse", "Allemagne", "allemand", "allemande", "Germany", "German",
     "DE", "DEU"),
    ("Luxemburg", "Luxemburgs", "Luxemburgse", "Luxembourg", "luxembourgeois",
     "luxembourgeoise", "Luxembourgish", "LU", "LUX"),
    ("Italië", "Italiaans", "Italiaanse", "Italie", "italien", "italienne", "Italy", "Italian",
     "IT", "ITA"),
    ("Spanje", "Spaans", "Spaanse", "Espagne", "espagnol", "espagnole", "Spain", "Spanish",
     "ES", "ESP"),
    ("Portugal", "Portugees", "Portugese", "portugais", "portugaise", "Portuguese", "PT", "PRT"),
    ("Polen", "Pools", "Poolse", "Pologne", "polonais", "polonaise", "Poland", "Polish",
     "PL", "POL"),
    ("Roemenië", "Roemeens", "Roemeense", "Roumanie", "roumain", "roumaine", "Romania",
     "Romanian", "RO", "ROU"),
    ("Bulgarije", "Bulgaars", "Bulgaarse", "Bulgarie", "bulgare", "Bulgaria", "Bulgarian",
     "BG", "BGR"),
    ("Griekenland", "Grieks", "Griekse", "Grèce", "grec", "grecque", "Greece", "Greek",
     "GR", "EL", "GRC"),
    ("Ierland", "Iers", "Ierse", "Irlande", "irlandais", "irlandaise", "Ireland", "Irish",
     "IE", "IRL"),
    ("Oostenrijk", "Oostenrijks", "Oostenrijkse", "Autriche", "autrichien", "autrichienne",
     "Austria", "Austrian", "AT", "AUT"),
    ("Denemarken", "Deens", "Deense", "Danemark", "danois", "danoise", "Denmark", "Danish",
     "DK", "DNK"),
    ("Zweden", "Zweeds", "Zweedse", "Suède", "suédois", "suédoise", "Sweden", "Swedish",
     "SE", "SWE"),
    ("Finland", "Fins", "Finse", "Finlande", "finlandais", "finlandaise", "Finnish", "FI", "FIN"),
    ("Estland", "Estisch", "Estse", "Estonie", "estonien", "estonienne", "Estonia", "Estonian",
     "EE", "EST"),
    ("Letland", "Lets", "Letse", "Lettonie", "letton", "lettone", "Latvia", "Latvian",
     "LV", "LVA"),
    ("Litouwen", "Litouws", "Litouwse", "Lituanie", "lituanien", "lituanienne", "Lithuania",
     "Lithuanian", "LT", "LTU"),
    ("Tsjechië", "Tsjechisch", "Tsjechische", "Tchéquie", "République tchèque", "tchèque",
     "Czechia", "Czech Republic", "Czech", "CZ", "CZE"),
    ("Slowakije", "Slowaaks", "Slowaakse", "Slovaquie", "slovaque", "Slovakia", "Slovak",
     "SK", "SVK"),
    ("Slovenië", "Sloveens", "Sloveense", "Slovénie", "slovène", "Slovenia", "Slovenian",
     "SI", "SVN"),
    ("Hongarije", "Hongaars", "Hongaarse", "Hongrie", "hongrois", "hongroise", "Hungary",
     "Hungarian", "HU", "HUN"),
    ("Kroatië", "Kroatisch", "Kroatische", "Croatie", "croate", "Croatia", "Croatian",
     "HR", "HRV"),
    ("Cyprus", "Cypriotisch", "Cypriotische", "Chypre", "chypriote", "Cypriot", "CY", "CYP"),
    ("Malta", "Maltees", "Maltese", "Malte", "maltais", "maltaise", "MT", "MLT"),
)

_GROUPS = {normalise_header(name): "BE" for name in BELGIAN}
for _names in EU_MEMBERS:
    _GROUPS.update({normalise_header(name): "EU" for name in _names})


def nationality_group(value: str) -> str:
    """``BE``, ``EU``, ``NON_EU`` or ``ONBEKEND`` (blank) for one nationality text."""
    key = normalise_header(value)
    if not key:
        return "ONBEKEND"
    return _GROUPS.get(key, "NON_EU")


def nationality_groups(values: pd.Series) -> pd.Series:
    """Vectorised :func:`nationality_group` (one call per distinct value)."""
    codes, uniques = pd.factorize(values)
    groups = [nationality_group(value) for value in uniques]
    return pd.Series(pd.array(groups, dtype="str")[codes] if len(codes) else [],
                     index=values.index, dtype="str")

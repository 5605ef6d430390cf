"""Fixed wording of the paper questionnaire (nl/fr/en) and routing sentences from conditions."""

import datetime as dt

from app.surveys.definition.model import AnyCondition, Condition, Question, text_in

PHRASES = {
    "nl": {
        "how_title": "Hoe vult u deze vragenlijst in?",
        "how_tick": "Zet een kruisje in het vakje van uw antwoord.",
        "how_correct": "Vergist? Kleur het foute vakje helemaal zwart en zet een kruisje in "
                       "het juiste vakje.",
        "how_write": "Schrijf cijfers in de vakjes, één cijfer per vakje. Schrijf duidelijk.",
        "yes": "Ja", "no": "Nee",
        "multiple": "(meerdere antwoorden mogelijk)",
        "multiple_max": "(maximaal {count} antwoorden)",
        "one": "(één antwoord per rij)",
        "number_range": "Vul een getal in van {low} tot en met {high}.",
        "number_min": "Vul een getal in vanaf {low}.", "number_max": "Vul een getal in tot en "
                                                                      "met {high}.",
        "number_any": "Vul een getal in.",
        "day": "dag", "month": "maand", "year": "jaar",
        "write_here": "Schrijf uw antwoord op de lijnen.",
        "page_of": "pagina {page} van {pages}", "code": "Code",
        "blank": "Deze pagina is bewust leeg gelaten.",
        "return": "Stuur deze vragenlijst terug in de bijgevoegde antwoordenvelop. "
                  "Een postzegel is niet nodig.",
        "end": "Einde van de vragenlijst",
        "question_only": "Beantwoord deze vraag alleen als {fragment}.",
        "section_only": "Vul dit deel alleen in als {fragment}.",
        "otherwise_go": "Anders gaat u verder met vraag {number}.",
        "otherwise_end": "Anders bent u klaar met de vragenlijst.",
        "in": "u bij vraag {number} {values} antwoordde",
        "not_in": "u bij vraag {number} niet {values} antwoordde",
        "answered": "u vraag {number} beantwoordde",
        "gt": "u bij vraag {number} meer dan {value} antwoordde",
        "lt": "u bij vraag {number} minder dan {value} antwoordde",
        "gt_date": "u bij vraag {number} een datum na {value} invulde",
        "lt_date": "u bij vraag {number} een datum vóór {value} invulde",
        "and": " en ", "or": " of ",
    },
    "fr": {
        "how_title": "Comment remplir ce questionnaire ?",
        "how_tick": "Faites une croix dans la case de votre réponse.",
        "how_correct": "Une erreur ? Noircissez complètement la mauvaise case et faites une "
                       "croix dans la bonne case.",
        "how_write": "Écrivez les chiffres dans les cases, un chiffre par case. Écrivez "
                     "lisiblement.",
        "yes": "Oui", "no": "Non",
        "multiple": "(plusieurs réponses possibles)",
        "multiple_max": "(maximum {count} réponses)",
        "one": "(une réponse par ligne)",
        "number_range": "Indiquez un nombre de {low} à {high}.",
        "number_min": "Indiquez un nombre à partir de {low}.",
        "number_max": "Indiquez un nombre jusqu'à {high}.",
        "number_any": "Indiquez un nombre.",
        "day": "jour", "month": "mois", "year": "année",
        "write_here": "Écrivez votre réponse sur les lignes.",
        "page_of": "page {page} de {pages}", "code": "Code",
        "blank": "Cette page est intentionnellement laissée blanche.",
        "return": "Renvoyez ce questionnaire dans l'enveloppe-réponse jointe. "
                  "Il n'est pas nécessaire de l'affranchir.",
        "end": "Fin du questionnaire",
        "question_only": "Répondez à cette question uniquement si {fragment}.",
        "section_only": "Remplissez cette partie uniquement si {fragment}.",
        "otherwise_go": "Sinon, passez à la question {number}.",
        "otherwise_end": "Sinon, vous avez terminé le questionnaire.",
        "in": "vous avez répondu {values} à la question {number}",
        "not_in": "vous n'avez pas répondu {values} à la question {number}",
        "answered": "vous avez répondu à la question {number}",
        "gt": "vous avez répondu plus de {value} à la question {number}",
        "lt": "vous avez répondu moins de {value} à la question {number}",
        "gt_date": "vous avez indiqué une date après le {value} à la question {number}",
        "lt_date": "vous avez indiqué une date avant le {value} à la question {number}",
        "and": " et ", "or": " ou ",
    },
    "en": {
        "how_title": "How to fill in this questionnaire",
        "how_tick": "Put a cross in the box of your answer.",
        "how_correct": "Made a mistake? Fill the wrong box in completely and put a cross in the "
                       "right box.",
        "how_write": "Write numbers in the boxes, one digit per box. Please write clearly.",
        "yes": "Yes", "no": "No",
        "multiple": "(more than one answer possible)",
        "multiple_max": "(at most {count} answers)",
        "one": "(one answer per row)",
        "number_range": "Write a number from {low} to {high}.",
        "number_min": "Write a number of at least {low}.",
        "number_max": "Write a number of at most {high}.",
        "number_any": "Write a number.",
        "day": "day", "month": "month", "year": "year",
        "write_here": "Write your answer on the lines.",
        "page_of": "page {page} of {pages}", "code": "Code",
        "blank": "This page is intentionally left blank.",
        "return": "Please return this questionnaire in the enclosed reply envelope. "
                  "No stamp is needed.",
        "end": "End of the questionnaire",
        "question_only": "Answer this question only if {fragment}.",
        "section_only": "Fill in this part only if {fragment}.",
        "otherwise_go": "Otherwise, go on to question {number}.",
        "otherwise_end": "Otherwise, you have finished the questionnaire.",
        "in": "you answered {values} to question {number}",
        "not_in": "you did not answer {values} to question {number}",
        "answered": "you answered question {number}",
        "gt": "you answered more than {value} to question {number}",
        "lt": "you answered less than {value} to question {number}",
        "gt_date": "you wrote a date after {value} for question {number}",
        "lt_date": "you wrote a date before {value} for question {number}",
        "and": " and ", "or": " or ",
    },
}


def phrase(language: str, key: str, **values: object) -> str:
    """A fixed phrase in `language` (Dutch when the language is unknown), filled in."""
    return PHRASES.get(language, PHRASES["nl"])[key].format(**values)


def show_number(value: float | int | str, language: str) -> str:
    """A number as printed: decimal comma in Dutch and French."""
    text = f"{float(value):g}" if not isinstance(value, int) else str(value)
    return text.replace(".", ",") if language in ("nl", "fr") else text


def routing_fragment(condition: AnyCondition, targets: dict[str, tuple[Question, str]],
                     language: str) -> str:
    """Plain-language clause for a condition, e.g. "u bij vraag 3 'Ja' antwoordde".

    `targets` maps a variable code to its question and printed number.
    """
    if not isinstance(condition, Condition):
        joiner = phrase(language, "and" if condition.kind == "all" else "or")
        return joiner.join(routing_fragment(member, targets, language)
                           for member in condition.conditions)
    question, number = targets[condition.question]
    if condition.operator == "answered":
        return phrase(language, "answered", number=number)
    if condition.operator in ("gt", "lt"):
        value = condition.values[0]
        if question.type == "date":
            shown = dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            return phrase(language, f"{condition.operator}_date", number=number, value=shown)
        return phrase(language, condition.operator, number=number,
                      value=show_number(float(value), language))
    return phrase(language, condition.operator, number=number,
                  values=_value_list(question, condition.values, language))


def _value_list(question: Question, values: tuple[str, ...], language: str) -> str:
    labels = {option.value: text_in(option.label, language)
              for option in question.options + question.missing}
    shown = [f"'{labels.get(value, value)}'" for value in values]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + phrase(language, "or") + shown[-1]


def routing_sentence(condition: AnyCondition, targets: dict[str, tuple[Question, str]],
                     language: str, *, section: bool, next_number: str | None) -> str:
    """Full routing instruction, including where to go otherwise."""
    fragment = routing_fragment(condition, targets, language)
    first = phrase(language, "section_only" if section else "question_only", fragment=fragment)
    then = phrase(language, "otherwise_go", number=next_number) if next_number else \
        phrase(language, "otherwise_end")
    return f"{first} {then}"

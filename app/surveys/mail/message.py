"""The e-mail that invites a panel member to a survey, or reminds them: plain text and HTML.

The texts are written out per language here (like ``PRIVACY_LABELS`` of the letters), because
the message is built in a background job, outside any request and its locale.
"""

import html
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

TEXTS = {
    "nl": {
        "subject": "Nieuwe bevraging: {title}",
        "reminder_subject": "Herinnering: {title}",
        "greeting": "Beste panellid,",
        "intro": "U bent lid van {panel}. We vragen uw mening in een nieuwe bevraging: "
                 "“{title}”. Het invullen duurt ongeveer een kwartier; u kunt tussendoor "
                 "stoppen en later verdergaan.",
        "reminder_intro": "Onlangs vroegen we uw mening in de bevraging “{title}”. We hebben "
                          "uw antwoorden nog niet ontvangen. Wilt u de vragenlijst nog invullen?",
        "link": "Vul de vragenlijst in via uw persoonlijke link:",
        "code": "Of surf naar {website} en typ uw code: {code}",
        "privacy": "Privacy: {controller} gebruikt uw antwoorden alleen voor dit onderzoek en "
                   "toont ze nooit met uw naam. Vragen? {dpo}",
        "preferences": "Liever op papier, een andere taal of het panel verlaten? "
                       "Kies het hier:",
        "unsubscribe": "Geen e-mails meer van ons? Meld u af:",
        "closing": "Hartelijk dank,\n{panel}",
    },
    "fr": {
        "subject": "Nouvelle enquête : {title}",
        "reminder_subject": "Rappel : {title}",
        "greeting": "Cher membre du panel,",
        "intro": "Vous êtes membre de {panel}. Nous vous demandons votre avis dans une nouvelle "
                 "enquête : « {title} ». Elle prend environ un quart d’heure ; vous pouvez "
                 "vous arrêter et reprendre plus tard.",
        "reminder_intro": "Nous vous avons récemment invité à l’enquête « {title} ». Nous "
                          "n’avons pas encore reçu vos réponses. Voulez-vous encore y répondre ?",
        "link": "Répondez via votre lien personnel :",
        "code": "Ou rendez-vous sur {website} et tapez votre code : {code}",
        "privacy": "Vie privée : {controller} utilise vos réponses uniquement pour cette étude "
                   "et ne les montre jamais avec votre nom. Des questions ? {dpo}",
        "preferences": "Plutôt sur papier, dans une autre langue, ou quitter le panel ? "
                       "Choisissez ici :",
        "unsubscribe": "Ne plus recevoir d’e-mails ? Désinscrivez-vous :",
        "closing": "Merci beaucoup,\n{panel}",
    },
    "en": {
        "subject": "New survey: {title}",
        "reminder_subject": "Reminder: {title}",
        "greeting": "Dear panel member,",
        "intro": "You are a member of {panel}. We would like your opinion in a new survey: "
                 "“{title}”. It takes about fifteen minutes; you can stop and continue later.",
        "reminder_intro": "Recently we invited you to the survey “{title}”. We have not yet "
                          "received your answers. Would you still like to take part?",
        "link": "Answer through your personal link:",
        "code": "Or go to {website} and type your code: {code}",
        "privacy": "Privacy: {controller} uses your answers only for this study and never "
                   "shows them with your name. Questions? {dpo}",
        "preferences": "Prefer paper, another language, or leaving the panel? Choose here:",
        "unsubscribe": "No more e-mails from us? Unsubscribe:",
        "closing": "Thank you,\n{panel}",
    },
}


@dataclass(frozen=True)
class SurveyMail:
    """Everything personal in one survey e-mail."""

    to: str
    language: str
    title: str
    panel: str
    link: str
    code: str
    website: str
    preferences_url: str
    unsubscribe_url: str
    controller: str
    dpo: str


def _parts(mail: SurveyMail, reminder: bool) -> dict[str, str]:
    texts = TEXTS.get(mail.language, TEXTS["nl"])
    values = {"title": mail.title, "panel": mail.panel, "website": mail.website,
              "code": mail.code, "controller": mail.controller or mail.panel,
              "dpo": mail.dpo}
    parts = {name: text.format(**values) for name, text in texts.items()}
    parts["subject"] = parts["reminder_subject" if reminder else "subject"]
    parts["intro"] = parts["reminder_intro" if reminder else "intro"]
    return parts


def survey_message(mail: SurveyMail, *, sender: str, reminder: bool) -> EmailMessage:
    """A personal survey invitation (or reminder) with plain-text and HTML parts."""
    parts = _parts(mail, reminder)
    text = "\n\n".join([
        parts["greeting"], parts["intro"], f"{parts['link']}\n{mail.link}", parts["code"],
        parts["closing"], "--", parts["privacy"],
        f"{parts['preferences']}\n{mail.preferences_url}",
        f"{parts['unsubscribe']}\n{mail.unsubscribe_url}"]) + "\n"
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = parts["subject"], sender, mail.to
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = mail.language
    message.set_content(text)
    message.add_alternative(_html(mail, parts), subtype="html")
    return message


def _html(mail: SurveyMail, parts: dict[str, str]) -> str:
    def paragraph(name: str) -> str:
        return f"<p>{html.escape(parts[name]).replace(chr(10), '<br>')}</p>"

    def link(label: str, url: str) -> str:
        return f'<p>{html.escape(label)} <a href="{html.escape(url, quote=True)}">' \
               f"{html.escape(url)}</a></p>"

    return (f'<!doctype html><html lang="{html.escape(mail.language)}"><head>'
            f'<meta charset="utf-8"><title>{html.escape(parts["subject"])}</title></head><body>'
            f"{paragraph('greeting')}{paragraph('intro')}"
            f'<p><a href="{html.escape(mail.link, quote=True)}">{html.escape(parts["link"])}'
            f"</a></p><p>{html.escape(parts['code']).replace(html.escape(mail.code), '')}"
            f"<strong>{html.escape(mail.code)}</strong></p>{paragraph('closing')}<hr>"
            f"<p><small>{html.escape(parts['privacy'])}</small></p>"
            f"{link(parts['preferences'], mail.preferences_url)}"
            f"{link(parts['unsubscribe'], mail.unsubscribe_url)}</body></html>")

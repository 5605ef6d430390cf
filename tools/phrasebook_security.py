"""French and English for sessions, sign-in security, job status and error pages (staff)."""

SECURITY = {
    "De databank is even niet bereikbaar. Uw gegevens zijn niet verloren; probeer het over een halve minuut opnieuw.": {"fr": "La base de données est momentanément inaccessible. Vos données ne sont pas perdues ; réessayez dans une demi-minute.", "en": "The database cannot be reached for a moment. Your data is not lost; please try again in half a minute."},
    "Uw sessie is verlopen. Meld u opnieuw aan.": {"fr": "Votre session a expiré. Veuillez vous reconnecter.", "en": "Your session has expired. Please sign in again."},
    "%(name)s is overal afgemeld (%(count)s sessies beëindigd).": {"fr": "%(name)s a été déconnecté partout (%(count)s sessions terminées).", "en": "%(name)s has been signed out everywhere (%(count)s sessions ended)."},
    "Open sessies": {"fr": "Sessions ouvertes", "en": "Open sessions"},
    "Overal afmelden": {"fr": "Déconnecter partout", "en": "Sign out everywhere"},
    "Minstens 12 tekens en geen veelgebruikt wachtwoord.": {"fr": "Au moins 12 caractères et pas un mot de passe courant.", "en": "At least 12 characters and not a common password."},
    "Huidig wachtwoord": {"fr": "Mot de passe actuel", "en": "Current password"},
    "Nieuw wachtwoord": {"fr": "Nouveau mot de passe", "en": "New password"},
    "Nieuw wachtwoord nog eens": {"fr": "Nouveau mot de passe (encore une fois)", "en": "New password again"},
    "De twee nieuwe wachtwoorden verschillen.": {"fr": "Les deux nouveaux mots de passe diffèrent.", "en": "The two new passwords differ."},
    "Wachtwoord wijzigen": {"fr": "Changer le mot de passe", "en": "Change password"},
    "Uw wachtwoord is gewijzigd. U bent overal elders afgemeld.": {"fr": "Votre mot de passe a été changé. Vous avez été déconnecté partout ailleurs.", "en": "Your password has been changed. You have been signed out everywhere else."},
    "Mijn account": {"fr": "Mon compte", "en": "My account"},
    "Na de wijziging bent u op elk ander toestel afgemeld.": {"fr": "Après le changement, vous serez déconnecté de tout autre appareil.", "en": "After the change you will be signed out on every other device."},
    "Hetzelfde registerbestand": {"fr": "Le même fichier du registre", "en": "The same register file"},
    "Om privacyredenen bewaren we het bestand niet na een onderbreking. Laad precies hetzelfde bestand opnieuw op; de import gaat dan verder met dezelfde instellingen.": {"fr": "Pour des raisons de vie privée, nous ne conservons pas le fichier après une interruption. Chargez à nouveau exactement le même fichier ; l'import reprend alors avec les mêmes paramètres.", "en": "For privacy reasons we do not keep the file after an interruption. Upload exactly the same file again; the import then continues with the same settings."},
    "Verder gaan": {"fr": "Continuer", "en": "Continue"},
    "De verwerking werd onderbroken": {"fr": "Le traitement a été interrompu", "en": "Processing was interrupted"},
    "Het proces dat deze import uitvoerde, is gestopt (bijvoorbeeld door een herstart van de server). Er werd niets ingelezen. Het opgeladen bestand met de rijksregisternummers is verwijderd.": {"fr": "Le processus qui exécutait cet import s'est arrêté (par exemple lors d'un redémarrage du serveur). Rien n'a été importé. Le fichier chargé avec les numéros de registre national a été supprimé.", "en": "The process running this import stopped (for example because the server restarted). Nothing was imported. The uploaded file with the national register numbers has been deleted."},
    "Kies: verder gaan met hetzelfde bestand, of de import annuleren.": {"fr": "Choisissez : continuer avec le même fichier, ou annuler l'import.", "en": "Choose: continue with the same file, or cancel the import."},
}

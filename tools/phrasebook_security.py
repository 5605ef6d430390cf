"""French and English for sessions, sign-in security, job status and error pages (staff)."""

SECURITY = {
    "De databank is even niet bereikbaar. Uw gegevens zijn niet verloren; probeer het over een halve minuut opnieuw.": {"fr": "La base de données est momentanément inaccessible. Vos données ne sont pas perdues ; réessayez dans une demi-minute.", "en": "The database cannot be reached for a moment. Your data is not lost; please try again in half a minute."},
}

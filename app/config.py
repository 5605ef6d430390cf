"""Settings from environment variables, with development defaults.

Every setting is listed in the README's configuration section.
"""

import os
from pathlib import Path


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    ENV_NAME = os.environ.get("STADSPANEL_ENV", "development")  # development | production
    SECRET_KEY = os.environ.get("SECRET_KEY")
    PERSON_KEY_SECRET = os.environ.get("PERSON_KEY_SECRET")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # default: instance/stadspanel.db
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # PostgreSQL: ping a pooled connection before use only when it sat idle this long.
    DB_PING_AFTER_IDLE_SECONDS = float(os.environ.get("DB_PING_AFTER_IDLE_SECONDS", "5"))
    REDIS_URL = os.environ.get("REDIS_URL")  # unset: jobs run in-process
    JOBS_INLINE = _bool("JOBS_INLINE", False)  # run jobs synchronously (tests, CLI)
    CITY_NAME = os.environ.get("CITY_NAME", "Zennegem")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "200")) * 1024 * 1024
    MIN_CELL_SIZE = int(os.environ.get("MIN_CELL_SIZE", "10"))
    REGISTER_CHUNK_THRESHOLD_MB = int(os.environ.get("REGISTER_CHUNK_THRESHOLD_MB", "50"))
    REGISTER_CHUNK_ROWS = int(os.environ.get("REGISTER_CHUNK_ROWS", "200000"))
    REGISTER_UPLOAD_DAYS = float(os.environ.get("REGISTER_UPLOAD_DAYS", "7"))
    JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "15"))
    JOB_STALE_MINUTES = float(os.environ.get("JOB_STALE_MINUTES", "10"))
    # The municipality's postcodes ("1500,1501,1502"); unset: those with >= 1 % of the file's rows
    MUNICIPALITY_POSTCODES = os.environ.get("MUNICIPALITY_POSTCODES", "")
    # A re-import that takes more than this share of the current frame out asks first
    REGISTER_MAX_LEFT_SHARE = float(os.environ.get("REGISTER_MAX_LEFT_SHARE", "0.2"))

    SMTP_HOST = os.environ.get("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USER = os.environ.get("SMTP_USER")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", False)
    MAIL_FROM = os.environ.get("MAIL_FROM", "stadspanel@localhost")
    # Unset: MAIL FROM is MAIL_FROM. Set: a signed VERP sender per e-mail (bounces+tag@domain).
    MAIL_BOUNCE_ADDRESS = os.environ.get("MAIL_BOUNCE_ADDRESS") or None
    MAIL_RATE_PER_MINUTE = int(os.environ.get("MAIL_RATE_PER_MINUTE", "120"))  # 0: no limit
    MAIL_TIMEOUT_SECONDS = int(os.environ.get("MAIL_TIMEOUT_SECONDS", "30"))

    # Invitations: the sender block and the Art. 14 contacts printed on letters and pages.
    CONTROLLER_NAME = os.environ.get("CONTROLLER_NAME", "")
    DPO_CONTACT = os.environ.get("DPO_CONTACT", "")
    LETTER_SENDER = os.environ.get("LETTER_SENDER", "")  # lines separated by "|"
    LETTER_SIGNATURE = os.environ.get("LETTER_SIGNATURE", "")  # lines separated by "|"
    LETTER_PHONE = os.environ.get("LETTER_PHONE", "")  # where "bel ons" leads
    LETTER_EMAIL = os.environ.get("LETTER_EMAIL", "")  # where "mail ons" leads
    LETTER_LOGO_PATH = os.environ.get("LETTER_LOGO_PATH")  # PNG or JPEG
    ENVELOPE_PROFILE = os.environ.get("ENVELOPE_PROFILE", "DL_LEFT")
    JOIN_SHORT_URL = os.environ.get("JOIN_SHORT_URL")  # default: PUBLIC_BASE_URL/doe-mee
    CODE_GLOBAL_RATE_LIMIT = os.environ.get("CODE_GLOBAL_RATE_LIMIT", "300 per minute")
    CODE_PER_CODE_RATE_LIMIT = os.environ.get("CODE_PER_CODE_RATE_LIMIT", "10 per hour")

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Europe/Brussels")  # times on screens
    LANGUAGES = ("nl", "fr", "en")
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent / "translations")

    WTF_CSRF_TIME_LIMIT = None  # a page left open for hours must still submit
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", ENV_NAME == "production")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # A moving window: a fixed one lets twice the limit through around a minute boundary
    # (10 guesses at 12:00:59 and 10 more at 12:01:00).
    RATELIMIT_STRATEGY = os.environ.get("RATELIMIT_STRATEGY", "moving-window")
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    CODE_RATE_LIMIT = os.environ.get("CODE_RATE_LIMIT", "10 per minute;100 per day")
    LOOKUP_RATE_LIMIT = os.environ.get("LOOKUP_RATE_LIMIT", "20 per minute;300 per day")
    LOGIN_LOCKOUT_FAILURES = int(os.environ.get("LOGIN_LOCKOUT_FAILURES", "8"))
    LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
    REQUIRE_ADMIN_MFA = _bool("REQUIRE_ADMIN_MFA", False)
    STAFF_IDLE_MINUTES = float(os.environ.get("STAFF_IDLE_MINUTES", "30"))
    # Ended sign-in records are deleted by `flask retention run` after this many days.
    STAFF_SESSION_RETENTION_DAYS = int(os.environ.get("STAFF_SESSION_RETENTION_DAYS", "90"))
    # Staff pages report keyboard/mouse activity at most this often (static/keepalive.js) and
    # warn this long before an idle session ends.
    STAFF_KEEPALIVE_SECONDS = int(os.environ.get("STAFF_KEEPALIVE_SECONDS", "120"))
    STAFF_IDLE_WARNING_SECONDS = int(os.environ.get("STAFF_IDLE_WARNING_SECONDS", "120"))
    STAFF_SESSION_HOURS = float(os.environ.get("STAFF_SESSION_HOURS", "12"))
    ENTRY_CLAIM_MINUTES = int(os.environ.get("ENTRY_CLAIM_MINUTES", "30"))

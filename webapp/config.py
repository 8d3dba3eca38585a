"""Configuration classes by name; every setting can come from the environment.

`APP_ENV` chooses the class (`production`, the default, `development` or
`testing`). README.md lists every variable with its default.
"""

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", PROJECT_ROOT / "instance"))

# Keys that must never protect a production site: they are public.
KNOWN_DEFAULT_KEYS = frozenset(
    {"", "dev", "changeme", "change-me", "secret", "development-key", "testing-key"}
)


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}"


def engine_options(database_url: str, connect_timeout: int) -> dict:
    """How the app talks to its database.

    An SQLite file needs nothing here. A server may drop idle connections
    (each is pinged before use), refuse them, or stop answering: connecting
    gives up after `connect_timeout` seconds, and TCP keepalives notice a dead
    server within about 25 s, before gunicorn's 30 s worker timeout, so that a
    request gets the 503 page instead of hanging.
    """
    if database_url.startswith("sqlite"):
        return {}
    connect_args = {}
    if database_url.startswith("postgresql"):
        connect_args = {
            "connect_timeout": connect_timeout,
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
        }
    return {"pool_pre_ping": True, "connect_args": connect_args}


class Config:
    NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _default_database_url()
    # None: made from the URL by engine_options() when the app is created.
    SQLALCHEMY_ENGINE_OPTIONS = None
    DATABASE_CONNECT_TIMEOUT = _env_int("DATABASE_CONNECT_TIMEOUT", 5)
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # Where photos live: `local` (under UPLOAD_DIR) or `s3` (an S3-compatible bucket that
    # every host shares; webapp/hazards/photo_storage.py).
    PHOTO_STORAGE = os.environ.get("PHOTO_STORAGE", "local")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "")
    S3_BUCKET = os.environ.get("S3_BUCKET", "")
    S3_REGION = os.environ.get("S3_REGION", "")
    S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID", "")
    S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY", "")
    S3_ADDRESSING_STYLE = os.environ.get("S3_ADDRESSING_STYLE", "auto")
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(PROJECT_ROOT / "content"))
    BRIGADE_NAME = os.environ.get("BRIGADE_NAME", "")
    BRIGADE_HOTLINE = os.environ.get("BRIGADE_HOTLINE", "0353-122")
    BRIGADE_ADDRESS = os.environ.get("BRIGADE_ADDRESS", "")
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 32 * 1024 * 1024)
    # A photo with more pixels is refused before it is decoded (a phone camera takes fewer).
    PHOTO_MAX_PIXELS = _env_int("PHOTO_MAX_PIXELS", 50_000_000)

    # Languages: Chinese first, English second (SPEC.md, "Language").
    LANGUAGES = ("zh", "en")
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

    # Cookies and sessions.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    STAFF_IDLE_TIMEOUT = timedelta(hours=_env_int("STAFF_IDLE_HOURS", 8))
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Rate limits: memory counts per worker; production names Redis here.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute")
    LOOKUP_RATE_LIMIT = os.environ.get("LOOKUP_RATE_LIMIT", "10 per minute")
    OPEN311_RATE_LIMIT = os.environ.get("OPEN311_RATE_LIMIT", "30 per minute")
    # Public forms that queue a text or an e-mail, counted together per client address.
    # A family, an office or a mobile carrier's shared address (CGNAT) sends a handful of
    # forms a minute at most; the daily figure caps what one address can cost in texts.
    MESSAGE_FORM_RATE_LIMIT = os.environ.get("MESSAGE_FORM_RATE_LIMIT", "10 per minute;100 per day")

    # Staff accounts.
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT = timedelta(minutes=15)
    PASSWORD_MIN_LENGTH = 10
    # Sensitive changes (second factor, own password, API keys, other accounts) ask for
    # the password again unless it was typed within this many seconds ("sudo mode").
    REAUTH_WINDOW_SECONDS = _env_int("REAUTH_WINDOW_SECONDS", 600)

    # Reverse proxies in front of the app (0: the app faces clients directly).
    PROXY_COUNT = _env_int("PROXY_COUNT", 0)

    # Booking window (SPEC.md §3).
    BOOKING_OPENS_DAYS = _env_int("BOOKING_OPENS_DAYS", 14)
    BOOKING_CUTOFF_HOURS = _env_int("BOOKING_CUTOFF_HOURS", 24)
    # Waiting lists: how long a freed seat is held for the person it is offered to, and the
    # least time to answer that is worth an offer (closer to the cut-off, the seat is left open).
    WAITLIST_HOLD_HOURS = _env_int("WAITLIST_HOLD_HOURS", 12)
    WAITLIST_MIN_HOLD_HOURS = _env_int("WAITLIST_MIN_HOLD_HOURS", 1)

    # The brigade's area for hazard reports: south, west, north, east.
    AREA_BOUNDS = tuple(
        _env_float(name, default)
        for name, default in (
            ("AREA_SOUTH", 37.70),
            ("AREA_WEST", 113.30),
            ("AREA_NORTH", 38.10),
            ("AREA_EAST", 113.80),
        )
    )

    # The map (README "Maps"): no tile URL, no map; every page then works as without
    # JavaScript. `{key}` in a URL is replaced by MAP_TILE_KEY (or TIANDITU_KEY).
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
    MAP_LABEL_URL = os.environ.get("MAP_LABEL_URL", "")  # an annotation layer on top
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
    MAP_TILE_SUBDOMAINS = os.environ.get("MAP_TILE_SUBDOMAINS", "")
    MAP_TILE_KEY = os.environ.get("MAP_TILE_KEY") or os.environ.get("TIANDITU_KEY", "")
    MAP_CRS = os.environ.get("MAP_CRS", "wgs84")  # wgs84, or gcj02 for 高德-style tiles
    MAP_MAX_ZOOM = _env_int("MAP_MAX_ZOOM", 18)
    # At most this many reports per answer of /hazards.geojson (then "truncated": true).
    MAP_MAX_FEATURES = _env_int("MAP_MAX_FEATURES", 500)

    # Notifications.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "noreply@localhost")
    SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "log")
    SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
    RETENTION_DAYS = _env_int("RETENTION_DAYS", 365)
    # The site's address as residents reach it (scheme, host and any path prefix), for
    # links in text messages, e.g. https://jj.example.gov.cn; empty: the address of the
    # request that queued the message (http://localhost in a command such as the scheduler).
    SITE_URL = os.environ.get("SITE_URL", "")
    # Following a hazard report by text message (webapp/hazards/following.py).
    HAZARD_FOLLOWERS_PER_REPORT = _env_int("HAZARD_FOLLOWERS_PER_REPORT", 50)
    FOLLOW_CODES_PER_NUMBER_PER_DAY = _env_int("FOLLOW_CODES_PER_NUMBER_PER_DAY", 5)

    # Public pages kept for cookie-less visitors, per worker (webapp/page_cache.py).
    PAGE_CACHE_SECONDS = _env_float("PAGE_CACHE_SECONDS", 10.0)
    PAGE_CACHE_STAMP = os.environ.get("PAGE_CACHE_STAMP", str(INSTANCE_DIR / "data-changed"))
    # Several hosts: Redis shared by all of them (the page cache's mark lives there).
    REDIS_URL = os.environ.get("REDIS_URL", "")
    PAGE_CACHE_REDIS_KEY = os.environ.get("PAGE_CACHE_REDIS_KEY", "portal:data-changed")

    # The scheduler (`flask scheduler run`): daily jobs at these Beijing times (HH:MM).
    REMINDERS_AT = os.environ.get("REMINDERS_AT", "18:00")
    RETENTION_AT = os.environ.get("RETENTION_AT", "02:30")
    SCHEDULER_POLL_SECONDS = _env_float("SCHEDULER_POLL_SECONDS", 30.0)

    # The home page's live counts are asked at most this often per worker.
    LIVE_FIGURES_TTL_SECONDS = _env_int("LIVE_FIGURES_TTL_SECONDS", 60)
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 30)
    SMS_HTTP_TIMEOUT = _env_int("SMS_HTTP_TIMEOUT", 10)
    SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN", "")
    OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 5)
    OUTBOX_RETRY_SECONDS = _env_int("OUTBOX_RETRY_SECONDS", 60)
    OUTBOX_CLAIM_TIMEOUT_SECONDS = _env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 600)
    OUTBOX_POLL_SECONDS = _env_float("OUTBOX_POLL_SECONDS", 10.0)
    # More messages than this to one number or address in 24 hours are kept, not sent.
    MESSAGES_PER_RECIPIENT_PER_DAY = _env_int("MESSAGES_PER_RECIPIENT_PER_DAY", 10)


class DevelopmentConfig(Config):
    NAME = "development"
    DEBUG = False  # the Werkzeug debugger is opt-in: FLASK_DEBUG=1
    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-key"
    PAGE_CACHE_SECONDS = _env_float("PAGE_CACHE_SECONDS", 0.0)  # edits show at once


class TestingConfig(Config):
    NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-key"  # noqa: S105  (a known default, refused in production)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
    # Tests post many forms from one address; tests/security/test_message_floods.py
    # checks the production default (Config.MESSAGE_FORM_RATE_LIMIT).
    MESSAGE_FORM_RATE_LIMIT = "1000 per minute"
    PASSWORD_MIN_LENGTH = 10
    LIVE_FIGURES_TTL_SECONDS = 0
    PAGE_CACHE_SECONDS = 0  # tests of the cache turn it on with their own stamp file


CONFIGS = {cls.NAME: cls for cls in (Config, DevelopmentConfig, TestingConfig)}


def config_from_environment() -> type[Config]:
    name = os.environ.get("APP_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise SystemExit(
            f"APP_ENV={name!r} is not known; use one of: {', '.join(CONFIGS)}"
        ) from None

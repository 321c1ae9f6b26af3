"""Configuration: defaults for a local SQLite install, secrets from the environment."""
import os
from decimal import Decimal
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def normalise_database_url(url: str) -> str:
    """Route plain PostgreSQL URLs through psycopg 3, the driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def read_secret_key() -> str | None:
    """SECRET_KEY from the environment, else the file `make run` generates in instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = INSTANCE_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip() or None
    return None


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = read_secret_key()
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'academy.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {}
    # How a pooled connection the server dropped is found before use: "after_idle" checks one that rested
    # 10 s (core.database.ping_after_idle), "pre_ping" SQLAlchemy's pool_pre_ping at every checkout (measured
    # in docs/performance.md). Either way a request that meets a lost connection reads again or gets a 503.
    DATABASE_PING = os.environ.get("DATABASE_PING", "after_idle")
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # The address printed in certificates' QR codes, e.g. https://academy.example.cn (else the request's).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    CERT_FONT_PATH = os.environ.get("CERT_FONT_PATH")
    # The seal printed on certificates and learning records (certificates/seal.py): a PNG, by default the
    # academy's; empty prints none. The signature block names the signatory and the issuing unit.
    CERT_SEAL_PATH = os.environ.get("CERT_SEAL_PATH", str(Path(__file__).parent / "certificates" / "seal.png"))
    CERT_SIGNATORY = os.environ.get("CERT_SIGNATORY", "院长")
    CERT_ISSUING_UNIT = os.environ.get("CERT_ISSUING_UNIT", "东城区社会工作学院")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE")
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    # The cookie is signed again only when the session changes (the idle timeout's last_seen, at most
    # twice a minute, keeps the 8 hours sliding), not on every response.
    SESSION_REFRESH_EACH_REQUEST = False
    # The JSON API (docs/api.md): its prefix, and how many requests a token (or an address without one) may make.
    API_PREFIX = "/api/v1"
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute")
    # Where every request made with a token is written (academy.api log): "-" the error stream (gunicorn's
    # error log), a path a file, "" nowhere of its own (the deployment's logging configuration decides).
    API_ACCESS_LOG = os.environ.get("API_ACCESS_LOG", "-")
    API_TITLE = "东城区社会工作学院 API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    IDLE_TIMEOUT_MINUTES = int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30"))

    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, which expires on its own

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent / "translations")
    LANGUAGES = {"zh_CN": "中文", "en": "English"}

    BOOTSTRAP_SERVE_LOCAL = True

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Redis is optional at run time: while it is unreachable each process counts in its own memory (the same
    # limits, per process), tries the store again now and then, and says so in the log at most once a minute.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}  # a store that hangs fails fast
    # Failed sign-ins (auth/limits.py): an account from one address, an account from anywhere, an
    # address whatever the accounts, and everyone together.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute")

    # Outside records: hours claimed at most this many a day of their dates; evidence needed above this many.
    RECORD_MAX_HOURS_PER_DAY = Decimal(os.environ.get("RECORD_MAX_HOURS_PER_DAY", "8"))
    RECORD_EVIDENCE_ABOVE_HOURS = Decimal(os.environ.get("RECORD_EVIDENCE_ABOVE_HOURS", "8"))
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "30 per hour")
    LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "20 per 10 minutes")
    LOGIN_GLOBAL_RATE_LIMIT = os.environ.get("LOGIN_GLOBAL_RATE_LIMIT", "1000 per hour")
    # Signing in with a code sent by SMS (auth/sms.py), on by default: with the logging adapter the code is
    # in the log only (a demo); a gateway's adapter is set by SMS_ADAPTER. Codes are asked for at most
    # SMS_CODE_PHONE_RATE_LIMIT per number and SMS_CODE_ADDRESS_RATE_LIMIT per address; wrong codes are
    # refused past SMS_CODE_MAX_ATTEMPTS per code and SMS_VERIFY_ADDRESS_RATE_LIMIT per address.
    SMS_SIGNIN_ENABLED = env_flag("SMS_SIGNIN_ENABLED", True)
    # The privacy notice's version (templates/privacy/notice.html): consents record the one they were given to;
    # a new version asks every signed-in worker to read and consent again.
    PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "2026-12")
    # An online course's meeting link is shown to its enrolled workers from this long before each session.
    MEETING_SHOWN_BEFORE_MINUTES = int(os.environ.get("MEETING_SHOWN_BEFORE_MINUTES", "30"))
    SMS_CODE_VALID_MINUTES = int(os.environ.get("SMS_CODE_VALID_MINUTES", "5"))
    SMS_CODE_MAX_ATTEMPTS = int(os.environ.get("SMS_CODE_MAX_ATTEMPTS", "5"))
    SMS_CODE_PHONE_RATE_LIMIT = os.environ.get("SMS_CODE_PHONE_RATE_LIMIT", "3 per 10 minutes;10 per day")
    SMS_CODE_ADDRESS_RATE_LIMIT = os.environ.get("SMS_CODE_ADDRESS_RATE_LIMIT", "10 per hour")
    SMS_VERIFY_ADDRESS_RATE_LIMIT = os.environ.get("SMS_VERIFY_ADDRESS_RATE_LIMIT", "20 per 10 minutes")
    # A worker's profile refused because the ID number is another account's: per account and address.
    RESIDENT_ID_RATE_LIMIT = os.environ.get("RESIDENT_ID_RATE_LIMIT", "5 per hour")
    # QR check-in (attendance/checkin.py): the screen shows a fresh code every CHECKIN_ROTATE_SECONDS (at each
    # step's start); a code is refused CHECKIN_TOKEN_MAX_AGE seconds after its step began (keep it at least
    # twice the rotation, or a code expires while shown); scans a minute per account.
    CHECKIN_ROTATE_SECONDS = int(os.environ.get("CHECKIN_ROTATE_SECONDS", "30"))
    CHECKIN_TOKEN_MAX_AGE = int(os.environ.get("CHECKIN_TOKEN_MAX_AGE", "90"))
    CHECKIN_RATE_LIMIT = os.environ.get("CHECKIN_RATE_LIMIT", "20 per minute")
    # Course evaluations: instructors see a course's results once this many workers have answered.
    EVALUATION_MIN_ANSWERS = int(os.environ.get("EVALUATION_MIN_ANSWERS", "5"))
    # Behind a reverse proxy: how many proxies set X-Forwarded-For (werkzeug's ProxyFix), so that the
    # limits and the audit trail see the client's address rather than the proxy's. 0: none.
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))

    # Background work (academy/jobs): RQ on Redis when REDIS_URL is set, else a pool of JOBS_THREADS threads
    # in the web process; JOBS_BACKEND ("rq", "threads", "sync") overrides the choice. Files made by jobs are
    # kept in JOBS_DIR (default: beside the uploads, outside static/) for 7 days.
    REDIS_URL = os.environ.get("REDIS_URL")
    JOBS_BACKEND = os.environ.get("JOBS_BACKEND")
    JOBS_THREADS = int(os.environ.get("JOBS_THREADS", "2"))
    JOBS_TIMEOUT = int(os.environ.get("JOBS_TIMEOUT", "3600"))  # seconds an RQ worker lets one job run
    JOBS_DIR = os.environ.get("JOBS_DIR")
    # Exports with more rows than this run as a job; smaller ones answer at once.
    EXPORT_JOB_ROWS = int(os.environ.get("EXPORT_JOB_ROWS", "10000"))
    IMPORT_JOB_ROWS = int(os.environ.get("IMPORT_JOB_ROWS", "1000"))  # a class list above this is written by a job
    CERT_ZIP_JOB_COUNT = int(os.environ.get("CERT_ZIP_JOB_COUNT", "50"))  # certificates in one ZIP made at once
    # Channels: e-mail by SMTP (Flask-Mailman), SMS through an adapter ("module:Class").
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = env_flag("MAIL_USE_TLS")
    MAIL_USE_SSL = env_flag("MAIL_USE_SSL")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "academy@localhost")
    SMS_ADAPTER = os.environ.get("SMS_ADAPTER", "academy.jobs.channels:LoggingSms")
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    # Outside records waiting longer than this for verification are reminded to the reviewers.
    VERIFY_DEADLINE_DAYS = int(os.environ.get("VERIFY_DEADLINE_DAYS", "14"))
    # `make run` sets it: the scheduler's tick runs every minute in a thread of the web process (else cron
    # runs `flask --app wsgi academy reminders`).
    SCHEDULER_IN_PROCESS = env_flag("SCHEDULER_IN_PROCESS")

    PASSWORD_MIN_LENGTH = 8
    PASSWORD_MIN_SCORE = 2  # zxcvbn: 0-1 are too guessable
    PASSWORD_HASH_METHOD = "scrypt"


class TestConfig(Config):
    TESTING = True
    API_ACCESS_LOG = ""  # tests read the academy.api log through caplog
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing keeps the suite quick
    JOBS_BACKEND = "sync"  # jobs run at once, in the test's transaction
    REDIS_URL = None
    MAIL_BACKEND = "locmem"

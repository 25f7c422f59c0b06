"""One typed settings object for the API, the actions and the tooling, read from the environment."""
from functools import lru_cache
from typing import Literal, Optional

from pydantic import BaseSettings, root_validator, validator

from bot import paths

# Documented in the README: only for a developer's own machine. Production refuses it.
DEV_PORTAL_JWT_SECRET = "dev-only-portal-secret-do-not-use-in-production"


class Settings(BaseSettings):
    # Unset (None) fails closed: the API refuses the development secret and the nurse cookie is Secure.
    # `make run` sets local, the tests test.
    app_env: Optional[Literal["local", "test", "production"]] = None

    # Portal tokens: HS256 with a shared secret, or RS256 with the portal's public key.
    portal_jwt_algorithm: Literal["HS256", "RS256"] = "HS256"
    portal_jwt_secret: str = DEV_PORTAL_JWT_SECRET
    portal_jwt_public_key: Optional[str] = None
    # Checked when set, required in production: the token must be meant for this API and come from the portal.
    portal_jwt_audience: Optional[str] = None
    portal_jwt_issuer: Optional[str] = None
    # The longest a token may live (exp - iat): a leaked token is not valid for days.
    portal_jwt_max_lifetime_seconds: int = 12 * 3600

    # The run command's own directory (var/run/), beside Rasa's SQLite tracker store: `make run` and
    # `python -m bot purge` find the same file.
    database_url: str = f"sqlite:///{paths.VAR / 'run' / 'app.db'}"
    # Rasa's SQL tracker store. Unset: DATABASE_URL when that is PostgreSQL (Rasa's `events` table
    # beside the API's tables), else the SQLite file Rasa has always used, var/run/rasa-tracker.db.
    tracker_store_url: Optional[str] = None
    # Rasa's RedisLockStore: needed as soon as more than one Rasa process serves (production).
    redis_url: Optional[str] = None
    # `python -m bot purge` deletes conversations idle for longer (open nurse-review flags excepted).
    retention_days: int = 90
    rasa_url: str = "http://127.0.0.1:5005"
    # Set by the run command: a file with Rasa's current address, rewritten when a new model is
    # switched in without downtime (bot/model_switch.py). Unset: RASA_URL only.
    rasa_url_file: Optional[str] = None
    rasa_timeout_seconds: float = 10.0
    # Messages in one conversation are answered one at a time (bot/conversation_lock.py): how long a
    # message waits for the one before it. Longer, and it is stored and triaged but not answered ("busy").
    conversation_lock_wait_seconds: float = 30.0

    # Dutch spaCy pipeline for Rasa's SpacyNLP; "nl_core_news_sm" where that is installed.
    spacy_model: str = "nl_patient_sm"
    max_message_chars: int = 2000
    # Larger request bodies get 413 unread; well above MAX_MESSAGE_CHARS (up to 12 bytes a character
    # as JSON escapes) so a long message is still stored and triaged.
    max_request_bytes: int = 65536
    # Patient messages per minute that are answered (counted in the database, so across all API
    # processes). More are stored and triaged, not answered, up to the storing limits; beyond those
    # a client is flooding: 429, nothing stored (bot/rate_limit.py).
    rate_limit_per_minute: int = 20
    # Unset: three times RATE_LIMIT_PER_MINUTE, and 1000 (at least 50 times RATE_LIMIT_PER_MINUTE).
    store_limit_per_minute: Optional[int] = None
    store_limit_per_day: Optional[int] = None
    # More new conversations than this in an hour go on in the patient's latest conversation, so a
    # flood cannot fill the nurses' queue with conversations (bot/chat.py).
    new_conversations_per_hour: int = 10
    # CSP frame-ancestors of the chat widget (/widget/): who may embed it, e.g. "'self' https://portal.example.nl".
    widget_frame_ancestors: str = "'self'"
    # Staff logins need the authenticator app's code (bot/totp.py). Unset: required in production only;
    # production refuses false. An account with a second factor enrolled always needs its code.
    staff_second_factor: Optional[bool] = None
    # The hospital's time zone: the nurses' pages show times and read date filters in it (stored: UTC).
    hospital_time_zone: str = "Europe/Amsterdam"

    class Config:
        env_file = None
        case_sensitive = False

    @property
    def uses_dev_secret(self) -> bool:
        return self.portal_jwt_algorithm == "HS256" and self.portal_jwt_secret == DEV_PORTAL_JWT_SECRET

    @property
    def second_factor_required(self) -> bool:
        return self.app_env == "production" if self.staff_second_factor is None else self.staff_second_factor

    @property
    def conversation_lock_lease_seconds(self) -> float:
        """How long a turn may hold its conversation: the longest Rasa call plus margin, so that a
        killed API process frees the conversation soon."""
        return self.rasa_timeout_seconds + 20.0

    @property
    def rasa_tracker_store_url(self) -> str:
        if self.tracker_store_url:
            return self.tracker_store_url
        if not self.database_url.startswith("sqlite"):
            return self.database_url
        return f"sqlite:///{paths.VAR / 'run' / 'rasa-tracker.db'}"

    @validator("widget_frame_ancestors")
    def _one_csp_source_list(cls, value):  # noqa: N805 (pydantic validator)
        # It is pasted into a header: a ';', ',' or line break would add or split CSP directives.
        if not value.strip() or any(c in value for c in ";,\r\n"):
            raise ValueError("WIDGET_FRAME_ANCESTORS must be a space-separated CSP source list, e.g. \"'self' https://portal.example.nl\"")
        return value.strip()

    @root_validator(skip_on_failure=True)
    def _refuse_default_secrets_outside_local(cls, values):  # noqa: N805 (pydantic validator)
        env = values.get("app_env")
        if values.get("portal_jwt_algorithm") == "RS256" and not values.get("portal_jwt_public_key"):
            raise ValueError("PORTAL_JWT_ALGORITHM=RS256 needs PORTAL_JWT_PUBLIC_KEY")
        if values.get("portal_jwt_max_lifetime_seconds", 1) < 60:
            raise ValueError("PORTAL_JWT_MAX_LIFETIME_SECONDS must be at least 60")
        if env == "production":
            if values.get("portal_jwt_algorithm") == "HS256" and (
                values.get("portal_jwt_secret") == DEV_PORTAL_JWT_SECRET
                or len(values.get("portal_jwt_secret") or "") < 32
            ):
                raise ValueError(
                    "APP_ENV=production refuses the development PORTAL_JWT_SECRET; "
                    "set PORTAL_JWT_SECRET to the portal's shared secret (at least 32 characters)"
                )
            if str(values.get("database_url", "")).startswith("sqlite"):
                raise ValueError("APP_ENV=production needs DATABASE_URL pointing at PostgreSQL")
            if str(values.get("tracker_store_url") or "").startswith("sqlite"):
                raise ValueError("APP_ENV=production needs TRACKER_STORE_URL pointing at PostgreSQL (or unset: DATABASE_URL)")
            if not values.get("redis_url"):
                raise ValueError("APP_ENV=production needs REDIS_URL for Rasa's lock store (several processes serve)")
            if values.get("staff_second_factor") is False:
                raise ValueError("APP_ENV=production refuses STAFF_SECOND_FACTOR=false: staff logins need a second factor")
            if not values.get("portal_jwt_audience") or not values.get("portal_jwt_issuer"):
                raise ValueError("APP_ENV=production needs PORTAL_JWT_AUDIENCE and PORTAL_JWT_ISSUER (the claims aud and iss the portal sets)")
        if values.get("rate_limit_per_minute", 1) < 1:
            raise ValueError("RATE_LIMIT_PER_MINUTE must be at least 1")
        rate = values.get("rate_limit_per_minute", 1)
        if values.get("store_limit_per_minute") is None:
            values["store_limit_per_minute"] = 3 * rate
        if values.get("store_limit_per_day") is None:
            values["store_limit_per_day"] = max(1000, 50 * rate, values["store_limit_per_minute"])
        if not rate <= values["store_limit_per_minute"] <= values["store_limit_per_day"]:
            raise ValueError("the limits must grow: RATE_LIMIT_PER_MINUTE <= STORE_LIMIT_PER_MINUTE <= STORE_LIMIT_PER_DAY")
        if values.get("new_conversations_per_hour", 1) < 1:
            raise ValueError("NEW_CONVERSATIONS_PER_HOUR must be at least 1")
        if values.get("max_request_bytes", 0) < 12 * values.get("max_message_chars", 0) + 1024:
            raise ValueError("MAX_REQUEST_BYTES must leave room for MAX_MESSAGE_CHARS (12 bytes a character, plus 1024)")
        if not 0 < values.get("conversation_lock_wait_seconds", 1) <= 300:
            raise ValueError("CONVERSATION_LOCK_WAIT_SECONDS must be more than 0 and at most 300")
        if values.get("retention_days", 1) < 1:
            raise ValueError("RETENTION_DAYS must be at least 1")
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(str(values.get("hospital_time_zone") or ""))
        except (ValueError, KeyError, OSError):
            raise ValueError(f"HOSPITAL_TIME_ZONE {values.get('hospital_time_zone')!r} is not a time zone name (e.g. Europe/Amsterdam)") from None
        return values


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

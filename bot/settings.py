"""One typed settings object for the API, the actions and the tooling, read from the environment."""
from functools import lru_cache
from typing import Literal, Optional

from pydantic import BaseSettings, root_validator

from bot import paths

# Documented in the README: only for a developer's own machine. Production refuses it.
DEV_PORTAL_JWT_SECRET = "dev-only-portal-secret-do-not-use-in-production"


class Settings(BaseSettings):
    app_env: Literal["local", "test", "production"] = "local"

    # Portal tokens: HS256 with a shared secret, or RS256 with the portal's public key.
    portal_jwt_algorithm: Literal["HS256", "RS256"] = "HS256"
    portal_jwt_secret: str = DEV_PORTAL_JWT_SECRET
    portal_jwt_public_key: Optional[str] = None

    database_url: str = f"sqlite:///{paths.VAR / 'app.db'}"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 10.0

    # Dutch spaCy pipeline for Rasa's SpacyNLP; "nl_core_news_sm" where that is installed.
    spacy_model: str = "nl_patient_sm"
    max_message_chars: int = 2000

    class Config:
        env_file = None
        case_sensitive = False

    @property
    def uses_dev_secret(self) -> bool:
        return self.portal_jwt_algorithm == "HS256" and self.portal_jwt_secret == DEV_PORTAL_JWT_SECRET

    @root_validator(skip_on_failure=True)
    def _refuse_default_secrets_outside_local(cls, values):  # noqa: N805 (pydantic validator)
        env = values.get("app_env")
        if values.get("portal_jwt_algorithm") == "RS256" and not values.get("portal_jwt_public_key"):
            raise ValueError("PORTAL_JWT_ALGORITHM=RS256 needs PORTAL_JWT_PUBLIC_KEY")
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
        return values


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

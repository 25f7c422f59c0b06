import pytest
from pydantic import ValidationError

from bot.settings import DEV_PORTAL_JWT_SECRET, Settings


def test_without_app_env_the_api_refuses_the_development_secret(tmp_path, monkeypatch):
    from api.main import create_app

    monkeypatch.delenv("APP_ENV", raising=False)
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'app.db'}")
    assert settings.app_env is None and settings.uses_dev_secret
    with pytest.raises(RuntimeError, match="APP_ENV is not set"):
        create_app(settings)
    create_app(Settings(_env_file=None, app_env="local", database_url=f"sqlite:///{tmp_path / 'app.db'}"))  # a developer's machine
    create_app(Settings(_env_file=None, portal_jwt_secret="p" * 40, database_url=f"sqlite:///{tmp_path / 'app.db'}"))  # a real secret


def test_production_refuses_the_development_secret():
    with pytest.raises(ValidationError, match="development PORTAL_JWT_SECRET"):
        Settings(app_env="production", portal_jwt_secret=DEV_PORTAL_JWT_SECRET, database_url="postgresql://db/x")


def test_production_refuses_sqlite():
    with pytest.raises(ValidationError, match="PostgreSQL"):
        Settings(app_env="production", portal_jwt_secret="x" * 40)


def test_rs256_needs_a_public_key():
    with pytest.raises(ValidationError, match="PORTAL_JWT_PUBLIC_KEY"):
        Settings(portal_jwt_algorithm="RS256")


def test_the_hospital_time_zone_must_be_a_real_one():
    assert Settings().hospital_time_zone == "Europe/Amsterdam"
    assert Settings(hospital_time_zone="Europe/Brussels").hospital_time_zone == "Europe/Brussels"
    with pytest.raises(ValidationError, match="HOSPITAL_TIME_ZONE"):
        Settings(hospital_time_zone="Mars/Olympus")


def test_production_needs_the_tokens_audience_and_issuer():
    base = dict(app_env="production", portal_jwt_secret="x" * 40, database_url="postgresql://db/x", redis_url="redis://cache")
    with pytest.raises(ValidationError, match="PORTAL_JWT_AUDIENCE and PORTAL_JWT_ISSUER"):
        Settings(**base)
    Settings(**base, portal_jwt_audience="spine-chat", portal_jwt_issuer="https://portal.example.nl")


def test_the_storing_limits_follow_the_answering_limit_unless_set():
    from bot.settings import Settings

    default = Settings(app_env="test")
    assert (default.rate_limit_per_minute, default.store_limit_per_minute, default.store_limit_per_day) == (20, 60, 1000)
    high = Settings(app_env="test", rate_limit_per_minute=1000)
    assert (high.store_limit_per_minute, high.store_limit_per_day) == (3000, 50000)
    with pytest.raises(ValueError, match="the limits must grow"):
        Settings(app_env="test", rate_limit_per_minute=20, store_limit_per_minute=10)
    with pytest.raises(ValueError, match="NEW_CONVERSATIONS_PER_HOUR"):
        Settings(app_env="test", new_conversations_per_hour=0)


def test_the_second_factor_is_required_in_production_and_cannot_be_switched_off_there():
    from bot.settings import Settings

    assert not Settings(app_env="test").second_factor_required and Settings(app_env="test", staff_second_factor=True).second_factor_required
    production = dict(app_env="production", portal_jwt_secret="s" * 40, portal_jwt_audience="a", portal_jwt_issuer="i",
                      database_url="postgresql://db/x", redis_url="redis://r:6379/0")
    assert Settings(**production).second_factor_required
    with pytest.raises(ValueError, match="STAFF_SECOND_FACTOR=false"):
        Settings(**production, staff_second_factor=False)

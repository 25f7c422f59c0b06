import pytest
from pydantic import ValidationError

from bot.settings import DEV_PORTAL_JWT_SECRET, Settings


def test_local_use_works_without_configuration():
    settings = Settings(_env_file=None)
    assert settings.app_env == "local" and settings.uses_dev_secret


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

"""Rasa's endpoints.yml rendered from the settings, read back by Rasa's own loaders."""
import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from bot import paths
from bot.endpoints import render
from bot.settings import Settings
from tests.conftest import TEST_SECRET
from tests.services import redis_test_url

PRODUCTION = dict(app_env="production", portal_jwt_secret=TEST_SECRET, portal_jwt_audience="spine-chat", portal_jwt_issuer="https://portal.example.nl")


def test_tracker_store_follows_the_database_unless_told_otherwise():
    local = Settings(_env_file=None)
    assert local.rasa_tracker_store_url == f"sqlite:///{paths.VAR / 'run' / 'rasa-tracker.db'}"  # as before
    shared = Settings(database_url="postgresql://bot@db/spine")
    assert shared.rasa_tracker_store_url == "postgresql://bot@db/spine"
    apart = Settings(database_url="postgresql://bot@db/spine", tracker_store_url="postgresql://rasa@db2/tracker")
    assert apart.rasa_tracker_store_url == "postgresql://rasa@db2/tracker"


def test_production_needs_postgresql_for_both_stores_and_redis():
    Settings(**PRODUCTION, database_url="postgresql://bot@db/spine", redis_url="redis://cache:6379/2")
    with pytest.raises(ValidationError, match="REDIS_URL"):
        Settings(**PRODUCTION, database_url="postgresql://bot@db/spine")
    with pytest.raises(ValidationError, match="TRACKER_STORE_URL"):
        Settings(**PRODUCTION, database_url="postgresql://bot@db/spine", redis_url="redis://cache", tracker_store_url="sqlite:///x.db")
    with pytest.raises(ValidationError, match="RETENTION_DAYS"):
        Settings(retention_days=0)


def test_rendered_stores_are_what_rasa_builds(postgres_url, tmp_path):
    from rasa.core.lock_store import LockStore, RedisLockStore
    from rasa.core.tracker_store import SQLTrackerStore, create_tracker_store
    from rasa.utils.endpoints import read_endpoint_config

    redis_url = redis_test_url()
    out = render(Settings(database_url=postgres_url, redis_url=redis_url), tmp_path / "endpoints.yml", "http://127.0.0.1:5999/webhook")
    assert out.stat().st_mode & 0o077 == 0  # may hold passwords

    assert read_endpoint_config(str(out), "action_endpoint").url == "http://127.0.0.1:5999/webhook"
    tracker = create_tracker_store(read_endpoint_config(str(out), "tracker_store"))
    assert isinstance(tracker, SQLTrackerStore) and tracker.engine.url.database == postgres_url.rsplit("/", 1)[1]
    assert "events" in sa.inspect(tracker.engine).get_table_names()
    tracker.engine.dispose()
    lock = LockStore.create(read_endpoint_config(str(out), "lock_store"))
    assert isinstance(lock, RedisLockStore)
    assert lock.red.connection_pool.connection_kwargs["db"] == int(redis_url.rsplit("/", 1)[1])
    assert lock.red.ping()


def test_passwords_options_and_tls_reach_rasa(tmp_path):
    from rasa.utils.endpoints import read_endpoint_config

    settings = Settings(database_url="postgresql+psycopg2://bot:s%40cret@db.example:6543/spine?sslmode=require", redis_url="rediss://:p%40ss@cache.example:6380/3")
    out = render(settings, tmp_path / "endpoints.yml")
    tracker = read_endpoint_config(str(out), "tracker_store")
    assert (tracker.type, tracker.url) == ("SQL", "db.example")
    assert tracker.kwargs == {"dialect": "postgresql+psycopg2", "db": "spine", "port": 6543, "username": "bot", "password": "s@cret", "query": {"sslmode": "require"}}
    lock = read_endpoint_config(str(out), "lock_store")
    assert (lock.type, lock.url) == ("redis", "cache.example")
    assert lock.kwargs == {"port": 6380, "db": 3, "password": "p@ss", "use_ssl": True}
    no_redis = read_endpoint_config(str(render(Settings(), tmp_path / "local.yml")), "lock_store")
    assert no_redis is None  # one Rasa process: Rasa's in-memory lock store

"""Real PostgreSQL and Redis for the tests, each run isolated.

TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test) is only used to create a
fresh database spine_test_<random>, dropped afterwards; TEST_REDIS_URL (default
redis://127.0.0.1:6379/0) names the server, and each run takes a random database number.
Unreachable services FAIL the tests (CI has them) unless ALLOW_SKIP_SERVICES=1.
"""
import os
import random
import uuid
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def _unavailable(what: str, env_var: str, url: str, error: Exception) -> None:
    where = urlsplit(url)
    message = (
        f"{what} is not reachable at {where.hostname}:{where.port} ({error}). These tests need a real {what}: "
        f"start it or point {env_var} at one; ALLOW_SKIP_SERVICES=1 skips them instead."
    )
    if os.environ.get("ALLOW_SKIP_SERVICES") == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """URL of a new, empty PostgreSQL database; dropped (with its connections) afterwards."""
    admin_url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    name = f"spine_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as db:
            db.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        _unavailable("PostgreSQL", "TEST_POSTGRES_URL", admin_url, str(exc.orig).strip())
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as db:
            db.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def redis_test_url() -> str:
    """TEST_REDIS_URL with a random database number (1-15), after checking the server answers."""
    import redis

    base = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    try:
        client = redis.Redis.from_url(base, socket_timeout=5, socket_connect_timeout=5)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        _unavailable("Redis", "TEST_REDIS_URL", base, exc)
    root = base.rsplit("/", 1)[0] if base.count("/") > 2 else base
    return f"{root}/{random.randint(1, 15)}"


def rasa_events(stack, conversation_id: str) -> list:
    """(type, data) of the events Rasa itself stored for a conversation, read from its real tracker store."""
    import json

    engine = sa.create_engine(stack.settings().rasa_tracker_store_url, future=True)
    try:
        with engine.connect() as db:
            rows = db.execute(
                sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": conversation_id}
            ).all()
            return [(row[0], json.loads(row[1])) for row in rows]
    finally:
        engine.dispose()


def rasa_user_texts(stack, conversation_id: str) -> list:
    """What Rasa received as user messages in a conversation."""
    return [data["text"] for kind, data in rasa_events(stack, conversation_id) if kind == "user"]

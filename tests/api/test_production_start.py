"""APP_ENV=production on the real PostgreSQL and Redis: the API refuses to start when the audit
log's append-only trigger is missing or disabled (an audit log that can be edited is no audit log)."""
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.main import create_app
from bot import audit, nurses, review  # noqa: F401 (all tables, as in the app)
from bot.settings import Settings
from bot.stack import free_port
from bot.store import Store
from tests.services import redis_test_url


def production(database_url):
    return Settings(app_env="production", portal_jwt_secret="s" * 40, portal_jwt_audience="spine-api", portal_jwt_issuer="portal",
                    database_url=database_url, redis_url=redis_test_url(), rasa_url=f"http://127.0.0.1:{free_port()}")


def test_production_starts_with_the_triggers_in_place(postgres_url):
    with TestClient(create_app(production(postgres_url))) as client:
        assert client.get("/api/health").status_code in (200, 503)  # it serves (Rasa is not running here)
    owner = Store(postgres_url)
    assert audit.missing_triggers(owner.engine) == []
    owner.dispose()


@pytest.mark.parametrize("statement", ["DROP TRIGGER audit_log_append_only ON audit_log",
                                       "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"])
def test_production_refuses_to_start_without_the_append_only_trigger(postgres_url, statement):
    owner = Store(postgres_url)
    owner.create_schema()
    with owner.engine.begin() as db:
        db.execute(sa.text(statement))
    owner.dispose()
    with pytest.raises(RuntimeError, match="audit_log's append-only trigger.*audit_log_append_only.*verify-audit"):
        with TestClient(create_app(production(postgres_url))):
            pass

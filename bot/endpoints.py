"""Rasa's endpoints.yml for one deployment, rendered from the settings.

The repository's endpoints.yml is the template (action server, tracker store type). The tracker
store (TRACKER_STORE_URL, or DATABASE_URL when that is PostgreSQL) and the lock store (REDIS_URL)
are filled in here with the keys Rasa 3.6 documents, so the API, Rasa and `python -m bot purge`
read one source of truth. Used by bot/stack.py and by `python -m bot endpoints` for deployments
that start Rasa themselves.
"""
import os
from pathlib import Path
from typing import Any, Dict, Optional
from urllib.parse import unquote, urlsplit

from ruamel.yaml import YAML
from sqlalchemy.engine import make_url

from bot import paths
from bot.settings import Settings


def tracker_store(url: str) -> Dict[str, Any]:
    """Rasa's SQL tracker store keys (dialect, url = host, port, db, username, password, query)."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        db = Path(parsed.database or "rasa-tracker.db")
        # Rasa resolves a relative path against its working directory; make it independent of that.
        return {"type": "SQL", "dialect": "sqlite", "db": str(db if db.is_absolute() else paths.ROOT / db)}
    # Rasa 3.6 reads the host from the key `url` (passed on as SQLTrackerStore(host=...)).
    config: Dict[str, Any] = {"type": "SQL", "dialect": parsed.drivername, "url": parsed.host or "localhost", "db": parsed.database}
    if parsed.port:
        config["port"] = parsed.port
    if parsed.username:
        config["username"] = parsed.username
    if parsed.password:
        config["password"] = parsed.password
    if parsed.query:
        config["query"] = dict(parsed.query)  # e.g. sslmode=require
    return config


def lock_store(url: str) -> Dict[str, Any]:
    """Rasa's RedisLockStore keys (url = host, port, db, username, password, use_ssl) for redis[s]://."""
    parsed = urlsplit(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"REDIS_URL must start with redis:// or rediss://, not {parsed.scheme}://")
    db = parsed.path.strip("/") or "0"
    if not db.isdigit():
        raise ValueError(f"REDIS_URL's database must be a number, not {db!r}")
    config: Dict[str, Any] = {"type": "redis", "url": parsed.hostname or "localhost", "port": parsed.port or 6379, "db": int(db)}
    if parsed.username:
        config["username"] = unquote(parsed.username)
    if parsed.password:
        config["password"] = unquote(parsed.password)
    if parsed.scheme == "rediss":
        config["use_ssl"] = True
    return config


def render(settings: Settings, out: Path, actions_url: Optional[str] = None) -> Path:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False  # block style: Rasa's parser rejects "{url: http://...}"
    config = yaml.load(paths.ENDPOINTS.read_text(encoding="utf-8"))
    if actions_url:
        config["action_endpoint"]["url"] = actions_url
    config["tracker_store"] = tracker_store(settings.rasa_tracker_store_url)
    if settings.redis_url:
        config["lock_store"] = lock_store(settings.redis_url)
    else:
        config.pop("lock_store", None)  # Rasa's in-memory default: one Rasa process only
    out.parent.mkdir(parents=True, exist_ok=True)
    # It may hold database and Redis passwords: readable by the owner only.
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(out, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yaml.dump(config, handle)
    return out

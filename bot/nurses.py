"""Staff accounts for the review pages: nurses and the privacy officer.

Passwords are hashed with Argon2id (argon2-cffi). Sessions live server-side in the database with an
expiry; the browser holds only a random session id, and the database only its SHA-256, so a copy of
the table opens no session. Failed logins slow an account down and throttle the client's address
(login runs in a worker thread: Argon2 never stalls the API).
"""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Dict, Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Engine

from bot.store import as_utc, metadata, utc_now

ROLES = ("nurse", "privacy_officer")
# Guessing is slowed without letting an outsider lock the nurses out: after MAX_FAILED_LOGINS failures in a
# row an account waits ACCOUNT_DELAY, doubling with each further failure up to ACCOUNT_DELAY_MAX; and one
# client address gets at most CLIENT_MAX_FAILURES failed logins per CLIENT_WINDOW (then it is refused unread).
MAX_FAILED_LOGINS = 5
ACCOUNT_DELAY = timedelta(seconds=30)
ACCOUNT_DELAY_MAX = timedelta(minutes=15)
CLIENT_MAX_FAILURES = 20
CLIENT_WINDOW = timedelta(minutes=15)
REFUSED = "wrong username or password, or too many attempts"  # the same for every refusal: no account is revealed
SESSION_LIFETIME = timedelta(hours=8)  # one shift
MIN_PASSWORD_CHARS = 12
# The commonest choices that pass the length rule; a real deny-list would be longer.
_COMMON = {"wachtwoord123", "welkom123456", "password1234", "123456789012", "qwertyuiopas", "zomer2024!!!", "winter2024!!!"}

staff_accounts = sa.Table(
    "staff_accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

staff_login_failures = sa.Table(
    "staff_login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client", sa.String(64), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

staff_sessions = sa.Table(
    "staff_sessions",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),  # sha256 of the cookie's session id
    sa.Column("account_id", sa.Integer, sa.ForeignKey("staff_accounts.id"), nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)


class AccountError(Exception):
    """A developer-facing English message: weak password, unknown role, duplicate name."""


class LoginRefused(Exception):
    """Unknown name, wrong password, an account waiting after failures, or a client over its limit: the
    message is the same for all (``why`` is for the audit log only)."""

    def __init__(self, why: str):
        super().__init__(REFUSED)
        self.why = why  # unknown, wrong, account_delayed, client_throttled
        self.locked = why in ("account_delayed", "client_throttled")


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    """One hash to verify against for an unknown name, made once per process (not per login, which
    would make an unknown name cost a hash more than a known one)."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism).hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str


@dataclass(frozen=True)
class Session:
    account: Account
    csrf_token: str
    expires_at: datetime




def _hash_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def password_problem(username: str, password: str) -> Optional[str]:
    """Why a password is too weak, in English; None when it is acceptable."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"password too short: use at least {MIN_PASSWORD_CHARS} characters (a sentence of a few words is fine)"
    if len(set(password)) < 6:
        return "password too simple: it repeats too few different characters"
    if username.lower() in password.lower():
        return "password must not contain the username"
    if password.lower() in _COMMON:
        return "password is a commonly used one; choose another"
    return None


class Accounts:
    def __init__(self, engine: Engine, hasher: Optional[PasswordHasher] = None):
        self.engine = engine
        self.hasher = hasher or PasswordHasher()  # Argon2id, the library's current recommended parameters

    def create(self, username: str, password: str, role: str = "nurse") -> Account:
        username = username.strip()
        if not username or len(username) > 64 or not all(c.isalnum() or c in "._-@" for c in username):
            raise AccountError("username must be 1-64 letters, digits or . _ - @")
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
        problem = password_problem(username, password)
        if problem:
            raise AccountError(problem)
        with self.engine.begin() as db:
            if db.execute(sa.select(staff_accounts.c.id).where(staff_accounts.c.username == username)).first():
                raise AccountError(f"an account named {username!r} exists already")
            result = db.execute(
                staff_accounts.insert().values(
                    username=username, role=role, password_hash=self.hasher.hash(password), failed_logins=0, created_at=utc_now()
                )
            )
        return Account(int(result.inserted_primary_key[0]), username, role)

    def authenticate(self, username: str, password: str, client: str = "local") -> Account:
        """The account, or LoginRefused (one message for every reason). Every refusal costs one Argon2
        verification, so its time does not tell whether the name exists. ``client``: the address."""
        now = utc_now()
        why: Optional[str] = None
        with self.engine.begin() as db:
            recent = db.execute(sa.select(sa.func.count()).select_from(staff_login_failures).where(
                staff_login_failures.c.client == client[:64], staff_login_failures.c.created_at > now - CLIENT_WINDOW)).scalar_one()
            row = db.execute(sa.select(staff_accounts).where(staff_accounts.c.username == username.strip())).mappings().first()
            locked_until = as_utc(row["locked_until"]) if row is not None else None
            if recent >= CLIENT_MAX_FAILURES:
                why = "client_throttled"
            elif row is None:
                why = "unknown"
            elif locked_until and locked_until > now:
                why = "account_delayed"
            if why:
                self._verify_dummy(password)
            else:
                try:
                    self.hasher.verify(row["password_hash"], password)
                except (VerifyMismatchError, VerificationError, InvalidHashError):
                    why = "wrong"
                failed = row["failed_logins"] + 1 if why else 0
                values: Dict[str, object] = {"failed_logins": failed, "locked_until": None}
                if failed >= MAX_FAILED_LOGINS:
                    values["locked_until"] = now + min(ACCOUNT_DELAY * 2 ** (failed - MAX_FAILED_LOGINS), ACCOUNT_DELAY_MAX)
                if not why and self.hasher.check_needs_rehash(row["password_hash"]):
                    values["password_hash"] = self.hasher.hash(password)
                db.execute(staff_accounts.update().where(staff_accounts.c.id == row["id"]).values(**values))
            if why and why != "client_throttled":
                db.execute(staff_login_failures.insert().values(client=client[:64], created_at=now))
                db.execute(staff_login_failures.delete().where(staff_login_failures.c.created_at < now - CLIENT_WINDOW))
        # Raised after the commit: inside the transaction the failure count would be rolled back.
        if why:
            raise LoginRefused(why)
        return Account(row["id"], row["username"], row["role"])

    def _verify_dummy(self, password: str) -> None:
        try:
            self.hasher.verify(_dummy_hash(self.hasher.time_cost, self.hasher.memory_cost, self.hasher.parallelism), password)
        except VerificationError:
            pass

    # sessions
    def start_session(self, account: Account) -> str:
        """A new random session id (for the cookie); its hash, a CSRF token and the expiry are stored."""
        session_id = secrets.token_urlsafe(32)
        now = utc_now()
        with self.engine.begin() as db:
            db.execute(staff_sessions.delete().where(staff_sessions.c.expires_at < now))  # tidy up expired ones
            db.execute(
                staff_sessions.insert().values(
                    id_hash=_hash_id(session_id), account_id=account.id, csrf_token=secrets.token_urlsafe(32),
                    created_at=now, expires_at=now + SESSION_LIFETIME,
                )
            )
        return session_id

    def session(self, session_id: Optional[str]) -> Optional[Session]:
        if not session_id or len(session_id) > 128:
            return None
        query = (
            sa.select(staff_sessions.c.csrf_token, staff_sessions.c.expires_at, staff_accounts.c.id, staff_accounts.c.username, staff_accounts.c.role)
            .join(staff_accounts, staff_accounts.c.id == staff_sessions.c.account_id)
            .where(staff_sessions.c.id_hash == _hash_id(session_id))
        )
        with self.engine.connect() as db:
            row = db.execute(query).mappings().first()
        if row is None or as_utc(row["expires_at"]) <= utc_now():
            return None
        return Session(Account(row["id"], row["username"], row["role"]), row["csrf_token"], as_utc(row["expires_at"]))

    def end_session(self, session_id: str) -> None:
        with self.engine.begin() as db:
            db.execute(staff_sessions.delete().where(staff_sessions.c.id_hash == _hash_id(session_id)))


def csrf_ok(expected: str, given: Optional[str]) -> bool:
    return bool(expected) and isinstance(given, str) and hmac.compare_digest(expected.encode(), given.encode())

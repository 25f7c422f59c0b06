"""Staff accounts for the review pages: nurses and the privacy officer.

Passwords are hashed with Argon2id (argon2-cffi). Sessions live server-side in the database with an
expiry; the browser holds only a random session id, and the database only its SHA-256, so a copy of
the table opens no session. Failed logins slow an account down and throttle the client's address
(login runs in a worker thread: Argon2 never stalls the API).

An administrator manages the accounts from the command line (``python -m bot list-accounts |
disable-nurse | unlock-nurse | reset-password | enroll-totp``, each an audit entry): a disabled
account cannot log in and its sessions end; a reset password must be changed at the next login
(page /nurse/password). With a second factor enrolled (bot/totp.py; required in production) the
login also needs the code of the authenticator app.
"""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Dict, List, Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Engine

from bot import totp
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
    sa.Column("disabled_at", sa.DateTime(timezone=True)),  # set: the account cannot log in
    sa.Column("must_change_password", sa.Boolean, nullable=False, default=False),  # after a reset
    sa.Column("totp_secret", sa.String(64)),  # the second factor's shared secret, once enrolled
    sa.Column("totp_last_step", sa.BigInteger),  # the last code's time step: each code works once
    sa.Column("last_login_at", sa.DateTime(timezone=True)),
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
    """An English message (weak password, unknown role or account, duplicate name) and a ``key``
    into data/staff_texts.yml ``errors`` for the Dutch page text."""

    def __init__(self, message: str, key: str = "account"):
        super().__init__(message)
        self.key = key


class LoginRefused(Exception):
    """Unknown name, wrong password, an account waiting after failures, or a client over its limit: the
    message is the same for all (``why`` is for the audit log only)."""

    def __init__(self, why: str):
        super().__init__(REFUSED)
        self.why = why  # unknown, wrong, account_delayed, client_throttled, disabled, totp_missing, totp_wrong, totp_not_enrolled
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
    must_change_password: bool = False


@dataclass(frozen=True)
class Session:
    account: Account
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class AccountInfo:
    """What ``list-accounts`` shows: no hashes, no secrets."""
    username: str
    role: str
    created_at: datetime
    disabled: bool
    waiting_until: Optional[datetime]
    failed_logins: int
    must_change_password: bool
    second_factor: bool
    last_login_at: Optional[datetime]


def _hash_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


_PASSWORD_RULES = {
    "password_too_short": f"password too short: use at least {MIN_PASSWORD_CHARS} characters (a sentence of a few words is fine)",
    "password_too_simple": "password too simple: it repeats too few different characters",
    "password_has_username": "password must not contain the username",
    "password_common": "password is a commonly used one; choose another",
}


def password_problem_key(username: str, password: str) -> Optional[str]:
    """Which rule a password breaks (a key of data/staff_texts.yml ``errors``); None when it is acceptable."""
    if len(password) < MIN_PASSWORD_CHARS:
        return "password_too_short"
    if len(set(password)) < 6:
        return "password_too_simple"
    if username.lower() in password.lower():
        return "password_has_username"
    if password.lower() in _COMMON:
        return "password_common"
    return None


def password_problem(username: str, password: str) -> Optional[str]:
    """Why a password is too weak, in English; None when it is acceptable."""
    key = password_problem_key(username, password)
    return _PASSWORD_RULES[key] if key else None


def _check_password(username: str, password: str) -> None:
    key = password_problem_key(username, password)
    if key:
        raise AccountError(_PASSWORD_RULES[key], key)


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
        _check_password(username, password)
        with self.engine.begin() as db:
            if db.execute(sa.select(staff_accounts.c.id).where(staff_accounts.c.username == username)).first():
                raise AccountError(f"an account named {username!r} exists already")
            result = db.execute(
                staff_accounts.insert().values(
                    username=username, role=role, password_hash=self.hasher.hash(password), failed_logins=0, created_at=utc_now()
                )
            )
        return Account(int(result.inserted_primary_key[0]), username, role)

    def authenticate(self, username: str, password: str, client: str = "local", code: Optional[str] = None,
                     second_factor_required: bool = False) -> Account:
        """The account, or LoginRefused (one message for every reason). Every refusal costs one Argon2
        verification, so its time does not tell whether the name exists. ``client``: the address.
        ``code``: the authenticator app's code, needed when the account has a second factor (and
        every account needs one when ``second_factor_required``, as in production)."""
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
                values: Dict[str, object] = {}
                try:
                    self.hasher.verify(row["password_hash"], password)
                except (VerifyMismatchError, VerificationError, InvalidHashError):
                    why = "wrong"
                if not why:  # only after the right password: none of this tells a guesser anything
                    why, step = self._second_factor(row, code, second_factor_required)
                    if step is not None:
                        values["totp_last_step"] = step
                if not why and row["disabled_at"] is not None:
                    why = "disabled"
                failed = row["failed_logins"] + 1 if why and why != "disabled" else 0
                values.update(failed_logins=failed, locked_until=None)
                if not why:
                    values["last_login_at"] = now
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
        return Account(row["id"], row["username"], row["role"], bool(row["must_change_password"]))

    @staticmethod
    def _second_factor(row, code: Optional[str], required: bool):
        """(why refused or None, the accepted code's time step)."""
        if not row["totp_secret"]:
            return ("totp_not_enrolled" if required else None), None
        if not (code or "").strip():
            return "totp_missing", None
        step = totp.accepted_step(row["totp_secret"], code, row["totp_last_step"])
        return ("totp_wrong", None) if step is None else (None, step)

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
            sa.select(staff_sessions.c.csrf_token, staff_sessions.c.expires_at, staff_accounts.c.id, staff_accounts.c.username,
                      staff_accounts.c.role, staff_accounts.c.must_change_password, staff_accounts.c.disabled_at)
            .join(staff_accounts, staff_accounts.c.id == staff_sessions.c.account_id)
            .where(staff_sessions.c.id_hash == _hash_id(session_id))
        )
        with self.engine.connect() as db:
            row = db.execute(query).mappings().first()
        if row is None or as_utc(row["expires_at"]) <= utc_now() or row["disabled_at"] is not None:
            return None
        account = Account(row["id"], row["username"], row["role"], bool(row["must_change_password"]))
        return Session(account, row["csrf_token"], as_utc(row["expires_at"]))

    def end_session(self, session_id: str) -> None:
        with self.engine.begin() as db:
            db.execute(staff_sessions.delete().where(staff_sessions.c.id_hash == _hash_id(session_id)))

    # the administrator's commands
    def _account_id(self, db, username: str) -> int:
        found = db.execute(sa.select(staff_accounts.c.id).where(staff_accounts.c.username == username.strip())).scalar()
        if found is None:
            raise AccountError(f"no account named {username!r}", "unknown_account")
        return int(found)

    def _change(self, username: str, end_sessions: bool, **values: object) -> int:
        """Update one account; with ``end_sessions`` its sessions end. Returns how many ended."""
        with self.engine.begin() as db:
            account_id = self._account_id(db, username)
            if values:
                db.execute(staff_accounts.update().where(staff_accounts.c.id == account_id).values(**values))
            if not end_sessions:
                return 0
            return int(db.execute(staff_sessions.delete().where(staff_sessions.c.account_id == account_id)).rowcount or 0)

    def disable(self, username: str) -> int:
        """The account can no longer log in; its open sessions end now. Returns how many ended."""
        return self._change(username, True, disabled_at=utc_now())

    def enable(self, username: str) -> None:
        self._change(username, False, disabled_at=None, failed_logins=0, locked_until=None)

    def unlock(self, username: str) -> None:
        """End the wait after failed logins."""
        self._change(username, False, failed_logins=0, locked_until=None)

    def reset_password(self, username: str, password: str) -> int:
        """A new password from the administrator, to be changed at the next login; sessions end."""
        _check_password(username.strip(), password)
        return self._change(username, True, password_hash=self.hasher.hash(password), must_change_password=True,
                            failed_logins=0, locked_until=None)

    def change_password(self, account: Account, current: str, new: str) -> None:
        """The staff member's own change (page /nurse/password); AccountError with a key for the page."""
        with self.engine.connect() as db:
            stored = db.execute(sa.select(staff_accounts.c.password_hash).where(staff_accounts.c.id == account.id)).scalar_one()
        try:
            self.hasher.verify(stored, current)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            raise AccountError("the current password is wrong", "current_password_wrong") from None
        if new == current:
            raise AccountError("the new password must differ from the current one", "password_unchanged")
        _check_password(account.username, new)
        with self.engine.begin() as db:
            db.execute(staff_accounts.update().where(staff_accounts.c.id == account.id).values(
                password_hash=self.hasher.hash(new), must_change_password=False))

    def enroll_second_factor(self, username: str) -> str:
        """A new TOTP secret (also the recovery when a phone is lost: the old one stops working and
        the sessions end); returns the otpauth:// address for the authenticator app."""
        secret = totp.new_secret()
        self._change(username, True, totp_secret=secret, totp_last_step=None)
        return totp.provisioning_uri(secret, username.strip())

    def list(self) -> List[AccountInfo]:
        now = utc_now()
        with self.engine.connect() as db:
            rows = db.execute(sa.select(staff_accounts).order_by(staff_accounts.c.username)).mappings().all()
        return [
            AccountInfo(r["username"], r["role"], as_utc(r["created_at"]), r["disabled_at"] is not None,
                        as_utc(r["locked_until"]) if r["locked_until"] and as_utc(r["locked_until"]) > now else None,
                        r["failed_logins"], bool(r["must_change_password"]), bool(r["totp_secret"]), as_utc(r["last_login_at"]))
            for r in rows
        ]


def csrf_ok(expected: str, given: Optional[str]) -> bool:
    return bool(expected) and isinstance(given, str) and hmac.compare_digest(expected.encode(), given.encode())

"""Staff accounts on a real SQLite database: Argon2 hashes, weak passwords refused, lock-out,
server-side sessions with expiry."""
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot import nurses
from bot.nurses import Accounts, AccountError, LoginRefused, staff_accounts, staff_sessions
from bot.store import Store, as_utc

PASSWORD = "lange zin als wachtwoord 7"


@pytest.fixture
def accounts(store):
    return Accounts(store.engine)


def test_password_is_stored_as_an_argon2id_hash(accounts, store):
    accounts.create("anna", PASSWORD)
    with store.engine.connect() as db:
        stored = db.execute(sa.select(staff_accounts.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate("anna", PASSWORD).role == "nurse"


@pytest.mark.parametrize("password, reason", [
    ("kort1!", "too short"), ("aaaaaaaaaaaaaaa", "too simple"), ("anna-is-my-password", "username"), ("wachtwoord123", "commonly used"),
])
def test_weak_passwords_are_refused_with_the_reason(accounts, password, reason):
    with pytest.raises(AccountError, match=reason):
        accounts.create("anna", password)


def test_duplicate_names_and_unknown_roles_are_refused(accounts):
    accounts.create("anna", PASSWORD)
    with pytest.raises(AccountError, match="exists already"):
        accounts.create("anna", PASSWORD)
    with pytest.raises(AccountError, match="unknown role"):
        accounts.create("bert", PASSWORD, role="admin")


def test_wrong_password_and_unknown_name_look_the_same(accounts):
    accounts.create("anna", PASSWORD)
    with pytest.raises(LoginRefused) as wrong:
        accounts.authenticate("anna", PASSWORD + "x")
    with pytest.raises(LoginRefused) as unknown:
        accounts.authenticate("nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == nurses.REFUSED
    assert (wrong.value.why, unknown.value.why) == ("wrong", "unknown")  # for the audit log only


def test_failures_make_the_account_wait_a_doubling_delay_then_the_right_password_works(accounts, store):
    accounts.create("anna", PASSWORD)
    for attempt in range(nurses.MAX_FAILED_LOGINS):
        with pytest.raises(LoginRefused):
            accounts.authenticate("anna", f"wrong {attempt}", client=f"10.0.0.{attempt}")
    with pytest.raises(LoginRefused) as waiting:
        accounts.authenticate("anna", PASSWORD)
    assert waiting.value.why == "account_delayed" and str(waiting.value) == nurses.REFUSED  # the same answer as a wrong one

    def delay():
        with store.engine.connect() as db:
            until = db.execute(sa.select(staff_accounts.c.locked_until)).scalar_one()
        return as_utc(until) - datetime.now(timezone.utc)

    assert timedelta(seconds=25) < delay() <= nurses.ACCOUNT_DELAY  # seconds, not a quarter of an hour
    with store.engine.begin() as db:
        db.execute(staff_accounts.update().values(locked_until=datetime.now(timezone.utc) - timedelta(seconds=1)))
    with pytest.raises(LoginRefused):
        accounts.authenticate("anna", "wrong again")
    assert nurses.ACCOUNT_DELAY < delay() <= 2 * nurses.ACCOUNT_DELAY  # doubled
    with store.engine.begin() as db:
        db.execute(staff_accounts.update().values(locked_until=datetime.now(timezone.utc) - timedelta(seconds=1)))
    assert accounts.authenticate("anna", PASSWORD).username == "anna"


def test_one_client_address_cannot_lock_out_every_nurse(accounts):
    for name in ("anna", "bert", "carla"):
        accounts.create(name, PASSWORD)
    for attempt in range(nurses.CLIENT_MAX_FAILURES):
        with pytest.raises(LoginRefused):
            accounts.authenticate(f"guess{attempt % 7}", "wrong", client="203.0.113.9")
    with pytest.raises(LoginRefused) as throttled:
        accounts.authenticate("bert", PASSWORD, client="203.0.113.9")
    assert throttled.value.why == "client_throttled"  # that address is refused unread ...
    for name in ("anna", "bert", "carla"):  # ... and the nurses, elsewhere, are not locked out
        assert accounts.authenticate(name, PASSWORD, client="10.1.2.3").username == name


def test_an_unknown_name_costs_one_verification_like_a_known_one(store):
    from argon2 import PasswordHasher

    class Counting(PasswordHasher):
        def hash(self, password, *args, **kwargs):
            calls.append("hash")
            return super().hash(password, *args, **kwargs)

        def verify(self, hash, password):
            calls.append("verify")
            return super().verify(hash, password)

    calls = []
    Accounts(store.engine).create("anna", PASSWORD)
    with pytest.raises(LoginRefused):
        Accounts(store.engine).authenticate("nobody", "x")
    made = nurses._dummy_hash.cache_info().misses
    accounts = Accounts(store.engine, hasher=Counting())  # the API makes one per request
    for name in ("nobody", "anna"):
        with pytest.raises(LoginRefused):
            accounts.authenticate(name, "wrong password")
    assert calls == ["verify", "verify"]  # one Argon2 verification each, no hashing
    assert nurses._dummy_hash.cache_info().misses == made  # the dummy hash is made once per process


def test_a_success_resets_the_failure_count(accounts):
    accounts.create("anna", PASSWORD)
    for _ in range(nurses.MAX_FAILED_LOGINS - 1):
        with pytest.raises(LoginRefused):
            accounts.authenticate("anna", "wrong")
    accounts.authenticate("anna", PASSWORD)
    with pytest.raises(LoginRefused) as refused:
        accounts.authenticate("anna", "wrong")
    assert not refused.value.locked


def test_sessions_are_random_stored_hashed_expire_and_end(accounts, store):
    account = accounts.create("anna", PASSWORD)
    first, second = accounts.start_session(account), accounts.start_session(account)
    assert first != second and len(first) >= 40
    session = accounts.session(first)
    assert session.account.username == "anna" and len(session.csrf_token) >= 40
    assert session.csrf_token != accounts.session(second).csrf_token
    with store.engine.connect() as db:
        stored = db.execute(sa.select(staff_sessions.c.id_hash)).scalars().all()
    assert first not in stored and second not in stored  # only hashes in the database
    accounts.end_session(first)
    assert accounts.session(first) is None and accounts.session(second) is not None
    with store.engine.begin() as db:
        db.execute(staff_sessions.update().values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    assert accounts.session(second) is None
    assert accounts.session(None) is None and accounts.session("made-up") is None


def test_csrf_comparison():
    assert nurses.csrf_ok("abc", "abc")
    assert not nurses.csrf_ok("abc", "abd") and not nurses.csrf_ok("abc", None) and not nurses.csrf_ok("", "")


def test_create_nurse_command(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "APP_ENV": "test", "PATH": "/usr/bin:/bin"}
    ok = subprocess.run([sys.executable, "-m", "bot", "create-nurse", "anna", "--password-stdin"], input=PASSWORD + "\n",
                        env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "created nurse account 'anna'" in ok.stdout and PASSWORD not in ok.stdout + ok.stderr
    weak = subprocess.run([sys.executable, "-m", "bot", "create-nurse", "bert", "--password-stdin"], input="short\n",
                          env=env, capture_output=True, text=True, timeout=120)
    assert weak.returncode == 2 and "error: password too short" in weak.stderr
    officer = subprocess.run([sys.executable, "-m", "bot", "create-nurse", "pia", "--role", "privacy_officer", "--password-stdin"],
                             input=PASSWORD + "\n", env=env, capture_output=True, text=True, timeout=120)
    assert officer.returncode == 0, officer.stderr
    store = Store(env["DATABASE_URL"])
    try:
        assert Accounts(store.engine).authenticate("pia", PASSWORD).role == "privacy_officer"
        with pytest.raises(LoginRefused):
            Accounts(store.engine).authenticate("bert", "short")
    finally:
        store.dispose()

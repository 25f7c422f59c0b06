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


def _code(store, username, offset_steps=0):
    import time

    import pyotp

    with store.engine.connect() as db:
        secret = db.execute(sa.select(staff_accounts.c.totp_secret).where(staff_accounts.c.username == username)).scalar_one()
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def _why(accounts, *args, **kwargs):
    with pytest.raises(LoginRefused) as refused:
        accounts.authenticate(*args, **kwargs)
    assert str(refused.value) == nurses.REFUSED  # one message, whatever the reason
    return refused.value.why


def test_a_disabled_account_cannot_log_in_and_its_sessions_end_at_once(accounts):
    account = accounts.create("anna", PASSWORD)
    sessions = [accounts.start_session(account) for _ in range(2)]
    assert accounts.disable("anna") == 2
    assert all(accounts.session(s) is None for s in sessions)
    assert _why(accounts, "anna", PASSWORD) == "disabled"
    accounts.enable("anna")
    assert accounts.authenticate("anna", PASSWORD).username == "anna"
    with pytest.raises(AccountError, match="no account named 'nobody'"):
        accounts.disable("nobody")


def test_unlock_ends_the_wait_after_failed_logins(accounts):
    accounts.create("anna", PASSWORD)
    for _ in range(nurses.MAX_FAILED_LOGINS):
        _why(accounts, "anna", "wrong password!!", client=f"c{_}")
    assert _why(accounts, "anna", PASSWORD) == "account_delayed"
    accounts.unlock("anna")
    assert accounts.authenticate("anna", PASSWORD).username == "anna"


def test_a_reset_password_works_once_and_must_be_changed(accounts):
    account = accounts.create("anna", PASSWORD)
    session = accounts.start_session(account)
    assert accounts.reset_password("anna", "tijdelijk wachtwoord 42") == 1 and accounts.session(session) is None
    assert _why(accounts, "anna", PASSWORD) == "wrong"
    reset = accounts.authenticate("anna", "tijdelijk wachtwoord 42")
    assert reset.must_change_password
    for current, new, key in (("fout wachtwoord 99", "een nieuw lang wachtwoord", "current_password_wrong"),
                              ("tijdelijk wachtwoord 42", "tijdelijk wachtwoord 42", "password_unchanged"),
                              ("tijdelijk wachtwoord 42", "kort", "password_too_short"),
                              ("tijdelijk wachtwoord 42", "anna haar wachtwoord", "password_has_username")):
        with pytest.raises(AccountError) as refused:
            accounts.change_password(reset, current, new)
        assert refused.value.key == key
    accounts.change_password(reset, "tijdelijk wachtwoord 42", "een nieuw lang wachtwoord")
    again = accounts.authenticate("anna", "een nieuw lang wachtwoord")
    assert not again.must_change_password and not accounts.session(accounts.start_session(again)).account.must_change_password
    with pytest.raises(AccountError, match="too short"):
        accounts.reset_password("anna", "kort")


def test_the_second_factor_is_needed_once_enrolled_and_each_code_works_once(accounts, store):
    accounts.create("anna", PASSWORD)
    uri = accounts.enroll_second_factor("anna")
    assert uri.startswith("otpauth://totp/Pijnpoli-chatbot:anna?secret=")
    assert _why(accounts, "anna", PASSWORD) == "totp_missing"
    assert _why(accounts, "anna", PASSWORD, code="000000" if _code(store, "anna") != "000000" else "111111") == "totp_wrong"
    assert _why(accounts, "anna", "wrong password!!", code=_code(store, "anna")) == "wrong"  # the code is not even looked at
    code = _code(store, "anna")
    assert accounts.authenticate("anna", PASSWORD, code=code).username == "anna"
    assert _why(accounts, "anna", PASSWORD, code=code) == "totp_wrong"  # used: not again
    assert accounts.authenticate("anna", PASSWORD, code=_code(store, "anna", offset_steps=1)).username == "anna"  # clock drift
    with store.engine.connect() as db:
        failed = db.execute(sa.select(staff_accounts.c.failed_logins)).scalar_one()
    assert failed == 0  # the good login reset the two failures
    old = _code(store, "anna", offset_steps=1)
    accounts.enroll_second_factor("anna")  # recovery: a new secret, the old app's codes stop working
    if old != _code(store, "anna", offset_steps=1):  # (one in a million: both secrets give the same code)
        assert _why(accounts, "anna", PASSWORD, code=old) == "totp_wrong"
    assert _why(accounts, "anna", PASSWORD, code=_code(store, "anna", offset_steps=-5)) == "totp_wrong"  # too old


def test_production_needs_a_second_factor_for_every_account(accounts, store):
    accounts.create("anna", PASSWORD)
    assert _why(accounts, "anna", PASSWORD, second_factor_required=True) == "totp_not_enrolled"
    assert _why(accounts, "nobody", PASSWORD, second_factor_required=True) == "unknown"
    accounts.enroll_second_factor("anna")
    assert accounts.authenticate("anna", PASSWORD, code=_code(store, "anna"), second_factor_required=True).username == "anna"


def test_the_account_list_shows_states_and_no_secrets(accounts):
    accounts.create("anna", PASSWORD)
    accounts.create("pia", PASSWORD, role="privacy_officer")
    accounts.create("bert", PASSWORD)
    accounts.disable("bert")
    accounts.enroll_second_factor("pia")
    accounts.reset_password("anna", "tijdelijk wachtwoord 42")
    listed = {a.username: a for a in accounts.list()}
    assert list(listed) == ["anna", "bert", "pia"]
    assert listed["bert"].disabled and not listed["anna"].disabled and listed["anna"].must_change_password
    assert listed["pia"].second_factor and not listed["anna"].second_factor and listed["pia"].role == "privacy_officer"
    assert not any("hash" in f or "secret" in f for f in nurses.AccountInfo.__dataclass_fields__)


def test_the_administrators_commands_do_what_they_say_and_are_audited(tmp_path):
    from bot import audit

    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
           "APP_ENV": "test", "PATH": "/usr/bin:/bin"}

    def run(*args, stdin=None):
        return subprocess.run([sys.executable, "-m", "bot", *args, "--by", "admin-kim"], input=stdin, env=env,
                              capture_output=True, text=True, timeout=120)

    assert run("create-nurse", "anna", "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    enrolled = run("enroll-totp", "anna")
    assert enrolled.returncode == 0 and "otpauth://totp/Pijnpoli-chatbot:anna?secret=" in enrolled.stdout
    reset = run("reset-password", "anna", "--password-stdin", stdin="tijdelijk wachtwoord 42\n")
    assert reset.returncode == 0 and "must be changed at the next login" in reset.stdout
    assert run("unlock-nurse", "anna").returncode == 0
    disabled = run("disable-nurse", "anna")
    assert disabled.returncode == 0 and "disabled; 0 open session(s) ended" in disabled.stdout
    listed = run("list-accounts")
    assert listed.returncode == 0 and "anna" in listed.stdout and "disabled" in listed.stdout and "secret" not in listed.stdout.lower()
    assert run("disable-nurse", "anna", "--enable").returncode == 0
    unknown = run("unlock-nurse", "nobody")
    assert unknown.returncode == 2 and "error: no account named 'nobody'" in unknown.stderr
    purge = run("purge", "--dry-run")
    assert purge.returncode == 0, purge.stderr
    store = Store(env["DATABASE_URL"])
    try:
        entries = [(e.actor, e.role, e.action, e.details.get("account")) for e in reversed(audit.entries(store.engine))]
        assert entries == [("admin-kim", "administrator", action, account) for action, account in (
            ("account_created", "anna"), ("second_factor_enrolled", "anna"), ("password_reset", "anna"), ("account_unlocked", "anna"),
            ("account_disabled", "anna"), ("accounts_listed", None), ("account_enabled", "anna"), ("purge", None))]
        assert audit.entries(store.engine, action="purge")[0].details["dry_run"] is True
        assert audit.verify(store.engine).ok
    finally:
        store.dispose()

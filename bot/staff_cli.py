"""The administrator's commands for staff accounts (``python -m bot <command>``); each one is an
audit entry by the administrator (``--by``, default the operating-system user, role "administrator").

    create-nurse NAME [--role privacy_officer] [--password-stdin]
    list-accounts
    disable-nurse NAME [--enable]        # disabling ends the account's sessions at once
    unlock-nurse NAME                    # end the wait after failed logins
    reset-password NAME [--password-stdin]   # to be changed at the next login
    enroll-totp NAME                     # a new second factor (also the recovery for a lost phone)
"""
import argparse
import getpass
import sys
from typing import Callable, Optional

ADMIN_ROLE = "administrator"


def _password(args: argparse.Namespace) -> Optional[str]:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass(f"Password for {args.username}: ")
    if getpass.getpass("Repeat the password: ") != password:
        print("error: the passwords differ", file=sys.stderr)
        return None
    return password


def _with_accounts(args: argparse.Namespace, work: Callable) -> int:
    """Open the database (creating the tables if needed), run ``work(accounts, engine)``, report errors."""
    from bot import audit, nurses, review  # noqa: F401 (their tables join the schema)
    from bot.settings import get_settings
    from bot.store import Store

    store = Store(get_settings().database_url)
    try:
        store.create_schema()
        return work(nurses.Accounts(store.engine), store.engine)
    except nurses.AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.dispose()


def _by(args: argparse.Namespace) -> str:
    return args.by or getpass.getuser()


def _create(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from bot import audit
    from bot.settings import get_settings

    password = _password(args)
    if password is None:
        return 2

    def work(accounts, engine) -> int:
        account = accounts.create(args.username, password, role=args.role)
        audit.record(engine, _by(args), ADMIN_ROLE, "account_created", details={"account": account.username, "role": account.role})
        where = sa.engine.make_url(get_settings().database_url).render_as_string(hide_password=True)
        # `make run` uses var/run/app.db unless DATABASE_URL is set: say which database got the account.
        print(f"created {account.role} account {account.username!r} in {where}; log in at /nurse/login")
        return 0

    return _with_accounts(args, work)


def _list(args: argparse.Namespace) -> int:
    from bot import audit

    def work(accounts, engine) -> int:
        rows = accounts.list()
        audit.record(engine, _by(args), ADMIN_ROLE, "accounts_listed", details={"accounts": len(rows)})
        print(f"{'username':<24} {'role':<16} {'state':<22} {'2nd factor':<10} {'last login (UTC)':<17} created (UTC)")
        for r in rows:
            state = "disabled" if r.disabled else f"waiting until {r.waiting_until:%H:%M}" if r.waiting_until else "active"
            if r.must_change_password and not r.disabled:
                state += ", must change"
            last = f"{r.last_login_at:%Y-%m-%d %H:%M}" if r.last_login_at else "never"
            print(f"{r.username:<24} {r.role:<16} {state:<22} {'yes' if r.second_factor else 'no':<10} {last:<17} {r.created_at:%Y-%m-%d}")
        return 0

    return _with_accounts(args, work)


def _disable(args: argparse.Namespace) -> int:
    def change(accounts):
        if args.enable:
            accounts.enable(args.username)
            return {}, f"account {args.username!r} can log in again"
        ended = accounts.disable(args.username)
        return {"sessions_ended": ended}, f"account {args.username!r} disabled; {ended} open session(s) ended"

    return _on_account(args, "account_enabled" if args.enable else "account_disabled", change)


def _on_account(args: argparse.Namespace, action: str, change: Callable) -> int:
    """``change(accounts)`` does the work on args.username and returns (the audit details' extra, what to print)."""
    from bot import audit

    def work(accounts, engine) -> int:
        extra, message = change(accounts)
        audit.record(engine, _by(args), ADMIN_ROLE, action, details={"account": args.username, **extra})
        print(message)
        return 0

    return _with_accounts(args, work)


def _unlock(args: argparse.Namespace) -> int:
    def change(accounts):
        accounts.unlock(args.username)
        return {}, f"account {args.username!r}: the wait after failed logins is over"

    return _on_account(args, "account_unlocked", change)


def _reset(args: argparse.Namespace) -> int:
    password = _password(args)
    if password is None:
        return 2

    def change(accounts):
        ended = accounts.reset_password(args.username, password)
        return {"sessions_ended": ended}, f"password of {args.username!r} reset; it must be changed at the next login ({ended} session(s) ended)"

    return _on_account(args, "password_reset", change)


def _enroll(args: argparse.Namespace) -> int:
    def change(accounts):
        uri = accounts.enroll_second_factor(args.username)
        # Shown once, to hand to the staff member in person (their authenticator app reads it); not stored elsewhere.
        return {}, f"second factor of {args.username!r} set; any earlier one stops working. Add this to the authenticator app:\n{uri}"

    return _on_account(args, "second_factor_enrolled", change)


def add_parsers(sub) -> None:
    def command(name: str, func: Callable, help_text: str, password: bool = False) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help_text)
        if name != "list-accounts":
            parser.add_argument("username")
        if password:
            parser.add_argument("--password-stdin", action="store_true", help="read the password from the first line of standard input")
        parser.add_argument("--by", default=None, help="who runs this, for the audit log (default: the OS user)")
        parser.set_defaults(func=func)
        return parser

    create = command("create-nurse", _create, "create an account for the nurses' review pages (/nurse/)", password=True)
    create.add_argument("--role", choices=["nurse", "privacy_officer"], default="nurse",
                        help="privacy_officer: reads the audit log only (default: nurse)")
    command("list-accounts", _list, "list the staff accounts: role, state, second factor, last login (no secrets)")
    disable = command("disable-nurse", _disable, "disable a staff account (its sessions end at once)")
    disable.add_argument("--enable", action="store_true", help="allow the account to log in again")
    command("unlock-nurse", _unlock, "end an account's wait after failed logins")
    command("reset-password", _reset, "set a new password, to be changed at the next login (sessions end)", password=True)
    command("enroll-totp", _enroll, "give an account a new second factor (TOTP); also the recovery for a lost phone")

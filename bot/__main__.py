"""Developer and operations commands: ``python -m bot train | run | validate | purge | endpoints | verify-audit |
grant-runtime-role | export-feedback | bench``, the staff-account commands (bot/staff_cli.py) and the
evaluation reports (bot/evaluation/)."""
import argparse
import logging
import signal
import sys
import time

from bot import paths
from bot.settings import get_settings


def _train(args: argparse.Namespace) -> int:
    from bot.model import ensure_model

    print(ensure_model(get_settings(), force=args.force))
    return 0


def _validate(args: argparse.Namespace) -> int:
    import subprocess

    from bot.model import config_path, rasa_env, rasa_executable

    from bot import data_checks

    cmd = [rasa_executable(), "data", "validate", "--fail-on-warnings", "--config", str(config_path(get_settings())),
           "--domain", str(paths.DOMAIN), "--data", *[str(p) for p in paths.TRAINING_DATA]]
    rasa_code = subprocess.run(cmd, cwd=paths.ROOT, env=rasa_env()).returncode
    problems = data_checks.run()
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"rasa data validate: {'passed' if rasa_code == 0 else 'FAILED'}; project checks: "
          f"{'passed' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if rasa_code or problems else 0


def _run(args: argparse.Namespace) -> int:
    from bot import model_switch
    from bot.model import ensure_model
    from bot.stack import Ports, Stack, Supervisor

    settings = get_settings()
    started = time.monotonic()
    stack = Stack(ensure_model(settings), Ports(args.actions_port, args.rasa_port, args.port), paths.VAR / "run")
    stack.start()
    # Stop the children on Ctrl+C and on SIGTERM, also when started from a script that ignores SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        print("Starting the action server, Rasa (loading the model takes about a minute) and the API ...", flush=True)
        stack.wait_ready()
        print(f"\nReady after {time.monotonic() - started:.0f} s.", flush=True)
        print(f"  Chat API:  {stack.api_url}/api/chat   (OpenAPI docs: {stack.api_url}/docs)")
        print(f"  Logs:      {stack.run_dir}/*.log")
        if settings.uses_dev_secret:
            print("  WARNING: the API uses the development portal JWT secret (see README). Local use only.")
        print("Press Ctrl+C to stop.", flush=True)
        supervisor = Supervisor(stack)
        while True:
            model_switch.serve_requests(stack)  # `python -m bot switch-model` from another terminal
            supervisor.check()
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


def _purge(args: argparse.Namespace) -> int:
    import getpass

    from bot.retention import purge

    settings = get_settings()
    days = settings.retention_days if args.older_than_days is None else args.older_than_days
    if days < 1:
        print("error: --older-than-days must be at least 1", file=sys.stderr)
        return 2
    report = purge(settings.database_url, settings.rasa_tracker_store_url, days, dry_run=args.dry_run)
    _audit_purge(settings.database_url, args.by or getpass.getuser(), report)
    print("\n".join(report.lines()))
    return 0


def _audit_purge(database_url: str, by: str, report) -> None:
    """Every purge run, a dry run too, is an audit entry with its counts (never ids)."""
    from bot import audit, nurses, review  # noqa: F401 (their tables join the schema)
    from bot.store import Store

    store = Store(database_url)
    try:
        store.create_schema()
        audit.record(store.engine, by, "administrator", "purge", details={
            "days": report.days, "dry_run": report.dry_run, "conversations": report.conversations, "messages": report.messages,
            "flags": report.flags, "tracker_events": report.tracker_events, "kept_open_flags": report.kept_open_flags})
    finally:
        store.dispose()


def _endpoints(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.endpoints import render

    print(render(get_settings(), Path(args.out), args.actions_url))
    return 0


def _verify_audit(args: argparse.Namespace) -> int:
    from bot import audit, nurses, review  # noqa: F401 (their tables join the schema)
    from bot.store import Store

    store = Store(get_settings().database_url)
    try:
        result = audit.verify(store.engine)
    except Exception as exc:  # noqa: BLE001 - no table, no database: say so, as a failed check
        print(f"error: could not read the audit log: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    finally:
        store.dispose()
    print("\n".join(result.lines()))
    return 0 if result.ok else 1


def _grant_runtime_role(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from bot import audit, db_roles, nurses, review  # noqa: F401 (their tables join the schema)
    from bot.store import Store

    store = Store(get_settings().database_url)
    try:
        store.create_schema()  # as the owner: the tables and the audit log's triggers are the owner's
        statements = db_roles.grant_runtime_role(store.engine, args.role)
    except (ValueError, sa.exc.DBAPIError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.dispose()
    print("\n".join(statements))
    return 0


def _switch_model(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot import model_switch
    from bot.model import ensure_model

    model = Path(args.model) if args.model else ensure_model(get_settings())
    print(f"Asking the running stack to switch to {model.name}; it keeps answering with the current model meanwhile ...", flush=True)
    try:
        outcome = model_switch.request(Path(args.run_dir), model, timeout=args.timeout)
    except TimeoutError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not outcome.get("ok"):
        print(f"error: the switch failed; the previous model keeps serving: {outcome.get('error')}", file=sys.stderr)
        return 1
    print(f"Switched in {outcome['seconds']} s; Rasa is now at {outcome['rasa_url']}.")
    return 0


def _export_feedback(args: argparse.Namespace) -> int:
    import getpass
    from datetime import date
    from pathlib import Path

    from bot import audit, feedback_export, nurses, review  # noqa: F401 (their tables join the schema)
    from bot.store import Store

    try:
        since = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(f"error: --since must be a date like 2024-03-12, not {args.since!r}", file=sys.stderr)
        return 2
    store = Store(get_settings().database_url)
    try:
        store.create_schema()
        report = feedback_export.export(store.engine, Path(args.out) if args.out else feedback_export.default_path(),
                                        by=args.by or getpass.getuser(), since=since)
    except feedback_export.ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.dispose()
    print("\n".join(report.lines()))  # counts only: no patient text on the terminal
    return 0


def _bench(args: argparse.Namespace) -> int:
    from bot import benchmark

    benchmark.run(seconds=args.seconds, skip_training=args.skip_training)
    return 0  # a measurement, not a test: missed targets are reported as MISSED


def main(argv=None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request drowns the report
    parser = argparse.ArgumentParser(prog="python -m bot")
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train a model unless one matches the current data and config")
    train.add_argument("--force", action="store_true", help="train even when a matching model exists")
    train.set_defaults(func=_train)
    sub.add_parser("validate", help="rasa data validate --fail-on-warnings, plus the project's own checks (bot/data_checks.py)").set_defaults(func=_validate)
    run = sub.add_parser("run", help="train if needed, start the action server, Rasa and the API")
    run.add_argument("--port", type=int, default=8000, help="API port (default 8000)")
    run.add_argument("--rasa-port", type=int, default=5005)
    run.add_argument("--actions-port", type=int, default=5055)
    run.set_defaults(func=_run)
    switch = sub.add_parser("switch-model", help="switch the running `python -m bot run` to a newly trained model without downtime")
    switch.add_argument("--model", default=None, help="model file (default: the model for the current data, trained if needed)")
    switch.add_argument("--run-dir", default=str(paths.VAR / "run"), help="the running stack's run directory (default var/run)")
    switch.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for the switch (default 900)")
    switch.set_defaults(func=_switch_model)
    purge = sub.add_parser("purge", help="delete conversations idle for longer than the retention period (RETENTION_DAYS)")
    purge.add_argument("--older-than-days", type=int, default=None, help="retention period in days (default: RETENTION_DAYS)")
    purge.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
    purge.add_argument("--by", default=None, help="who runs it, for the audit log (default: the OS user)")
    purge.set_defaults(func=_purge)
    endpoints = sub.add_parser("endpoints", help="write Rasa's endpoints.yml for these settings (tracker store, lock store)")
    endpoints.add_argument("--out", required=True, help="file to write (readable by its owner only: it may hold passwords)")
    endpoints.add_argument("--actions-url", default=None, help="action server webhook (default: endpoints.yml's)")
    endpoints.set_defaults(func=_endpoints)
    sub.add_parser("verify-audit", help="check the audit log's hash chain and its append-only triggers (exit 1 when broken)").set_defaults(
        func=_verify_audit)
    grant = sub.add_parser("grant-runtime-role", help="PostgreSQL, run as the tables' owner: the API's runtime role may only INSERT and SELECT on audit_log")
    grant.add_argument("role", help="an existing PostgreSQL role (CREATE ROLE ... LOGIN first)")
    grant.set_defaults(func=_grant_runtime_role)
    feedback = sub.add_parser("export-feedback", help="nurses' 'the bot was wrong' feedback as pseudonymised Rasa NLU candidates (never into data/)")
    feedback.add_argument("--out", default=None, help="YAML file to write (default var/feedback/nlu-candidates-<time>.yml; not inside data/)")
    feedback.add_argument("--since", default=None, help="only feedback given on or after this date (YYYY-MM-DD, UTC)")
    feedback.add_argument("--by", default=None, help="who exports, for the audit log (default: the OS user)")
    feedback.set_defaults(func=_export_feedback)
    bench = sub.add_parser("bench", help="benchmark the API stack against bare `rasa run` (latency, throughput, memory, start-up, training)")
    bench.add_argument("--seconds", type=float, default=60.0, help="length of each load phase (default 60)")
    bench.add_argument("--skip-training", action="store_true", help="do not time a full `rasa train` (saves about 5 minutes)")
    bench.set_defaults(func=_bench)
    from bot import staff_cli
    from bot.evaluation import cost, faults, full_report, hostile, languages, report

    staff_cli.add_parsers(sub)

    report.add_parser(sub)
    languages.add_parser(sub)
    cost.add_parser(sub)
    faults.add_parser(sub)
    hostile.add_parser(sub)
    full_report.add_parsers(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

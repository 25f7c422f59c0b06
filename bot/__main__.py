"""Developer commands: ``python -m bot train | run | validate``."""
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
    from bot.model import ensure_model
    from bot.stack import Ports, Stack

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
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        dead = [name for name, p in stack.processes.items() if p.poll() is not None]
        print(f"stopped: {dead} exited\n" + "\n".join(stack.log_tail(n) for n in dead), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


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
    from bot.evaluation import report

    report.add_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

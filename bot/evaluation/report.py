"""`python -m bot evaluate`: print acceptance figures and the misses."""
import argparse
import logging
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from bot.evaluation import acceptance
from bot.evaluation.channels import ApiChannel, Channel, FailSafeChannel


@contextmanager
def _api_channel(api_url: Optional[str], secret: Optional[str], model: Optional[Path] = None) -> Iterator[Channel]:
    if api_url:
        if not secret:
            raise SystemExit("--api-url needs --secret (the API's PORTAL_JWT_SECRET)")
        yield ApiChannel(api_url, secret)
        return
    from bot.model import ensure_model
    from bot.settings import get_settings
    from bot.stack import Ports, Stack, free_port

    secret = secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="bot-eval-") as tmp:
        stack = Stack(
            model or ensure_model(get_settings()), Ports(free_port(), free_port(), free_port()), Path(tmp),
            extra_env={"APP_ENV": "test", "PORTAL_JWT_SECRET": secret, "DATABASE_URL": f"sqlite:///{tmp}/app.db"},
        )
        print("Starting the bot (loading the model takes about a minute) ...", flush=True)
        stack.start()
        try:
            print(f"ready after {stack.wait_ready():.0f} s", flush=True)
            yield ApiChannel(stack.api_url, secret)
        finally:
            stack.stop()


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def print_triage(label: str, score: acceptance.TriageScore, required: str = "100%") -> None:
    print(f"\n== Triage ({label}) ==")
    print(f"escalation recall       {score.caught}/{score.total_alarm} = {_pct(score.recall)}   (required: {required})")
    print(f"false escalations       {score.false_escalations}/{score.total_calm} = {_pct(score.false_rate)}   (allowed: at most 5%)")
    print("per category:  " + ", ".join(f"{k} {c}/{t}" for k, (c, t) in sorted(score.by_category.items())))
    print("per procedure: " + ", ".join(f"{k} {c}/{t}" for k, (c, t) in sorted(score.by_procedure.items())))
    for miss in score.misses:
        kind = "MISSED ALARM" if miss["expected"] else "FALSE ALARM"
        print(f"  {kind:12} {miss['id']} [{miss['category']}, {miss['procedure']}] reasons={miss['reasons']}: {miss['text']}")


def run(args: argparse.Namespace) -> int:
    folder = Path(args.acceptance_dir)
    if args.layer == "detector":
        logging.getLogger("bot.chat").setLevel(logging.ERROR)  # "rasa unavailable" is the point here
    failed = False
    with (_api_channel(args.api_url, args.secret) if args.layer == "api" else _null(FailSafeChannel())) as channel:
        if args.set in ("triage", "all"):
            items = acceptance.read_jsonl(folder / "triage.jsonl")
            for with_proc in (True, False):
                ch = channel if args.layer == "api" else FailSafeChannel()
                score = acceptance.score_triage(ch, items, with_proc)
                # The red-flag layer alone (Rasa stopped) must catch at least 95%; the full stack 100%.
                minimum = 1.0 if args.layer == "api" else 0.95
                print_triage(f"{args.layer}, {'with' if with_proc else 'without'} procedure field", score, _pct(minimum))
                failed |= score.recall < minimum or score.false_rate > 0.05
        if args.set == "regression":
            for name in ("triage_cases.yml", "triage_cases_2.yml", "triage_cases_3.yml"):
                items = regression_items(name)
                ch = channel if args.layer == "api" else FailSafeChannel()
                score = acceptance.score_triage(ch, items, True)
                print_triage(f"{args.layer}, own regression set {name}", score)
        if args.set == "batch":
            from bot.evaluation import batches

            for path in [Path(f) for f in args.file] or batches.default_batches():
                ch = channel if args.layer == "api" else FailSafeChannel()
                batches.print_score(f"{args.layer}, blind batch {path.name}", batches.score(ch, batches.load(path)))
        if args.set == "question-batch" and args.layer == "api":
            from bot.evaluation import question_batches

            for path in [Path(f) for f in args.file] or question_batches.default_batches():
                question_batches.print_score(path.name, question_batches.score(channel, question_batches.load(path)))
        if args.set == "own-questions" and args.layer == "api":
            from ruamel.yaml import YAML

            from bot import paths

            cases = YAML(typ="safe", pure=True).load((paths.ROOT / "tests" / "bot" / "question_cases.yml").read_text(encoding="utf-8"))["cases"]
            result = acceptance.score_own_questions(channel, cases)
            print("\n== Own question set (tests/bot/question_cases.yml, with procedure field) ==")
            print(f"replies citing the right leaflet section  {result['correct']}/{result['total']} = {_pct(result['correct'] / result['total'])}")
            for miss in result["misses"]:
                print(f"  MISS [{miss['topic']}, {miss['procedure']}] {miss['text']}\n       cited: {miss['got']}")
        if args.set in ("conversations", "all"):
            result = acceptance.score_conversations(channel if args.layer == "api" else FailSafeChannel(), acceptance.read_jsonl(folder / "conversations.jsonl"))
            print(f"\n== Conversations ({args.layer}) ==\npassed {result['passed']}/{result['total']}")
            for f in result["failures"]:
                print(f"  FAILED {f['id']} expected {f['expect']}, escalated per turn: {f['escalated_per_turn']}")
            failed |= result["passed"] != result["total"]
        if args.set in ("questions", "all") and args.layer == "api":
            items = acceptance.read_jsonl(folder / "questions.jsonl")
            for with_proc in (True, False):
                result = acceptance.score_questions(channel, items, with_proc)
                print(f"\n== Questions ({'with' if with_proc else 'without'} procedure field) ==")
                print(f"answers with every fact  {result['correct']}/{result['total']} = {_pct(result['accuracy'])}   (required: at least 90%)")
                print(f"false escalations        {result['false_escalations']}")
                print("per source: " + ", ".join(f"{k} {c}/{t}" for k, (c, t) in sorted(result["by_source"].items())))
                for miss in result["misses"]:
                    print(f"  MISS {miss['id']} facts={miss['facts']}: {miss['text']}\n       reply: {miss['reply']}")
                failed |= result["accuracy"] < 0.9
    return 1 if failed and args.strict else 0


def regression_items(name: str):
    """The project's own triage cases, in the acceptance file's shape."""
    from ruamel.yaml import YAML

    from bot import paths

    cases = YAML(typ="safe", pure=True).load((paths.ROOT / "tests" / "bot" / name).read_text(encoding="utf-8"))["cases"]
    return [
        {"id": f"{name.split('.')[0]}#{i}", "text": c["text"], "escalate": c["escalate"],
         "category": c["category"] if c["escalate"] else c["rule"], "procedure": c["procedure"] or "unknown"}
        for i, c in enumerate(cases, start=1)
    ]


@contextmanager
def _null(value):
    yield value


def add_parser(sub) -> None:
    parser = sub.add_parser("evaluate", help="score the acceptance set (../shared/acceptance) and print the misses")
    parser.add_argument("set", choices=["triage", "conversations", "questions", "regression", "batch", "question-batch", "own-questions", "all"], nargs="?", default="all",
                        help="regression: the project's own triage cases (tests/bot/triage_cases*.yml); own-questions: the project's own question set (tests/bot/question_cases.yml); batch: the blind triage batches with their parts (bot/evaluation/batches.py); question-batch: the blind question batches (bot/evaluation/question_batches.py)")
    parser.add_argument("--layer", choices=["api", "detector"], default="api",
                        help="api: POST /api/chat on the full stack (default); detector: the API's chat service with Rasa unreachable (the fail-safe path: red-flag layer only)")
    parser.add_argument("--api-url", help="a running API; default: start a stack with the current model")
    parser.add_argument("--secret", help="PORTAL_JWT_SECRET of the API given with --api-url")
    parser.add_argument("--acceptance-dir", default=str(acceptance.DEFAULT_DIR))
    parser.add_argument("--file", action="append", default=[],
                        help="batch, question-batch: a blind batch file (repeatable; default tests/bot/triage_cases_<4 and on>.yml, tests/bot/question_batch_*.yml)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a required figure is not met")
    parser.set_defaults(func=run)

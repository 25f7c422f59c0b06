"""NLU cross-validation (`rasa test nlu --cross-validation`) and the per-intent table built from it."""
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

from bot import paths
from bot.model import config_path, rasa_env, rasa_executable
from bot.settings import Settings

# Keys of sklearn's classification report that are summaries, not intents.
SUMMARY_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}
# Rasa logs this once per fold: the intent classifier is trained once for every fold.
_FOLD_START = re.compile(r"Starting to train component '(DIETClassifier)'")
# tqdm bars: training epochs, then the predictions on the fold's train and test examples.
_BAR = re.compile(r"(Epochs:)?\s*\d+%\|[^|]*\|\s*(\d+)/(\d+)")


@dataclass
class IntentRow:
    intent: str
    precision: float
    recall: float
    f1: float
    support: int
    confused_with: Dict[str, int]


def intent_rows(report: Dict[str, Any]) -> List[IntentRow]:
    """One row per intent of Rasa's intent_report.json, worst F1 first (ties: by name)."""
    rows = [
        IntentRow(name, float(v["precision"]), float(v["recall"]), float(v["f1-score"]), int(v["support"]),
                  {k: int(n) for k, n in (v.get("confused_with") or {}).items()})
        for name, v in report.items()
        if name not in SUMMARY_KEYS and isinstance(v, dict) and "f1-score" in v
    ]
    return sorted(rows, key=lambda r: (r.f1, r.intent))


def confused_pairs(rows: List[IntentRow], limit: int = 10) -> List[Tuple[str, str, int]]:
    """(true intent, predicted intent, count), most frequent first."""
    pairs = [(r.intent, other, n) for r in rows for other, n in r.confused_with.items() if n > 0]
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))[:limit]


def summary(report: Dict[str, Any]) -> Dict[str, float]:
    """Accuracy and the macro / weighted F1 of the report (the figures compared between models)."""
    out: Dict[str, float] = {}
    accuracy = report.get("accuracy")
    if isinstance(accuracy, (int, float)):
        out["accuracy"] = float(accuracy)
    elif isinstance(report.get("micro avg"), dict):  # sklearn reports micro avg instead when labels are partial
        out["accuracy"] = float(report["micro avg"]["f1-score"])
    for key, name in (("macro avg", "macro_f1"), ("weighted avg", "weighted_f1")):
        if isinstance(report.get(key), dict):
            out[name] = float(report[key]["f1-score"])
    return out


def run_cross_validation(settings: Settings, out_dir: Path, folds: int, timeout: float,
                         say: Callable[[str], None] = print) -> Path:
    """Runs Rasa's cross-validation into out_dir (a training per fold: minutes each on 2 cores),
    printing which fold is training. Returns out_dir/intent_report.json; raises when Rasa fails."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [rasa_executable(), "test", "nlu", "--nlu", str(paths.DATA / "nlu"), "--config", str(config_path(settings)),
           "--cross-validation", "--folds", str(folds), "--out", str(out_dir)]
    log_path = out_dir / "rasa.log"
    started = time.monotonic()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=paths.ROOT, env=rasa_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert proc.stdout is not None
        fold, last_said = 0, 0.0
        # A hung Rasa prints nothing, so the deadline is a timer that kills it, not a check per line.
        watchdog = threading.Timer(timeout, proc.kill)
        watchdog.start()
        try:
            buffer = b""
            while True:
                chunk = proc.stdout.read1(4096)  # type: ignore[attr-defined]
                if not chunk:
                    break
                log.write(chunk)
                buffer += chunk
                # tqdm redraws its bar with '\r': split on both to see the latest epoch.
                *lines, buffer = re.split(rb"[\r\n]", buffer)
                for raw in lines:
                    line = raw.decode("utf-8", "replace")
                    elapsed = time.monotonic() - started
                    if _FOLD_START.search(line):
                        fold += 1
                        say(f"  NLU cross-validation: fold {fold}/{folds} training ({elapsed:.0f} s elapsed)")
                        last_said = elapsed
                    elif (m := _BAR.search(line)) and elapsed - last_said >= 30:
                        step = "epoch" if m.group(1) else "predicting example"
                        say(f"  NLU cross-validation: fold {fold}/{folds}, {step} {m.group(2)}/{m.group(3)} ({elapsed:.0f} s elapsed)")
                        last_said = elapsed
            code = proc.wait()
        finally:
            watchdog.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    if time.monotonic() - started >= timeout:
        raise TimeoutError(f"NLU cross-validation took longer than {timeout:.0f} s and was stopped; see {log_path}")
    report = out_dir / "intent_report.json"
    if code != 0 or not report.exists():
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"rasa test nlu --cross-validation failed (exit {code}); {log_path}:\n{tail}")
    say(f"  NLU cross-validation done in {time.monotonic() - started:.0f} s")
    return report

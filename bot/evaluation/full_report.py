"""`python -m bot report` (the evaluation report with plots) and `python -m bot compare MODEL_A MODEL_B`."""
import argparse
import datetime
import json
import subprocess
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bot import paths
from bot.evaluation import acceptance, compare, figures, markdown_report, nlu_cv, plots, stories
from bot.evaluation.report import _api_channel

REPORT_ROOT = paths.VAR / "report"


def _say(text: str) -> None:
    print(text, flush=True)


def _model_name(model: Path) -> str:
    return model.name[: -len(".tar.gz")] if model.name.endswith(".tar.gz") else model.stem


def _code_version() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=paths.ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head or 'unknown'}{' with local changes' if dirty else ''}"


def _score_model(model: Path, acceptance_dir: Path) -> Tuple[Dict[str, Any], float]:
    """Every scored set through one stack started for this model."""
    started = time.monotonic()
    _say(f"Scoring the acceptance and regression sets with {model.name} ...")
    with _api_channel(None, None, model=model) as channel:
        sets = figures.collect(channel, acceptance_dir, _say)
    return sets, time.monotonic() - started


def _stories(model: Path, out: Path) -> Tuple[Dict[str, Any], List[stories.StoryOutcome]]:
    started = time.monotonic()
    _say("Testing the stories end to end ...")
    try:
        found = stories.run_story_tests(model, out, timeout=1800, say=_say)
    except (RuntimeError, subprocess.SubprocessError) as exc:
        _say(f"  FAILED: {exc}")
        return {"error": str(exc).splitlines()[0], "seconds": time.monotonic() - started}, []
    return {"passed": sum(o.passed for o in found), "total": len(found),
            "failed": [o.name for o in found if not o.passed], "seconds": time.monotonic() - started}, found


def _cross_validation(folds: int, out: Path) -> Tuple[Dict[str, Any], List[nlu_cv.IntentRow]]:
    from bot.settings import get_settings

    started = time.monotonic()
    _say(f"NLU cross-validation with {folds} folds (a training per fold: several minutes each on 2 cores) ...")
    try:
        report_path = nlu_cv.run_cross_validation(get_settings(), out, folds, timeout=1500 * folds, say=_say)
    except (RuntimeError, TimeoutError, OSError) as exc:
        _say(f"  FAILED: {exc}")
        return {"folds": folds, "error": str(exc).splitlines()[0], "seconds": time.monotonic() - started}, []
    report = json.loads(report_path.read_text(encoding="utf-8"))
    return {"folds": folds, **nlu_cv.summary(report), "seconds": time.monotonic() - started}, nlu_cv.intent_rows(report)


def _previous(spec: Optional[str], out: Path, acceptance_dir: Path) -> Tuple[Optional[str], Optional[Dict[str, Any]]]:
    """(name, figures) of the model to compare with: a model file (scored now), a figures.json or report
    directory, or by default the newest other report under var/report/."""
    if spec is None:
        found = compare.newest_other_figures(REPORT_ROOT, out)
        return (str(found.relative_to(paths.ROOT)), compare.load_figures(found)) if found else (None, None)
    path = Path(spec)
    if not path.exists():
        raise SystemExit(f"--previous: {path} does not exist")
    if path.name.endswith(".tar.gz"):
        sets, seconds = _score_model(path, acceptance_dir)
        earlier = REPORT_ROOT / _model_name(path) / "figures.json"  # its cross-validation, if it was reported
        old = compare.load_figures(earlier) if earlier.exists() else {}
        return path.name, {"meta": {"model": path.name}, "sets": sets, "nlu_cv": old.get("nlu_cv"), "stories": old.get("stories")}
    return spec, compare.load_figures(path)


def run_report(args: argparse.Namespace) -> int:
    from bot.model import ensure_model
    from bot.settings import get_settings

    started = time.monotonic()
    model = Path(args.model) if args.model else ensure_model(get_settings())
    if not model.exists():
        raise SystemExit(f"--model: {model} does not exist")
    out = Path(args.out) if args.out else REPORT_ROOT / _model_name(model)
    out.mkdir(parents=True, exist_ok=True)
    acceptance_dir = Path(args.acceptance_dir)
    timings: Dict[str, float] = {}

    sets, timings["scoring"] = _score_model(model, acceptance_dir)
    story_figures, outcomes = _stories(model, out / "stories")
    timings["stories"] = story_figures["seconds"]
    cv: Optional[Dict[str, Any]] = None
    rows: List[nlu_cv.IntentRow] = []
    if args.folds > 0:
        cv, rows = _cross_validation(args.folds, out / "nlu-cv")
        timings["nlu_cv"] = cv["seconds"]
    previous_name, previous = _previous(args.previous, out, acceptance_dir)

    timings["total"] = time.monotonic() - started
    current = {"meta": {"model": model.name, "created": datetime.datetime.now().isoformat(timespec="seconds"), "code": _code_version(),
                        "acceptance_dir": str(acceptance_dir)},
               "sets": sets, "nlu_cv": cv, "stories": story_figures, "timings": timings}
    (out / "figures.json").write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    plots.sets_chart(sets, (previous or {}).get("sets"), out / "sets.png")
    pairs = nlu_cv.confused_pairs(rows)
    if pairs:
        plots.confusions_chart(pairs, out / "nlu_confusions.png")
    text = markdown_report.render(
        current, rows, pairs, outcomes, stories.failed_story_text(out / "stories"), previous_name,
        compare.deltas(current, previous) if previous else [], compare.changed_cases(current, previous) if previous else [],
        compare.caveats(current, previous) if previous else [],
    )
    (out / "report.md").write_text(text, encoding="utf-8")
    _say(f"\nReport: {out / 'report.md'} ({timings['total']:.0f} s)")
    for entry in sets.values():
        _say(f"  {entry['label']}: {figures.headline(entry)}")
    failed = [name for name, part in (("stories", story_figures), ("NLU cross-validation", cv)) if part and part.get("error")]
    if failed:
        _say(f"FAILED steps: {', '.join(failed)}")
    return 1 if failed else 0


def run_compare(args: argparse.Namespace) -> int:
    from bot.model import model_path
    from bot.settings import get_settings

    models = [Path(args.model_a), Path(args.model_b)]
    for model in models:
        if not model.exists():
            raise SystemExit(f"{model} does not exist")
    out = Path(args.out) if args.out else REPORT_ROOT / f"compare-{_model_name(models[0])}-vs-{_model_name(models[1])}"
    out.mkdir(parents=True, exist_ok=True)
    acceptance_dir = Path(args.acceptance_dir)
    runs = []
    for model in models:
        sets, _ = _score_model(model, acceptance_dir)
        earlier = REPORT_ROOT / _model_name(model) / "figures.json"
        old = compare.load_figures(earlier) if earlier.exists() else {}
        runs.append({"meta": {"model": model.name}, "sets": sets, "nlu_cv": old.get("nlu_cv"), "stories": old.get("stories")})
    if args.cv:
        # Cross-validation trains on the current data and config, not on a model file: it belongs to
        # the model that was trained from them (if either is).
        current = model_path(get_settings()).name
        matching = [run for run in runs if run["meta"]["model"] == current]
        if not matching:
            _say(f"--cv: neither model matches the current data and config ({current}); cross-validation skipped")
        else:
            matching[0]["nlu_cv"], _ = _cross_validation(args.folds, out / "nlu-cv")
    b, a = runs[1], runs[0]
    rows, changes = compare.deltas(b, a), compare.changed_cases(b, a)
    lines = [f"# {models[1].name} (current) against {models[0].name} (previous)", "",
             markdown_report.table(["figure", models[1].name, models[0].name, "delta (points)"],
                                   [[d.label, markdown_report.pct(d.current), markdown_report.pct(d.previous), markdown_report.points(d.points)] for d in rows]), ""]
    lines += ([markdown_report.table(["set", "case", "now", "text"], [[c.label, c.case, "newly wrong" if c.now == "broken" else "newly right", c.text] for c in changes])]
              if changes else ["No scored case changed outcome."])
    text = "\n".join(lines) + "\n"
    for name, run in zip("ab", runs):
        (out / f"figures_{name}.json").write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "comparison.md").write_text(text, encoding="utf-8")
    _say("\n" + text + f"\nWritten: {out / 'comparison.md'}")
    return 0


def add_parsers(sub) -> None:
    report = sub.add_parser("report", help="evaluation report (Markdown + PNG): NLU cross-validation, stories, alarm recall, answer accuracy, differences")
    report.add_argument("--model", help="model file (default: the model for the current data; trained when missing)")
    report.add_argument("--previous", help="model file, figures.json or report directory to compare with (default: the newest other report in var/report/)")
    report.add_argument("--out", help="report directory (default: var/report/<model fingerprint>/)")
    report.add_argument("--folds", type=int, default=3, help="cross-validation folds (default 3; 0 skips the cross-validation)")
    report.add_argument("--acceptance-dir", default=str(acceptance.DEFAULT_DIR))
    report.set_defaults(func=run_report)
    comp = sub.add_parser("compare", help="score two models on the acceptance and regression sets and list the differences")
    comp.add_argument("model_a", help="the previous model (.tar.gz)")
    comp.add_argument("model_b", help="the new model (.tar.gz)")
    comp.add_argument("--cv", action="store_true", help="also run the NLU cross-validation (slow) for the model of the current data")
    comp.add_argument("--folds", type=int, default=3)
    comp.add_argument("--out", help="directory (default: var/report/compare-<a>-vs-<b>/)")
    comp.add_argument("--acceptance-dir", default=str(acceptance.DEFAULT_DIR))
    comp.set_defaults(func=run_compare)

"""`python -m bot compare-language-detectors`: lingua against langid on the project's short messages.

Both get the same candidate languages (data/languages.yml `detect`, those each knows). Reports the
share right per language and overall, on the raw detector and on the bot's own rule around lingua
(bot/language.py: Dutch unless sure), and the time per message.
"""
import argparse
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

from ruamel.yaml import YAML

from bot import language, paths

SAMPLES = paths.ROOT / "tests" / "bot" / "language_samples.yml"


def samples(path: Path = SAMPLES) -> List[Tuple[str, str]]:
    doc = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))["samples"]
    return [(lang.split("-")[0], text) for lang, texts in doc.items() for text in texts]


def _lingua_raw() -> Callable[[str], str]:
    detector = language._detector()

    def detect(text: str) -> str:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else language.UNKNOWN

    return detect


def _langid() -> Callable[[str], str]:
    from langid.langid import LanguageIdentifier, model

    identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    identifier.set_languages([c for c in language.settings()["detect"] if c in identifier.nb_classes])
    return lambda text: identifier.classify(text)[0]


def score(detect: Callable[[str], str], items: List[Tuple[str, str]]) -> Dict[str, object]:
    per: Dict[str, List[int]] = {}
    wrong = []
    for _, text in items:  # loading the models is not part of the time per message
        detect(text)
    started = time.perf_counter()
    for want, text in items:
        got = detect(text)
        per.setdefault(want, [0, 0])
        per[want][0] += got == want
        per[want][1] += 1
        if got != want:
            wrong.append((want, got, text))
    seconds = time.perf_counter() - started
    right = sum(r for r, _ in per.values())
    return {"right": right, "total": len(items), "per": per, "wrong": wrong, "ms": 1000 * seconds / len(items)}


def run(args: argparse.Namespace) -> int:
    items = samples(Path(args.samples))
    detectors = {"lingua (raw)": _lingua_raw(), "langid (raw)": _langid(), "bot rule (lingua, Dutch unless sure)": lambda t: language.detect(t).code}
    for name, detect in detectors.items():
        result = score(detect, items)
        print(f"\n== {name}: {result['right']}/{result['total']} = {100 * result['right'] / result['total']:.1f}% right, {result['ms']:.2f} ms per message")
        print("   " + ", ".join(f"{lang} {r}/{t}" for lang, (r, t) in sorted(result["per"].items())))
        for want, got, text in result["wrong"]:
            print(f"   {want} taken as {got}: {text}")
    return 0


def add_parser(sub) -> None:
    parser = sub.add_parser("compare-language-detectors", help="lingua against langid on the project's short messages (tests/bot/language_samples.yml)")
    parser.add_argument("--samples", default=str(SAMPLES))
    parser.set_defaults(func=run)

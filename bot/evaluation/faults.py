"""`python -m bot fault-test`: faults under load, on loopback.

A stack as `make run` has it, scaled to two API processes (one action server, one Rasa, API 1 and
API 2, each watched by the run command's Supervisor, which restarts a dead child). Patients chat
the whole time, each in conversations of two questions and then an alarm, through API 1 or API 2
(when one does not answer, the other: what a load balancer does). Meanwhile Rasa, the action
server and API 2 are killed with SIGKILL, one at a time, and each is left to come back.

Reported: messages sent, answered 200, sent again to the other API, stored, alarms sent and
escalated. Required: every message answered 200 is stored, and every alarm is escalated (by the
API's own triage while Rasa is gone). The figures in the issue notes come from this command.
"""
import argparse
import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import httpx

QUESTIONS = ("Mag ik douchen?", "Wanneer mag ik weer autorijden?", "Hoe lang moet ik plat liggen?", "Mag ik tillen?",
             "Wanneer mag ik weer werken?", "Mag ik een paracetamol nemen?")
# Alarms in the words of the categories (data/triage/categories.yml), written for this script.
ALARMS = ("Ik heb sinds vanmiddag 39 graden koorts", "Ik kan mijn linkervoet niet meer optillen",
          "Ik kan sinds vanochtend niet meer plassen", "Mijn billen en de binnenkant van mijn benen voelen doof")
SECRET = "fault-test-portal-secret-fault-test-portal-secret"


@dataclass
class Sent:
    patient: str
    text: str
    alarm: bool
    conversation_id: Optional[str] = None
    status: Optional[int] = None
    escalated: bool = False
    retried: bool = False


@dataclass
class FaultReport:
    seconds: float
    kills: List[str]
    sent: List[Sent] = field(default_factory=list)
    stored: int = 0
    not_stored: List[Sent] = field(default_factory=list)

    @property
    def answered(self) -> List[Sent]:
        return [m for m in self.sent if m.status == 200]

    @property
    def alarms(self) -> List[Sent]:
        return [m for m in self.sent if m.alarm]

    @property
    def missed_alarms(self) -> List[Sent]:
        return [m for m in self.alarms if not m.escalated]

    @property
    def ok(self) -> bool:
        return bool(self.sent) and not self.not_stored and not self.missed_alarms and len(self.answered) == len(self.sent)

    def lines(self) -> List[str]:
        alarms = self.alarms
        return [
            f"Fault test: {self.seconds:.0f} s of load; killed with SIGKILL, one at a time: {', '.join(self.kills)}",
            f"  messages sent:        {len(self.sent)}",
            f"  answered 200:         {len(self.answered)} ({sum(m.retried for m in self.sent)} sent again to the other API)",
            f"  answered and stored:  {self.stored} of {len(self.answered)}",
            f"  alarms sent:          {len(alarms)}",
            f"  alarms escalated:     {len(alarms) - len(self.missed_alarms)} of {len(alarms)}",
            "  result: " + ("PASSED" if self.ok else "FAILED: " + "; ".join(
                [f"{len(self.sent) - len(self.answered)} not answered"] * (len(self.answered) < len(self.sent))
                + [f"{len(self.not_stored)} answered but not stored"] * bool(self.not_stored)
                + [f"{len(self.missed_alarms)} alarms not escalated"] * bool(self.missed_alarms))),
        ]


class _Patient(threading.Thread):
    def __init__(self, index: int, urls: Tuple[str, str], stop: threading.Event, pause: float, out: List[Sent], lock: threading.Lock):
        super().__init__(daemon=True, name=f"patient-{index}")
        from bot import portal_tokens

        self.id = f"fault-{index}-{uuid.uuid4().hex[:6]}"
        self.token = portal_tokens.mint(self.id, SECRET, lifetime_seconds=3600, procedure="hernia")
        self.urls = urls if index % 2 == 0 else urls[::-1]  # half start on API 2
        self.stop, self.pause, self.out, self.lock = stop, pause, out, lock
        self.n = index

    def _post(self, body: Dict[str, str], sent: Sent) -> Optional[dict]:
        for attempt, url in enumerate(self.urls):
            try:
                response = httpx.post(f"{url}/api/chat", json=body, headers={"Authorization": f"Bearer {self.token}"}, timeout=60)
            except httpx.TransportError:  # refused or cut off: that API is down; the other one
                sent.retried = True
                continue
            sent.status = response.status_code
            return response.json() if response.status_code == 200 else None
        return None

    def run(self) -> None:
        i = 0
        while not self.stop.is_set():
            conversation: Optional[str] = None
            for step in range(3):  # two questions, then an alarm, in a new conversation each time
                alarm = step == 2
                text = (ALARMS if alarm else QUESTIONS)[(self.n + i) % (len(ALARMS) if alarm else len(QUESTIONS))] + f" [{self.id}/{i}]"
                i += 1
                sent = Sent(self.id, text, alarm)
                body = {"text": text, **({"conversation_id": conversation} if conversation else {})}
                reply = self._post(body, sent)
                if reply:
                    conversation = sent.conversation_id = reply["conversation_id"]
                    sent.escalated = reply.get("escalation") is not None
                with self.lock:
                    self.out.append(sent)
                time.sleep(self.pause)


def _kill(stack, name: str) -> None:
    os.killpg(stack.processes[name].pid, signal.SIGKILL)


def _wait_back(stack, name: str, timeout: float) -> None:
    """Until the Supervisor has started ``name`` again and it answers."""
    checks = {"actions": f"http://127.0.0.1:{stack.ports.actions}/health", "rasa": f"{stack.rasa_url}/", "api": f"{stack.api_url}/api/health"}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc = stack.processes.get(name)
        if proc is not None and proc.poll() is None:
            try:
                if httpx.get(checks[name], timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
        time.sleep(0.5)
    raise TimeoutError(f"{name} did not come back within {timeout:.0f} s:\n{stack.log_tail(name)}")


def run_faults(model: Path, run_dir: Path, extra_env: Optional[Dict[str, str]] = None, patients: int = 8, pause: float = 1.0,
               settle: float = 5.0) -> FaultReport:
    from bot.stack import Ports, Stack, Supervisor, free_port
    from bot.store import Store

    env = {"APP_ENV": "test", "PORTAL_JWT_SECRET": SECRET, "RATE_LIMIT_PER_MINUTE": "1000", "NEW_CONVERSATIONS_PER_HOUR": "1000",
           "DATABASE_URL": f"sqlite:///{run_dir / 'app.db'}", "TRACKER_STORE_URL": f"sqlite:///{run_dir / 'rasa-tracker.db'}",
           **(extra_env or {})}
    actions, rasa = free_port(), free_port()
    one = Stack(model, Ports(actions, rasa, free_port()), run_dir / "one", extra_env=env)
    two = Stack(model, Ports(actions, rasa, free_port()), run_dir / "two", extra_env=env)  # API 2 only, to the same Rasa
    stop, out, lock = threading.Event(), [], threading.Lock()
    supervising = threading.Event()
    try:
        one.start()
        two.start(services=("api",))
        one.wait_ready(timeout=900)
        two.wait_ready(timeout=120)
        supervisors = [Supervisor(one), Supervisor(two)]

        def supervise() -> None:  # what `python -m bot run` does once a second
            while not supervising.is_set():
                for supervisor in supervisors:
                    supervisor.check()
                time.sleep(0.5)

        threading.Thread(target=supervise, daemon=True, name="supervisor").start()
        crowd = [_Patient(i, (one.api_url, two.api_url), stop, pause, out, lock) for i in range(patients)]
        started = time.monotonic()
        for patient in crowd:
            patient.start()
        kills = []
        for stack, name in ((one, "rasa"), (one, "actions"), (two, "api")):
            time.sleep(settle)
            _kill(stack, name)
            kills.append(name if stack is one else "api (API 2)")
            _wait_back(stack, name, timeout=600)
        time.sleep(settle)
        stop.set()
        for patient in crowd:
            patient.join(timeout=120)
        report = FaultReport(time.monotonic() - started, kills, sent=list(out))
    finally:
        supervising.set()
        stop.set()
        two.stop()
        one.stop()
    store = Store(env["DATABASE_URL"])
    try:
        transcripts: Dict[str, List[str]] = {}
        for m in report.answered:
            if m.conversation_id not in transcripts:
                transcripts[m.conversation_id] = [t["text"] for t in store.transcript(m.conversation_id) if t["sender"] == "patient"]
            if m.text in transcripts[m.conversation_id]:
                report.stored += 1
            else:
                report.not_stored.append(m)
    finally:
        store.dispose()
    return report


def _command(args: argparse.Namespace) -> int:
    from bot import paths
    from bot.model import ensure_model
    from bot.settings import get_settings

    run_dir = paths.VAR / "faults" / time.strftime("%Y%m%d-%H%M%S")
    extra = {k: os.environ[k] for k in ("DATABASE_URL", "TRACKER_STORE_URL", "REDIS_URL") if os.environ.get(k)}
    report = run_faults(ensure_model(get_settings()), run_dir, extra, patients=args.patients, pause=args.pause)
    print("\n".join(report.lines()))
    print(f"  logs: {run_dir}")
    return 0 if report.ok else 1


def add_parser(sub) -> None:
    parser = sub.add_parser("fault-test", help="kill -9 Rasa, the action server and an API process under load; are all messages stored and alarms escalated?")
    parser.add_argument("--patients", type=int, default=8, help="patients chatting at once (default 8)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds each patient waits between messages (default 1)")
    parser.set_defaults(func=_command)

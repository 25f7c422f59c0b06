"""`python -m bot bench`: the project's API stack against bare `rasa run` (same model), in one run.

A measurement, not a test: it reports figures and whether each target of issue 7 is met, and
exits 0 either way. Both systems run on this machine with their own action server (the rules call
custom actions: without one, bare Rasa's answers would be errors) and their own SQL tracker store
in SQLite, as `make run` does. The API stack also runs the triage detector, stores every message
and talks to Rasa over HTTP: that is the cost being measured.

Load: N simulated patients at a time, closed loop (the next message as soon as the answer is
there). Each patient has its own token and conversation and sends one short scripted conversation
(at most 5 messages), then a new patient takes its place; so no patient comes near
RATE_LIMIT_PER_MINUTE and the API's rate-limit check runs with its default setting.
The phases of the two systems take turns (never at the same time) so they do not share the CPU.
"""
import asyncio
import json
import math
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import httpx

from bot import paths, portal_tokens, texts

# (procedure from the portal, messages): aftercare questions, chit-chat, and an alarm now and then
# (2 of 10 conversations). Written for the benchmark; not from the acceptance or training sets.
SCRIPTS: List[Tuple[Optional[str], List[str]]] = [
    ("bloedpatch", ["Goedemorgen", "Hoe lang moet ik het rustig aan doen na de bloedpatch?", "Mag ik morgen douchen?", "Dank u wel"]),
    ("hernia", ["Wanneer mag ik weer op de fiets na de operatie?", "En hoe zwaar mag ik tillen?", "Wanneer kan ik weer aan het werk?"]),
    ("ruggenmergstimulatie", ["Hallo", "De wond bij de proefstimulator is rood en warm en ik heb 38,6 graden", "Wat moet ik nu doen?"]),
    ("wortelinfiltratie", ["Mag ik zelf naar huis rijden na de injectie?", "Mijn been voelt nog wat doof aan, is dat normaal?", "Bedankt voor de uitleg"]),
    (None, ["Hoi, met wie praat ik?", "Ik heb een bloedpatch gehad, mag ik koffie drinken?", "Hoeveel moet ik drinken per dag?"]),
    ("bloedpatch", ["Ik heb nog steeds hoofdpijn als ik rechtop zit", "Wanneer moet ik het ziekenhuis bellen?"]),
    ("ruggenmergstimulatie", ["Mag ik in bad met de proefstimulator?", "Hoe lang duurt de proefperiode?", "Wat is het telefoonnummer van de afdeling?"]),
    ("hernia", ["Sinds vanochtend kan ik mijn plas niet meer ophouden", "Moet ik langskomen?"]),
    ("wortelinfiltratie", ["Wat zijn de risico's van een wortelinfiltratie?", "Mag ik sporten deze week?", "Fijne dag nog"]),
    (None, ["Goedemiddag", "Hoe lang moet ik plat liggen na een ruggenprik?", "Oke, dank je"]),
]
# Start-up: polled until the first real answer (not the API's fail-safe).
PROBE = ("bloedpatch", "Hoe lang moet ik rustig aan doen na de bloedpatch?")

# Targets of issue 7, as ratios against bare `rasa run` measured in the same run.
MAX_P95_RATIO = 1.5
MIN_THROUGHPUT_RATIO = 0.8
MAX_TRAINING_SECONDS = 600.0


# --- statistics (tests/bot/test_benchmark.py) ---------------------------------------------------

def percentile(values: Sequence[float], pct: float) -> float:
    """Linear interpolation between closest ranks (numpy's default); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(measured: float, baseline: float) -> float:
    if baseline is None or measured is None or math.isnan(baseline) or math.isnan(measured) or baseline <= 0:
        return math.nan
    return measured / baseline


@dataclass
class Phase:
    """One system under one load: latencies of the successful messages, errors, wall time."""
    system: str
    concurrency: int
    seconds: float
    latencies: List[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: Dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else math.nan

    def p(self, pct: float) -> float:
        return percentile(self.latencies, pct)

    def summary(self) -> Dict[str, float]:
        return {"system": self.system, "concurrency": self.concurrency, "seconds": round(self.seconds, 2), "answered": self.count,
                "errors": self.errors, "error_kinds": self.error_kinds, "p50_ms": _ms(self.p(50)), "p95_ms": _ms(self.p(95)),
                "throughput_per_s": round(self.throughput, 3)}


def merge(a: Phase, b: Phase) -> Phase:
    """Two slices of the same system and load as one phase."""
    kinds = dict(a.error_kinds)
    for kind, n in b.error_kinds.items():
        kinds[kind] = kinds.get(kind, 0) + n
    return Phase(a.system, a.concurrency, a.seconds + b.seconds, a.latencies + b.latencies, a.errors + b.errors, kinds)


@dataclass
class Verdict:
    name: str
    measured: float
    baseline: Optional[float]
    ratio: Optional[float]
    limit: str
    met: Optional[bool]  # None: not measured in this run


def at_most(value: float, limit: float) -> Optional[bool]:
    return None if value is None or math.isnan(value) else value <= limit


def at_least(value: float, limit: float) -> Optional[bool]:
    return None if value is None or math.isnan(value) else value >= limit


def verdicts(phases: Dict[Tuple[str, int], Phase], startup: Dict[str, Dict[str, float]], training_s: Optional[float]) -> List[Verdict]:
    """Each target of issue 7: the API stack's figure, bare Rasa's, their ratio and whether it is met."""
    out = []
    for conc in sorted({c for _, c in phases}):
        api, bare = phases.get(("api", conc)), phases.get(("rasa", conc))
        if api and bare:
            r = ratio(api.p(95), bare.p(95))
            out.append(Verdict(f"p95 latency, {conc} patient(s)", api.p(95), bare.p(95), r, f"<= {MAX_P95_RATIO}x", at_most(r, MAX_P95_RATIO)))
    api, bare = phases.get(("api", 20)), phases.get(("rasa", 20))
    if api and bare:
        r = ratio(api.throughput, bare.throughput)
        met = at_least(r, MIN_THROUGHPUT_RATIO)
        out.append(Verdict("throughput, 20 patients", api.throughput, bare.throughput, r, f">= {MIN_THROUGHPUT_RATIO}x", met))
        out.append(Verdict("errors, 20 patients", api.errors, bare.errors, None, "0", api.errors == 0))
    a, b = startup.get("api", {}).get("first_answer_s"), startup.get("rasa", {}).get("first_answer_s")
    if a is not None and b is not None:
        r = ratio(a, b)
        out.append(Verdict("start-up until the first real answer", a, b, r, "<= 1.0x", at_most(r, 1.0)))
    out.append(Verdict("full training (2 cores)", training_s if training_s is not None else math.nan, None, None,
                       f"< {MAX_TRAINING_SECONDS:.0f} s", None if training_s is None else training_s < MAX_TRAINING_SECONDS))
    return out


def _ms(seconds: Optional[float]) -> float:
    return math.nan if seconds is None or math.isnan(seconds) else round(seconds * 1000, 1)


def verdict_word(met: Optional[bool]) -> str:
    return "not measured" if met is None else ("met" if met else "**MISSED**")


# --- memory from /proc (psutil is not installed with Rasa 3.6) ----------------------------------

def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) used so far by every process in a process group."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid:
                total += int(fields[11]) + int(fields[12])
    return total / ticks


def group_rss_mb(pgid: int) -> Tuple[float, int]:
    """Resident memory of every process in a process group (a service and its children), MB."""
    total, count = 0, 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    count += 1
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return total / 1024.0, count


class MemorySampler:
    """Peak resident memory per service while the load runs (sampled each second)."""

    def __init__(self, groups: Dict[str, int]):
        self.groups = groups
        self.peak: Dict[str, float] = {name: 0.0 for name in groups}
        self.processes: Dict[str, int] = {name: 0 for name in groups}

    def sample(self) -> None:
        for name, pgid in self.groups.items():
            mb, count = group_rss_mb(pgid)
            self.peak[name] = max(self.peak[name], mb)
            self.processes[name] = max(self.processes[name], count)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.sample()
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except asyncio.TimeoutError:
                pass


# --- the two systems ------------------------------------------------------------------------------

class System:
    """How to send one patient message to a system and tell a real answer from an error."""

    name = ""

    def __init__(self, base_url: str):
        self.base_url = base_url

    async def send(self, client: httpx.AsyncClient, patient: "Patient", text: str) -> Optional[str]:
        """None when the message got a real answer, else the kind of error."""
        raise NotImplementedError


@dataclass
class Patient:
    id: str
    procedure: Optional[str]
    token: str = ""
    conversation_id: Optional[str] = None


class ApiSystem(System):
    name = "api"

    def __init__(self, base_url: str, secret: str):
        super().__init__(base_url)
        self.secret = secret
        self.fail_safe = texts.get("fail_safe")

    def patient(self, pid: str, procedure: Optional[str]) -> Patient:
        return Patient(pid, procedure, portal_tokens.mint(pid, self.secret, lifetime_seconds=7200))

    async def send(self, client, patient, text):
        body = {"text": text, **({"procedure": patient.procedure} if patient.procedure else {})}
        if patient.conversation_id:
            body["conversation_id"] = patient.conversation_id
        response = await client.post(f"{self.base_url}/api/chat", json=body, headers={"Authorization": f"Bearer {patient.token}"})
        if response.status_code != 200:
            return f"http_{response.status_code}"
        data = response.json()
        patient.conversation_id = data["conversation_id"]
        replies = [r["text"] for r in data["replies"]]
        if not replies:
            return "no_reply"
        if self.fail_safe in replies:
            return "fail_safe"  # Rasa not reached in time: not a real answer
        return None


class BareRasaSystem(System):
    name = "rasa"

    def patient(self, pid: str, procedure: Optional[str]) -> Patient:
        return Patient(pid, procedure, conversation_id=uuid.uuid4().hex)

    async def send(self, client, patient, text):
        body = {"sender": patient.conversation_id, "message": text, "metadata": {"procedure": patient.procedure}}
        response = await client.post(f"{self.base_url}/webhooks/rest/webhook", json=body)
        if response.status_code != 200:
            return f"http_{response.status_code}"
        if not any(m.get("text") for m in response.json()):
            return "no_reply"
        return None


async def run_load(system, concurrency: int, seconds: float, warmup: float, tag: str) -> Phase:
    """``concurrency`` patients at a time for ``seconds`` (after ``warmup`` seconds not counted)."""
    phase = Phase(system.name, concurrency, seconds)
    limits = httpx.Limits(max_connections=concurrency + 5, max_keepalive_connections=concurrency + 5)
    async with httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=5.0), limits=limits) as client:
        loop = asyncio.get_running_loop()
        start = loop.time() + warmup
        end = start + seconds

        async def patient_loop(worker: int) -> None:
            k = 0
            while loop.time() < end:
                procedure, messages = SCRIPTS[(worker * 3 + k) % len(SCRIPTS)]
                patient = system.patient(f"bench-{tag}-{system.name}-{concurrency}-{worker}-{k}", procedure)
                k += 1
                for text in messages:
                    if loop.time() >= end:
                        return
                    sent = loop.time()
                    try:
                        error = await system.send(client, patient, text)
                    except (httpx.HTTPError, ValueError, KeyError) as exc:
                        error = type(exc).__name__
                    done = loop.time()
                    if sent < start or done > end:
                        continue  # warm-up, or finished after the window closed
                    if error:
                        phase.errors += 1
                        phase.error_kinds[error] = phase.error_kinds.get(error, 0) + 1
                    else:
                        phase.latencies.append(done - sent)

        await asyncio.gather(*(patient_loop(w) for w in range(concurrency)))
    return phase


# --- start-up -------------------------------------------------------------------------------------

def wait_first_answer(system, stack, timeout: float, started: float) -> Dict[str, float]:
    """Seconds from spawning the processes until all health checks pass, the first HTTP 200 (the
    API answers with its fail-safe before Rasa is up) and the first real answer."""
    out: Dict[str, float] = {}

    async def poll() -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=2.0)) as client:
            while True:
                # A new patient for each try: one patient polling would hit the API's rate limit.
                patient = system.patient(f"bench-startup-{system.name}-{uuid.uuid4().hex[:8]}", PROBE[0])
                dead = [n for n, p in stack.processes.items() if p.poll() is not None]
                if dead:
                    raise RuntimeError(f"{dead} exited during start-up:\n" + "\n".join(stack.log_tail(n) for n in dead))
                if time.monotonic() - started > timeout:
                    raise TimeoutError(f"{system.name}: no answer after {timeout:.0f} s")
                try:
                    error = await system.send(client, patient, PROBE[1])
                    if error is None or error in ("fail_safe", "no_reply"):
                        out.setdefault("first_http_200_s", time.monotonic() - started)
                    if error is None:
                        out["first_answer_s"] = time.monotonic() - started
                        return
                except (httpx.HTTPError, ValueError, KeyError):
                    pass
                await asyncio.sleep(0.25)

    asyncio.run(poll())
    return out


def start_system(kind: str, model: Path, run_dir: Path, secret: str, timeout: float, log: Callable[[str], None]):
    from bot.model import rasa_executable
    from bot.stack import Ports, Stack, free_port

    ports = Ports(actions=free_port(), rasa=free_port(), api=free_port())
    extra = {"PORTAL_JWT_SECRET": secret, "DATABASE_URL": f"sqlite:///{run_dir / 'app.db'}"}
    stack = Stack(model, ports, run_dir, extra_env=extra)
    if kind == "rasa":
        stack.rasa_launcher = [rasa_executable()]  # bare `rasa run`, as documented by Rasa
    system = ApiSystem(stack.api_url, secret) if kind == "api" else BareRasaSystem(stack.rasa_url)
    services = ("actions", "rasa", "api") if kind == "api" else ("actions", "rasa")
    log(f"starting {kind}: {', '.join(services)} (logs in {run_dir}) ...")
    started = time.monotonic()
    stack.start(services)
    try:
        startup = wait_first_answer(system, stack, timeout, started)
    except BaseException:
        stack.stop()
        raise
    # CPU each service used until then: on 2 cores they compete with Rasa's model loading.
    startup["cpu_s"] = {name: round(group_cpu_seconds(proc.pid), 1) for name, proc in stack.processes.items()}
    log(f"  {kind}: first real answer after {startup['first_answer_s']:.1f} s (CPU seconds used: {startup['cpu_s']})")
    return stack, system, startup


# --- training -------------------------------------------------------------------------------------

def time_training(settings, log: Callable[[str], None]) -> float:
    """A full `rasa train` (empty training cache) into a temporary directory; seconds."""
    from bot.model import rasa_env, train_command

    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        env = {**rasa_env(), "RASA_CACHE_DIRECTORY": str(Path(tmp) / "cache")}  # no cache hits: a full training
        logfile = paths.VAR / "bench" / "train.log"
        logfile.parent.mkdir(parents=True, exist_ok=True)
        log(f"training a model into {tmp} (about 5 minutes; log in {logfile}) ...")
        started = time.monotonic()
        with logfile.open("wb") as out:
            proc = subprocess.Popen(train_command(settings, Path(tmp), "bench"), cwd=paths.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
            next_note = 30.0
            try:
                while proc.poll() is None:
                    time.sleep(1)
                    if time.monotonic() - started >= next_note:
                        log(f"  training ... {next_note:.0f} s")
                        next_note += 30.0
            finally:
                if proc.poll() is None:
                    proc.terminate()
                    proc.wait()
        if proc.returncode != 0 or not (Path(tmp) / "bench.tar.gz").exists():
            raise RuntimeError(f"rasa train failed ({proc.returncode}); see {logfile}")
        return time.monotonic() - started


# --- report ---------------------------------------------------------------------------------------

def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _fmt(value, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}{unit}" if value < 10 else f"{value:.1f}{unit}"
    return f"{value}{unit}"


def render(report: Dict) -> str:
    phases = {(p["system"], p["concurrency"]): p for p in report["phases"]}
    lines = [
        f"# Benchmark {report['timestamp']}",
        "",
        f"Machine: {report['cpus']} CPU(s); load average before {report['load_before']}, after {report['load_after']}. "
        f"Model {report['model']}. Load: {report['seconds']:.0f} s per system and concurrency, in {report.get('rounds', 1)} slices taking turns with the other system.",
        "",
        "| measure | API stack (`POST /api/chat`) | bare `rasa run` (REST webhook) | ratio |",
        "| --- | --- | --- | --- |",
    ]
    for conc in sorted({c for _, c in phases}):
        a, b = phases.get(("api", conc), {}), phases.get(("rasa", conc), {})
        for key, label in (("p50_ms", "p50 latency"), ("p95_ms", "p95 latency")):
            lines.append(f"| {label}, {conc} patient(s) | {_fmt(a.get(key), ' ms')} | {_fmt(b.get(key), ' ms')} | {_fmt(ratio(a.get(key, math.nan), b.get(key, math.nan)), 'x')} |")
        lines.append(f"| throughput, {conc} patient(s) | {_fmt(a.get('throughput_per_s'), ' msg/s')} | {_fmt(b.get('throughput_per_s'), ' msg/s')} | "
                     f"{_fmt(ratio(a.get('throughput_per_s', math.nan), b.get('throughput_per_s', math.nan)), 'x')} |")
        lines.append(f"| answered / errors, {conc} patient(s) | {a.get('answered', '–')} / {a.get('errors', '–')} {_kinds(a)} | "
                     f"{b.get('answered', '–')} / {b.get('errors', '–')} {_kinds(b)} | |")
    su = report["startup"]
    for key, label in (("first_http_200_s", "start-up until the first HTTP 200 (API: fail-safe reply)"),
                       ("first_answer_s", "start-up until the first real answer")):
        a, b = su.get("api", {}).get(key), su.get("rasa", {}).get(key)
        lines.append(f"| {label} | {_fmt(a, ' s')} | {_fmt(b, ' s')} | {_fmt(ratio(a if a is not None else math.nan, b if b is not None else math.nan), 'x')} |")
    for service in ("actions", "rasa", "api"):
        a, b = su.get("api", {}).get("cpu_s", {}).get(service), su.get("rasa", {}).get("cpu_s", {}).get(service)
        lines.append(f"| CPU time until the first real answer, {service} | {_fmt(a, ' s')} | {_fmt(b, ' s')} | |")
    mem = report["memory_mb"]
    for service in ("actions", "rasa", "api"):
        a, b = mem.get("api", {}).get(service), mem.get("rasa", {}).get(service)
        lines.append(f"| peak memory (RSS), {service} | {_fmt(a, ' MB')} | {_fmt(b, ' MB')} | |")
    a_total, b_total = sum(mem.get("api", {}).values()), sum(mem.get("rasa", {}).values())
    lines.append(f"| peak memory (RSS), all processes | {_fmt(a_total, ' MB')} | {_fmt(b_total, ' MB')} | {_fmt(ratio(a_total, b_total), 'x')} |")
    lines.append(f"| full training (`rasa train`, empty cache) | {_fmt(report['training_s'], ' s')} | (same) | |")
    lines += ["", "| target | API stack | bare Rasa | ratio | limit | verdict |", "| --- | --- | --- | --- | --- | --- |"]
    for v in report["verdicts"]:
        unit = " s" if "start-up" in v["name"] or "training" in v["name"] else (" msg/s" if "throughput" in v["name"] else ("" if "errors" in v["name"] else " ms"))
        scale = 1000 if unit == " ms" else 1
        m = v["measured"] * scale if isinstance(v["measured"], float) else v["measured"]
        b = v["baseline"] * scale if isinstance(v["baseline"], float) else v["baseline"]
        lines.append(f"| {v['name']} | {_fmt(m, unit)} | {_fmt(b, unit)} | {_fmt(v['ratio'], 'x')} | {v['limit']} | {verdict_word(v['met'])} |")
    missed = [v["name"] for v in report["verdicts"] if v["met"] is False]
    lines += ["", f"**MISSED: {', '.join(missed)}**" if missed else "All measured targets met."]
    return "\n".join(lines) + "\n"


def _kinds(phase: Dict) -> str:
    kinds = phase.get("error_kinds") or {}
    return "(" + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + ")" if kinds else ""


# --- the command ----------------------------------------------------------------------------------

def run(seconds: float = 60.0, skip_training: bool = False, concurrencies: Sequence[int] = (1, 20), out_dir: Optional[Path] = None,
        rounds: int = 3) -> Path:
    from bot.model import ensure_model
    from bot.settings import get_settings

    def log(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)

    settings = get_settings()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out_dir = out_dir or paths.VAR / "bench"
    run_root = out_dir / f"run-{stamp}"
    secret = secrets.token_urlsafe(36)  # the benchmark's own stack only
    report: Dict = {"timestamp": stamp, "cpus": os.cpu_count(), "load_before": load_average(), "seconds": seconds,
                    "rounds": rounds, "startup": {}, "memory_mb": {}, "phases": [], "training_s": None}
    model = ensure_model(settings)
    report["model"] = model.name
    log(f"load average before: {report['load_before']}; model {model.name}")

    stacks = {}
    try:
        # The API stack starts first: it then pays for any cold disk cache, not the baseline.
        for kind in ("api", "rasa"):
            stack, system, startup = start_system(kind, model, run_root / kind, secret, 600.0, log)
            stacks[kind] = (stack, system)
            report["startup"][kind] = {k: round(v, 2) if isinstance(v, float) else v for k, v in startup.items()}
        samplers = {kind: MemorySampler({n: p.pid for n, p in stack.processes.items()}) for kind, (stack, _) in stacks.items()}
        phases: Dict[Tuple[str, int], Phase] = {}
        # Each system's time in slices that alternate with the other's: a change in the machine's
        # other load then falls on both, not on one of them.
        for conc in concurrencies:
            for r in range(rounds):
                for kind in ("rasa", "api"):
                    stack, system = stacks[kind]
                    log(f"load: {kind}, {conc} patient(s), round {r + 1}/{rounds}: {seconds / rounds:.0f} s (+5 s warm-up) ...")
                    part = asyncio.run(_with_sampler(run_load(system, conc, seconds / rounds, 5.0, f"{stamp}-{r}"), samplers[kind]))
                    phases[(kind, conc)] = merge(phases[(kind, conc)], part) if (kind, conc) in phases else part
                    s = part.summary()
                    log(f"  {kind} x{conc}: p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, {s['throughput_per_s']} msg/s, {s['errors']} error(s)")
        report["phases"] = [p.summary() for p in phases.values()]
        report["memory_mb"] = {kind: {n: round(mb, 1) for n, mb in s.peak.items()} for kind, s in samplers.items()}
        report["processes"] = {kind: s.processes for kind, s in samplers.items()}
    finally:
        for stack, _ in stacks.values():
            stack.stop()
    if not skip_training:
        report["training_s"] = round(time_training(settings, log), 1)
        log(f"  training took {report['training_s']:.0f} s")
    report["load_after"] = load_average()
    report["verdicts"] = [asdict(v) for v in verdicts(phases, report["startup"], report["training_s"])]
    markdown = render(report)
    out_dir.mkdir(parents=True, exist_ok=True)
    md_path = out_dir / f"bench-{stamp}.md"
    md_path.write_text(markdown, encoding="utf-8")
    (out_dir / f"bench-{stamp}.json").write_text(json.dumps(_no_nan(report), indent=2), encoding="utf-8")
    print("\n" + markdown, flush=True)
    log(f"written: {md_path} (+ .json)")
    return md_path


async def _with_sampler(load, sampler: MemorySampler) -> Phase:
    stop = asyncio.Event()
    task = asyncio.create_task(sampler.run(stop))
    try:
        return await load
    finally:
        stop.set()
        await task


def _no_nan(value):
    """JSON has no NaN: not measured is null."""
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    return None if isinstance(value, float) and math.isnan(value) else value

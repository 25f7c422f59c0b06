"""Start the action server, Rasa and the API as child processes, and wait until they answer.

Used by `python -m bot run` (the README's run command) and by the tests (once per test run).
"""
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection, Dict, List, Optional, Sequence, Tuple

import httpx

from bot import endpoints, paths
from bot.model import rasa_env
from bot.settings import Settings

SERVICES = ("actions", "rasa", "api")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Ports:
    actions: int = 5055
    rasa: int = 5005
    api: int = 8000


@dataclass
class Stack:
    model: Path
    ports: Ports
    run_dir: Path  # logs, rendered endpoints, SQLite files of this stack
    extra_env: Dict[str, str] = field(default_factory=dict)
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)
    # `rasa` with its spaCy pipeline loaded once, not twice (bot/rasa_server.py); the benchmark's
    # bare baseline uses [rasa_executable()].
    rasa_launcher: List[str] = field(default_factory=lambda: [sys.executable, "-m", "bot.rasa_server"])

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.api}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    def env(self) -> Dict[str, str]:
        """The children's environment: the stack's SQLite files live in its run directory."""
        env = {**rasa_env(), **self.extra_env}
        env.setdefault("SANIC_HOST", "127.0.0.1")  # rasa_sdk's action server binds every interface otherwise
        env.setdefault("DATABASE_URL", f"sqlite:///{self.run_dir / 'app.db'}")
        if env["DATABASE_URL"].startswith("sqlite"):
            env.setdefault("TRACKER_STORE_URL", f"sqlite:///{self.run_dir / 'rasa-tracker.db'}")
        env["RASA_URL"] = self.rasa_url
        env["RASA_URL_FILE"] = str(self.rasa_url_file)
        return env

    @property
    def rasa_url_file(self) -> Path:
        """Rasa's current address for the API; rewritten when a new model is switched in."""
        return self.run_dir / "rasa-url"

    def settings(self) -> Settings:
        """The settings the children will read from their environment (fails early when invalid)."""
        env = self.env()
        return Settings(**{name: env[name.upper()] for name in Settings.__fields__ if name.upper() in env})

    def endpoints_file(self) -> Path:
        return endpoints.render(self.settings(), self.run_dir / "endpoints.yml", f"http://127.0.0.1:{self.ports.actions}/webhook")

    def _spawn(self, name: str, cmd: List[str], env: Dict[str, str]) -> None:
        log = (self.run_dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            cmd, cwd=paths.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def command(self, name: str) -> List[str]:
        """The command line of one service."""
        if name == "actions":
            # (bot/action_server.py: rasa_sdk's server, with the lexicons loaded while it starts)
            return [sys.executable, "-m", "bot.action_server", "--actions", "actions", "--port", str(self.ports.actions)]
        if name == "rasa":
            return [
                *self.rasa_launcher, "run", "--model", str(self.model), "--port", str(self.ports.rasa),
                "--interface", "127.0.0.1", "--endpoints", str(self.endpoints_file()),
                "--credentials", str(paths.CREDENTIALS),
            ]
        if name == "api":
            return [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory", "--host", "127.0.0.1", "--port", str(self.ports.api)]
        raise ValueError(f"unknown service {name!r}")

    def start(self, services: Sequence[str] = SERVICES, publish_rasa_url: bool = True) -> None:
        """Start some or all of the services; a scaled-out set-up starts more Rasa + API pairs
        (their own Stack and run directory) against one action server, database and Redis."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        env = self.env()
        for name in SERVICES:  # in this order: Rasa calls the action server, the API calls Rasa
            if name in services:
                if name == "rasa" and publish_rasa_url:  # a model switch publishes the new address only once Rasa answers
                    self.rasa_url_file.write_text(self.rasa_url, encoding="utf-8")
                self._spawn(name, self.command(name), env)

    def restart_exited(self, only: Optional[Collection[str]] = None) -> List[Tuple[str, int]]:
        """Start again each service (of ``only``) that has exited (a crash, an out-of-memory kill):
        (name, exit code) of each. The API answers with its fail-safe triage while Rasa loads again."""
        restarted = []
        for name, proc in list(self.processes.items()):
            if name in SERVICES and (only is None or name in only) and proc.poll() is not None:
                self._spawn(name, self.command(name), self.env())
                restarted.append((name, proc.returncode))
        return restarted

    def wait_ready(self, timeout: float = 400.0) -> float:
        """Seconds until all three answer; raises with the log's tail when one dies or times out."""
        started = time.monotonic()
        checks = {
            "actions": f"http://127.0.0.1:{self.ports.actions}/health",
            "rasa": f"{self.rasa_url}/",
            "api": f"{self.api_url}/api/health",
        }
        pending = {name: url for name, url in checks.items() if name in self.processes}
        while pending:
            for name in list(pending):
                proc = self.processes[name]
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log_tail(name)}")
                try:
                    if httpx.get(pending[name], timeout=2.0).status_code == 200:
                        del pending[name]
                except httpx.HTTPError:
                    pass
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"not ready after {timeout:.0f} s: {sorted(pending)}\n" + "\n".join(self.log_tail(n) for n in pending))
            if pending:
                time.sleep(1.0)
        return time.monotonic() - started

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.run_dir / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return f"--- {name}.log ---\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self, name: Optional[str] = None) -> None:
        for key in [name] if name else list(self.processes):
            proc = self.processes.pop(key, None)
            if proc is None or proc.poll() is not None:
                continue
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


class Supervisor:
    """`make run` keeps going when a child dies: the child is started again and the terminal says so
    (the API's fail-safe triage answers while Rasa loads). A child that keeps dying is retried less
    often (doubling, at most once a minute)."""

    BACKOFF_MAX_SECONDS = 60.0

    def __init__(self, stack: Stack, clock: Callable[[], float] = time.monotonic, out=None):
        self.stack, self.clock, self.out = stack, clock, out or sys.stderr
        self.not_before: Dict[str, float] = {}
        self.delay: Dict[str, float] = {}

    def check(self) -> List[str]:
        """Restart what has exited and is due; the names restarted."""
        now = self.clock()
        due = [name for name in self.stack.processes if now >= self.not_before.get(name, 0.0)]
        restarted = self.stack.restart_exited(only=due)
        for name, code in restarted:
            self.delay[name] = min(2 * self.delay.get(name, 0.5), self.BACKOFF_MAX_SECONDS)
            self.not_before[name] = now + self.delay[name]
            print(f"{name} exited with code {code}; started it again (next restart after {self.delay[name]:.0f} s at the "
                  f"earliest).\n{self.stack.log_tail(name, 10)}", file=self.out, flush=True)
        return [name for name, _ in restarted]

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
from typing import Dict, List, Optional

import httpx
from ruamel.yaml import YAML

from bot import paths
from bot.model import rasa_env, rasa_executable


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

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.api}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    def endpoints_file(self) -> Path:
        yaml = YAML(typ="safe", pure=True)
        yaml.default_flow_style = False  # block style: Rasa's parser rejects "{url: http://...}"
        config = yaml.load(paths.ENDPOINTS.read_text(encoding="utf-8"))
        config["action_endpoint"]["url"] = f"http://127.0.0.1:{self.ports.actions}/webhook"
        store = config.get("tracker_store") or {}
        if store.get("dialect") == "sqlite":
            store["db"] = str(self.run_dir / Path(store["db"]).name)
        out = self.run_dir / "endpoints.yml"
        with out.open("w", encoding="utf-8") as handle:
            yaml.dump(config, handle)
        return out

    def _spawn(self, name: str, cmd: List[str], env: Dict[str, str]) -> None:
        log = (self.run_dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            cmd, cwd=paths.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        env = {**rasa_env(), **self.extra_env}
        env.setdefault("DATABASE_URL", f"sqlite:///{self.run_dir / 'app.db'}")
        env["RASA_URL"] = self.rasa_url
        self._spawn("actions", [rasa_executable(), "run", "actions", "--actions", "actions", "--port", str(self.ports.actions)], env)
        self._spawn(
            "rasa",
            [
                rasa_executable(), "run", "--model", str(self.model), "--port", str(self.ports.rasa),
                "--interface", "127.0.0.1", "--endpoints", str(self.endpoints_file()),
                "--credentials", str(paths.CREDENTIALS),
            ],
            env,
        )
        self._spawn(
            "api",
            [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory", "--host", "127.0.0.1", "--port", str(self.ports.api)],
            env,
        )

    def wait_ready(self, timeout: float = 400.0) -> float:
        """Seconds until all three answer; raises with the log's tail when one dies or times out."""
        started = time.monotonic()
        checks = {
            "actions": f"http://127.0.0.1:{self.ports.actions}/health",
            "rasa": f"{self.rasa_url}/",
            "api": f"{self.api_url}/api/health",
        }
        pending = dict(checks)
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

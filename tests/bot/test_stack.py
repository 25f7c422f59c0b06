"""bot/stack.py: `make run` restarts a child that died (a real API process, killed with SIGKILL)."""
import io
import os
import signal
from pathlib import Path

import httpx

from bot.stack import Ports, Stack, Supervisor, free_port
from tests.conftest import TEST_SECRET


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_killed_child_is_started_again_and_the_terminal_says_so(tmp_path):
    stack = Stack(Path("no-model"), Ports(actions=free_port(), rasa=free_port(), api=free_port()), tmp_path,
                  extra_env={"APP_ENV": "test", "PORTAL_JWT_SECRET": TEST_SECRET})
    clock, out = Clock(), io.StringIO()
    supervisor = Supervisor(stack, clock=clock, out=out)
    try:
        stack.start(services=["api"])
        stack.wait_ready(timeout=60)
        assert supervisor.check() == []  # nothing died
        first = stack.processes["api"]
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert supervisor.check() == ["api"]
        assert "api exited with code -9; started it again" in out.getvalue()
        stack.wait_ready(timeout=60)
        assert httpx.get(f"{stack.api_url}/api/health", timeout=5).status_code == 200

        # dying again at once: retried only after a pause that doubles, so a crash loop does not spin
        second = stack.processes["api"]
        os.killpg(second.pid, signal.SIGKILL)
        second.wait(timeout=10)
        assert supervisor.check() == []
        clock.now += supervisor.delay["api"]
        assert supervisor.check() == ["api"] and supervisor.delay["api"] == 2.0
        stack.wait_ready(timeout=60)
    finally:
        stack.stop()


def _listening_addresses(port):
    """The local addresses a port listens on, from the kernel's socket tables (Linux)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in open(table).read().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


def test_the_action_server_listens_on_loopback_only(tmp_path):
    stack = Stack(Path("no-model"), Ports(actions=free_port(), rasa=free_port(), api=free_port()), tmp_path,
                  extra_env={"APP_ENV": "test", "PORTAL_JWT_SECRET": TEST_SECRET})
    try:
        stack.start(services=["actions", "api"])
        stack.wait_ready(timeout=120)
        for port in (stack.ports.actions, stack.ports.api):
            addresses = _listening_addresses(port)
            assert addresses and set(addresses) <= {"0100007F", "00000000000000000000000001000000"}, (port, addresses)  # 127.0.0.1, ::1
    finally:
        stack.stop()

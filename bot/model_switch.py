"""Switch the running stack to a newly trained model without downtime (blue/green).

Rasa's own ``PUT /model`` stops answering while it loads (about a minute here), so instead a second
Rasa process starts with the new model beside the old one, on its own port and with the same
tracker and lock stores. Once it answers, the API's Rasa address file is rewritten, so the next
message goes to the new process; conversations continue because their state is in the shared
tracker store. The old process gets the API's Rasa timeout to finish what it is answering, then
stops. If the new process fails to start, the old one keeps serving and nothing changes.

The run command (`python -m bot run`) watches for a request file written by
`python -m bot switch-model`, and reports the result in another file.
"""
import json
import os
import time
import uuid
from pathlib import Path
from typing import Optional

import httpx

from bot import paths
from bot.stack import Stack, free_port

REQUEST = "switch-request.json"
RESULT = "switch-result.json"


def switch(stack: Stack, model: Path, timeout: float = 600.0, grace_seconds: Optional[float] = None) -> float:
    """Start Rasa with ``model``, point the API at it, stop the old Rasa. Returns seconds taken."""
    started = time.monotonic()
    model = Path(model).resolve()
    if not model.is_file():
        raise FileNotFoundError(f"model not found: {model}")
    old_port, old_model = stack.ports.rasa, stack.model
    old_process = stack.processes.pop("rasa", None)
    stack.ports.rasa, stack.model = free_port(), model
    try:
        stack.start(services=("rasa",), publish_rasa_url=False)
        stack.wait_ready(timeout=timeout)
        _probe(stack.rasa_url)
    except Exception:
        # The new Rasa did not come up: stop it, keep the old one serving, as before.
        stack.stop("rasa")
        stack.ports.rasa, stack.model = old_port, old_model
        if old_process is not None:
            stack.processes["rasa"] = old_process
        raise
    # Published atomically: the API's next message goes to the new Rasa.
    tmp = stack.rasa_url_file.with_suffix(".tmp")
    tmp.write_text(stack.rasa_url, encoding="utf-8")
    os.replace(tmp, stack.rasa_url_file)
    grace = stack.settings().rasa_timeout_seconds if grace_seconds is None else grace_seconds
    time.sleep(grace)  # requests already sent to the old Rasa finish within the API's timeout
    if old_process is not None:
        stack.processes["rasa-previous"] = old_process
        stack.stop("rasa-previous")
    return time.monotonic() - started


def _probe(rasa_url: str) -> None:
    """Rasa's web server also comes up when the model failed to load; only a real reply counts."""
    sender = f"model-switch-probe-{uuid.uuid4().hex[:8]}"  # idle Rasa-only conversations are purged
    try:
        response = httpx.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": "hallo"}, timeout=60.0)
        replies = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        raise RuntimeError(f"the new Rasa does not answer: {type(exc).__name__}") from exc
    if not replies or not any(r.get("text") for r in replies):
        raise RuntimeError(f"the new Rasa gives no reply (HTTP {response.status_code}): its model did not load; see rasa.log")


def request(run_dir: Path, model: Path, timeout: float = 900.0) -> dict:
    """Ask a running `python -m bot run` to switch; wait for its result."""
    result_file = run_dir / RESULT
    result_file.unlink(missing_ok=True)
    tmp = run_dir / (REQUEST + ".tmp")
    tmp.write_text(json.dumps({"model": str(Path(model).resolve())}), encoding="utf-8")
    os.replace(tmp, run_dir / REQUEST)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result_file.exists():
            return json.loads(result_file.read_text(encoding="utf-8"))
        time.sleep(1.0)
    raise TimeoutError(f"no answer from the running stack within {timeout:.0f} s (is `python -m bot run` running with run directory {run_dir}?)")


def serve_requests(stack: Stack) -> None:
    """Called by the run command's loop: carry out a pending switch request, if any."""
    request_file = stack.run_dir / REQUEST
    if not request_file.exists():
        return
    try:
        model = Path(json.loads(request_file.read_text(encoding="utf-8"))["model"])
    except (ValueError, KeyError) as exc:
        outcome = {"ok": False, "error": f"unreadable switch request: {exc}"}
    else:
        print(f"Switching to model {model.name} (the current model keeps answering meanwhile) ...", flush=True)
        try:
            seconds = switch(stack, model)
            outcome = {"ok": True, "model": str(model), "seconds": round(seconds, 1), "rasa_url": stack.rasa_url}
            print(f"Switched to {model.name} in {seconds:.0f} s; Rasa now at {stack.rasa_url}.", flush=True)
        except Exception as exc:  # noqa: BLE001 - reported to the requester; the old model keeps serving
            outcome = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000]}
            print(f"Switch failed, the previous model keeps serving: {outcome['error']}", flush=True)
    request_file.unlink(missing_ok=True)
    tmp = stack.run_dir / (RESULT + ".tmp")
    tmp.write_text(json.dumps(outcome), encoding="utf-8")
    os.replace(tmp, stack.run_dir / RESULT)


def default_run_dir() -> Path:
    return paths.VAR / "run"

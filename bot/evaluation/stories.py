"""`rasa test core` on the training stories and the test conversations, pass/fail per story."""
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional

from ruamel.yaml import YAML

from bot import paths
from bot.model import rasa_env, rasa_executable

TEST_STORIES = paths.ROOT / "tests" / "stories"
# Rasa appends the story's file to its name: "a story (/tmp/.../file.yml)".
_SOURCE = re.compile(r"^(?P<name>.*) \((?P<file>[^()]*\.ya?ml)\)$")


@dataclass
class StoryOutcome:
    name: str
    file: str
    passed: bool
    mode: str = ""  # "e2e": the user texts went through the NLU; "intents": the story's intents were given


def _stories_in(path: Path) -> List[str]:
    if not path.exists():
        return []
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")) or {}
    return [story["story"] for story in data.get("stories") or []]


def outcomes(results_dir: Path, mode: str = "") -> List[StoryOutcome]:
    """Pass/fail per story from Rasa's successful_test_stories.yml and failed_test_stories.yml."""
    found = []
    for file_name, passed in (("failed_test_stories.yml", False), ("successful_test_stories.yml", True)):
        for title in _stories_in(results_dir / file_name):
            m = _SOURCE.match(title)
            found.append(StoryOutcome(m["name"] if m else title, Path(m["file"]).name if m else "", passed, mode))
    return sorted(found, key=lambda o: (o.passed, o.file, o.name))


def _rasa_test_core(model: Path, stories_dir: Path, results: Path, e2e: bool, log_path: Path, timeout: float) -> List[StoryOutcome]:
    cmd = [rasa_executable(), "test", "core", *(["--e2e"] if e2e else []), "--model", str(model),
           "--stories", str(stories_dir), "--out", str(results), "--successes"]
    with log_path.open("wb") as log:
        code = subprocess.run(cmd, cwd=paths.ROOT, env=rasa_env(), stdout=log, stderr=subprocess.STDOUT, timeout=timeout).returncode
    found = outcomes(results, "e2e" if e2e else "intents")
    if code != 0 or not found:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"rasa test core failed (exit {code}); {log_path}:\n{tail}")
    return found


def run_story_tests(model: Path, out_dir: Path, timeout: float, say: Callable[[str], None] = print) -> List[StoryOutcome]:
    """The test conversations end to end (`--e2e`: each user text through the model's NLU, then the
    predicted actions against the story), and the training stories, which have intents and no texts
    (`--e2e` would skip them). Raises when Rasa fails."""
    started = time.monotonic()
    out_dir.mkdir(parents=True, exist_ok=True)
    say("  rasa test core --e2e on tests/stories (loading the model takes about a minute) ...")
    found = _rasa_test_core(model, TEST_STORIES, out_dir / "results-e2e", True, out_dir / "rasa-e2e.log", timeout)
    say(f"  rasa test core on data/stories ({time.monotonic() - started:.0f} s elapsed) ...")
    found += _rasa_test_core(model, paths.DATA / "stories", out_dir / "results-intents", False, out_dir / "rasa-intents.log", timeout)
    say(f"  stories: {sum(o.passed for o in found)}/{len(found)} passed ({time.monotonic() - started:.0f} s)")
    return found


def failed_story_text(out_dir: Optional[Path]) -> str:
    """Rasa's annotated failed stories (its comments show the wrong prediction), for the report."""
    texts = []
    for name in ("results-e2e", "results-intents"):
        path = out_dir / name / "failed_test_stories.yml" if out_dir else None
        if path and path.exists() and not path.read_text(encoding="utf-8").lstrip().startswith("# None"):
            texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)

"""Train a Rasa model only when none matches the current data, config and spaCy pipeline.

The model's file name is a fingerprint of everything training reads, so "is there a model for
this data?" is a file lookup, not a slow `rasa train` dry run.
"""
import hashlib
import logging
import os
import subprocess
import sys
import time
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import List

from bot import paths
from bot.settings import Settings

log = logging.getLogger(__name__)
DEFAULT_SPACY_MODEL = "nl_patient_sm"


def rasa_executable() -> str:
    return str(Path(sys.executable).with_name("rasa"))


def training_files() -> List[Path]:
    files = [paths.DOMAIN]
    for folder in paths.TRAINING_DATA:
        files.extend(sorted(folder.rglob("*.yml")))
    return files


def config_path(settings: Settings) -> Path:
    """config.yml, or a copy of it that names another spaCy pipeline (SPACY_MODEL)."""
    if settings.spacy_model == DEFAULT_SPACY_MODEL:
        return paths.CONFIG
    text = paths.CONFIG.read_text(encoding="utf-8")
    marker = f"model: {DEFAULT_SPACY_MODEL}"
    if marker not in text:
        raise RuntimeError(f"config.yml has no '{marker}' line to switch to {settings.spacy_model}")
    out = paths.VAR / f"config.{settings.spacy_model}.yml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text.replace(marker, f"model: {settings.spacy_model}"), encoding="utf-8")
    return out


def _package_version(name: str) -> str:
    try:
        return importlib_metadata.version(name)
    except importlib_metadata.PackageNotFoundError:
        return "not-installed"


def fingerprint(settings: Settings) -> str:
    digest = hashlib.sha256()
    for path in [config_path(settings)] + training_files():
        digest.update(str(path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path.name).encode())
        digest.update(path.read_bytes())
    for package in ("rasa", settings.spacy_model):
        digest.update(f"{package}={_package_version(package)}".encode())
    return digest.hexdigest()[:16]


def model_path(settings: Settings) -> Path:
    return paths.MODELS / f"{fingerprint(settings)}.tar.gz"


def train_command(settings: Settings, out_dir: Path, model_name: str) -> List[str]:
    """`rasa train` of the current data into out_dir/model_name.tar.gz (also timed by `python -m bot bench`)."""
    return [
        rasa_executable(), "train",
        "--config", str(config_path(settings)),
        "--domain", str(paths.DOMAIN),
        "--data", *[str(p) for p in paths.TRAINING_DATA],
        "--out", str(out_dir),
        "--fixed-model-name", model_name,
    ]


def ensure_model(settings: Settings, force: bool = False) -> Path:
    """The model for the current data; trains one (a few minutes) when there is none."""
    target = model_path(settings)
    if target.exists() and not force:
        log.info("model %s matches the current data and config", target.name)
        return target
    cmd = train_command(settings, paths.MODELS, target.name[: -len(".tar.gz")])
    print(f"Training a model for the current data ({target.name}); this takes a few minutes ...", flush=True)
    started = time.monotonic()
    subprocess.run(cmd, check=True, cwd=paths.ROOT, env=rasa_env())
    print(f"Model trained in {time.monotonic() - started:.0f} s: {target}", flush=True)
    return target


def rasa_env() -> dict:
    env = dict(os.environ)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")  # no internet here, and no telemetry from a hospital
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env

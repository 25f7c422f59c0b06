"""Where the project's files are, relative to the repository root."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
LEAFLETS = DATA / "leaflets"
# Rasa training data; data/ also holds leaflets, contacts and texts, which are not training data.
TRAINING_DATA = [DATA / "nlu", DATA / "rules", DATA / "stories"]
CONFIG = ROOT / "config.yml"
DOMAIN = ROOT / "domain.yml"
ENDPOINTS = ROOT / "endpoints.yml"
CREDENTIALS = ROOT / "credentials.yml"
MODELS = ROOT / "models"
VAR = ROOT / "var"  # runtime files: SQLite databases, rendered configs, logs

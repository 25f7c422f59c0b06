"""Project-level checks: training data validates, dependencies are consistent."""
import subprocess
import sys
from pathlib import Path

from bot import paths
from bot.model import config_path, rasa_env, rasa_executable


def test_rasa_data_validate_fail_on_warnings(settings):
    cmd = [rasa_executable(), "data", "validate", "--fail-on-warnings", "--config", str(config_path(settings)),
           "--domain", str(paths.DOMAIN), "--data", *[str(p) for p in paths.TRAINING_DATA]]
    result = subprocess.run(cmd, cwd=paths.ROOT, env=rasa_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_pip_check_is_clean():
    result = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


def test_spacy_model_setting_switches_the_config(settings, tmp_path, monkeypatch):
    other = settings.copy(update={"spacy_model": "nl_core_news_sm"})
    monkeypatch.setattr(paths, "VAR", tmp_path)
    text = Path(config_path(other)).read_text(encoding="utf-8")
    assert "model: nl_core_news_sm" in text and "model: nl_patient_sm" not in text
    assert config_path(settings) == paths.CONFIG


def test_every_topic_has_its_intent_in_domain_rules_and_nlu():
    from ruamel.yaml import YAML

    from bot import knowledge

    yaml = YAML(typ="safe", pure=True)
    domain_intents = set(yaml.load(paths.DOMAIN.read_text(encoding="utf-8"))["intents"])
    nlu_intents = {
        item["intent"] for f in (paths.DATA / "nlu").glob("*.yml") for item in yaml.load(f.read_text(encoding="utf-8"))["nlu"]
    }
    rules_text = (paths.DATA / "rules" / "questions.yml").read_text(encoding="utf-8")
    for topic in knowledge.topic_list():
        intent = f"ask_{topic}"
        assert intent in domain_intents and intent in nlu_intents and f"intent: {intent}\n" in rules_text, intent
    assert set(knowledge.topics()) <= set(knowledge.topic_list()), "a knowledge file answers an unknown topic"

"""A second opinion on the topic of an aftercare question, for the answers only.

Rasa's classifier decides the dialogue and is one layer of the triage, so its training data stays
what the alarm figures were measured with. Fresh authors' phrasings of the questions
(data/topic_phrasings.yml) made Rasa's topics better but cost alarms through the API when Rasa was
trained on them (issue 13), so they train this classifier instead, beside the ask_* examples of
data/nlu: TF-IDF over character and word n-grams with a logistic regression (scikit-learn, which
Rasa already installs). ``mixed`` averages its topic confidences with Rasa's; only
bot/answering.py uses it, never the triage.

It is trained on first use (about 2 s on 2 cores, most of it reading the YAML); the action server
does that while it starts.
"""
import threading
from functools import lru_cache
from typing import Dict, List, Tuple

from bot import data_checks, paths, yamldata
from bot.normalize import fold

# Share of the combined confidence that comes from this classifier (Rasa keeps the rest): an equal
# average, the first setting tried (on the tuned batches 1 to 4); 0.35 was tried too and was no better.
SHARE = 0.5


def _is_topic_intent(intent: str) -> bool:
    from bot.answering import EXTRA_TOPIC_INTENTS  # intents answered from the knowledge base beside ask_*

    return intent.startswith("ask_") or intent in EXTRA_TOPIC_INTENTS


def training_data() -> Tuple[List[str], List[str]]:
    """(texts, intents): the topic intents' examples of data/nlu and the fresh authors' phrasings."""
    texts: List[str] = []
    intents: List[str] = []
    for intent, examples in data_checks.nlu_examples().items():
        if _is_topic_intent(intent):
            texts += examples
            intents += [intent] * len(examples)
    for topic, examples in (yamldata.load(paths.DATA / "topic_phrasings.yml").get("topics") or {}).items():
        texts += [str(e) for e in examples]
        intents += [f"ask_{topic}"] * len(examples)
    return texts, intents


_TRAINING = threading.Lock()  # a question during the action server's warm-up waits for it instead of training again


def _model():
    with _TRAINING:
        return _trained()


@lru_cache(maxsize=1)
def _trained():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import make_pipeline, make_union

    texts, intents = training_data()
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),  # typos, compounds, no accents
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
    )
    # a logistic regression fitted by SGD: as good on the batches as lbfgs's (within a case or two) in 1 s instead of 13
    model = make_pipeline(features, SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=50, random_state=0))
    model.fit([fold(t) for t in texts], intents)
    return model


def warm_up() -> None:
    _model()


def ranking(text: str) -> List[Dict[str, float]]:
    """Topic intents by this classifier's confidence, best first (Rasa's ranking format)."""
    model = _model()
    probabilities = model.predict_proba([fold(text)])[0]
    return sorted(({"name": name, "confidence": float(p)} for name, p in zip(model.classes_, probabilities)),
                  key=lambda r: -r["confidence"])


def mixed(intent_ranking: List[dict], text: str) -> List[dict]:
    """Rasa's ranking with this classifier's topic confidences averaged in (other intents keep Rasa's share)."""
    combined: Dict[str, float] = {}
    for ranked in intent_ranking or []:
        name = ranked.get("name") or ""
        combined[name] = combined.get(name, 0.0) + (1 - SHARE) * (ranked.get("confidence") or 0.0)
    for ranked in ranking(text):
        combined[ranked["name"]] = combined.get(ranked["name"], 0.0) + SHARE * ranked["confidence"]
    return [{"name": name, "confidence": conf} for name, conf in sorted(combined.items(), key=lambda item: -item[1])]

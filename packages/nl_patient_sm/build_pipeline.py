"""Build the nl_patient_sm pipeline and serialize it into a copy of this package.

    python build_pipeline.py <package-dir>    # e.g. build/nl_patient_sm (a copy of this folder)

Writes <package-dir>/nl_patient_sm/nl_patient_sm-<version>/ (config.cfg, meta.json, tokenizer,
vocab, lemmatizer), the layout spacy.load() expects of an installed pipeline package. Needs
spacy and spacy-lookups-data at build time only; the installed pipeline needs neither tables nor
network.
"""
import csv
import json
import sys
from pathlib import Path
from typing import Dict

import spacy

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "pipeline_src"))

import tokenizer_rules  # noqa: E402  (lives beside this script, not in the installed package)

ADDITIONS = HERE / "pipeline_src" / "lemma_additions.tsv"


def read_additions(path: Path = ADDITIONS) -> Dict[str, str]:
    """Form -> lemma for body, symptom and treatment words the Dutch lookup table misses."""
    additions: Dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            form, lemma = row[0].strip().lower(), row[1].strip().lower()
            if form in additions and additions[form] != lemma:
                raise ValueError(f"{path.name}: '{form}' has two lemmas: {additions[form]}, {lemma}")
            additions[form] = lemma
    return additions


def build(meta: dict) -> spacy.language.Language:
    nlp = spacy.blank(meta["lang"])
    tokenizer_rules.customize(nlp)
    # Lookup mode: the Dutch rule mode needs POS tags, which this small pipeline does not have.
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # reads the nl lemma_lookup table from spacy-lookups-data
    table = lemmatizer.lookups.get_table("lemma_lookup")
    for form, lemma in read_additions().items():
        table[form] = lemma
    nlp.meta.update({k: v for k, v in meta.items() if k not in ("pipeline", "components", "disabled")})
    return nlp


def main(package_dir: Path) -> Path:
    module_dir = package_dir / "nl_patient_sm"
    meta = json.loads((module_dir / "meta.json").read_text(encoding="utf-8"))
    out = module_dir / f"{meta['lang']}_{meta['name']}-{meta['version']}"
    build(meta).to_disk(out)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(main(Path(sys.argv[1]).resolve()))
